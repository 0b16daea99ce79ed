// Elections driven by hand: who gets a vote, and what a candidate does with a majority.
#include <doctest/doctest.h>

#include "pb_test_util.h"

using namespace capsim;
using namespace capsim::pb;
using namespace capsim::pb::test;
using capsim::testing::RecordingContext;

namespace {
const Overrides kMajority = {{"failover", "majority"}};
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;

Message request_vote(Epoch epoch, NodeId candidate, Index last_index, Epoch last_epoch) {
  RequestVote message;
  message.epoch = epoch;
  message.candidate = candidate;
  message.last_index = last_index;
  message.last_epoch = last_epoch;
  return Message::of(message);
}

Message granted(Epoch epoch) {
  Vote vote;
  vote.epoch = epoch;
  vote.granted = true;
  return Message::of(vote);
}
}  // namespace

TEST_CASE("pb: a vote is granted once per epoch and only to an up-to-date candidate") {
  // n3 holds entry 1@1. A candidate without it is refused; the first up-to-date candidate of
  // epoch 2 gets the vote; a second one in epoch 2 does not, even after n3 restarts.
  RecordingContext ctx{kN3, 7};
  auto node = make_node(kN3, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 1)}));

  node->on_message(ctx, kN2, request_vote(2, kN2, 0, 0));
  CHECK_FALSE(last_sent<Vote>(ctx, kN2)->granted);
  CHECK(node->epoch() == 2);  // the newer epoch is adopted even when the vote is refused

  node->on_message(ctx, kN1, request_vote(2, kN1, 1, 1));
  CHECK(last_sent<Vote>(ctx, kN1)->granted);
  node->on_message(ctx, kN1, request_vote(2, kN1, 1, 1));  // a retransmission: same answer
  CHECK(last_sent<Vote>(ctx, kN1)->granted);

  node->on_message(ctx, kN2, request_vote(2, kN2, 1, 1));
  CHECK_FALSE(last_sent<Vote>(ctx, kN2)->granted);

  ctx.memory_disk().lose_unsynced();  // the vote was synced before it was sent
  auto restarted = make_node(kN3, 3, kMajority);
  restarted->on_start(ctx);
  restarted->on_message(ctx, kN2, request_vote(2, kN2, 1, 1));
  CHECK_FALSE(last_sent<Vote>(ctx, kN2)->granted);

  restarted->on_message(ctx, kN2, request_vote(3, kN2, 1, 1));
  CHECK(last_sent<Vote>(ctx, kN2)->granted);
  CHECK(last_sent<Vote>(ctx, kN2)->epoch == 3);
}

TEST_CASE("pb: a silent primary makes a backup stand for election and win with a majority") {
  // The failover timer turns n2 into a candidate of epoch 2; one vote besides its own is a
  // majority of three, and the new primary opens its epoch with a no-op sent to everyone.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 1)}));
  REQUIRE(ctx.has_timer("failover"));
  ctx.clear_sent();

  node->on_timer(ctx, kFailoverTimer);
  CHECK(node->role() == Role::kCandidate);
  CHECK(node->epoch() == 2);
  for (NodeId peer : {kN1, kN3}) {
    const auto* request = last_sent<RequestVote>(ctx, peer);
    REQUIRE(request != nullptr);
    CHECK(request->epoch == 2);
    CHECK(request->last_index == 1);
    CHECK(request->last_epoch == 1);
  }
  CHECK(ctx.has_timer("failover"));  // the retry, should this election fail

  node->on_message(ctx, kN3, granted(2));
  CHECK(node->is_leader());
  CHECK(node->log().at(2) == noop(2, 2));
  CHECK(node->value_of("k1") == Value(1));
  CHECK_FALSE(ctx.has_timer("failover"));
  CHECK(ctx.has_timer("heartbeat"));
  for (NodeId peer : {kN1, kN3}) {
    const auto* replicate = last_sent<Replicate>(ctx, peer);
    REQUIRE(replicate != nullptr);
    CHECK(replicate->epoch == 2);
    CHECK(replicate->prev_index == 1);
    CHECK(replicate->entries.size() == 1);
  }
}

TEST_CASE("pb: a candidate that hears from the primary of its epoch becomes its backup") {
  // Someone else won the epoch first: the candidate follows the winner.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_timer(ctx, kFailoverTimer);
  REQUIRE(node->role() == Role::kCandidate);
  node->on_message(ctx, kN3, replicate(2, 0, 0, {noop(2, 1)}));
  CHECK(node->role() == Role::kBackup);
  CHECK(node->primary() == kN3);
  // A late vote for its own candidacy no longer matters.
  node->on_message(ctx, kN1, granted(2));
  CHECK_FALSE(node->is_leader());
}

TEST_CASE("pb: failed elections widen the failover timeout, up to a bound") {
  // Each failed attempt doubles the random span, so repeated split votes thin out; the span
  // stops growing at eight times the base.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, {{"failover", "majority"}, {"failover_timeout", "100ms"}});
  node->on_start(ctx);
  const Duration base = std::chrono::milliseconds(100);
  for (int attempt = 1; attempt <= 6; ++attempt) {
    node->on_timer(ctx, kFailoverTimer);
    const Duration wait = ctx.timers.at("failover") - ctx.now();
    const int shift = attempt < 3 ? attempt : 3;
    CHECK(wait >= base);
    CHECK(wait <= base + base * (1 << shift));
  }
  CHECK(node->epoch() == 7);
}

TEST_CASE("pb: under failover none nobody stands for election") {
  // Backups of the fixed primary have no failover timer and ignore vote requests.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  CHECK_FALSE(ctx.has_timer("failover"));
  node->on_message(ctx, kN3, request_vote(5, kN3, 0, 0));
  CHECK(ctx.sent_count<Vote>() == 0);
  CHECK(node->epoch() == 1);
  CHECK(node->primary() == kN1);
}
