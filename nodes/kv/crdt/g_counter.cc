#include "nodes/kv/crdt/g_counter.h"

#include <algorithm>

namespace capsim::crdt {

void GCounter::increment(NodeId node, std::uint64_t amount) { entries_[node] += amount; }

std::uint64_t GCounter::total() const {
  std::uint64_t sum = 0;
  for (const auto& [node, count] : entries_) sum += count;
  return sum;
}

bool GCounter::merge(const GCounter& other) {
  bool changed = false;
  for (const auto& [node, count] : other.entries_) {
    auto [it, inserted] = entries_.try_emplace(node, count);
    if (inserted) {
      changed = true;
    } else if (count > it->second) {
      it->second = count;
      changed = true;
    }
  }
  return changed;
}

}  // namespace capsim::crdt
