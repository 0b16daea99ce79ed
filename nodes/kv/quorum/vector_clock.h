// Vector clocks and dots: how the quorum protocol tells "this version replaced that one" from
// "these two versions were written without knowing of each other".
//
// A dot (node, counter) names one write: the coordinator that made it and that coordinator's
// own write counter, which never repeats (it is persisted before use). A vector clock maps
// each coordinator to the highest counter of it that is known; it covers a dot when its entry
// for the dot's node is at least the dot's counter.
//
// A version carries its dot and the clock of everything the coordinator had read when it made
// the version (its context). A version supersedes another exactly when its context covers the
// other's dot. Keeping the dot apart from the context (a "dotted version vector") matters: two
// blind writes through the same coordinator get dots (n1,1) and (n1,2) with empty contexts and
// so stay concurrent, where a plain per-coordinator clock would wrongly order them and drop one.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>

#include "sim/node.h"

namespace capsim::quorum {

struct Dot {
  NodeId node = kNoNode;
  std::uint64_t counter = 0;
  friend auto operator<=>(const Dot&, const Dot&) = default;
  // "n1:4".
  std::string describe() const;
};

// How two vector clocks relate.
enum class ClockOrder { kEqual, kBefore, kAfter, kConcurrent };

class VectorClock {
 public:
  // The counter known for `node` (0 if none).
  std::uint64_t get(NodeId node) const;
  // Raises the entry for `node` to at least `counter`.
  void advance(NodeId node, std::uint64_t counter);
  void add(const Dot& dot) { advance(dot.node, dot.counter); }
  bool covers(const Dot& dot) const { return get(dot.node) >= dot.counter; }
  // The entry-wise maximum of both clocks.
  void merge(const VectorClock& other);
  bool empty() const { return entries_.empty(); }
  const std::map<NodeId, std::uint64_t>& entries() const { return entries_; }
  // "{n1:2 n3:1}" ("{}" when empty).
  std::string describe() const;

  friend bool operator==(const VectorClock&, const VectorClock&) = default;

 private:
  std::map<NodeId, std::uint64_t> entries_;  // no zero entries
};

// kBefore: every entry of a is at most b's and they differ; kAfter the reverse; kEqual when
// equal; kConcurrent otherwise.
ClockOrder compare(const VectorClock& a, const VectorClock& b);

}  // namespace capsim::quorum
