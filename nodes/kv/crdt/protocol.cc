// The registry entry of the crdt protocol.

#include "nodes/kv/crdt/crdt_node.h"
#include "sim/assert.h"

namespace capsim::crdt {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "crdt";
  info.summary =
      "every replica answers alone; counters, OR-sets and LWW-registers merged by gossip "
      "(available, converges, not linearizable)";
  info.options = option_specs();
  info.validate = validate_options;
  info.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    return std::make_unique<CrdtNode>(setup.id,
                                      config_from(*setup.options, setup.cluster_size));
  };
  return info;
}

}  // namespace capsim::crdt
