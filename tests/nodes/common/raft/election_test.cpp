// Elections in the Raft core, driven by hand through one replica with a toy state machine: who
// leads, what the host hears of it, and the vote a replica that trusts its leader withholds.
#include <doctest/doctest.h>

#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
}  // namespace

TEST_CASE("raft core: a candidate with a majority leads, appends a no-op and tells its host") {
  // n1 of three asks both peers; one refusal keeps it a candidate, one grant makes it leader of
  // term 1. Its host hears of each change. The no-op commits once n2 holds it but reaches
  // neither the state machine nor the host: it is the core's own entry.
  ToyReplica r{kN1, 3};
  r.core.on_start(r.ctx);
  const int at_start = r.host.role_changes;
  CHECK(at_start >= 1);
  CHECK(r.core.role() == Role::kFollower);
  r.ctx.advance(kQuiet);
  CHECK(r.core.on_timer(r.ctx, kElectionTimer));
  CHECK(r.core.role() == Role::kCandidate);
  CHECK(r.host.role_changes > at_start);
  CHECK(r.ctx.sent_count<RequestVote>() == 2);
  r.core.on_message(r.ctx, kN3, vote(1, false));
  CHECK(r.core.role() == Role::kCandidate);
  const int as_candidate = r.host.role_changes;
  r.core.on_message(r.ctx, kN2, vote(1, true));
  REQUIRE(r.core.is_leader());
  CHECK(r.core.leader() == kN1);
  CHECK(r.host.role_changes > as_candidate);
  CHECK(noted(r.ctx, "raft: n1 leader of term 1"));
  REQUIRE(r.core.log().last_index() == 1);
  CHECK(r.core.log().at(1).is_noop());
  r.core.on_message(r.ctx, kN2, append_reply(1, true, 1, r.last_round()));
  CHECK(r.core.commit_index() == 1);
  CHECK(r.core.last_applied() == 1);
  CHECK(r.machine.applied_indexes.empty());
  CHECK(r.host.applied.empty());
}

TEST_CASE("raft core: a replica that heard its leader lately withholds its vote, then grants it") {
  // Leader stickiness: within election_timeout_min of an AppendEntries, a higher-term
  // RequestVote changes nothing; once the leader has been silent long enough, it is granted.
  ToyReplica r{kN3, 3};
  r.core.on_start(r.ctx);
  r.ctx.advance(kQuiet);
  r.core.on_message(r.ctx, kN1, append(1, 0, 0, {}));
  r.ctx.advance(100ms);
  r.core.on_message(r.ctx, kN2, request_vote(5, kN2, 0, 0));
  CHECK_FALSE(last_sent<RequestVoteReply>(r.ctx, kN2)->granted);
  CHECK(r.core.term() == 1);
  CHECK(r.core.leader() == kN1);
  r.ctx.advance(kQuiet);
  r.core.on_message(r.ctx, kN2, request_vote(5, kN2, 0, 0));
  CHECK(last_sent<RequestVoteReply>(r.ctx, kN2)->granted);
  CHECK(r.core.term() == 5);
  CHECK(r.core.voted_for() == kN2);
}

TEST_CASE("raft core: a leader that sees a higher term steps down and its host learns of it") {
  ToyReplica r{kN1, 3};
  r.elect();
  const int as_leader = r.host.role_changes;
  r.core.on_message(r.ctx, kN2, append(4, 0, 0, {}));
  CHECK(r.core.role() == Role::kFollower);
  CHECK(r.core.term() == 4);
  CHECK(r.core.leader() == kN2);
  CHECK(r.host.role_changes > as_leader);
  CHECK(noted(r.ctx, "raft: n1 steps down: term 4 replaces term 1"));
}
