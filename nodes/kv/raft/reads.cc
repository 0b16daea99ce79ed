// Reads that bypass the log: read-index, lease and local (see the overview in raft_node.h).

#include <utility>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/raft/raft_node.h"
#include "sim/assert.h"

namespace capsim::raft {

void RaftNode::serve_read(Context& ctx, NodeId from, const ClientRequest& request) {
  CAPSIM_ASSERT(raft_.is_leader() && read_mode_ != ReadMode::kLog);
  if (read_mode_ == ReadMode::kLocal) {
    // Whatever this replica has applied, with no proof that it still leads.
    return reply(ctx, from, kv::ok_reply(request.op_id, machine_.state().get(request.key)));
  }
  const BarrierId id = next_barrier_++;
  reads_.emplace(id, PendingRead{from, request.op_id, request.key});
  const BarrierKind kind =
      read_mode_ == ReadMode::kLease ? BarrierKind::kLease : BarrierKind::kReadIndex;
  raft_.read_barrier(ctx, id, kind);
}

void RaftNode::on_barrier_passed(Context& ctx, BarrierId id) {
  const auto it = reads_.find(id);
  CAPSIM_ASSERT(it != reads_.end());
  const PendingRead read = std::move(it->second);
  reads_.erase(it);
  reply(ctx, read.client, kv::ok_reply(read.op_id, machine_.state().get(read.key)));
}

void RaftNode::on_barrier_failed(Context& ctx, BarrierId id) {
  const auto it = reads_.find(id);
  CAPSIM_ASSERT(it != reads_.end());
  const PendingRead read = std::move(it->second);
  reads_.erase(it);
  reply(ctx, read.client, kv::refused_reply(read.op_id, "leadership lost", raft_.leader()));
}

}  // namespace capsim::raft
