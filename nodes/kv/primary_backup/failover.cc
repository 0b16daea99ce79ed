// Epochs and elections: who is primary, and how a silent primary gets replaced.

#include <algorithm>

#include "nodes/kv/primary_backup/primary_backup_node.h"
#include "sim/assert.h"

namespace capsim::pb {

namespace {

// A failed election doubles the random span of the next timeout, up to 2^kMaxBackoffShift.
constexpr std::uint32_t kMaxBackoffShift = 3;

std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }

}  // namespace

void PrimaryBackupNode::on_request_vote(Context& ctx, NodeId from, const RequestVote& message) {
  if (!uses_failover()) {
    ctx.note("pb: ignored a vote request: failover is none");
    return;
  }
  if (message.epoch > epoch_) adopt_epoch(ctx, message.epoch, kNoNode);
  const bool grant =
      message.epoch == epoch_ &&
      (voted_for_ == kNoNode || voted_for_ == message.candidate) &&
      is_at_least_as_up_to_date(message.last_epoch, message.last_index, log_.last_epoch(),
                                log_.last_index());
  if (grant) {
    voted_for_ = message.candidate;
    // The vote must be on disk before the candidate can count it: a replica that forgot its
    // vote after a restart could elect a second primary in the same epoch.
    persist_epoch_and_vote(ctx);
    arm_failover_timer(ctx);
  }
  Vote vote;
  vote.epoch = epoch_;
  vote.granted = grant;
  ctx.send(from, Message::of(vote));
}

void PrimaryBackupNode::on_vote(Context& ctx, NodeId from, const Vote& message) {
  if (!uses_failover()) return;
  if (message.epoch > epoch_) {
    adopt_epoch(ctx, message.epoch, kNoNode);
    return;
  }
  if (role_ != Role::kCandidate || message.epoch != epoch_ || !message.granted) return;
  votes_.insert(from);
  if (votes_.size() >= majority()) become_primary(ctx, /*append_noop=*/true);
}

void PrimaryBackupNode::on_failover_timer(Context& ctx) {
  if (!uses_failover() || role_ == Role::kPrimary) return;
  start_election(ctx);
}

void PrimaryBackupNode::start_election(Context& ctx) {
  epoch_ += 1;
  voted_for_ = self_;
  role_ = Role::kCandidate;
  primary_ = kNoNode;
  votes_ = {self_};
  persist_epoch_and_vote(ctx);
  ctx.note("pb: " + name_of(self_) + " starts an election for epoch " + std::to_string(epoch_));
  ++failed_elections_;
  arm_failover_timer(ctx);  // if this election fails, the timer starts the next one
  if (votes_.size() >= majority()) {
    become_primary(ctx, /*append_noop=*/true);
    return;
  }
  RequestVote request;
  request.epoch = epoch_;
  request.candidate = self_;
  request.last_index = log_.last_index();
  request.last_epoch = log_.last_epoch();
  for (NodeId peer = 0; peer < config_.cluster_size; ++peer) {
    if (peer != self_) ctx.send(peer, Message::of(request));
  }
}

void PrimaryBackupNode::become_primary(Context& ctx, bool append_noop) {
  role_ = Role::kPrimary;
  primary_ = self_;
  voted_for_ = self_;
  votes_.clear();
  failed_elections_ = 0;
  persist_epoch_and_vote(ctx);
  ctx.cancel_timer(kFailoverTimer);
  progress_.clear();
  pending_.clear();
  commit_index_ = 0;
  for (NodeId peer = 0; peer < config_.cluster_size; ++peer) {
    if (peer != self_) progress_.emplace(peer, Progress{log_.last_index() + 1, 0});
  }
  if (append_noop) {
    log_.append(ctx.disk(), Entry{epoch_, log_.last_index() + 1, "", Value(), kNoNode, 0});
    persist(ctx);
  }
  ctx.note("pb: " + name_of(self_) + " is primary for epoch " + std::to_string(epoch_));
  ctx.record_event({NodeEventKind::kElected, epoch_, 0,
                    "became primary (epoch " + std::to_string(epoch_) + ")"});
  advance_commit(ctx);
  replicate_to_all(ctx);
  ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
}

void PrimaryBackupNode::adopt_epoch(Context& ctx, Epoch epoch, NodeId new_primary) {
  CAPSIM_ASSERT(epoch > epoch_);
  if (!uses_failover() && self_ == 0) {
    // n1 is primary forever: rather than follow anyone, it opens an epoch above the one seen.
    ctx.note("pb: n1 saw epoch " + std::to_string(epoch) + " and opens epoch " +
             std::to_string(epoch + 1));
    epoch_ = epoch + 1;
    become_primary(ctx, /*append_noop=*/true);
    return;
  }
  if (role_ == Role::kPrimary) {
    ctx.note("pb: " + name_of(self_) + " steps down: epoch " + std::to_string(epoch) +
             " replaces epoch " + std::to_string(epoch_));
    ctx.record_event({NodeEventKind::kSteppedDown, epoch, 0,
                      "stepped down as primary of epoch " + std::to_string(epoch_) +
                          " (saw epoch " + std::to_string(epoch) + ")"});
  }
  epoch_ = epoch;
  voted_for_ = kNoNode;
  persist_epoch_and_vote(ctx);
  become_backup(ctx, new_primary == self_ ? kNoNode : new_primary);
}

void PrimaryBackupNode::become_backup(Context& ctx, NodeId new_primary) {
  // Operations still waiting for confirmations get no answer: this replica can no longer tell
  // whether they will survive, so the clients' timeouts record them as unknown.
  role_ = Role::kBackup;
  primary_ = uses_failover() ? new_primary : 0;
  votes_.clear();
  progress_.clear();
  pending_.clear();
  ctx.cancel_timer(kHeartbeatTimer);
  arm_failover_timer(ctx);
}

void PrimaryBackupNode::arm_failover_timer(Context& ctx) {
  if (!uses_failover()) return;
  const std::uint32_t shift = std::min(failed_elections_, kMaxBackoffShift);
  const Duration span = config_.failover_timeout * (std::int64_t{1} << shift);
  const Duration extra{static_cast<std::int64_t>(
      ctx.rng().below(static_cast<std::uint64_t>(span.count()) + 1))};
  ctx.set_timer(kFailoverTimer, config_.failover_timeout + extra);
}

}  // namespace capsim::pb
