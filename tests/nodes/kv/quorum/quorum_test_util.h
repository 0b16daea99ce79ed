// Shared helpers for the quorum tests: nodes built through the real option parsing, short
// constructors for versions, and what a cluster's replicas hold.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nodes/kv/quorum/quorum_node.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"
#include "support/recording_context.h"

namespace capsim::quorum::test {

using Overrides = testing::OptionOverrides;

// The protocol's defaults with `overrides` parsed as a scenario would write them.
inline Options options_with(const Overrides& overrides) {
  return testing::options_with(protocol_info(), overrides);
}

inline Config config_for(std::uint32_t nodes, const Overrides& overrides = {}) {
  return config_from(options_with(overrides), nodes);
}

inline std::unique_ptr<QuorumNode> make_node(NodeId id, std::uint32_t nodes,
                                             const Overrides& overrides = {}) {
  const Config config = config_for(nodes, overrides);
  return std::make_unique<QuorumNode>(id, config,
                                      std::make_shared<const Ring>(nodes, config.vnodes));
}

inline testing::PumpCluster::Factory factory(std::uint32_t nodes, const Overrides& overrides) {
  const Config config = config_for(nodes, overrides);
  auto ring = std::make_shared<const Ring>(nodes, config.vnodes);
  return [config, ring](NodeId id) { return std::make_unique<QuorumNode>(id, config, ring); };
}

inline Version version(Value value, NodeId node, std::uint64_t counter, Time stamp = Time{0},
                       VectorClock context = {}) {
  Version v;
  v.value = std::move(value);
  v.dot = Dot{node, counter};
  v.stamp = stamp;
  v.context = std::move(context);
  return v;
}

inline VectorClock clock_of(std::vector<std::pair<NodeId, std::uint64_t>> entries) {
  VectorClock clock;
  for (const auto& [node, counter] : entries) clock.advance(node, counter);
  return clock;
}

// The value a replica's own store resolves `key` to (nil if absent).
inline Value stored_value(testing::PumpCluster& cluster, NodeId id, const std::string& key) {
  const Versions* versions = cluster.node_as<QuorumNode>(id).store().find(key);
  return versions == nullptr ? Value() : resolve_value(*versions);
}

}  // namespace capsim::quorum::test
