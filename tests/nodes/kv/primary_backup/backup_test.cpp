// One backup driven by hand: the rules by which it accepts, refuses and rewrites its log.
#include <doctest/doctest.h>

#include <algorithm>

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
constexpr NodeId kClient = 3;

bool has_note(const RecordingContext& ctx, const std::string& text) {
  return std::find(ctx.notes.begin(), ctx.notes.end(), text) != ctx.notes.end();
}
}  // namespace

TEST_CASE("pb: a backup copies and applies what the primary replicates") {
  // The normal path: entries continue the log, get applied, and the ack reports the match.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  CHECK_FALSE(node->is_leader());
  CHECK(node->primary() == kN1);

  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 3), put(1, 2, "k2", 7)}));
  CHECK(node->state_digest() == "k1=3;k2=7");
  const auto* ack = last_sent<ReplicateAck>(ctx, kN1);
  REQUIRE(ack != nullptr);
  CHECK(ack->success);
  CHECK(ack->match_index == 2);
  CHECK(ack->epoch == 1);

  // A retransmission of the same entries changes nothing and is acknowledged again.
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 3)}));
  CHECK(node->log().last_index() == 2);
  CHECK(last_sent<ReplicateAck>(ctx, kN1)->match_index == 1);
}

TEST_CASE("pb: a backup rejects a replicate from an old epoch") {
  // After following n3 in epoch 3, the old primary n1 (epoch 1) is refused and told the epoch.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN3, replicate(3, 0, 0, {put(3, 1, "k1", 5)}));
  CHECK(node->epoch() == 3);
  CHECK(node->primary() == kN3);

  ctx.clear_sent();
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 9)}));
  const auto* ack = last_sent<ReplicateAck>(ctx, kN1);
  REQUIRE(ack != nullptr);
  CHECK_FALSE(ack->success);
  CHECK(ack->epoch == 3);
  CHECK(ack->primary == kN3);
  CHECK(node->value_of("k1") == Value(5));
  CHECK(node->primary() == kN3);
}

TEST_CASE("pb: a backup truncates a conflicting suffix and notes the discarded writes") {
  // Entries 2..3 of epoch 1 never reached the new primary of epoch 2; its entry 2 conflicts, so
  // the backup drops them (writes the old primary may have acknowledged) and says so.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN1, replicate(1, 0, 0,
                                       {put(1, 1, "k1", 1), put(1, 2, "k1", 2), put(1, 3, "k2", 3)}));
  CHECK(node->state_digest() == "k1=2;k2=3");

  node->on_message(ctx, kN3, replicate(2, 1, 1, {noop(2, 2), put(2, 3, "k1", 7)}));
  CHECK(has_note(ctx, "pb: discarding entries 2..3 from epoch 1 (k1=2, k2=3)"));
  CHECK(node->state_digest() == "k1=7");
  CHECK(node->log().last_index() == 3);
  CHECK(node->log().epoch_at(2) == 2);
  const auto* ack = last_sent<ReplicateAck>(ctx, kN3);
  REQUIRE(ack != nullptr);
  CHECK(ack->success);
  CHECK(ack->match_index == 3);
}

TEST_CASE("pb: a backup refuses a replicate that does not continue its log") {
  // A gap or a different epoch at prev_index is refused, with a hint where the primary should
  // resume: the end of a short log, or before the whole run of a conflicting epoch.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 1), put(1, 2, "k1", 2)}));

  node->on_message(ctx, kN1, replicate(1, 5, 1, {put(1, 6, "k1", 6)}));
  const auto* gap = last_sent<ReplicateAck>(ctx, kN1);
  REQUIRE(gap != nullptr);
  CHECK_FALSE(gap->success);
  CHECK(gap->hint_index == 2);
  CHECK(gap->hint_epoch == 0);

  node->on_message(ctx, kN3, replicate(2, 2, 2, {put(2, 3, "k1", 3)}));
  const auto* conflict = last_sent<ReplicateAck>(ctx, kN3);
  REQUIRE(conflict != nullptr);
  CHECK_FALSE(conflict->success);
  CHECK(conflict->hint_index == 0);
  CHECK(conflict->hint_epoch == 1);
  // Refusing does not touch the log; the newer epoch and its primary are adopted all the same.
  CHECK(node->state_digest() == "k1=2");
  CHECK(node->epoch() == 2);
  CHECK(node->primary() == kN3);
}

TEST_CASE("pb: a backup redirects clients to the primary it follows") {
  // Only the primary serves clients; a backup names it, or fails when it knows none.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k1"));
  const auto* redirect = last_sent<ClientReply>(ctx, kClient);
  REQUIRE(redirect != nullptr);
  CHECK(redirect->outcome == ClientReply::Outcome::kRedirect);
  CHECK(redirect->leader_hint == kN1);

  node->on_timer(ctx, kFailoverTimer);  // now a candidate: no primary known
  node->on_message(ctx, kClient, client_request(2, "write", "k1", 4));
  const auto* fail = last_sent<ClientReply>(ctx, kClient);
  REQUIRE(fail != nullptr);
  CHECK(fail->outcome == ClientReply::Outcome::kFail);
  CHECK(fail->error == "no primary known");
  CHECK_FALSE(fail->answered);
}

TEST_CASE("pb: a restarted replica rebuilds its state from disk") {
  // A fresh object on the same (synced) disk comes back with the same log, epoch and state.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN3, replicate(2, 0, 0, {put(2, 1, "k1", 4), put(2, 2, "k2", 8)}));
  const std::string digest = node->state_digest();

  ctx.memory_disk().lose_unsynced();  // the crash
  auto restarted = make_node(kN2, 3, kMajority);
  restarted->on_start(ctx);
  CHECK(restarted->state_digest() == digest);
  CHECK(restarted->log().entries() == node->log().entries());
  CHECK(restarted->epoch() == 2);
  CHECK_FALSE(restarted->is_leader());
  CHECK(restarted->primary() == kNoNode);  // it learns the primary from the next replicate
}

TEST_CASE("pb: with sync_disk false a crash loses the entries a backup had acknowledged") {
  // The teaching option: entries are put but never synced, so the restart finds none of them.
  const Overrides options = {{"failover", "majority"}, {"sync_disk", "false"}};
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, options);
  node->on_start(ctx);
  node->on_message(ctx, kN3, replicate(2, 0, 0, {put(2, 1, "k1", 4)}));
  REQUIRE(last_sent<ReplicateAck>(ctx, kN3)->success);
  CHECK(node->state_digest() == "k1=4");

  ctx.memory_disk().lose_unsynced();
  auto restarted = make_node(kN2, 3, options);
  restarted->on_start(ctx);
  CHECK(restarted->state_digest().empty());
  CHECK(restarted->log().last_index() == 0);
  CHECK(restarted->epoch() == 1);  // the epoch was not synced either
}

TEST_CASE("pb: a backup's refusal names the conflicting epoch and where its run starts") {
  // The backup holds epoch 1 at 1..3 and epoch 2 at 4..5. A primary of epoch 3 that expects
  // 5@3 learns that the backup's entry 5 is of epoch 2, whose run starts at 4: the hint says
  // epoch 2 and index 3, and the primary decides how far back that takes it. The answer echoes
  // the rewinds of the message it answers.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3, kMajority);
  node->on_start(ctx);
  node->on_message(ctx, kN1, replicate(1, 0, 0, {put(1, 1, "k1", 1), put(1, 2, "k1", 2),
                                                 put(1, 3, "k1", 3)}));
  node->on_message(ctx, kN3, replicate(2, 3, 1, {noop(2, 4), put(2, 5, "k1", 5)}));
  REQUIRE(node->log().last_index() == 5);
  Replicate probe;
  probe.epoch = 3;
  probe.prev_index = 5;
  probe.prev_epoch = 3;
  probe.rewinds = 4;
  node->on_message(ctx, kN1, Message::of(probe));
  const auto* refused = last_sent<ReplicateAck>(ctx, kN1);
  REQUIRE(refused != nullptr);
  CHECK_FALSE(refused->success);
  CHECK(refused->hint_epoch == 2);
  CHECK(refused->hint_index == 3);
  CHECK(refused->rewinds == 4);
}
