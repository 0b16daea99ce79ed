// The registry entry of the quorum protocol.
#include <algorithm>
#include <map>
#include <utility>

#include "nodes/kv/quorum/quorum_node.h"
#include "sim/assert.h"

namespace capsim::quorum {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "quorum";
  info.summary =
      "Dynamo-style leaderless replication: n replicas per key on a hash ring, r/w quorums, "
      "sloppy quorums with hinted handoff, read repair, anti-entropy, lww or siblings "
      "(linearizable registers only with read_writeback, r + w > n and clocks that agree)";
  info.options = option_specs();
  info.validate = validate_options;
  // Every node of a cluster uses the same ring, which for large clusters is big (nodes x vnodes
  // tokens): build it once per (cluster size, vnodes) and share it. Nodes only read it.
  auto rings = std::make_shared<std::map<std::pair<std::uint32_t, std::uint32_t>,
                                         std::shared_ptr<const Ring>>>();
  const auto ring_for = [rings](const Config& config) {
    std::shared_ptr<const Ring>& ring = (*rings)[{config.cluster_size, config.vnodes}];
    if (ring == nullptr) ring = std::make_shared<const Ring>(config.cluster_size, config.vnodes);
    return ring;
  };
  info.make = [ring_for](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    const Config config = config_from(*setup.options, setup.cluster_size);
    return std::make_unique<QuorumNode>(setup.id, config, ring_for(config));
  };
  // A key's replicas are its preference list: the first n nodes of its walk around the ring
  // (the fallbacks of a sloppy quorum hold hints, not replicas).
  info.replicas_of = [ring_for](const Options& options, std::uint32_t cluster_size,
                                std::string_view key) {
    const Config config = config_from(options, cluster_size);
    std::vector<NodeId> replicas = ring_for(config)->walk(key, config.n);
    std::sort(replicas.begin(), replicas.end());
    return replicas;
  };
  return info;
}

}  // namespace capsim::quorum
