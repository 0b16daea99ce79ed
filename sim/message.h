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
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace capsim {

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
    message.body_ = std::make_shared<const Body<T>>(std::move(value));
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
