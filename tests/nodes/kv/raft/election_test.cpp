// Elections driven by hand through one replica: who gets a vote, what a candidate does with a
// majority, and how leaders and candidates step down.
#include <doctest/doctest.h>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;
using capsim::testing::RecordingContext;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
}  // namespace

TEST_CASE("raft: a vote is granted once per term, only to an up-to-date candidate, durably") {
  // n3 holds entry 1@1. A candidate without it is refused (though its term is adopted); the
  // first up-to-date candidate of term 2 gets the vote; a rival in term 2 does not, not even
  // after n3 crashes and restarts, because the vote was synced before the answer left.
  RecordingContext ctx{kN3, 7};
  auto node = make_node(kN3, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN1, append(1, 0, 0, {write_entry(1, 1, "k1", 1)}));
  ctx.advance(kQuiet);

  node->on_message(ctx, kN2, request_vote(2, kN2, 0, 0));
  CHECK_FALSE(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  CHECK(node->term() == 2);

  node->on_message(ctx, kN1, request_vote(2, kN1, 1, 1));
  CHECK(last_sent<RequestVoteReply>(ctx, kN1)->granted);
  CHECK(node->voted_for() == kN1);
  node->on_message(ctx, kN1, request_vote(2, kN1, 1, 1));  // a retransmission: same answer
  CHECK(last_sent<RequestVoteReply>(ctx, kN1)->granted);
  node->on_message(ctx, kN2, request_vote(2, kN2, 1, 1));
  CHECK_FALSE(last_sent<RequestVoteReply>(ctx, kN2)->granted);

  ctx.memory_disk().lose_unsynced();  // a crash: only synced writes survive
  auto restarted = make_node(kN3, 3);
  restarted->on_start(ctx);
  CHECK(restarted->term() == 2);
  CHECK(restarted->voted_for() == kN1);
  CHECK(restarted->log().last_index() == 1);
  ctx.advance(kQuiet);
  restarted->on_message(ctx, kN2, request_vote(2, kN2, 1, 1));
  CHECK_FALSE(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  restarted->on_message(ctx, kN2, request_vote(3, kN2, 1, 1));
  CHECK(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  CHECK(last_sent<RequestVoteReply>(ctx, kN2)->term == 3);
}

TEST_CASE("raft: a candidate with a longer log of an older last term is not up to date") {
  // The voter's last entry is 2@3; a candidate ending at 5@2 has more entries but lacks term 3.
  RecordingContext ctx{kN3, 7};
  auto node = make_node(kN3, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN1,
                   append(3, 0, 0, {write_entry(1, 1, "k1", 1), write_entry(3, 2, "k1", 2)}));
  ctx.advance(kQuiet);
  node->on_message(ctx, kN2, request_vote(4, kN2, 5, 2));
  CHECK_FALSE(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  node->on_message(ctx, kN2, request_vote(5, kN2, 2, 3));
  CHECK(last_sent<RequestVoteReply>(ctx, kN2)->granted);
}

TEST_CASE("raft: a replica that recently heard its leader ignores a higher-term vote request") {
  // Within election_timeout_min of the leader's last AppendEntries, a RequestVote of a higher
  // term changes nothing: no vote, no new term. After the quiet period it is granted.
  RecordingContext ctx{kN3, 7};
  auto node = make_node(kN3, 3);
  node->on_start(ctx);
  ctx.advance(kQuiet);
  node->on_message(ctx, kN1, append(1, 0, 0, {}));
  ctx.advance(100ms);
  node->on_message(ctx, kN2, request_vote(7, kN2, 0, 0));
  CHECK_FALSE(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  CHECK(last_sent<RequestVoteReply>(ctx, kN2)->term == 1);
  CHECK(node->term() == 1);
  CHECK(node->leader() == kN1);
  ctx.advance(kQuiet);
  node->on_message(ctx, kN2, request_vote(7, kN2, 0, 0));
  CHECK(last_sent<RequestVoteReply>(ctx, kN2)->granted);
  CHECK(node->term() == 7);
}

TEST_CASE("raft: a candidate asks everyone, becomes leader with a majority and appends a no-op") {
  // One refusal and one grant of three: n1 itself plus n2 is a majority.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  CHECK(ctx.has_timer("election"));
  ctx.advance(kQuiet);
  node->on_timer(ctx, kElectionTimer);
  CHECK(node->role() == Role::kCandidate);
  CHECK(node->term() == 1);
  CHECK(ctx.sent_count<RequestVote>() == 2);
  CHECK(noted(ctx, "raft: n1 starts an election for term 1"));
  node->on_message(ctx, kN3, vote(1, false));
  CHECK(node->role() == Role::kCandidate);
  node->on_message(ctx, kN2, vote(1, true));
  CHECK(node->is_leader());
  CHECK(noted(ctx, "raft: n1 leader of term 1"));
  REQUIRE(node->log().last_index() == 1);
  CHECK(node->log().at(1).is_noop());
  CHECK(node->log().at(1).term == 1);
  CHECK(ctx.sent_count<AppendEntries>() == 2);
  CHECK(ctx.has_timer("heartbeat"));
  CHECK_FALSE(ctx.has_timer("election"));
  ctx.memory_disk().lose_unsynced();
  auto reloaded = make_node(kN1, 3);
  reloaded->on_start(ctx);
  CHECK(reloaded->term() == 1);  // the term and the self-vote were synced before asking
  CHECK(reloaded->voted_for() == kN1);
}

TEST_CASE("raft: a leader steps down on a higher term and a candidate yields to its leader") {
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  elect_first(*node, ctx, 3);
  node->on_message(ctx, kN2, append_reply(4, false, 0));
  CHECK(node->role() == Role::kFollower);
  CHECK(node->term() == 4);
  CHECK(noted(ctx, "raft: n1 steps down: term 4 replaces term 1"));
  // Both turns are told to the run's story too: the election, then the step-down.
  REQUIRE(ctx.events.size() == 2);
  CHECK(ctx.events[0].kind == NodeEventKind::kElected);
  CHECK(ctx.events[0].term == 1);
  CHECK(ctx.events[0].text == "elected leader (term 1)");
  CHECK(ctx.events[1].kind == NodeEventKind::kSteppedDown);
  CHECK(ctx.events[1].term == 4);
  CHECK(ctx.events[1].text == "stepped down as leader of term 1 (saw term 4)");
  CHECK_FALSE(ctx.has_timer("heartbeat"));
  CHECK(ctx.has_timer("election"));

  ctx.advance(kQuiet);
  node->on_timer(ctx, kElectionTimer);
  REQUIRE(node->role() == Role::kCandidate);
  CHECK(node->term() == 5);
  node->on_message(ctx, kN3, append(5, 0, 0, {}));
  CHECK(node->role() == Role::kFollower);
  CHECK(node->leader() == kN3);
  CHECK(node->term() == 5);
}

TEST_CASE("raft: a stale leader's message is refused with the newer term") {
  // n2 is at term 3; an AppendEntries of term 2 is refused and tells its sender term 3.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN3, append(3, 0, 0, {}));
  node->on_message(ctx, kN1, append(2, 0, 0, {write_entry(2, 1, "k1", 1)}));
  const auto* answer = last_sent<AppendEntriesReply>(ctx, kN1);
  REQUIRE(answer != nullptr);
  CHECK_FALSE(answer->success);
  CHECK(answer->term == 3);
  CHECK(node->log().last_index() == 0);
  CHECK(node->leader() == kN3);
}
