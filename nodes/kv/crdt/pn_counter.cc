#include "nodes/kv/crdt/pn_counter.h"

namespace capsim::crdt {

void PnCounter::increment(NodeId node, std::int64_t delta) {
  // Magnitudes are taken in unsigned arithmetic so that INT64_MIN has one too.
  const auto bits = static_cast<std::uint64_t>(delta);
  if (delta >= 0) {
    increments_.increment(node, bits);
  } else {
    decrements_.increment(node, 0 - bits);
  }
}

std::int64_t PnCounter::value() const {
  // Unsigned subtraction wraps instead of overflowing; the conversion back is modulo 2^64.
  return static_cast<std::int64_t>(increments_.total() - decrements_.total());
}

bool PnCounter::merge(const PnCounter& other) {
  const bool up = increments_.merge(other.increments_);
  const bool down = decrements_.merge(other.decrements_);
  return up || down;
}

}  // namespace capsim::crdt
