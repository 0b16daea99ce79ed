// Replication: the leader ships its log, followers check it continues theirs and copy it.

#include <algorithm>
#include <vector>

#include "nodes/common/raft/consensus.h"
#include "sim/assert.h"

namespace capsim::raft {

namespace {

std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }

// "raft: n2 truncates entries 7..9 (terms 3..4)": the uncommitted entries a new leader's log
// replaces. A test can parse it; a reader can match it with writes that never got an ok.
void note_truncated(Context& ctx, NodeId self, const std::vector<Entry>& removed) {
  if (removed.empty()) return;
  const std::string first = std::to_string(removed.front().index);
  const std::string last = std::to_string(removed.back().index);
  const std::string first_term = std::to_string(removed.front().term);
  const std::string last_term = std::to_string(removed.back().term);
  ctx.note("raft: " + name_of(self) + " truncates entries " + first + ".." + last + " (terms " +
           first_term + ".." + last_term + ")");
  // For the run's story, in fewer words when there is only one entry or one term.
  const bool one = removed.size() == 1;
  const bool one_term = first_term == last_term;
  ctx.record_event({NodeEventKind::kEntriesDropped, removed.back().term, removed.size(),
                    "truncated uncommitted " +
                        (one ? "entry " + first : "entries " + first + ".." + last) +
                        (one_term ? " (term " + first_term + ")"
                                  : " (terms " + first_term + ".." + last_term + ")")});
}

}  // namespace

void Consensus::on_append_entries(Context& ctx, NodeId from, const AppendEntries& message) {
  AppendEntriesReply answer;
  answer.round = message.round;
  answer.rewinds = message.rewinds;
  if (message.term < term_) {
    // A leader of an older term: our term tells it that it was replaced.
    answer.term = term_;
    answer.hint_index = log_.last_index();
    ctx.send(from, Message::of(answer));
    return;
  }
  if (message.term > term_) {
    adopt_term(ctx, message.term, from);
  } else if (role_ == Role::kLeader) {
    // Two leaders in one term can only follow a forgotten vote (sync_disk=false).
    ctx.note("raft: " + name_of(self_) + " ignored an append from " + name_of(from) +
             " in its own term " + std::to_string(term_));
    return;
  } else if (role_ == Role::kCandidate || leader_ != from) {
    become_follower(ctx, from);
  }
  leader_contact_at_ = ctx.now();
  arm_election_timer(ctx);

  answer.term = term_;
  if (!log_.matches(message.prev_index, message.prev_term)) {
    answer.hint_index = log_.refusal_hint(message.prev_index);
    ctx.send(from, Message::of(answer));
    return;
  }
  if (merge_entries(ctx, message)) sync(ctx);
  const Index last_new = message.prev_index + message.entries.size();
  // Only entries this message vouched for may be committed: beyond last_new the log may still
  // hold a stale suffix from an older term.
  const Index leader_knows = std::min(message.leader_commit, last_new);
  commit_index_ = std::max(commit_index_, leader_knows);
  apply_committed(ctx);
  answer.success = true;
  answer.match_index = last_new;
  answer.hint_index = log_.last_index();
  ctx.send(from, Message::of(answer));
}

bool Consensus::merge_entries(Context& ctx, const AppendEntries& message) {
  bool changed = false;
  for (const Entry& entry : message.entries) {
    if (entry.index <= log_.last_index()) {
      // An entry we already hold (a duplicate or a retransmission) changes nothing.
      if (log_.term_at(entry.index) == entry.term) continue;
      if (entry.index <= commit_index_) {
        // Committed entries never conflict while votes and logs are durable: every leader
        // holds every committed entry. Without sync_disk a restarted replica can vote twice in
        // a term and elect a leader that lacks them; then this replica's state is rebuilt from
        // the surviving prefix, and the note says that committed entries were lost.
        CAPSIM_ASSERT(!config_.sync_disk);
        ctx.note("raft: " + name_of(self_) + " loses committed entries from " +
                 std::to_string(entry.index));
        ctx.record_event({NodeEventKind::kCommittedLost, entry.term,
                          commit_index_ + 1 - entry.index,
                          "lost committed entries " + std::to_string(entry.index) + ".." +
                              std::to_string(commit_index_) + " to the log of term " +
                              std::to_string(entry.term)});
        reset_applied_state();
        commit_index_ = entry.index - 1;
      }
      note_truncated(ctx, self_, log_.truncate_from(ctx.disk(), entry.index));
    }
    CAPSIM_ASSERT(entry.index == log_.last_index() + 1);
    log_.append(ctx.disk(), entry);
    changed = true;
  }
  return changed;
}

void Consensus::on_append_entries_reply(Context& ctx, NodeId from,
                                        const AppendEntriesReply& message) {
  if (message.term > term_) {
    adopt_term(ctx, message.term, kNoNode);
    return;
  }
  if (role_ != Role::kLeader || message.term < term_) return;  // stale: from an older term
  auto it = progress_.find(from);
  if (it == progress_.end()) return;
  Progress& progress = it->second;
  // Any answer of our term, accepted or refused, shows the follower still followed us.
  if (message.round > progress.round) {
    progress.round = message.round;
    on_round_progress(ctx);
    if (role_ != Role::kLeader) return;
  }
  if (message.success) {
    progress.match_index = std::max(progress.match_index, message.match_index);
    progress.next_index = std::max(progress.next_index, progress.match_index + 1);
    advance_commit(ctx);
    // Only a follower catching up (more than one batch behind) has unsent entries here.
    if (progress.next_index <= log_.last_index()) send_append_entries(ctx, from);
    return;
  }
  // Messages sent before the last rewind were refused for the reason that caused it; only the
  // first refusal of each rewind counts, or every pipelined message would resend a batch.
  if (message.rewinds != progress.rewinds) return;
  // The follower's log does not reach where we thought: resume from its hint, which lies below
  // the refused prev_index, so a chain of refusals ends at the latest at index 0. A hint below
  // match_index means the follower lost entries it had confirmed (a crash without sync_disk).
  progress.match_index = std::min(progress.match_index, message.hint_index);
  progress.next_index = std::min(message.hint_index, log_.last_index()) + 1;
  ++progress.rewinds;
  send_append_entries(ctx, from);
}

void Consensus::on_heartbeat_timer(Context& ctx) {
  if (role_ != Role::kLeader) return;
  broadcast_round(ctx);
  ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
}

void Consensus::broadcast_round(Context& ctx) {
  // Rounds that never get confirmed (a partitioned leader) must not pile up; losing the oldest
  // only loses a chance to extend the lease.
  ++round_;
  round_sent_at_.insert_or_assign(round_, ctx.now());
  if (round_sent_at_.size() > kMaxOpenRounds) round_sent_at_.erase(round_sent_at_.begin());
  for (const auto& [follower, progress] : progress_) send_append_entries(ctx, follower);
  if (progress_.empty()) on_round_progress(ctx);  // a single replica confirms its own rounds
}

void Consensus::send_append_entries(Context& ctx, NodeId follower) {
  Progress& progress = progress_.at(follower);
  CAPSIM_ASSERT(progress.next_index >= 1 && progress.next_index <= log_.last_index() + 1);
  AppendEntries message;
  message.term = term_;
  message.prev_index = progress.next_index - 1;
  message.prev_term = log_.term_at(message.prev_index);
  message.entries = log_.slice(progress.next_index, kMaxBatch);
  message.leader_commit = commit_index_;
  message.round = round_;
  message.rewinds = progress.rewinds;
  message.describe_command = config_.describe_command;
  // Pipelined: the next message continues after this one without waiting for its answer. A lost
  // message shows up as a refusal of the next one (or of the next heartbeat).
  progress.next_index += message.entries.size();
  ctx.send(follower, Message::of(std::move(message)));
}

}  // namespace capsim::raft
