// A counter that goes up and down (PN-counter): two G-counters, one for increments (P) and one
// for decrements (N); the value is P - N. Each half merges as a G-counter, so the pair inherits
// the merge laws and loses no increment or decrement.
#pragma once

#include <cstdint>

#include "nodes/kv/crdt/g_counter.h"

namespace capsim::crdt {

class PnCounter {
 public:
  // Adds `delta` (any sign) on behalf of `node`.
  void increment(NodeId node, std::int64_t delta);
  // P - N, wrapping modulo 2^64 like the workload's own arithmetic would overflow.
  std::int64_t value() const;
  // Merges both halves. Returns true if this counter changed.
  bool merge(const PnCounter& other);

  const GCounter& increments() const { return increments_; }
  const GCounter& decrements() const { return decrements_; }
  GCounter& increments() { return increments_; }
  GCounter& decrements() { return decrements_; }

  friend bool operator==(const PnCounter&, const PnCounter&) = default;

 private:
  GCounter increments_;  // P
  GCounter decrements_;  // N
};

}  // namespace capsim::crdt
