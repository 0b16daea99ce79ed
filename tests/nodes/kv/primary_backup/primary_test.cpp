// One primary driven by hand: when it answers clients, and when it gives up being primary.
#include <doctest/doctest.h>

#include "pb_test_util.h"

using namespace capsim;
using namespace capsim::pb;
using namespace capsim::pb::test;
using capsim::testing::RecordingContext;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
constexpr NodeId kClient = 3;

Message ack(Epoch epoch, Index match_index) {
  ReplicateAck message;
  message.epoch = epoch;
  message.success = true;
  message.match_index = match_index;
  message.hint_index = match_index;
  return Message::of(message);
}
}  // namespace

TEST_CASE("pb: async mode acknowledges a write at once and replicates it") {
  // The ok goes out before any backup has the entry; the Replicate to each backup follows.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  REQUIRE(node->is_leader());
  ctx.clear_sent();

  node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));
  const auto* reply = last_sent<ClientReply>(ctx, kClient);
  REQUIRE(reply != nullptr);
  CHECK(reply->outcome == ClientReply::Outcome::kOk);
  CHECK(node->value_of("k1") == Value(5));
  for (NodeId backup : {kN2, kN3}) {
    const auto* replicate = last_sent<Replicate>(ctx, backup);
    REQUIRE(replicate != nullptr);
    REQUIRE(replicate->entries.size() == 1);
    CHECK(replicate->entries[0] == asked(put(1, 1, "k1", 5), kClient, 1));
  }
}

TEST_CASE("pb: sync mode withholds the ack until enough backups confirm") {
  // acks=1 answers after the first confirmation; acks=0 waits for every backup.
  SUBCASE("acks=1") {
    RecordingContext ctx{kN1, 7};
    auto node = make_node(kN1, 3, {{"mode", "sync"}, {"acks", "1"}});
    node->on_start(ctx);
    node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));
    CHECK(ctx.sent_count<ClientReply>() == 0);
    node->on_message(ctx, kN3, ack(1, 1));
    REQUIRE(ctx.sent_count<ClientReply>() == 1);
    CHECK(last_sent<ClientReply>(ctx, kClient)->outcome == ClientReply::Outcome::kOk);
  }
  SUBCASE("acks=0 means all backups") {
    RecordingContext ctx{kN1, 7};
    auto node = make_node(kN1, 3, {{"mode", "sync"}, {"acks", "0"}});
    node->on_start(ctx);
    node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));
    node->on_message(ctx, kClient, client_request(2, "write", "k2", 6));
    node->on_message(ctx, kN2, ack(1, 2));
    CHECK(ctx.sent_count<ClientReply>() == 0);
    node->on_message(ctx, kN3, ack(1, 1));  // n3 holds only the first write so far
    REQUIRE(ctx.sent_count<ClientReply>() == 1);
    CHECK(last_sent<ClientReply>(ctx, kClient)->op_id == 1);
    node->on_message(ctx, kN3, ack(1, 2));
    CHECK(ctx.sent_count<ClientReply>() == 2);
  }
}

TEST_CASE("pb: reads come from the primary's state and cas compares before writing") {
  // A cas that finds another value fails without touching the log; a matching one writes.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k1"));
  CHECK(last_sent<ClientReply>(ctx, kClient)->value.is_nil());

  node->on_message(ctx, kClient, client_request(2, "write", "k1", 1));
  node->on_message(ctx, kClient, client_request(3, "cas", "k1", Value::List{2, 3}));
  const auto* mismatch = last_sent<ClientReply>(ctx, kClient);
  CHECK(mismatch->outcome == ClientReply::Outcome::kFail);
  CHECK(mismatch->error == "cas mismatch");
  CHECK(node->log().last_index() == 1);

  node->on_message(ctx, kClient, client_request(4, "cas", "k1", Value::List{1, 3}));
  CHECK(last_sent<ClientReply>(ctx, kClient)->outcome == ClientReply::Outcome::kOk);
  CHECK(node->log().at(2) == asked(put(1, 2, "k1", 3), kClient, 4));  // the write it became

  node->on_message(ctx, kClient, client_request(5, "read", "k1"));
  CHECK(last_sent<ClientReply>(ctx, kClient)->value == Value(3));
}

TEST_CASE("pb: a primary steps down on a higher epoch and follows the new primary") {
  // An ack carrying epoch 2 tells n1 it was replaced; pending sync writes get no answer.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3, {{"failover", "majority"}, {"mode", "sync"}});
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));

  ReplicateAck newer;
  newer.epoch = 2;
  newer.hint_index = 0;
  newer.primary = kN3;
  node->on_message(ctx, kN2, Message::of(newer));
  CHECK_FALSE(node->is_leader());
  CHECK(node->epoch() == 2);
  CHECK(node->primary() == kN3);
  CHECK_FALSE(ctx.has_timer("heartbeat"));
  CHECK(ctx.has_timer("failover"));

  // The pending write is never answered, even if an ack for it turns up late.
  node->on_message(ctx, kN3, ack(1, 1));
  CHECK(ctx.sent_count<ClientReply>() == 0);
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  CHECK(last_sent<ClientReply>(ctx, kClient)->outcome == ClientReply::Outcome::kRedirect);
  CHECK(last_sent<ClientReply>(ctx, kClient)->leader_hint == kN3);
}

TEST_CASE("pb: under failover none n1 stays primary and outbids a newer epoch") {
  // n1 is primary forever: seeing epoch 4 it opens epoch 5 with a no-op instead of yielding.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  ReplicateAck newer;
  newer.epoch = 4;
  node->on_message(ctx, kN2, Message::of(newer));
  CHECK(node->is_leader());
  CHECK(node->epoch() == 5);
  CHECK(node->log().at(node->log().last_index()).is_noop());
}

TEST_CASE("pb: the primary's heartbeat probes and lost entries are sent again") {
  // Entries are sent once, without waiting for acks. The heartbeat continues after the last
  // entry sent; a backup that missed it refuses, and the primary resends from its hint.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3, {{"heartbeat", "50ms"}});
  node->on_start(ctx);
  CHECK(ctx.timers.at("heartbeat") == Time{std::chrono::milliseconds(50)});
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));
  ctx.clear_sent();
  node->on_timer(ctx, kHeartbeatTimer);
  const auto* probe = last_sent<Replicate>(ctx, kN2);
  REQUIRE(probe != nullptr);
  CHECK(probe->entries.empty());
  CHECK(probe->prev_index == 1);
  CHECK(ctx.has_timer("heartbeat"));

  ReplicateAck missed;  // n2 never got entry 1
  missed.epoch = 1;
  missed.hint_index = 0;
  node->on_message(ctx, kN2, Message::of(missed));
  const auto* resend = last_sent<Replicate>(ctx, kN2);
  REQUIRE(resend != nullptr);
  CHECK(resend->prev_index == 0);
  REQUIRE(resend->entries.size() == 1);
  CHECK(resend->entries[0] == asked(put(1, 1, "k1", 5), kClient, 1));
}

TEST_CASE("pb: a primary backs up to where a refusing backup's log ends") {
  // The Raft-style back-off: the hint lets the primary resend from the end of the backup's
  // log in one step rather than one entry per round trip.
  RecordingContext ctx{kN1, 7};
  auto first = make_node(kN1, 3);
  first->on_start(ctx);
  for (int i = 1; i <= 5; ++i) first->on_message(ctx, kClient, client_request(i, "write", "k1", i));
  // A restart under failover none opens epoch 2 with a no-op at 6 and expects backups at 6.
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  REQUIRE(node->epoch() == 2);
  REQUIRE(node->log().last_index() == 6);
  ctx.clear_sent();

  ReplicateAck refused;
  refused.epoch = 2;
  refused.hint_index = 2;  // n2 holds only entries 1..2
  node->on_message(ctx, kN2, Message::of(refused));
  const auto* resend = last_sent<Replicate>(ctx, kN2);
  REQUIRE(resend != nullptr);
  CHECK(resend->prev_index == 2);
  CHECK(resend->prev_epoch == 1);
  CHECK(resend->entries.size() == 4);

  // A backup that confirmed everything and then refuses has lost entries (a restart without
  // synced disk): the primary believes the refusal, one that answers a message sent since its
  // last move back, and sends them again.
  node->on_message(ctx, kN2, ack(2, 6));
  refused.rewinds = resend->rewinds;
  node->on_message(ctx, kN2, Message::of(refused));
  CHECK(last_sent<Replicate>(ctx, kN2)->prev_index == 2);
}

namespace {

// n1 under failover none after a restart: entries 1..5 of epoch 1 (writes), 6 the no-op of
// epoch 2, and every backup expected at 7.
std::unique_ptr<PrimaryBackupNode> restarted_primary(RecordingContext& ctx) {
  auto first = make_node(kN1, 3);
  first->on_start(ctx);
  for (int i = 1; i <= 5; ++i) first->on_message(ctx, kClient, client_request(i, "write", "k1", i));
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  REQUIRE(node->epoch() == 2);
  REQUIRE(node->log().last_index() == 6);
  ctx.clear_sent();
  return node;
}

}  // namespace

TEST_CASE("pb: a primary skips back over a conflicting epoch to its own last entry of it") {
  // Raft's conflict-term rule. The backup holds a longer run of epoch 1 than the primary (an
  // old primary's writes nobody else got) and refuses 6@2 naming epoch 1, whose run starts at
  // its entry 1. The primary holds epoch 1 up to entry 5, where the two logs still agree, so it
  // resumes after 5: one entry to send, not the whole log again.
  RecordingContext ctx{kN1, 7};
  auto node = restarted_primary(ctx);
  ReplicateAck refused;
  refused.epoch = 2;
  refused.hint_epoch = 1;
  refused.hint_index = 0;
  node->on_message(ctx, kN2, Message::of(refused));
  const auto* resend = last_sent<Replicate>(ctx, kN2);
  REQUIRE(resend != nullptr);
  CHECK(resend->prev_index == 5);
  CHECK(resend->prev_epoch == 1);
  REQUIRE(resend->entries.size() == 1);
  CHECK(resend->entries[0].is_noop());

  // An epoch the primary never saw is skipped whole: resume before the backup's run of it.
  ReplicateAck foreign;
  foreign.epoch = 2;
  foreign.hint_epoch = 7;
  foreign.hint_index = 3;
  node->on_message(ctx, kN3, Message::of(foreign));
  CHECK(last_sent<Replicate>(ctx, kN3)->prev_index == 3);
}

TEST_CASE("pb: a primary ignores refusals of messages sent before it last moved back") {
  // Replicates are pipelined, so one gap makes every message in flight refused. The first
  // refusal moves next_index back; the others answer messages sent before that move. Once the
  // resent entries are accepted, a late refusal must not move next_index back again and start
  // another resend: that is how a catch-up becomes a storm.
  RecordingContext ctx{kN1, 7};
  auto node = restarted_primary(ctx);
  node->on_timer(ctx, kHeartbeatTimer);  // a probe at 6 and
  node->on_timer(ctx, kHeartbeatTimer);  // another, both sent before any answer
  const auto probes = ctx.sent_of<Replicate>(kN2);
  REQUIRE(probes.size() == 2);
  CHECK(probes[0]->rewinds == probes[1]->rewinds);

  ReplicateAck refused;  // n2 holds entries 1..2 only: the answer to both probes
  refused.epoch = 2;
  refused.hint_index = 2;
  refused.rewinds = probes[0]->rewinds;
  node->on_message(ctx, kN2, Message::of(refused));
  const auto* resend = last_sent<Replicate>(ctx, kN2);
  REQUIRE(resend != nullptr);
  CHECK(resend->prev_index == 2);
  CHECK(resend->rewinds == probes[0]->rewinds + 1);
  node->on_message(ctx, kN2, ack(2, 6));  // the resend was accepted

  ctx.clear_sent();
  node->on_message(ctx, kN2, Message::of(refused));  // the second probe's late refusal
  CHECK(ctx.sent_count<Replicate>(kN2) == 0);
  node->on_timer(ctx, kHeartbeatTimer);
  REQUIRE(last_sent<Replicate>(ctx, kN2) != nullptr);
  CHECK(last_sent<Replicate>(ctx, kN2)->prev_index == 6);
  CHECK(last_sent<Replicate>(ctx, kN2)->entries.empty());
}

TEST_CASE("pb: a sync primary refuses new writes beyond the pending limit") {
  // The queue of writes waiting for backups is bounded; the next one fails as overloaded.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 2, {{"mode", "sync"}});
  node->on_start(ctx);
  for (std::uint64_t op = 1; op <= kMaxPending; ++op) {
    node->on_message(ctx, kClient, client_request(op, "write", "k1", static_cast<int>(op)));
  }
  CHECK(ctx.sent_count<ClientReply>() == 0);
  node->on_message(ctx, kClient, client_request(kMaxPending + 1, "write", "k1", 0));
  const auto* reply = last_sent<ClientReply>(ctx, kClient);
  REQUIRE(reply != nullptr);
  CHECK(reply->outcome == ClientReply::Outcome::kFail);
  CHECK(reply->error == "overloaded");
  CHECK_FALSE(reply->answered);
}

TEST_CASE("pb: a second copy of an increment is answered again and not applied again") {
  // The network's duplicate fault delivers one ClientRequest twice. The primary counts the
  // increment once, logs one entry, and answers both copies ok; a copy of an older request,
  // arriving after the client moved on, changes nothing and gets no answer.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  REQUIRE(node->is_leader());
  ctx.clear_sent();

  const Message first = client_request(1, "increment", "k1", 1);
  node->on_message(ctx, kClient, first);
  node->on_message(ctx, kClient, first);
  CHECK(node->value_of("k1") == Value(1));
  CHECK(node->log().last_index() == 1);
  const auto replies = ctx.sent_of<ClientReply>(kClient);
  REQUIRE(replies.size() == 2);
  for (const ClientReply* reply : replies) {
    CHECK(reply->op_id == 1);
    CHECK(reply->outcome == ClientReply::Outcome::kOk);
  }

  node->on_message(ctx, kClient, client_request(2, "increment", "k1", 1));
  ctx.clear_sent();
  node->on_message(ctx, kClient, first);
  CHECK(node->value_of("k1") == Value(2));
  CHECK(node->log().last_index() == 2);
  CHECK(ctx.sent_count<ClientReply>() == 0);
}

TEST_CASE("pb: in sync mode a copy of a waiting increment waits with it") {
  // The copy arrives before the backups confirmed the entry: it must neither be applied again
  // nor be answered early. Once confirmed, the client hears one ok; a later copy hears it again.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3, {{"mode", "sync"}, {"acks", "1"}});
  node->on_start(ctx);
  const Message request = client_request(1, "increment", "k1", 5);
  node->on_message(ctx, kClient, request);
  node->on_message(ctx, kClient, request);
  CHECK(ctx.sent_count<ClientReply>() == 0);
  CHECK(node->log().last_index() == 1);
  node->on_message(ctx, kN2, ack(1, 1));
  REQUIRE(ctx.sent_count<ClientReply>(kClient) == 1);
  CHECK(last_sent<ClientReply>(ctx, kClient)->outcome == ClientReply::Outcome::kOk);
  node->on_message(ctx, kClient, request);
  REQUIRE(ctx.sent_count<ClientReply>(kClient) == 2);
  CHECK(last_sent<ClientReply>(ctx, kClient)->outcome == ClientReply::Outcome::kOk);
  CHECK(node->value_of("k1") == Value(5));
  CHECK(node->log().last_index() == 1);
}

TEST_CASE("pb: a copy that reaches the primary after its restart is still recognised") {
  // Which requests took effect is part of the log, so a restarted primary (failover=none) that
  // reloads its log still knows the increment was applied, and a late copy does not count again.
  testing::PumpCluster cluster{3, factory(3, {})};
  const auto op = cluster.request(0, "increment", "k1", 1);
  cluster.deliver_all();
  REQUIRE(cluster.replied_ok(op));
  cluster.crash(0);
  cluster.restart(0);
  cluster.deliver_all();
  REQUIRE(cluster.node_as<PrimaryBackupNode>(0).is_leader());
  cluster.resend(op, 0);
  cluster.deliver_all();
  CHECK(cluster.replies_to(op).size() == 2);
  for (NodeId id = 0; id < 3; ++id) {
    CHECK(cluster.node_as<PrimaryBackupNode>(id).value_of("k1") == Value(1));
  }
}
