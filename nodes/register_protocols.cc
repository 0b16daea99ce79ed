#include "nodes/register_protocols.h"

#include "nodes/kv/crdt/crdt_node.h"
#include "nodes/kv/primary_backup/primary_backup_node.h"
#include "nodes/kv/quorum/quorum_node.h"
#include "nodes/kv/raft/raft_node.h"
#include "nodes/queue/broker/broker_node.h"
#include "nodes/queue/log/log_node.h"

namespace capsim {

void register_protocols(ProtocolRegistry& registry) {
  registry.add(pb::protocol_info());
  registry.add(quorum::protocol_info());
  registry.add(raft::protocol_info());
  registry.add(crdt::protocol_info());
  registry.add(broker::protocol_info());
  registry.add(log::protocol_info());
}

}  // namespace capsim
