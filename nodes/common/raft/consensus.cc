// The core's lifecycle, dispatch, the host's submissions and persistence of term and vote.

#include "nodes/common/raft/consensus.h"

#include <optional>
#include <utility>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::raft {

namespace {
std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }
}  // namespace

Consensus::Consensus(NodeId self, ConsensusConfig config, StateMachine& machine, Host& host)
    : self_(self),
      config_(std::move(config)),
      machine_(machine),
      host_(host),
      log_(config_.disk_prefix) {
  CAPSIM_ASSERT(config_.cluster_size >= 1 && self_ < config_.cluster_size);
  CAPSIM_ASSERT(config_.election_timeout_min <= config_.election_timeout_max);
}

void Consensus::on_start(Context& ctx) {
  CAPSIM_ASSERT(ctx.self() == self_);
  const Disk& disk = ctx.disk();
  term_ = codec::read_stored_number(disk, config_.disk_prefix + "term").value_or(0);
  const std::optional<std::uint64_t> vote =
      codec::read_stored_number(disk, config_.disk_prefix + "vote");
  voted_for_ = vote && *vote < config_.cluster_size ? static_cast<NodeId>(*vote) : kNoNode;
  bool complete = true;
  log_ = Log::load(disk, config_.disk_prefix, &complete);
  if (!complete) {
    ctx.note("raft: " + name_of(self_) + " finds its log on disk broken off after entry " +
             std::to_string(log_.last_index()));
    ctx.record_event({NodeEventKind::kStateTorn, term_, 0,
                      "restarted with its log on disk broken off after entry " +
                          std::to_string(log_.last_index())});
  }
  // The state machine is volatile: it is rebuilt from the log as the leader reports commits.
  ctx.note("raft: " + name_of(self_) + " starts at term " + std::to_string(term_) + " with " +
           std::to_string(log_.last_index()) + " log entries");
  // A replica that just (re)started may have acknowledged a leader's round before it went down;
  // it counts the start as contact so that it does not help elect a rival while a lease holds.
  leader_contact_at_ = ctx.now();
  become_follower(ctx, kNoNode);
}

bool Consensus::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<AppendEntries>()) {
    on_append_entries(ctx, from, *m);
  } else if (const auto* m = message.as<AppendEntriesReply>()) {
    on_append_entries_reply(ctx, from, *m);
  } else if (const auto* m = message.as<RequestVote>()) {
    on_request_vote(ctx, from, *m);
  } else if (const auto* m = message.as<RequestVoteReply>()) {
    on_request_vote_reply(ctx, from, *m);
  } else {
    return false;
  }
  return true;
}

bool Consensus::on_timer(Context& ctx, std::string_view name) {
  if (name == kElectionTimer) {
    on_election_timer(ctx);
  } else if (name == kHeartbeatTimer) {
    on_heartbeat_timer(ctx);
  } else {
    return false;
  }
  return true;
}

Index Consensus::submit(Context& ctx, NodeId client, std::uint64_t op_id, std::string command) {
  CAPSIM_ASSERT(role_ == Role::kLeader && !command.empty());
  Entry entry;
  entry.term = term_;
  entry.index = log_.last_index() + 1;
  entry.client = client;
  entry.op_id = op_id;
  entry.command = std::move(command);
  const Index index = entry.index;
  log_.append(ctx.disk(), std::move(entry));
  // The leader counts itself among the replicas holding the entry, so it must be durable first.
  sync(ctx);
  submitted_.insert(index);
  advance_commit(ctx);  // a single replica is its own majority
  broadcast_round(ctx);
  return index;
}

void Consensus::persist_term_and_vote(Context& ctx) const {
  ctx.disk().put(config_.disk_prefix + "term", std::to_string(term_));
  ctx.disk().put(config_.disk_prefix + "vote",
                 voted_for_ == kNoNode ? "none" : std::to_string(voted_for_));
  sync(ctx);
}

void Consensus::sync(Context& ctx) const {
  if (config_.sync_disk) ctx.disk().sync();
}

}  // namespace capsim::raft
