// Reads that bypass the log: read-index, lease and local (see the overview in raft_node.h).

#include <algorithm>
#include <vector>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/raft/raft_node.h"
#include "sim/assert.h"

namespace capsim::raft {

void RaftNode::serve_read(Context& ctx, NodeId from, const ClientRequest& request) {
  CAPSIM_ASSERT(role_ == Role::kLeader && config_.read != ReadMode::kLog);
  if (config_.read == ReadMode::kLocal) {
    // Whatever this replica has applied, with no proof that it still leads.
    return reply(ctx, from, kv::ok_reply(request.op_id, state_.get(request.key)));
  }
  PendingRead read;
  read.client = from;
  read.op_id = request.op_id;
  read.key = request.key;
  // Every write that completed before this read arrived is committed at or below this index:
  // by this leader (commit_index_), or by an earlier one (below the no-op, since a leader's log
  // holds every committed entry).
  read.read_index = std::max(commit_index_, noop_index_);
  if (config_.read == ReadMode::kLease && holds_lease(ctx)) {
    read.round = 0;  // the lease already proves that no other leader can exist now
    pending_reads_.push_back(std::move(read));
    return answer_ready_reads(ctx);
  }
  // A round sent after the read arrived: once a majority answers it, no newer leader existed
  // when the read arrived.
  read.round = round_ + 1;
  pending_reads_.push_back(std::move(read));
  broadcast_round(ctx);
  answer_ready_reads(ctx);
}

bool RaftNode::holds_lease(const Context& ctx) const {
  return role_ == Role::kLeader && ctx.now() < lease_until_;
}

void RaftNode::on_round_progress(Context& ctx) {
  CAPSIM_ASSERT(role_ == Role::kLeader);
  // The round that a majority (the leader included, which has seen all of its rounds) has
  // acknowledged: the majority-th highest acknowledgement.
  std::vector<std::uint64_t> acknowledged{round_};
  for (const auto& [follower, progress] : progress_) acknowledged.push_back(progress.round);
  std::sort(acknowledged.begin(), acknowledged.end(), std::greater<>());
  const std::uint64_t confirmed = acknowledged[config_.majority() - 1];
  if (confirmed <= confirmed_round_) return;
  confirmed_round_ = confirmed;
  // The lease counts from when the round was sent, on this replica's clock: the followers that
  // answered heard from us later than that, so they refuse rival candidates at least until
  // sent_at + election_timeout_min, and lease < election_timeout_min. (Only while the clocks
  // advance at the same rate; nothing here can tell when they do not.)
  auto sent = round_sent_at_.find(confirmed);
  if (sent != round_sent_at_.end()) {
    lease_until_ = std::max(lease_until_, sent->second + config_.lease);
  }
  round_sent_at_.erase(round_sent_at_.begin(), round_sent_at_.upper_bound(confirmed));
  answer_ready_reads(ctx);
}

void RaftNode::answer_ready_reads(Context& ctx) {
  // Read indexes never decrease along the queue, and neither do rounds (0 aside), so answering
  // from the front in order loses nothing.
  while (!pending_reads_.empty()) {
    const PendingRead& read = pending_reads_.front();
    if (read.round > confirmed_round_ || read.read_index > last_applied_) return;
    reply(ctx, read.client, kv::ok_reply(read.op_id, state_.get(read.key)));
    pending_reads_.pop_front();
  }
}

void RaftNode::fail_pending_reads(Context& ctx, const std::string& why) {
  for (const PendingRead& read : pending_reads_) {
    reply(ctx, read.client, kv::refused_reply(read.op_id, why, leader_));
  }
  pending_reads_.clear();
}

}  // namespace capsim::raft
