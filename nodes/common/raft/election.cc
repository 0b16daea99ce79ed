// Terms and elections: who leads, and how a silent leader gets replaced.

#include "nodes/common/raft/consensus.h"
#include "sim/assert.h"

namespace capsim::raft {

namespace {
std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }
}  // namespace

bool Consensus::trusts_current_leader(const Context& ctx) const {
  if (role_ == Role::kLeader) return true;
  if (role_ == Role::kCandidate) return false;
  return ctx.now() - leader_contact_at_ < config_.election_timeout_min;
}

void Consensus::on_request_vote(Context& ctx, NodeId from, const RequestVote& message) {
  RequestVoteReply answer;
  if (message.term > term_) {
    if (trusts_current_leader(ctx)) {
      // Neither the term nor a vote: the candidate sees our lower term and ignores the answer.
      answer.term = term_;
      ctx.send(from, Message::of(answer));
      return;
    }
    adopt_term(ctx, message.term, kNoNode);
  }
  const bool grant = message.term == term_ && role_ == Role::kFollower &&
                     (voted_for_ == kNoNode || voted_for_ == message.candidate) &&
                     is_at_least_as_up_to_date(message.last_term, message.last_index,
                                               log_.last_term(), log_.last_index());
  if (grant && voted_for_ != message.candidate) {
    voted_for_ = message.candidate;
    // On disk before the candidate can count it: a replica that forgot its vote after a
    // restart could elect a second leader in the same term.
    persist_term_and_vote(ctx);
  }
  if (grant) arm_election_timer(ctx);
  answer.term = term_;
  answer.granted = grant;
  ctx.send(from, Message::of(answer));
}

void Consensus::on_request_vote_reply(Context& ctx, NodeId from, const RequestVoteReply& message) {
  if (message.term > term_) {
    adopt_term(ctx, message.term, kNoNode);
    return;
  }
  if (role_ != Role::kCandidate || message.term != term_ || !message.granted) return;
  votes_.insert(from);
  if (votes_.size() >= config_.majority()) become_leader(ctx);
}

void Consensus::on_election_timer(Context& ctx) {
  if (role_ == Role::kLeader) return;
  start_election(ctx);
}

void Consensus::start_election(Context& ctx) {
  term_ += 1;
  voted_for_ = self_;
  role_ = Role::kCandidate;
  leader_ = kNoNode;
  votes_ = {self_};
  persist_term_and_vote(ctx);
  ctx.note("raft: " + name_of(self_) + " starts an election for term " + std::to_string(term_));
  arm_election_timer(ctx);  // if this election fails, the timer starts the next one
  if (votes_.size() >= config_.majority()) return become_leader(ctx);
  host_.on_role_changed(ctx);
  RequestVote request;
  request.term = term_;
  request.candidate = self_;
  request.last_index = log_.last_index();
  request.last_term = log_.last_term();
  for (NodeId peer = 0; peer < config_.cluster_size; ++peer) {
    if (peer != self_) ctx.send(peer, Message::of(request));
  }
}

void Consensus::become_leader(Context& ctx) {
  CAPSIM_ASSERT(role_ == Role::kCandidate && voted_for_ == self_);
  role_ = Role::kLeader;
  leader_ = self_;
  votes_.clear();
  ctx.cancel_timer(kElectionTimer);
  ctx.note("raft: " + name_of(self_) + " leader of term " + std::to_string(term_));
  ctx.record_event(
      {NodeEventKind::kElected, term_, 0, "elected leader (term " + std::to_string(term_) + ")"});
  progress_.clear();
  for (NodeId peer = 0; peer < config_.cluster_size; ++peer) {
    if (peer != self_) progress_.emplace(peer, Progress{log_.last_index() + 1, 0, 0, 0});
  }
  submitted_.clear();
  barriers_.clear();
  confirmed_round_ = round_;
  round_sent_at_.clear();
  lease_until_ = Time{0};
  // The no-op gives the new term an entry to commit; committing it commits everything before.
  Entry noop;
  noop.term = term_;
  noop.index = log_.last_index() + 1;
  log_.append(ctx.disk(), noop);
  sync(ctx);
  noop_index_ = noop.index;
  // The host hears of its new role before anything commits, so that it is ready for the
  // results of the term (a single replica commits its no-op right here).
  host_.on_role_changed(ctx);
  advance_commit(ctx);
  broadcast_round(ctx);
  ctx.set_timer(kHeartbeatTimer, config_.heartbeat);
}

void Consensus::adopt_term(Context& ctx, Term term, NodeId new_leader) {
  CAPSIM_ASSERT(term > term_);
  if (role_ == Role::kLeader) {
    ctx.note("raft: " + name_of(self_) + " steps down: term " + std::to_string(term) +
             " replaces term " + std::to_string(term_));
    ctx.record_event({NodeEventKind::kSteppedDown, term, 0,
                      "stepped down as leader of term " + std::to_string(term_) + " (saw term " +
                          std::to_string(term) + ")"});
  }
  term_ = term;
  voted_for_ = kNoNode;
  persist_term_and_vote(ctx);
  become_follower(ctx, new_leader);
}

void Consensus::become_follower(Context& ctx, NodeId new_leader) {
  // Submissions still waiting get no result: whether they commit is up to the next leader, so
  // the clients' timeouts record them as unknown. Barriers never took effect and can fail.
  const bool was_leader = role_ == Role::kLeader;
  role_ = Role::kFollower;
  leader_ = new_leader;
  if (was_leader) fail_barriers(ctx);
  votes_.clear();
  progress_.clear();
  submitted_.clear();
  barriers_.clear();
  round_sent_at_.clear();
  ctx.cancel_timer(kHeartbeatTimer);
  arm_election_timer(ctx);
  host_.on_role_changed(ctx);
}

void Consensus::arm_election_timer(Context& ctx) {
  const auto span = static_cast<std::uint64_t>(
      (config_.election_timeout_max - config_.election_timeout_min).count());
  const Duration extra{static_cast<std::int64_t>(ctx.rng().below(span + 1))};
  ctx.set_timer(kElectionTimer, config_.election_timeout_min + extra);
}

}  // namespace capsim::raft
