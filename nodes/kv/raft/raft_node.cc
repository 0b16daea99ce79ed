#include "nodes/kv/raft/raft_node.h"

#include <optional>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::raft {

namespace {

constexpr std::string_view kTermKey = "raft/term";
constexpr std::string_view kVoteKey = "raft/vote";

std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }

}  // namespace

RaftNode::RaftNode(NodeId self, Config config) : self_(self), config_(config) {
  CAPSIM_ASSERT(config_.cluster_size >= 1 && self_ < config_.cluster_size);
  CAPSIM_ASSERT(config_.election_timeout_min <= config_.election_timeout_max);
}

void RaftNode::on_start(Context& ctx) {
  CAPSIM_ASSERT(ctx.self() == self_);
  const Disk& disk = ctx.disk();
  term_ = kv::read_stored_number(disk, kTermKey).value_or(0);
  const std::optional<std::uint64_t> vote = kv::read_stored_number(disk, kVoteKey);
  voted_for_ = vote && *vote < config_.cluster_size ? static_cast<NodeId>(*vote) : kNoNode;
  bool complete = true;
  log_ = Log::load(disk, &complete);
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

void RaftNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* m = message.as<ClientRequest>()) return on_client_request(ctx, from, *m);
  if (const auto* m = message.as<AppendEntries>()) return on_append_entries(ctx, from, *m);
  if (const auto* m = message.as<AppendEntriesReply>()) {
    return on_append_entries_reply(ctx, from, *m);
  }
  if (const auto* m = message.as<RequestVote>()) return on_request_vote(ctx, from, *m);
  if (const auto* m = message.as<RequestVoteReply>()) return on_request_vote_reply(ctx, from, *m);
  ctx.note("raft: ignored a message of kind " + std::string(message.kind()));
}

void RaftNode::on_timer(Context& ctx, std::string_view name) {
  if (name == kElectionTimer) return on_election_timer(ctx);
  if (name == kHeartbeatTimer) return on_heartbeat_timer(ctx);
  ctx.note("raft: ignored unknown timer " + std::string(name));
}

void RaftNode::on_client_request(Context& ctx, NodeId from, const ClientRequest& request) {
  if (role_ != Role::kLeader) {
    if (leader_ == kNoNode || leader_ == self_) {
      return reply(ctx, from, kv::refused_reply(request.op_id, "no leader known"));
    }
    return reply(ctx, from, kv::redirect_reply(request.op_id, leader_));
  }
  // A request no replica could serve gets a definite no; only the leader's own limits refuse.
  if (request.key.empty()) {
    return reply(ctx, from, kv::answered_fail_reply(request.op_id, "empty key"));
  }
  if (!kv::is_known_operation(request.f)) {
    return reply(ctx, from,
                 kv::answered_fail_reply(request.op_id, "unknown operation '" + request.f + "'"));
  }
  if (pending_writes_.size() + pending_reads_.size() >= kMaxPending) {
    return reply(ctx, from, kv::refused_reply(request.op_id, "overloaded"));
  }
  if (kv::is_read_only(request.f) && config_.read != ReadMode::kLog) {
    return serve_read(ctx, from, request);
  }
  append_client_entry(ctx, from, request);
}

void RaftNode::append_client_entry(Context& ctx, NodeId from, const ClientRequest& request) {
  Entry entry;
  entry.term = term_;
  entry.index = log_.last_index() + 1;
  entry.f = request.f;
  entry.key = request.key;
  entry.argument = request.value;
  entry.client = from;
  entry.op_id = request.op_id;
  log_.append(ctx.disk(), entry);
  // The leader counts itself among the replicas holding the entry, so it must be durable first.
  sync(ctx);
  pending_writes_.insert_or_assign(entry.index, PendingWrite{from, request.op_id});
  advance_commit(ctx);  // a single replica is its own majority
  broadcast_round(ctx);
}

void RaftNode::reply(Context& ctx, NodeId to, ClientReply reply) const {
  ctx.send(to, Message::of(std::move(reply)));
}

void RaftNode::persist_term_and_vote(Context& ctx) const {
  ctx.disk().put(kTermKey, std::to_string(term_));
  ctx.disk().put(kVoteKey, voted_for_ == kNoNode ? "none" : std::to_string(voted_for_));
  sync(ctx);
}

void RaftNode::sync(Context& ctx) const {
  if (config_.sync_disk) ctx.disk().sync();
}

}  // namespace capsim::raft
