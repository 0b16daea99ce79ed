// A grow-only counter (G-counter): one non-decreasing count per node that incremented it.
//
// A node adds only to its own entry, so two replicas never race on an entry; merging takes each
// entry's maximum, which is commutative, associative and idempotent, and never loses an
// increment that either side has seen. The counter's value is the sum of the entries.
#pragma once

#include <cstdint>
#include <map>

#include "sim/node.h"

namespace capsim::crdt {

class GCounter {
 public:
  // Adds `amount` to `node`'s entry.
  void increment(NodeId node, std::uint64_t amount);
  // The sum of every entry. Arithmetic wraps modulo 2^64, the same on every replica.
  std::uint64_t total() const;
  // Entry-wise maximum. Returns true if this counter changed.
  bool merge(const GCounter& other);

  // Node -> its count; nodes that never incremented are absent.
  const std::map<NodeId, std::uint64_t>& entries() const { return entries_; }
  // For decoding: sets one entry as stored.
  void set_entry(NodeId node, std::uint64_t count) { entries_[node] = count; }

  friend bool operator==(const GCounter&, const GCounter&) = default;

 private:
  std::map<NodeId, std::uint64_t> entries_;
};

}  // namespace capsim::crdt
