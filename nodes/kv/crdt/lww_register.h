// A last-writer-wins register (LWW-register): a single value, and the stamp of the write that
// set it. Merging keeps the value with the larger stamp.
//
// The stamp is the writing node's clock reading (ctx.now(), skew included), then the node id to
// break ties between nodes, then the node's own sequence number to order two writes of one node
// at the same clock reading. Stamps of distinct writes therefore always differ, so merge is a
// maximum over a total order: commutative, associative and idempotent.
//
// What it costs: of two concurrent writes, one is silently discarded, even though both were
// acknowledged. And "last" means "largest clock reading", not "latest in real time": a node
// whose clock runs ahead wins over later writes from nodes with correct clocks, and a node
// whose clock runs behind can have its write lost at once, even on its own replica.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

#include "sim/node.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim::crdt {

struct Stamp {
  Time time{0};          // the writer's clock when it wrote
  NodeId node = 0;       // the writer
  std::uint64_t seq = 0; // the writer's sequence number
  friend auto operator<=>(const Stamp&, const Stamp&) = default;
};

class LwwRegister {
 public:
  // Offers a write; it takes effect only if its stamp beats the current one. Returns true if it
  // did. Requires: `stamp` was never used for another value.
  bool assign(const Value& value, Stamp stamp);
  // Keeps whichever side has the larger stamp. Returns true if this register changed.
  bool merge(const LwwRegister& other);

  // nil until the first write.
  const Value& value() const { return value_; }
  // The stamp of the value held; none before the first write.
  const std::optional<Stamp>& stamp() const { return stamp_; }

  friend bool operator==(const LwwRegister&, const LwwRegister&) = default;

 private:
  Value value_;
  std::optional<Stamp> stamp_;
};

}  // namespace capsim::crdt
