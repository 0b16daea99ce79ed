// An observed-remove set (OR-set): a set that replicas grow independently and merge without
// losing any add.
//
// Every add of an element carries a tag no other add anywhere has: a Dot, the adding node's
// id with that node's own sequence number. The set stores, per element, the tags of its adds,
// plus the tags that removes have retired (tombstones). An element is present while it has a
// tag that is not retired. A remove retires only the tags its replica has observed, so an add
// concurrent with a remove (a tag the remover had not seen) survives: add wins.
//
// Merge is the union of the added tags and of the tombstones, hence commutative, associative
// and idempotent. Tombstones are never collected, so a set that sees many removes keeps
// growing; the workloads here only add.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>

#include "sim/node.h"
#include "sim/value.h"

namespace capsim::crdt {

// A unique event id: the node that made the event and its sequence number there.
struct Dot {
  NodeId node = 0;
  std::uint64_t seq = 0;
  friend auto operator<=>(const Dot&, const Dot&) = default;
};

class OrSet {
 public:
  // Adds `element` under `dot`. Requires: `dot` was never used before by any replica.
  void add(const Value& element, Dot dot);
  // Retires every tag of `element` this replica holds. Returns true if the element was present.
  bool remove(const Value& element);
  bool contains(const Value& element) const;
  // The present elements, sorted, each once: what a read returns. At most `limit` of them (the
  // smallest), for descriptions of large sets.
  Value::List elements(std::size_t limit = SIZE_MAX) const;
  // How many elements are present.
  std::size_t size() const;
  // Union of tags and tombstones. Returns true if this set changed.
  bool merge(const OrSet& other);

  // Element -> the tags of its adds, retired or not.
  const std::map<Value, std::set<Dot>>& added() const { return added_; }
  const std::set<Dot>& removed() const { return removed_; }
  // For decoding: records a tag or a tombstone as stored.
  void insert_added(const Value& element, Dot dot) { added_[element].insert(dot); }
  void insert_removed(Dot dot) { removed_.insert(dot); }

  friend bool operator==(const OrSet&, const OrSet&) = default;

 private:
  // True if some tag in `dots` is not retired.
  bool has_live_tag(const std::set<Dot>& dots) const;

  std::map<Value, std::set<Dot>> added_;
  std::set<Dot> removed_;
};

}  // namespace capsim::crdt
