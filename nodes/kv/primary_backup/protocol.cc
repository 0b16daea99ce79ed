// The registry entry of the primary-backup protocol.

#include "nodes/kv/primary_backup/primary_backup_node.h"
#include "sim/assert.h"

namespace capsim::pb {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "primary-backup";
  info.summary =
      "one primary logs every write and ships it to backups; async or sync acks, "
      "optional failover by majority vote";
  info.options = option_specs();
  info.validate = validate_options;
  info.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    return std::make_unique<PrimaryBackupNode>(setup.id,
                                               config_from(*setup.options, setup.cluster_size));
  };
  return info;
}

}  // namespace capsim::pb
