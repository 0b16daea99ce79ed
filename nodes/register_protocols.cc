#include "nodes/register_protocols.h"

#include "nodes/kv/primary_backup/primary_backup_node.h"

namespace capsim {

void register_protocols(ProtocolRegistry& registry) {
  registry.add(pb::protocol_info());
}

}  // namespace capsim
