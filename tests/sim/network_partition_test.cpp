// Who can reach whom while a partition holds, now that clients stand somewhere: checked against
// the definition (two actors talk iff some group holds both; a client no group names stands
// where its home node stands) on random partitions.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "sim/network.h"
#include "sim/rng.h"
#include "sim/scenario.h"

using namespace capsim;

namespace {

bool in_group(const std::vector<NodeId>& group, NodeId id) {
  return std::find(group.begin(), group.end(), id) != group.end();
}

// The reference: can actor `a` (a node, or a client standing as itself or as its home) talk to
// node `b`?
bool reference_reach(const std::vector<std::vector<NodeId>>& groups, NodeId a, NodeId b) {
  for (const auto& group : groups) {
    if (in_group(group, a) && in_group(group, b)) return true;
  }
  return false;
}

bool named_anywhere(const std::vector<std::vector<NodeId>>& groups, NodeId id) {
  return std::any_of(groups.begin(), groups.end(),
                     [&](const auto& group) { return in_group(group, id); });
}

}  // namespace

TEST_CASE("a client shares its home node's side of a partition unless a group names it") {
  // Checked for every link: node to node, client to node and back, and client to client.
  const NetworkSpec spec;
  Rng rng(7);
  for (int round = 0; round < 300; ++round) {
    const auto nodes = static_cast<std::uint32_t>(1 + rng.below(5));
    const auto clients = static_cast<std::uint32_t>(1 + rng.below(5));
    std::vector<NodeId> homes;
    for (std::uint32_t c = 0; c < clients; ++c) homes.push_back(static_cast<NodeId>(rng.below(nodes)));
    // Random groups: each actor lands in one of up to three groups, or (sometimes) in none; a
    // client lands in a group only sometimes, so some clients follow their home.
    const auto group_count = static_cast<std::uint32_t>(1 + rng.below(3));
    std::vector<std::vector<NodeId>> groups(group_count);
    for (NodeId id = 0; id < nodes + clients; ++id) {
      const bool is_client = id >= nodes;
      const std::uint64_t draw = rng.below(is_client ? 2 * group_count : group_count + 1);
      if (draw < group_count) groups[draw].push_back(id);
    }
    Network network(spec, nodes, nodes + clients + 1, Rng(1));
    network.place_clients(homes);
    network.partition(groups);
    bool any_cut = false;
    for (std::uint32_t c = 0; c < clients; ++c) {
      const NodeId client = nodes + c;
      const NodeId stands_as = named_anywhere(groups, client) ? client : homes[c];
      for (NodeId node = 0; node < nodes; ++node) {
        const bool reach = reference_reach(groups, stands_as, node);
        CHECK(network.is_cut(client, node) == !reach);
        CHECK(network.is_cut(node, client) == !reach);
        any_cut = any_cut || !reach;
      }
    }
    // Two clients (a caller and a service of the queue workload's call mode) talk when the
    // actors they stand as share a group.
    for (std::uint32_t c = 0; c < clients; ++c) {
      for (std::uint32_t d = 0; d < clients; ++d) {
        if (c == d) continue;
        const NodeId a = nodes + c;
        const NodeId b = nodes + d;
        const bool reach = reference_reach(groups, named_anywhere(groups, a) ? a : homes[c],
                                           named_anywhere(groups, b) ? b : homes[d]);
        CHECK(network.is_cut(a, b) == !reach);
        any_cut = any_cut || !reach;
      }
    }
    for (NodeId a = 0; a < nodes; ++a) {
      for (NodeId b = 0; b < nodes; ++b) {
        if (a == b) continue;
        const bool reach = reference_reach(groups, a, b);
        CHECK(network.is_cut(a, b) == !reach);
        any_cut = any_cut || !reach;
      }
    }
    // The final reader (the actor after the clients) is never cut off.
    for (NodeId node = 0; node < nodes; ++node) CHECK_FALSE(network.is_cut(nodes + clients, node));
    CHECK(network.has_cuts() == any_cut);
    network.heal_all();
    CHECK_FALSE(network.has_cuts());
    for (std::uint32_t c = 0; c < clients; ++c) CHECK_FALSE(network.is_cut(nodes + c, homes[c]));
  }
}

TEST_CASE("a one-way cut between nodes leaves the clients' links alone") {
  const NetworkSpec spec;
  Network network(spec, 3, 5, Rng(1));
  network.place_clients({0, 1});
  network.cut(0, 1);
  CHECK(network.is_cut(0, 1));
  CHECK_FALSE(network.is_cut(1, 0));
  CHECK_FALSE(network.is_cut(3, 1));  // c1, next to n1, still reaches n2
  CHECK_FALSE(network.is_cut(1, 3));
}
