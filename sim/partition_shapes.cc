#include "sim/partition_shapes.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {
namespace {

// Fisher-Yates over 0..nodes-1 with our own generator, so the order is the same everywhere.
std::vector<NodeId> shuffled_nodes(std::uint32_t nodes, Rng& rng) {
  std::vector<NodeId> order(nodes);
  for (NodeId id = 0; id < nodes; ++id) order[id] = id;
  for (std::uint32_t i = nodes; i > 1; --i) {
    const auto j = static_cast<std::uint32_t>(rng.below(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

bool is_subset(const std::vector<NodeId>& small, const std::vector<NodeId>& large) {
  return std::includes(large.begin(), large.end(), small.begin(), small.end());
}

// One canonical form per connectivity: a group inside another adds no link, and a fixed
// order makes the trace independent of how a shape happened to build its groups.
Groups normalized(Groups groups) {
  for (auto& group : groups) {
    std::sort(group.begin(), group.end());
    group.erase(std::unique(group.begin(), group.end()), group.end());
  }
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  Groups result;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].empty()) continue;
    bool inside_another = false;
    for (std::size_t j = 0; j < groups.size() && !inside_another; ++j) {
      inside_another = j != i && groups[j].size() > groups[i].size() &&
                       is_subset(groups[i], groups[j]);
    }
    if (!inside_another) result.push_back(groups[i]);
  }
  return result;
}

Groups everyone(std::uint32_t nodes) {
  Groups groups(1);
  for (NodeId id = 0; id < nodes; ++id) groups[0].push_back(id);
  return groups;
}

// The first `count` nodes of `order` against the others.
Groups split(const std::vector<NodeId>& order, std::size_t count) {
  Groups groups(2);
  groups[0].assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
  groups[1].assign(order.begin() + static_cast<std::ptrdiff_t>(count), order.end());
  return groups;
}

// Nodes at ring distance at most `reach` share a window of reach+1 consecutive ring places,
// so each node sees 2*reach+1 nodes. With reach = floor(majority/2) that is at least a
// majority, and fewer than all nodes from four nodes on, so the centred views differ.
// Below four nodes a closed ring would connect everyone; an open ring (a path) still gives
// every node a majority and distinct views.
Groups majorities_ring(const std::vector<NodeId>& ring) {
  const std::size_t n = ring.size();
  const std::size_t majority = n / 2 + 1;
  const std::size_t reach = majority / 2;
  const bool closed = 2 * reach + 1 < n;
  const std::size_t windows = closed ? n : n - reach;
  Groups groups;
  for (std::size_t start = 0; start < windows; ++start) {
    std::vector<NodeId> window;
    for (std::size_t k = 0; k <= reach; ++k) window.push_back(ring[(start + k) % n]);
    groups.push_back(std::move(window));
  }
  return groups;
}

// The first shuffled node is the bridge; the others split into two halves (the first half
// gets the smaller share when they do not divide evenly).
Groups bridge(const std::vector<NodeId>& order) {
  const std::size_t others = order.size() - 1;
  const std::size_t first_half = others / 2;
  Groups groups(2);
  groups[0].push_back(order[0]);
  groups[1].push_back(order[0]);
  for (std::size_t i = 0; i < others; ++i) {
    groups[i < first_half ? 0 : 1].push_back(order[1 + i]);
  }
  return groups;
}

}  // namespace

Groups partition_groups(PartitionShape shape, std::uint32_t nodes, Rng& rng) {
  CAPSIM_ASSERT(nodes >= 1);
  CAPSIM_ASSERT(shape != PartitionShape::kGroups && shape != PartitionShape::kIsolateRole);
  // One node cannot be cut from anyone; drawing nothing keeps the stream untouched.
  if (nodes == 1) return everyone(nodes);
  switch (shape) {
    case PartitionShape::kOne:
      return isolate_groups({static_cast<NodeId>(rng.below(nodes))}, nodes);
    case PartitionShape::kMajority:
      return normalized(split(shuffled_nodes(nodes, rng), nodes / 2 + 1));
    case PartitionShape::kMinorityThird:
      return normalized(split(shuffled_nodes(nodes, rng), std::max<std::uint32_t>(1, nodes / 3)));
    case PartitionShape::kMajoritiesRing:
      return normalized(majorities_ring(shuffled_nodes(nodes, rng)));
    case PartitionShape::kBridge:
      return normalized(bridge(shuffled_nodes(nodes, rng)));
    case PartitionShape::kGroups:
    case PartitionShape::kIsolateRole:
      break;
  }
  CAPSIM_ASSERT(false && "partition_groups: shape has no random form");
  return everyone(nodes);
}

Groups isolate_groups(const std::vector<NodeId>& isolated, std::uint32_t nodes) {
  std::vector<bool> is_isolated(nodes, false);
  for (NodeId id : isolated) {
    CAPSIM_ASSERT(id < nodes);
    is_isolated[id] = true;
  }
  Groups groups(2);
  for (NodeId id = 0; id < nodes; ++id) groups[is_isolated[id] ? 0 : 1].push_back(id);
  if (groups[0].empty() || groups[1].empty()) return everyone(nodes);
  return groups;
}

std::vector<std::pair<NodeId, NodeId>> cut_links(const Groups& groups, std::uint32_t nodes) {
  // A dense matrix: clusters are small, and it keeps the output order trivially sorted.
  std::vector<bool> linked(static_cast<std::size_t>(nodes) * nodes, false);
  for (const auto& group : groups) {
    for (NodeId a : group) {
      CAPSIM_ASSERT(a < nodes);
      for (NodeId b : group) linked[static_cast<std::size_t>(a) * nodes + b] = true;
    }
  }
  std::vector<std::pair<NodeId, NodeId>> cut;
  for (NodeId a = 0; a < nodes; ++a) {
    for (NodeId b = 0; b < nodes; ++b) {
      if (a != b && !linked[static_cast<std::size_t>(a) * nodes + b]) cut.emplace_back(a, b);
    }
  }
  return cut;
}

std::string describe_groups(const Groups& groups, std::uint32_t nodes) {
  std::string text;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) text += " | ";
    text += '[';
    for (std::size_t k = 0; k < groups[i].size(); ++k) {
      if (k > 0) text += ' ';
      text += actor_name(groups[i][k], nodes);
    }
    text += ']';
  }
  return text;
}

}  // namespace capsim
