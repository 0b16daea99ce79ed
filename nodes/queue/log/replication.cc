// Replication: followers pull from their leader; the leader tracks who is in sync, proposes ISR
// changes to the controller and moves the high watermark; followers whose log parted from the
// leader's truncate by leader epoch.

#include <algorithm>

#include "nodes/queue/log/log_node.h"
#include "sim/assert.h"

namespace capsim::log {

namespace {

std::string offsets_text(const std::vector<LogEntry>& removed) {
  const std::string first = std::to_string(removed.front().offset);
  const std::string last = std::to_string(removed.back().offset);
  const std::string first_epoch = std::to_string(removed.front().epoch);
  const std::string last_epoch = std::to_string(removed.back().epoch);
  return (removed.size() == 1 ? "offset " + first : "offsets " + first + ".." + last) +
         (first_epoch == last_epoch ? " (epoch " + first_epoch + ")"
                                    : " (epochs " + first_epoch + ".." + last_epoch + ")");
}

bool contains(const std::vector<NodeId>& ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void LogNode::on_tick(Context& ctx) {
  for (auto& [g, replica] : replicas_) {
    const PartitionState& state = metadata_[g];
    if (state.leader == self_) {
      check_isr(ctx, g);
    } else if (state.leader != kNoNode) {
      // A fetch whose reply never came (lost, or the leader is gone) is given up after a few
      // intervals, so one lost message does not stop replication.
      const bool stale =
          replica.fetch_in_flight && ctx.now() - replica.fetch_sent > 4 * config_.replica_fetch_interval;
      if (!replica.fetch_in_flight || stale) send_fetch(ctx, g);
    }
  }
}

void LogNode::send_fetch(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  ReplicaFetch fetch;
  fetch.partition = g;
  fetch.leader_epoch = metadata_[g].leader_epoch;
  fetch.fetch_offset = replica.log.end_offset();
  fetch.last_fetched_epoch = replica.log.last_epoch();
  fetch.fetch_id = ++replica.fetch_id;
  replica.fetch_in_flight = true;
  replica.fetch_sent = ctx.now();
  ctx.send(metadata_[g].leader, Message::of(fetch));
}

void LogNode::on_replica_fetch(Context& ctx, NodeId from, const ReplicaFetch& message) {
  if (!hosts(message.partition)) return;
  const PartitionIndex g = message.partition;
  Replica& replica = replicas_.at(g);
  const PartitionState& state = metadata_[g];
  ReplicaFetchReply reply;
  reply.partition = g;
  reply.leader_epoch = state.leader_epoch;
  reply.fetch_id = message.fetch_id;
  if (!leads(g) || message.leader_epoch > state.leader_epoch) {
    reply.error = FetchError::kNotLeader;
  } else if (message.leader_epoch < state.leader_epoch) {
    reply.error = FetchError::kFencedEpoch;
  }
  const auto follower = replica.followers.find(from);
  if (reply.error == FetchError::kNone && follower == replica.followers.end()) {
    reply.error = FetchError::kNotLeader;  // not a replica this leader serves
  }
  if (reply.error != FetchError::kNone) {
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  const PartitionLog& log = replica.log;
  if (message.last_fetched_epoch != 0) {
    const auto [epoch, end] = log.end_offset_for_epoch(message.last_fetched_epoch);
    if (epoch != message.last_fetched_epoch || end < message.fetch_offset) {
      reply.diverging = true;
      reply.diverging_epoch = epoch;
      reply.diverging_end = end;
      ctx.send(from, Message::of(std::move(reply)));
      return;
    }
  } else if (message.fetch_offset > log.end_offset()) {
    // Entries without epochs cannot be: an empty log is the only one with last epoch 0.
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  FollowerProgress& progress = follower->second;
  const Offset leader_end = log.end_offset();
  if (message.fetch_offset >= leader_end) {
    progress.last_caught_up = ctx.now();
  } else if (message.fetch_offset >= progress.leader_end_at_last_fetch) {
    progress.last_caught_up = std::max(progress.last_caught_up, progress.last_fetch);
  }
  progress.end = message.fetch_offset;
  progress.leader_end_at_last_fetch = leader_end;
  progress.last_fetch = ctx.now();
  // A follower outside the ISR rejoins once it holds everything committed and everything of
  // this leader's epoch before it began.
  if (!contains(state.isr, from) && !replica.isr_change_in_flight &&
      progress.end >= replica.hw && progress.end >= replica.epoch_start) {
    std::vector<NodeId> isr = state.isr;
    isr.push_back(from);
    std::sort(isr.begin(), isr.end());
    propose_isr(ctx, g, std::move(isr));
  }
  advance_high_watermark(ctx, g);
  for (Offset offset = message.fetch_offset;
       offset < leader_end && reply.entries.size() < kMaxFetchBatch; ++offset) {
    reply.entries.push_back(log.at(offset));
  }
  reply.high_watermark = replica.hw;
  reply.leader_end = leader_end;
  ctx.send(from, Message::of(std::move(reply)));
}

void LogNode::on_fetch_reply(Context& ctx, NodeId from, const ReplicaFetchReply& message) {
  if (!hosts(message.partition)) return;
  const PartitionIndex g = message.partition;
  Replica& replica = replicas_.at(g);
  if (message.fetch_id != replica.fetch_id) return;  // a late reply to an older fetch
  replica.fetch_in_flight = false;
  const PartitionState& state = metadata_[g];
  if (from != state.leader || message.leader_epoch != state.leader_epoch ||
      message.error != FetchError::kNone) {
    return;  // wait for newer metadata; the next tick fetches again
  }
  if (message.diverging) {
    truncate(ctx, g, divergence_point(replica.log, message.diverging_epoch, message.diverging_end),
             state.leader_epoch);
    send_fetch(ctx, g);
    return;
  }
  bool appended = false;
  if (!message.entries.empty() && message.entries.front().offset == replica.log.end_offset()) {
    for (const LogEntry& entry : message.entries) {
      // The leader checked that its log continues this one, so epochs cannot go back; if they
      // did, stop here and let the next tick's fetch sort it out.
      if (entry.epoch < replica.log.last_epoch()) break;
      if (entry.producer_id != 0) {
        replica.producers.record(entry.producer_id, entry.sequence, entry.offset);
      }
      replica.log.append(entry);
      appended = true;
    }
    if (appended && config_.flush == Flush::kEvery) flush(ctx, g);
  }
  replica.hw = std::min(message.high_watermark, replica.log.end_offset());
  // More to copy: fetch again at once rather than at the next tick.
  if (appended && message.leader_end > replica.log.end_offset()) send_fetch(ctx, g);
}

void LogNode::truncate(Context& ctx, PartitionIndex g, Offset point, Epoch leader_epoch) {
  Replica& replica = replicas_.at(g);
  const Offset hw_before = replica.hw;
  std::vector<LogEntry> removed = replica.log.truncate_to(point);
  if (removed.empty()) return;
  replica.producers.rebuild(replica.log);
  replica.dirty_from = std::min(replica.dirty_from, point);
  replica.hw = std::min(replica.hw, replica.log.end_offset());
  const std::string what = places_[g].name() + " " + offsets_text(removed);
  const std::string epoch = std::to_string(leader_epoch);
  ctx.note("log: " + node_name(self_) + " truncates " + what + " to follow epoch " + epoch +
           " of " + node_name(metadata_[g].leader));
  ctx.record_event({NodeEventKind::kEntriesDropped, removed.back().epoch, removed.size(),
                    "truncated " + what + " to follow the leader of epoch " + epoch});
  if (point < hw_before) {
    // Only an unclean election makes a replica give up entries it had seen committed.
    const std::size_t lost = static_cast<std::size_t>(hw_before - point);
    ctx.record_event({NodeEventKind::kCommittedLost, removed.back().epoch, lost,
                      "lost " + std::to_string(lost) + " committed entries of " +
                          places_[g].name() + " (its high watermark was " +
                          std::to_string(hw_before) + ")"});
  }
  if (config_.flush == Flush::kEvery) flush(ctx, g);
}

void LogNode::check_isr(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  const PartitionState& state = metadata_[g];
  if (replica.isr_change_in_flight) {
    // An answer that never came: the controller is down or cut off, or its answer was lost.
    // The change may have been accepted all the same, so it stays in flight (the high
    // watermark keeps counting the larger set) and is sent again now and then, until the
    // controller's metadata settles it (on_metadata).
    if (ctx.now() - replica.proposal_sent > 2 * config_.heartbeat) send_isr_proposal(ctx, g);
    return;
  }
  const Offset end = replica.log.end_offset();
  std::vector<NodeId> isr;
  for (const NodeId id : state.isr) {
    if (id == self_) {
      isr.push_back(id);
      continue;
    }
    const auto it = replica.followers.find(id);
    const bool in_sync = it != replica.followers.end() &&
                         (it->second.end == end ||
                          ctx.now() - it->second.last_caught_up <= config_.replica_lag_time_max);
    if (in_sync) isr.push_back(id);
  }
  if (isr.size() != state.isr.size()) propose_isr(ctx, g, std::move(isr));
}

void LogNode::propose_isr(Context& ctx, PartitionIndex g, std::vector<NodeId> isr) {
  Replica& replica = replicas_.at(g);
  replica.isr_change_in_flight = true;
  replica.proposed_isr = std::move(isr);
  replica.proposal_base = metadata_[g].partition_epoch;
  ctx.note("log: " + node_name(self_) + " proposes isr " + node_list(replica.proposed_isr) +
           " for " + places_[g].name());
  send_isr_proposal(ctx, g);
}

void LogNode::send_isr_proposal(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  AlterPartition request{g, metadata_[g].leader_epoch, replica.proposal_base,
                         replica.proposed_isr};
  replica.proposal_sent = ctx.now();
  if (controller_) {
    controller_->on_alter_partition(ctx, self_, request);
  } else {
    ctx.send(kControllerNode, Message::of(std::move(request)));
  }
}

void LogNode::advance_high_watermark(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  const PartitionState& state = metadata_[g];
  if (!leads(g) || state.isr.size() < config_.effective_min_isr()) return;
  // The maximal ISR: while a change is in flight, the larger of the two sets counts.
  std::vector<NodeId> members = state.isr;
  if (replica.isr_change_in_flight) {
    for (const NodeId id : replica.proposed_isr) {
      if (!contains(members, id)) members.push_back(id);
    }
  }
  Offset hw = replica.log.end_offset();
  for (const NodeId id : members) {
    if (id == self_) continue;
    const auto it = replica.followers.find(id);
    hw = std::min(hw, it == replica.followers.end() ? Offset{0} : it->second.end);
  }
  if (hw <= replica.hw) return;
  replica.hw = hw;
  const std::int64_t partition = places_[g].partition;
  QueueStatus ok;
  ok.outcome = QueueOutcome::kOk;
  std::size_t answered = 0;
  for (const PendingPublish& pending : replica.pending) {
    if (pending.offset >= hw) break;
    reply_publish(ctx, pending.client, pending.op_id, ok,
                  partition, pending.offset, pending.duplicate);
    ++answered;
  }
  replica.pending.erase(replica.pending.begin(),
                        replica.pending.begin() + static_cast<std::ptrdiff_t>(answered));
}

void LogNode::flush(Context& ctx, PartitionIndex g) {
  Replica& replica = replicas_.at(g);
  const Offset end = replica.log.end_offset();
  const Offset from = std::min(replica.dirty_from, replica.stored_end);
  if (replica.stored_end > end) replica.log.store_truncation(ctx.disk(), g, end, replica.stored_end);
  replica.log.store(ctx.disk(), g, from);
  PartitionLog::store_high_watermark(ctx.disk(), g, replica.hw);
  replica.stored_end = end;
  replica.dirty_from = end;
  ctx.disk().sync();
}

void LogNode::flush_all(Context& ctx) {
  for (auto& [g, replica] : replicas_) flush(ctx, g);
}

}  // namespace capsim::log
