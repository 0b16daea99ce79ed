// Read barriers and the confirmation rounds behind them: read-index and lease (see the
// overview in consensus.h).

#include <algorithm>
#include <functional>
#include <vector>

#include "nodes/common/raft/consensus.h"
#include "sim/assert.h"

namespace capsim::raft {

void Consensus::read_barrier(Context& ctx, BarrierId id, BarrierKind kind) {
  CAPSIM_ASSERT(role_ == Role::kLeader);
  Barrier barrier;
  barrier.id = id;
  // Every write that completed before the barrier was asked for is committed at or below this
  // index: by this leader (commit_index_), or by an earlier one (below the no-op, since a
  // leader's log holds every committed entry).
  barrier.read_index = std::max(commit_index_, noop_index_);
  if (kind == BarrierKind::kLease && holds_lease(ctx)) {
    barrier.round = 0;  // the lease already proves that no other leader can exist now
    barriers_.push_back(barrier);
    return pass_ready_barriers(ctx);
  }
  // A round sent after the barrier was asked for: once a majority answers it, no newer leader
  // existed when it was.
  barrier.round = round_ + 1;
  barriers_.push_back(barrier);
  broadcast_round(ctx);
  pass_ready_barriers(ctx);
}

bool Consensus::holds_lease(const Context& ctx) const {
  return role_ == Role::kLeader && ctx.now() < lease_until_;
}

void Consensus::on_round_progress(Context& ctx) {
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
  pass_ready_barriers(ctx);
}

void Consensus::pass_ready_barriers(Context& ctx) {
  // Read indexes never decrease along the queue, and neither do rounds (0 aside), so passing
  // from the front in order loses nothing.
  while (!barriers_.empty()) {
    const Barrier& barrier = barriers_.front();
    if (barrier.round > confirmed_round_ || barrier.read_index > last_applied_) return;
    const BarrierId id = barrier.id;
    barriers_.pop_front();
    host_.on_barrier_passed(ctx, id);
  }
}

void Consensus::fail_barriers(Context& ctx) {
  std::deque<Barrier> failed;
  failed.swap(barriers_);
  for (const Barrier& barrier : failed) host_.on_barrier_failed(ctx, barrier.id);
}

}  // namespace capsim::raft
