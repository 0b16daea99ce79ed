// Replication: the primary ships its log, backups check it continues theirs and copy it.

#include <algorithm>
#include <vector>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/primary_backup/primary_backup_node.h"
#include "sim/assert.h"

namespace capsim::pb {

namespace {

// The first operations of a list of entries, for trace lines.
constexpr std::size_t kEntriesNamed = 4;

std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }

// Writes one trace line per run of same-epoch entries, naming the operations that vanish, so a
// reader can match them with the client acks they had already produced.
void note_discarded(Context& ctx, const std::vector<Entry>& removed) {
  std::size_t start = 0;
  while (start < removed.size()) {
    std::size_t end = start;
    while (end + 1 < removed.size() && removed[end + 1].epoch == removed[start].epoch) ++end;
    std::string text = std::to_string(removed[start].index) + ".." +
                       std::to_string(removed[end].index) + " from epoch " +
                       std::to_string(removed[start].epoch) + " (";
    for (std::size_t i = start; i <= end && i < start + kEntriesNamed; ++i) {
      if (i != start) text += ", ";
      text += removed[i].is_noop() ? std::string("noop") : removed[i].key + "=" +
                                                               removed[i].value.to_text();
    }
    if (end + 1 - start > kEntriesNamed) text += ", ...";
    ctx.note("pb: discarding entries " + text + ")");
    ctx.record_event({NodeEventKind::kEntriesDropped, removed[start].epoch, end + 1 - start,
                      "discarded entries " + text + ")"});
    start = end + 1;
  }
}

// Where this log parts from a primary's that sent (prev_index, prev_epoch), which it refused;
// see ReplicateAck::hint_index.
void set_refusal_hint(const Log& log, Index prev_index, ReplicateAck& ack) {
  if (prev_index > log.last_index()) {
    ack.hint_index = log.last_index();
    ack.hint_epoch = 0;
    return;
  }
  ack.hint_epoch = log.epoch_at(prev_index);
  ack.hint_index = log.first_index_of(ack.hint_epoch) - 1;
}

// The last entry a refusing backup's log agrees with, as far as its hint tells. Entries of one
// epoch come from its one primary, so where both logs hold entries of the hint's epoch they
// agree up to the last one this log holds; if this log holds none, the backup's whole run of
// that epoch is stale. The result lies below the refused prev_index, so a chain of refusals
// ends, at the latest at index 0.
Index agreed_after_refusal(const Log& log, const ReplicateAck& ack) {
  Index agreed = ack.hint_index;
  if (ack.hint_epoch != 0) agreed = std::max(agreed, log.last_index_of(ack.hint_epoch));
  return std::min(agreed, log.last_index());
}

}  // namespace

void PrimaryBackupNode::on_replicate(Context& ctx, NodeId from, const Replicate& message) {
  ReplicateAck ack;
  if (message.epoch < epoch_) {
    // A primary from an older epoch: refusing with our epoch tells it that it was replaced.
    ack.epoch = epoch_;
    ack.hint_index = log_.last_index();
    ack.primary = primary_;
    ack.rewinds = message.rewinds;
    ctx.send(from, Message::of(ack));
    return;
  }
  if (message.epoch > epoch_) {
    adopt_epoch(ctx, message.epoch, from);
    if (role_ == Role::kPrimary) return;  // n1 under failover=none outbid the epoch instead
  } else if (role_ == Role::kPrimary) {
    // Two primaries in one epoch can only follow a lost vote (sync_disk=false).
    ctx.note("pb: ignored a replicate from " + name_of(from) + " in my own epoch " +
             std::to_string(epoch_));
    return;
  } else if (role_ == Role::kCandidate || primary_ != from) {
    become_backup(ctx, from);
  }
  // The primary of our epoch is alive: postpone any election.
  failed_elections_ = 0;
  arm_failover_timer(ctx);

  ack.epoch = epoch_;
  ack.primary = primary_;
  ack.rewinds = message.rewinds;
  if (!log_.matches(message.prev_index, message.prev_epoch)) {
    set_refusal_hint(log_, message.prev_index, ack);
    ctx.send(from, Message::of(ack));
    return;
  }
  if (merge_entries(ctx, message)) rebuild_state();
  persist(ctx);
  ack.success = true;
  ack.match_index = message.prev_index + message.entries.size();
  ack.hint_index = log_.last_index();
  ctx.send(from, Message::of(ack));
}

bool PrimaryBackupNode::merge_entries(Context& ctx, const Replicate& message) {
  bool removed_any = false;
  for (const Entry& entry : message.entries) {
    if (entry.index <= log_.last_index()) {
      // An entry we already hold (a duplicate or retransmission) changes nothing.
      if (log_.epoch_at(entry.index) == entry.epoch) continue;
      note_discarded(ctx, log_.truncate_from(ctx.disk(), entry.index));
      removed_any = true;
    }
    CAPSIM_ASSERT(entry.index == log_.last_index() + 1);
    log_.append(ctx.disk(), entry);
    // After a truncation the caller replays the whole log, so applying here would be wasted.
    if (!removed_any) apply(entry);
  }
  return removed_any;
}

void PrimaryBackupNode::on_replicate_ack(Context& ctx, NodeId from, const ReplicateAck& message) {
  if (message.epoch > epoch_) {
    adopt_epoch(ctx, message.epoch, message.primary);
    return;
  }
  if (role_ != Role::kPrimary || message.epoch < epoch_) return;  // stale: from an older epoch
  auto it = progress_.find(from);
  if (it == progress_.end()) return;
  Progress& progress = it->second;
  if (message.success) {
    progress.match_index = std::max(progress.match_index, message.match_index);
    progress.next_index = std::max(progress.next_index, progress.match_index + 1);
    advance_commit(ctx);
    // Only a backup catching up (more than one batch behind) has unsent entries here.
    if (progress.next_index <= log_.last_index()) send_replicate(ctx, from);
    return;
  }
  // Messages sent before the last rewind were refused for the reason that caused it, or for
  // a log the backup has since repaired: only the first refusal of each rewind counts. Obeying
  // the others would move next_index back again, after newer messages were accepted, and start
  // one more chain of resends per refusal, which is how a catch-up turns into a storm.
  if (message.rewinds != progress.rewinds) return;
  // The backup's log does not reach where we thought: resume where its hint says the logs
  // agree. A refusal below match_index means the backup lost entries it had confirmed (it
  // restarted without syncing), so the match is lowered too.
  progress.match_index = std::min(progress.match_index, message.hint_index);
  progress.next_index = agreed_after_refusal(log_, message) + 1;
  ++progress.rewinds;
  send_replicate(ctx, from);
}

void PrimaryBackupNode::on_heartbeat_timer(Context& ctx) {
  if (role_ != Role::kPrimary) return;
  replicate_to_all(ctx);
  ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
}

void PrimaryBackupNode::replicate_to_all(Context& ctx) {
  for (const auto& [backup, progress] : progress_) send_replicate(ctx, backup);
}

void PrimaryBackupNode::send_replicate(Context& ctx, NodeId backup) {
  Progress& progress = progress_.at(backup);
  CAPSIM_ASSERT(progress.next_index >= 1 && progress.next_index <= log_.last_index() + 1);
  Replicate message;
  message.epoch = epoch_;
  message.prev_index = progress.next_index - 1;
  message.prev_epoch = log_.epoch_at(message.prev_index);
  message.entries = log_.slice(progress.next_index, kMaxBatch);
  message.commit_index = commit_index_;
  message.rewinds = progress.rewinds;
  // Optimistic, as in Raft's pipelining: the next message continues after this one without
  // waiting for its ack. A lost message shows up as a refusal of the next one (or of the next
  // heartbeat, which probes with prev_index = the last entry sent).
  progress.next_index += message.entries.size();
  ctx.send(backup, Message::of(std::move(message)));
}

void PrimaryBackupNode::advance_commit(Context& ctx) {
  const std::uint32_t required = config_.required_acks();
  Index committed = log_.last_index();
  if (required > 0) {
    // The required-th highest match index is held by at least `required` backups.
    std::vector<Index> matches;
    for (const auto& [backup, progress] : progress_) matches.push_back(progress.match_index);
    std::sort(matches.begin(), matches.end(), std::greater<>());
    committed = matches.size() >= required ? matches[required - 1] : 0;
  }
  commit_index_ = std::max(commit_index_, committed);
  while (!pending_.empty() && pending_.begin()->first <= commit_index_) {
    const PendingReply waiting = pending_.begin()->second;
    pending_.erase(pending_.begin());
    ClientReply answer = kv::ok_reply(waiting.op_id);
    sessions_.record(waiting.client, answer);
    reply(ctx, waiting.client, std::move(answer));
  }
}

}  // namespace capsim::pb
