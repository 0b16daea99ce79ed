// The event queue: events ordered by (time, sequence). The sequence number grows with every
// push, so events at the same time run in the order they were scheduled and the order never
// depends on pointers or hashes.
//
// The heap holds small (time, sequence, slot) records; payloads stay put in a slot array that
// recycles freed slots, so reordering the heap never moves a payload.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/time.h"

namespace capsim {

template <class Payload>
class EventQueue {
 public:
  // Schedules `payload` at `time`. Returns its sequence number.
  std::uint64_t push(Time time, Payload payload) {
    std::uint32_t slot;
    if (free_slots_.empty()) {
      slot = static_cast<std::uint32_t>(payloads_.size());
      payloads_.push_back(std::move(payload));
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
      payloads_[slot] = std::move(payload);
    }
    const std::uint64_t sequence = next_sequence_++;
    heap_.push_back(Entry{time, sequence, slot});
    sift_up(heap_.size() - 1);
    return sequence;
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

  // Requires: !empty().
  Time next_time() const { return heap_.front().time; }

  // Removes the earliest event and returns its time and payload. Requires: !empty().
  std::pair<Time, Payload> pop() {
    CAPSIM_ASSERT(!heap_.empty());
    const Entry top = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    free_slots_.push_back(top.slot);
    return {top.time, std::move(payloads_[top.slot])};
  }

  // Visits every queued payload in an unspecified order. Only for order-free aggregates
  // (counting what is still in flight when a run ends).
  template <class F>
  void for_each(F&& visit) const {
    for (const Entry& entry : heap_) visit(payloads_[entry.slot]);
  }

 private:
  struct Entry {
    Time time;
    std::uint64_t sequence;
    std::uint32_t slot;
  };

  static bool earlier(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
  }

  // A 4-ary heap: shallower than a binary one, so fewer cache misses per pop.
  static constexpr std::size_t kArity = 4;

  void sift_up(std::size_t index) {
    const Entry moving = heap_[index];
    while (index > 0) {
      const std::size_t parent = (index - 1) / kArity;
      if (!earlier(moving, heap_[parent])) break;
      heap_[index] = heap_[parent];
      index = parent;
    }
    heap_[index] = moving;
  }

  void sift_down(std::size_t index) {
    const Entry moving = heap_[index];
    const std::size_t size = heap_.size();
    while (true) {
      const std::size_t first_child = index * kArity + 1;
      if (first_child >= size) break;
      std::size_t best = first_child;
      const std::size_t last_child = std::min(first_child + kArity, size);
      for (std::size_t child = first_child + 1; child < last_child; ++child) {
        if (earlier(heap_[child], heap_[best])) best = child;
      }
      if (!earlier(heap_[best], moving)) break;
      heap_[index] = heap_[best];
      index = best;
    }
    heap_[index] = moving;
  }

  std::vector<Entry> heap_;
  std::vector<Payload> payloads_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace capsim
