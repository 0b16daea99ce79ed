// Partition shapes: which nodes can still talk to which while a partition holds.
//
// A partition is described by groups of nodes. Two nodes can talk (in both directions) if and
// only if some group holds both; a node in no group talks to nobody. Groups may overlap, which
// is how the bridge and majorities-ring shapes give a node more than one side.
//
// The shapes follow Jepsen's nemesis:
//   one             one random node alone against the rest;
//   majority        a random majority (floor(n/2)+1 nodes) against the rest;
//   minority-third  a random floor(n/3) nodes (at least one) against the rest;
//   majorities-ring the nodes, shuffled into a ring, each see themselves and their nearest ring
//                   neighbours, just enough of them to reach a majority, so every node sees a
//                   majority and (from three nodes on) no two nodes see the same set;
//   bridge          two halves that share one node: the bridge talks to everyone, the halves do
//                   not talk to each other.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/node.h"
#include "sim/rng.h"
#include "sim/scenario.h"

namespace capsim {

// The sides of a partition of nodes 0..n-1. Each group is sorted and non-empty.
using Groups = std::vector<std::vector<NodeId>>;

// Draws a concrete partition of nodes 0..nodes-1 in the given shape, with every random choice
// taken from `rng`. The result is normalized: each group sorted, no group empty or contained in
// another, and the groups in lexicographic order. When the shape cannot cut anything (one node,
// or a majority of two nodes) the result is a single group holding every node.
// Requires: nodes >= 1; shape is kOne, kMajority, kMajoritiesRing, kMinorityThird or kBridge.
Groups partition_groups(PartitionShape shape, std::uint32_t nodes, Rng& rng);

// The nodes in `isolated` against all the others: the isolated group first, then the rest.
// Duplicates in `isolated` are ignored. When `isolated` is empty or holds every node the result
// is a single group holding every node (nothing is cut).
// Requires: every id in `isolated` is below `nodes`.
Groups isolate_groups(const std::vector<NodeId>& isolated, std::uint32_t nodes);

// Every directed link (a, b) with a != b, both below `nodes`, that the groups cut, sorted by
// (a, b). Since groups are symmetric the result holds (b, a) whenever it holds (a, b).
// Requires: every id in `groups` is below `nodes`.
std::vector<std::pair<NodeId, NodeId>> cut_links(const Groups& groups, std::uint32_t nodes);

// The groups for people and the trace: "[n1 n2] | [n3 n4 n5]". Empty groups read "[]".
std::string describe_groups(const Groups& groups, std::uint32_t nodes);

}  // namespace capsim
