// Messages: typed structs moved by the simulator without serializing.
//
// A message type is a plain struct with a name and a description:
//
//   struct Replicate {
//     static constexpr std::string_view kKind = "pb.replicate";   // protocol.message
//     Epoch epoch; Index prev_index; ...
//     std::string describe() const;                               // one line for the trace
//   };
//
// Message::of(Replicate{...}) wraps it; message.as<Replicate>() gets it back (nullptr if the
// message is of another type). The body is immutable and shared, so a duplicated message costs
// one pointer copy. `kind` is also what per-message-kind network rules match on.
#pragma once

#include <concepts>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace capsim {

namespace detail {

// A free list of equal-sized blocks. The simulator creates and frees millions of message
// bodies; recycling them avoids most of the allocator's work. One list per thread (the live
// runtime may run nodes on several threads), never shared between threads.
template <std::size_t kSize>
class BlockPool {
 public:
  static void* take() {
    Link*& head = free_head();
    if (head == nullptr) return ::operator new(kSize < sizeof(Link) ? sizeof(Link) : kSize);
    Link* block = head;
    head = block->next;
    return block;
  }
  static void give(void* block) {
    Link*& head = free_head();
    auto* link = static_cast<Link*>(block);
    link->next = head;
    head = link;
  }

 private:
  struct Link { Link* next; };
  static Link*& free_head() {
    thread_local Link* head = nullptr;
    return head;
  }
};

// An allocator for std::allocate_shared that draws single objects from a BlockPool.
template <class U>
struct PoolAllocator {
  using value_type = U;
  PoolAllocator() = default;
  template <class V>
  PoolAllocator(const PoolAllocator<V>&) {}  // NOLINT: rebinding must be implicit
  U* allocate(std::size_t n) {
    if (n != 1) return static_cast<U*>(::operator new(n * sizeof(U)));
    return static_cast<U*>(BlockPool<sizeof(U)>::take());
  }
  void deallocate(U* p, std::size_t n) {
    if (n != 1) return ::operator delete(p);
    BlockPool<sizeof(U)>::give(p);
  }
  template <class V>
  bool operator==(const PoolAllocator<V>&) const { return true; }
};

}  // namespace detail

template <class T>
concept MessageType = requires(const T& message) {
  { T::kKind } -> std::convertible_to<std::string_view>;
  { message.describe() } -> std::convertible_to<std::string>;
};

class Message {
 public:
  Message() = default;

  template <MessageType T>
  static Message of(T value) {
    Message message;
    message.body_ = std::allocate_shared<const Body<T>>(detail::PoolAllocator<Body<T>>{},
                                                        std::move(value));
    return message;
  }

  // The wrapped struct if it is a T, else nullptr.
  template <MessageType T>
  const T* as() const {
    if (!body_ || body_->tag() != &kTag<T>) return nullptr;
    return &static_cast<const Body<T>*>(body_.get())->value;
  }

  template <MessageType T>
  bool is() const { return as<T>() != nullptr; }

  bool empty() const { return body_ == nullptr; }
  // "pb.replicate"; "" for an empty message.
  std::string_view kind() const { return body_ ? body_->kind() : std::string_view{}; }
  std::string describe() const { return body_ ? body_->describe() : std::string{}; }

 private:
  struct BodyBase {
    virtual ~BodyBase() = default;
    virtual const void* tag() const = 0;
    virtual std::string_view kind() const = 0;
    virtual std::string describe() const = 0;
  };

  // One object per message type; its address identifies the type (comparison only, never
  // ordering, so it cannot leak into a run's results).
  template <class T>
  static inline const char kTag = 0;

  template <class T>
  struct Body final : BodyBase {
    explicit Body(T v) : value(std::move(v)) {}
    const void* tag() const override { return &kTag<T>; }
    std::string_view kind() const override { return T::kKind; }
    std::string describe() const override { return value.describe(); }
    T value;
  };

  std::shared_ptr<const BodyBase> body_;
};

}  // namespace capsim
