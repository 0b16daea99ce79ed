// Commitment and applying: the leader counts copies of entries of its term to commit them;
// every replica applies what is committed to its state machine, in log order, once per request.

#include "nodes/common/raft/consensus.h"
#include "sim/assert.h"
#include "sim/trace.h"

namespace capsim::raft {

namespace {

std::string name_of(NodeId id) { return "n" + std::to_string(id + 1); }

// The running hash of an applied log, extended by one entry. An entry is identified by its
// place (index, term) and its request (client, op id, which the client never reuses), so equal
// chains mean equal applied prefixes; integer mixing (splitmix64's finaliser) keeps it cheap.
std::uint64_t chain_step(std::uint64_t chain, const Entry& entry) {
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  for (const std::uint64_t part :
       {entry.index, entry.term, std::uint64_t{entry.client}, entry.op_id}) {
    chain = mix(chain ^ mix(part + 0x9e3779b97f4a7c15ULL));
  }
  return chain;
}

}  // namespace

void Consensus::advance_commit(Context& ctx) {
  if (role_ != Role::kLeader) return;
  // Entries of earlier terms are never counted: a majority holding one does not protect it
  // from being overwritten (the classic figure-8 case). They commit with the first entry of
  // this term that a majority holds. Terms never decrease along the log, so the entries of
  // this term are its tail.
  Index committed = commit_index_;
  for (Index index = log_.last_index(); index > commit_index_ && log_.term_at(index) == term_;
       --index) {
    std::uint32_t holders = 1;  // the leader itself: it syncs before counting itself
    for (const auto& [follower, progress] : progress_) {
      if (progress.match_index >= index) ++holders;
    }
    if (holders >= config_.majority()) {
      committed = index;
      break;
    }
  }
  if (committed == commit_index_) return;
  commit_index_ = committed;
  apply_committed(ctx);
}

void Consensus::apply_committed(Context& ctx) {
  CAPSIM_ASSERT(commit_index_ <= log_.last_index());
  while (last_applied_ < commit_index_) {
    ++last_applied_;
    apply(ctx, log_.at(last_applied_));
  }
  if (role_ == Role::kLeader) pass_ready_barriers(ctx);
}

void Consensus::reset_applied_state() {
  machine_.reset();
  sessions_.clear();
  applied_chain_ = 0;
  last_applied_ = 0;
}

void Consensus::apply(Context& ctx, const Entry& entry) {
  applied_chain_ = chain_step(applied_chain_, entry);
  if (entry.index % kChainEvery == 0) {
    ctx.note("raft: " + name_of(self_) + " applied " + std::to_string(entry.index) + "@" +
             std::to_string(entry.term) + " chain " + format_hash(applied_chain_));
  }
  if (entry.is_noop()) return;
  // A second copy of a request the network duplicated took effect once already: it answers
  // what the first did. (A client has one operation in flight, so its op ids reach the log in
  // increasing order, and an older op id is a copy nobody waits for.) A command without a
  // client is never a copy.
  const Result* result = nullptr;
  Result fresh;
  const auto seen =
      entry.client == kNoNode ? SessionSeen::kNew : sessions_.check(entry.client, entry.op_id);
  switch (seen) {
    case SessionSeen::kStale: return;
    case SessionSeen::kAnswered: result = &sessions_.answer_of(entry.client); break;
    case SessionSeen::kNew:
    case SessionSeen::kPending:  // never: this table records applied entries only
      fresh = machine_.apply(entry);
      if (entry.client != kNoNode) sessions_.record(entry.client, entry.op_id, fresh);
      result = &fresh;
      break;
  }
  auto submitted = submitted_.find(entry.index);
  if (submitted == submitted_.end()) return;
  submitted_.erase(submitted);
  host_.on_applied(ctx, entry, *result);
}

}  // namespace capsim::raft
