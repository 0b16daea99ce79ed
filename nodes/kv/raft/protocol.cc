// The registry entry of the Raft protocol.

#include "nodes/kv/raft/raft_node.h"
#include "sim/assert.h"

namespace capsim::raft {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "raft";
  info.summary =
      "a leader elected by majority vote replicates a log of operations; entries of its term "
      "commit on a majority; reads by log, read-index, lease or local";
  info.options = option_specs();
  info.validate = validate_options;
  info.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    return std::make_unique<RaftNode>(setup.id, config_from(*setup.options, setup.cluster_size));
  };
  return info;
}

}  // namespace capsim::raft
