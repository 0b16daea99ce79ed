// The log protocol's replication rules, driven by hand on a PumpCluster of three brokers: n1 is
// the controller, partition 0 has replicas [n2 n3 n1] and starts led by n2.
#include <doctest/doctest.h>

#include "log_test_util.h"

using namespace capsim;
using namespace capsim::log;
using namespace capsim::log::test;
using namespace std::chrono_literals;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
}  // namespace

TEST_CASE("log: the preferred leader leads epoch 1 with every replica in sync") {
  LogCluster cluster{3};
  for (NodeId id = 0; id < 3; ++id) {
    const PartitionState& state = cluster.node(id).known_state(0);
    CHECK(state.leader == kN2);
    CHECK(state.leader_epoch == 1);
    CHECK(state.isr == std::vector<NodeId>{0, 1, 2});
  }
  CHECK(cluster.pump().leaders() == std::vector<NodeId>{kN2});
  CHECK(cluster.events_of(kN2, NodeEventKind::kElected) == 1);
}

TEST_CASE("log: acks=all answers only when every ISR member has the message") {
  // n3 is cut off from the leader but still in the ISR (its lag time has not passed): n1 copies
  // the message, the high watermark stays at 0 and the producer waits. Once n3 is dropped from
  // the ISR (after replica_lag_time_max) the high watermark passes the message and it is
  // acknowledged with its offset.
  LogCluster cluster{3};
  cluster.pump().cut(kN2, kN3);
  const auto op = cluster.publish(kN2, 11);
  cluster.pump().advance(1s);
  CHECK_FALSE(cluster.publish_reply(op).has_value());
  CHECK(cluster.node(kN2).pending_count(0) == 1);
  CHECK(cluster.ids_on(kN1) == std::vector<std::int64_t>{11});
  CHECK(cluster.node(kN2).high_watermark(0) == 0);
  cluster.pump().advance(1500ms);
  const auto reply = cluster.publish_reply(op);
  REQUIRE(reply.has_value());
  CHECK(reply->status.outcome == QueueOutcome::kOk);
  CHECK(reply->offset == 0);
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1});
}

TEST_CASE("log: acks=all with every follower in sync answers after one fetch round") {
  LogCluster cluster{3};
  const auto op = cluster.publish(kN2, 5);
  cluster.pump().deliver_all();
  CHECK_FALSE(cluster.publish_reply(op).has_value());
  cluster.pump().advance(200ms);
  REQUIRE(cluster.publish_reply(op).has_value());
  CHECK(cluster.publish_reply(op)->offset == 0);
  CHECK(cluster.node(kN2).high_watermark(0) == 1);
}

TEST_CASE("log: min_insync_replicas refuses acks=all publishes once the ISR is too small") {
  // With min_insync_replicas=3, losing n3 from the ISR makes the partition refuse publishes
  // before appending anything; it accepts them again once n3 has caught up and rejoined.
  LogCluster cluster{3, {{"min_insync_replicas", "3"}}};
  cluster.pump().cut(kN2, kN3);
  cluster.pump().advance(2500ms);
  REQUIRE(cluster.node(kN2).known_state(0).isr.size() == 2);
  const auto op = cluster.publish(kN2, 1);
  cluster.pump().deliver_all();
  const auto reply = cluster.publish_reply(op);
  REQUIRE(reply.has_value());
  CHECK(reply->status.outcome == QueueOutcome::kFail);
  CHECK_FALSE(reply->status.answered);
  CHECK(reply->status.error == "not enough in-sync replicas");
  CHECK(cluster.node(kN2).log_of(0).end_offset() == 0);

  cluster.pump().heal();
  cluster.pump().advance(500ms);
  CHECK(cluster.node(kN2).known_state(0).isr.size() == 3);
  const auto again = cluster.publish(kN2, 2);
  cluster.pump().advance(300ms);
  REQUIRE(cluster.publish_reply(again).has_value());
  CHECK(cluster.publish_reply(again)->status.outcome == QueueOutcome::kOk);
}

TEST_CASE("log: a follower leaves the ISR after the lag time and rejoins when caught up") {
  // Within replica_lag_time_max (2s) nothing changes; after it the leader shrinks the ISR
  // through the controller and says so; after the heal n3 catches up and is taken back.
  LogCluster cluster{3, {{"acks", "1"}}};
  cluster.pump().cut(kN2, kN3);
  cluster.publish(kN2, 1);
  cluster.pump().advance(1500ms);
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1, 2});
  cluster.pump().advance(1s);
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1});
  CHECK(cluster.node(kN1).known_state(0).isr == std::vector<NodeId>{0, 1});
  CHECK(cluster.events_of(kN2, NodeEventKind::kIsrShrunk) == 1);
  CHECK(cluster.pump().noted(kN2, "log: orders/0 isr shrinks to [n1 n2] (without [n3])"));

  cluster.pump().heal();
  cluster.pump().advance(500ms);
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1, 2});
  CHECK(cluster.events_of(kN2, NodeEventKind::kIsrExpanded) == 1);
  CHECK(cluster.ids_on(kN3) == std::vector<std::int64_t>{1});
}

TEST_CASE("log: an ISR expansion whose answer is lost keeps counting the new member") {
  // n3 drops out of the ISR, then catches up; the leader n2 proposes [n1 n2 n3], the controller
  // (n1) accepts, and its answer to n2 is lost. n2 cannot know whether the change took effect,
  // so until it hears, its high watermark must still wait for n3: the controller may elect n3
  // as the next leader. Were the proposal dropped after a while, n2 would acknowledge with n1
  // alone, and a failover to n3 would lose that acknowledged message.
  LogCluster cluster{3, {{"acks", "all"}}};
  cluster.pump().cut(kN2, kN3);
  cluster.pump().advance(2500ms);
  REQUIRE(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1});
  cluster.pump().heal();
  cluster.pump().cut_kind(kN1, kN2, "log.metadata");
  cluster.pump().advance(2s);  // n3 rejoins at the controller; n2 never hears, and asks again
  CHECK(cluster.node(kN1).known_state(0).isr == std::vector<NodeId>{0, 1, 2});
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1});

  cluster.pump().cut(kN2, kN3);
  const auto op = cluster.publish(kN2, 7);
  cluster.pump().advance(1s);
  CHECK(cluster.ids_on(kN1) == std::vector<std::int64_t>{7});
  CHECK(cluster.ids_on(kN3).empty());
  CHECK_FALSE(cluster.publish_reply(op).has_value());  // n3, maybe in the ISR, lacks it

  // Once n2 hears the controller again it learns the ISR, drops the lagging n3 through the
  // controller, and answers: by then every member of the controller's ISR has the message.
  cluster.pump().heal();
  cluster.pump().cut(kN2, kN3);
  cluster.pump().advance(3s);
  const auto reply = cluster.publish_reply(op);
  REQUIRE(reply.has_value());
  CHECK(reply->status.outcome == QueueOutcome::kOk);
  for (const NodeId member : cluster.node(kN1).known_state(0).isr) {
    CAPTURE(member);
    CHECK(cluster.ids_on(member) == std::vector<std::int64_t>{7});
  }
}

TEST_CASE("log: a busy follower that reaches the previous end at every fetch stays in the ISR") {
  // Kafka's lastCaughtUpTimeMs: a follower also counts as caught up, as of its previous fetch,
  // when a fetch reaches the end the leader had at that previous fetch. With a publish before
  // every fetch round the followers are never at the leader's end when it checks, for far
  // longer than the lag time, yet they keep up, and this rule keeps them in.
  LogCluster cluster{3, {{"acks", "1"}}};
  for (int i = 0; i < 60; ++i) {
    cluster.publish(kN2, i);
    cluster.pump().advance(50ms);
  }
  CHECK(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{0, 1, 2});
  CHECK(cluster.events_of(kN2, NodeEventKind::kIsrShrunk) == 0);
}

TEST_CASE("log: the high watermark moves with the followers and bounds what consumers read") {
  // acks=1 answers at once with the offset, but consumers see the message only once both
  // followers fetched it; followers learn the high watermark one fetch later than the leader.
  LogCluster cluster{3, {{"acks", "1"}}};
  const auto op = cluster.publish(kN2, 42);
  cluster.pump().deliver_all();
  REQUIRE(cluster.publish_reply(op).has_value());
  CHECK(cluster.publish_reply(op)->offset == 0);
  CHECK(cluster.node(kN2).high_watermark(0) == 0);
  const LogFetchReply before = cluster.consume(kN2, 0, 0);
  CHECK(before.status.outcome == QueueOutcome::kOk);
  CHECK(before.messages.empty());
  CHECK(before.high_watermark == 0);

  cluster.pump().advance(60ms);  // one fetch round: the followers copy offset 0
  CHECK(cluster.node(kN3).log_of(0).end_offset() == 1);
  CHECK(cluster.node(kN3).high_watermark(0) == 0);
  cluster.pump().advance(50ms);  // the next fetches move the leader's HW, then tell n3
  CHECK(cluster.node(kN2).high_watermark(0) == 1);
  cluster.pump().advance(50ms);
  CHECK(cluster.node(kN3).high_watermark(0) == 1);
  const LogFetchReply after = cluster.consume(kN2, 0, 0);
  REQUIRE(after.messages.size() == 1);
  CHECK(after.messages[0].message_id == Value(42));
  CHECK(after.messages[0].offset == 0);

  // A follower redirects consumers to the leader; an offset past the end is out of range.
  CHECK(cluster.consume(kN3, 0, 0).status.outcome == QueueOutcome::kRedirect);
  CHECK(cluster.consume(kN3, 0, 0).status.leader_hint == kN2);
  CHECK(cluster.consume(kN2, 0, 5).status.error == "offset out of range");
}

TEST_CASE("log: acks=0 answers before the append, without an offset") {
  LogCluster cluster{3, {{"acks", "0"}}};
  const auto op = cluster.publish(kN2, 3);
  cluster.pump().deliver_all();
  REQUIRE(cluster.publish_reply(op).has_value());
  CHECK(cluster.publish_reply(op)->offset == -1);
  CHECK(cluster.node(kN2).log_of(0).end_offset() == 1);
}

TEST_CASE("log: a publish to a follower is redirected to the leader; bad targets are answered") {
  LogCluster cluster{3};
  const auto op = cluster.publish(kN3, 1);
  cluster.pump().deliver_all();
  REQUIRE(cluster.publish_reply(op).has_value());
  CHECK(cluster.publish_reply(op)->status.outcome == QueueOutcome::kRedirect);
  CHECK(cluster.publish_reply(op)->status.leader_hint == kN2);
  const auto bad = cluster.publish(kN2, 1, /*partition=*/4);
  cluster.pump().deliver_all();
  CHECK(cluster.publish_reply(bad)->status.error == "unknown partition");
  CHECK(cluster.publish_reply(bad)->status.answered);
}

TEST_CASE("log: an idempotent retry is answered with the original offset, not appended again") {
  // Producer 7 sends sequence 0 twice (a retry after a lost reply): one entry, both answers
  // offset 0, the second marked duplicate. A gap in the sequence is refused. A producer without
  // an id that retries gets two entries.
  LogCluster cluster{3, {{"acks", "1"}}};
  const auto first = cluster.publish(kN2, 100, 0, /*producer_id=*/7, /*sequence=*/0);
  const auto retry = cluster.publish(kN2, 100, 0, 7, 0);
  const auto next = cluster.publish(kN2, 101, 0, 7, 1);
  const auto gap = cluster.publish(kN2, 103, 0, 7, 3);
  cluster.pump().deliver_all();
  CHECK(cluster.publish_reply(first)->offset == 0);
  CHECK_FALSE(cluster.publish_reply(first)->duplicate);
  CHECK(cluster.publish_reply(retry)->offset == 0);
  CHECK(cluster.publish_reply(retry)->duplicate);
  CHECK(cluster.publish_reply(next)->offset == 1);
  CHECK(cluster.publish_reply(gap)->status.outcome == QueueOutcome::kFail);
  CHECK(cluster.publish_reply(gap)->status.error == "out of order sequence");
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{100, 101});

  cluster.publish(kN2, 200);
  cluster.publish(kN2, 200);
  cluster.pump().deliver_all();
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{100, 101, 200, 200});
}

TEST_CASE("log: a new leader deduplicates retries of what its predecessor appended") {
  // The producer state is rebuilt from the replicated entries, so a retry that reaches the
  // next leader after a failover is still recognised.
  LogCluster cluster{3, {{"acks", "all"}}};
  const auto op = cluster.publish(kN2, 9, 0, 5, 0);
  cluster.pump().advance(300ms);
  REQUIRE(cluster.publish_reply(op).has_value());
  cluster.pump().crash(kN2);
  cluster.pump().advance(3s);
  REQUIRE(cluster.node(kN3).leads(0));
  const auto retry = cluster.publish(kN3, 9, 0, 5, 0);
  cluster.pump().advance(300ms);
  REQUIRE(cluster.publish_reply(retry).has_value());
  CHECK(cluster.publish_reply(retry)->duplicate);
  CHECK(cluster.publish_reply(retry)->offset == 0);
  CHECK(cluster.ids_on(kN3) == std::vector<std::int64_t>{9});
}
