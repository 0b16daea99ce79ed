#include "nodes/kv/crdt/or_set.h"

#include <iterator>

namespace capsim::crdt {

void OrSet::add(const Value& element, Dot dot) { added_[element].insert(dot); }

bool OrSet::remove(const Value& element) {
  const auto it = added_.find(element);
  if (it == added_.end()) return false;
  bool was_present = false;
  for (const Dot& dot : it->second) {
    if (removed_.insert(dot).second) was_present = true;
  }
  return was_present;
}

bool OrSet::contains(const Value& element) const {
  const auto it = added_.find(element);
  return it != added_.end() && has_live_tag(it->second);
}

bool OrSet::has_live_tag(const std::set<Dot>& dots) const {
  if (removed_.empty()) return !dots.empty();
  for (const Dot& dot : dots) {
    if (removed_.count(dot) == 0) return true;
  }
  return false;
}

Value::List OrSet::elements(std::size_t limit) const {
  // added_ is ordered by Value, so the list comes out sorted and without duplicates.
  Value::List present;
  for (const auto& [element, dots] : added_) {
    if (present.size() == limit) break;
    if (has_live_tag(dots)) present.push_back(element);
  }
  return present;
}

std::size_t OrSet::size() const {
  std::size_t count = 0;
  for (const auto& [element, dots] : added_) {
    if (has_live_tag(dots)) ++count;
  }
  return count;
}

bool OrSet::merge(const OrSet& other) {
  // Both maps are sorted by element, so one walk through both finds every match: linear in
  // the sizes instead of a search per element, which matters as sets grow under gossip.
  bool changed = false;
  auto mine = added_.begin();
  for (const auto& [element, dots] : other.added_) {
    while (mine != added_.end() && mine->first < element) ++mine;
    if (mine == added_.end() || element < mine->first) {
      mine = std::next(added_.emplace_hint(mine, element, dots));
      changed = true;
      continue;
    }
    const std::size_t before = mine->second.size();
    mine->second.insert(dots.begin(), dots.end());
    if (mine->second.size() != before) changed = true;
    ++mine;
  }
  const std::size_t before = removed_.size();
  removed_.insert(other.removed_.begin(), other.removed_.end());
  return changed || removed_.size() != before;
}

}  // namespace capsim::crdt
