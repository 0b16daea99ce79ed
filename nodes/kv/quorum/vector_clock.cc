#include "nodes/kv/quorum/vector_clock.h"

#include <algorithm>

namespace capsim::quorum {

std::string Dot::describe() const {
  return "n" + std::to_string(node + 1) + ":" + std::to_string(counter);
}

std::uint64_t VectorClock::get(NodeId node) const {
  const auto it = entries_.find(node);
  return it == entries_.end() ? 0 : it->second;
}

void VectorClock::advance(NodeId node, std::uint64_t counter) {
  if (counter == 0) return;  // zero entries are implicit, so equal clocks compare equal
  std::uint64_t& entry = entries_[node];
  entry = std::max(entry, counter);
}

void VectorClock::merge(const VectorClock& other) {
  for (const auto& [node, counter] : other.entries_) advance(node, counter);
}

std::string VectorClock::describe() const {
  std::string text = "{";
  for (const auto& [node, counter] : entries_) {
    if (text.size() > 1) text += ' ';
    text += Dot{node, counter}.describe();
  }
  return text + "}";
}

ClockOrder compare(const VectorClock& a, const VectorClock& b) {
  bool a_ahead = false;  // some entry of a exceeds b's
  bool b_ahead = false;
  for (const auto& [node, counter] : a.entries()) {
    if (counter > b.get(node)) a_ahead = true;
  }
  for (const auto& [node, counter] : b.entries()) {
    if (counter > a.get(node)) b_ahead = true;
  }
  if (a_ahead && b_ahead) return ClockOrder::kConcurrent;
  if (a_ahead) return ClockOrder::kAfter;
  if (b_ahead) return ClockOrder::kBefore;
  return ClockOrder::kEqual;
}

}  // namespace capsim::quorum
