// The replica side of the quorum protocol: serving reads and storing versions durably.
#include "nodes/kv/quorum/quorum_node.h"

namespace capsim::quorum {

Versions QuorumNode::local_versions(const std::string& key) const {
  // A node answers with its own versions and with any hints it keeps for the key: a sloppy read
  // that turned to this fallback must see what a sloppy write left here.
  Versions versions = hints_.versions_for_key(key, config_.conflict);
  if (const Versions* own = store_.find(key)) {
    versions = reconcile(*own, versions, config_.conflict);
  }
  return versions;
}

void QuorumNode::on_replica_read(Context& ctx, NodeId from, const ReplicaRead& request) {
  ReplicaReadReply reply;
  reply.op = request.op;
  reply.key = request.key;
  reply.versions = local_versions(request.key);
  send_to(ctx, from, Message::of(std::move(reply)));
}

void QuorumNode::on_replica_write(Context& ctx, NodeId from, const ReplicaWrite& request) {
  bool changed = false;
  if (request.hint_for != kNoNode && request.hint_for != self_) {
    changed = hints_.merge(ctx.disk(), request.hint_for, request.key, request.versions,
                           config_.conflict);
    if (changed) arm_handoff_timer(ctx);
  } else {
    changed = store_.merge(ctx.disk(), request.key, request.versions, config_.conflict);
  }
  // Durable before acknowledged: an acknowledged version survives a crash of this replica.
  if (changed) ctx.disk().sync();
  if (request.op != 0) send_to(ctx, from, Message::of(ReplicaWriteAck{request.op}));
}

}  // namespace capsim::quorum
