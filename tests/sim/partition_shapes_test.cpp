#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "sim/partition_shapes.h"

using namespace capsim;

namespace {

using NodeSet = std::set<NodeId>;

// Who each node can talk to, itself included, computed straight from the group definition.
std::vector<NodeSet> reach_of(const Groups& groups, std::uint32_t nodes) {
  std::vector<NodeSet> reach(nodes);
  for (NodeId id = 0; id < nodes; ++id) reach[id].insert(id);
  for (const auto& group : groups) {
    for (NodeId a : group) reach[a].insert(group.begin(), group.end());
  }
  return reach;
}

NodeSet all_nodes(std::uint32_t nodes) {
  NodeSet set;
  for (NodeId id = 0; id < nodes; ++id) set.insert(id);
  return set;
}

// Every shape's output is well formed: sorted, non-empty groups of valid ids covering all nodes.
void check_well_formed(const Groups& groups, std::uint32_t nodes) {
  REQUIRE_FALSE(groups.empty());
  NodeSet covered;
  for (const auto& group : groups) {
    CHECK_FALSE(group.empty());
    CHECK(std::is_sorted(group.begin(), group.end()));
    CHECK(std::adjacent_find(group.begin(), group.end()) == group.end());
    for (NodeId id : group) CHECK(id < nodes);
    covered.insert(group.begin(), group.end());
  }
  CHECK(covered == all_nodes(nodes));
}

// Checks that the groups split the nodes into exactly two disjoint sides of the given sizes
// (in either order) and that each node reaches exactly its own side.
void check_two_sides(const Groups& groups, std::uint32_t nodes, std::size_t side) {
  REQUIRE(groups.size() == 2);
  const std::size_t a = groups[0].size();
  const std::size_t b = groups[1].size();
  CHECK(a + b == nodes);
  CHECK(((a == side && b == nodes - side) || (b == side && a == nodes - side)));
  const auto reach = reach_of(groups, nodes);
  for (const auto& group : groups) {
    for (NodeId id : group) CHECK(reach[id] == NodeSet(group.begin(), group.end()));
  }
}

constexpr PartitionShape kRandomShapes[] = {
    PartitionShape::kOne, PartitionShape::kMajority, PartitionShape::kMajoritiesRing,
    PartitionShape::kMinorityThird, PartitionShape::kBridge};

}  // namespace

TEST_CASE("partition shapes: a single node can never be cut, whatever the shape") {
  // With one node there is no link to cut, so every shape yields one group holding it.
  for (PartitionShape shape : kRandomShapes) {
    Rng rng(1);
    CHECK(partition_groups(shape, 1, rng) == Groups{{0}});
  }
}

TEST_CASE("partition shapes: one puts a single node alone against the rest") {
  // Over sizes 2..9 and several seeds, exactly one node reaches nobody but itself and every
  // other node reaches all the others.
  for (std::uint32_t n = 2; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed);
      const Groups groups = partition_groups(PartitionShape::kOne, n, rng);
      check_well_formed(groups, n);
      check_two_sides(groups, n, 1);
    }
  }
}

TEST_CASE("partition shapes: majority splits off a majority of floor(n/2)+1 nodes") {
  // The majority side has floor(n/2)+1 nodes and the rest form the other side; with two
  // nodes the majority is everyone, so nothing is cut.
  for (std::uint32_t n = 2; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed);
      const Groups groups = partition_groups(PartitionShape::kMajority, n, rng);
      check_well_formed(groups, n);
      if (n == 2) {
        CHECK(groups == Groups{{0, 1}});
      } else {
        check_two_sides(groups, n, n / 2 + 1);
      }
    }
  }
}

TEST_CASE("partition shapes: minority-third splits off a third of the nodes, at least one") {
  // The small side holds floor(n/3) nodes, or one node when that would be zero.
  for (std::uint32_t n = 2; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed);
      const Groups groups = partition_groups(PartitionShape::kMinorityThird, n, rng);
      check_well_formed(groups, n);
      check_two_sides(groups, n, std::max<std::uint32_t>(1, n / 3));
    }
  }
}

TEST_CASE("partition shapes: in a majorities ring every node sees a different majority") {
  // Every node reaches a majority counting itself; from three nodes on no two nodes reach the
  // same set, and from four nodes on some link is actually cut.
  for (std::uint32_t n = 2; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed);
      const Groups groups = partition_groups(PartitionShape::kMajoritiesRing, n, rng);
      check_well_formed(groups, n);
      const auto reach = reach_of(groups, n);
      for (const auto& seen : reach) CHECK(seen.size() >= n / 2 + 1);
      if (n >= 3) {
        CHECK(std::set<NodeSet>(reach.begin(), reach.end()).size() == n);
      }
      if (n >= 4) CHECK_FALSE(cut_links(groups, n).empty());
    }
  }
}

TEST_CASE("partition shapes: a bridge node joins two halves that cannot talk to each other") {
  // From three nodes on, exactly one node reaches everyone; the others fall into two halves of
  // near-equal size that reach within themselves (and the bridge) but never across.
  for (std::uint32_t n = 3; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Rng rng(seed);
      const Groups groups = partition_groups(PartitionShape::kBridge, n, rng);
      check_well_formed(groups, n);
      REQUIRE(groups.size() == 2);
      const auto reach = reach_of(groups, n);
      std::vector<NodeId> bridges;
      for (NodeId id = 0; id < n; ++id) {
        if (reach[id] == all_nodes(n)) bridges.push_back(id);
      }
      REQUIRE(bridges.size() == 1);
      const NodeId bridge = bridges[0];
      std::vector<NodeSet> halves;
      for (const auto& group : groups) {
        NodeSet half(group.begin(), group.end());
        CHECK(half.erase(bridge) == 1);
        halves.push_back(half);
      }
      CHECK(halves[0].size() + halves[1].size() == n - 1);
      CHECK(halves[0].size() + 1 >= halves[1].size());
      CHECK(halves[1].size() + 1 >= halves[0].size());
      for (NodeId a : halves[0]) {
        for (NodeId b : halves[1]) {
          CHECK(reach[a].count(b) == 0);
          CHECK(reach[b].count(a) == 0);
        }
      }
    }
  }
}

TEST_CASE("partition shapes: with two nodes a bridge or ring cuts nothing") {
  // Two nodes cannot form two halves around a bridge, and each must see both to see a
  // majority, so both shapes leave them connected.
  Rng rng(3);
  CHECK(partition_groups(PartitionShape::kBridge, 2, rng) == Groups{{0, 1}});
  CHECK(partition_groups(PartitionShape::kMajoritiesRing, 2, rng) == Groups{{0, 1}});
}

TEST_CASE("partition shapes: the same seed picks the same sides and other seeds vary them") {
  // The choice of nodes comes from the rng alone: replaying a seed repeats it exactly, and a
  // range of seeds explores more than one split.
  for (PartitionShape shape : kRandomShapes) {
    std::set<Groups> seen;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      Rng first(seed);
      Rng second(seed);
      const Groups groups = partition_groups(shape, 5, first);
      CHECK(groups == partition_groups(shape, 5, second));
      seen.insert(groups);
    }
    CHECK(seen.size() > 1);
  }
}

TEST_CASE("partition shapes: isolating nodes puts them first and the rest second") {
  // The isolated nodes form the first group whatever order they were given in; isolating
  // nobody or everybody cuts nothing.
  CHECK(isolate_groups({3, 1, 3}, 5) == Groups{{1, 3}, {0, 2, 4}});
  CHECK(isolate_groups({}, 3) == Groups{{0, 1, 2}});
  CHECK(isolate_groups({0, 1, 2}, 3) == Groups{{0, 1, 2}});
}

TEST_CASE("partition shapes: cut_links lists exactly the links between sides, sorted") {
  // Two sides of a five-node cluster cut twelve directed links, listed in (from, to) order.
  using Links = std::vector<std::pair<NodeId, NodeId>>;
  CHECK(cut_links({{0, 1}, {2, 3, 4}}, 5) ==
        Links{{0, 2}, {0, 3}, {0, 4}, {1, 2}, {1, 3}, {1, 4},
              {2, 0}, {2, 1}, {3, 0}, {3, 1}, {4, 0}, {4, 1}});
  // A node in no group is cut from everyone; one group of all cuts nothing.
  CHECK(cut_links({{0, 1}}, 3) == Links{{0, 2}, {1, 2}, {2, 0}, {2, 1}});
  CHECK(cut_links({{0, 1, 2}}, 3).empty());
}

TEST_CASE("partition shapes: cut_links matches who can talk, in both directions") {
  // For every shape and size, a link is cut exactly when its ends do not share a group, so
  // the cut links are symmetric and never include a self-link.
  for (PartitionShape shape : kRandomShapes) {
    for (std::uint32_t n = 1; n <= 9; ++n) {
      Rng rng(n * 31 + 7);
      const Groups groups = partition_groups(shape, n, rng);
      const auto reach = reach_of(groups, n);
      const auto links = cut_links(groups, n);
      CHECK(std::is_sorted(links.begin(), links.end()));
      const std::set<std::pair<NodeId, NodeId>> cut(links.begin(), links.end());
      for (NodeId a = 0; a < n; ++a) {
        for (NodeId b = 0; b < n; ++b) {
          const bool expect_cut = a != b && reach[a].count(b) == 0;
          CHECK(cut.count({a, b}) == (expect_cut ? 1u : 0u));
          CHECK(cut.count({a, b}) == cut.count({b, a}));
        }
      }
    }
  }
}

TEST_CASE("partition shapes: groups are described by node name, sides split by bars") {
  // The description is what the trace and the report show, so it is pinned word for word.
  CHECK(describe_groups({{0, 1}, {2, 3, 4}}, 5) == "[n1 n2] | [n3 n4 n5]");
  CHECK(describe_groups(isolate_groups({2}, 3), 3) == "[n3] | [n1 n2]");
  CHECK(describe_groups({{0, 1, 2}}, 3) == "[n1 n2 n3]");
  CHECK(describe_groups({{}}, 3) == "[]");
}
