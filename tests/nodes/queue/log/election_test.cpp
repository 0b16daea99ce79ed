// Leadership changes in the log protocol: the controller fences a silent broker and elects from
// the ISR (or, unclean, from any live replica); followers of a new leader truncate by epoch.
// Three brokers; n1 is the controller; partition 0 has replicas [n2 n3 n1] (or [n2 n3] with
// replication_factor 2) and starts led by n2.
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

TEST_CASE("log: acks=1 messages of a leader cut off from the others vanish after the failover") {
  // The reference's K-L2. Two messages reach every replica in epoch 1. Then n2 is cut off from
  // n1 and n3 but its producer still reaches it: it acknowledges three more with acks=1. The
  // controller fences n2 after session_timeout and elects n3 (epoch 2), which takes two
  // publishes at offsets 2 and 3. After the heal n2 learns of epoch 2, follows n3, and its
  // fetch names epoch 1: n3's epoch 1 ends at offset 2, so n2 truncates offsets 2..4, the three
  // acknowledged messages, and copies n3's log.
  LogCluster cluster{3, {{"acks", "1"}}};
  cluster.publish(kN2, 1);
  cluster.publish(kN2, 2);
  cluster.pump().advance(300ms);
  REQUIRE(cluster.node(kN2).high_watermark(0) == 2);

  cluster.pump().isolate(kN2);
  std::vector<std::uint64_t> acked;
  for (int id = 3; id <= 5; ++id) acked.push_back(cluster.publish(kN2, id));
  cluster.pump().deliver_all();
  for (const auto op : acked) {
    REQUIRE(cluster.publish_reply(op).has_value());
    CHECK(cluster.publish_reply(op)->status.outcome == QueueOutcome::kOk);
  }
  cluster.pump().advance(3s);
  CHECK(cluster.node(kN1).known_state(0).leader == kN3);
  CHECK(cluster.node(kN1).known_state(0).leader_epoch == 2);
  CHECK(cluster.node(kN2).leads(0));  // it has not heard: a zombie leader
  CHECK(cluster.pump().leaders() == std::vector<NodeId>{kN2, kN3});
  cluster.publish(kN3, 6);
  cluster.publish(kN3, 7);
  cluster.pump().advance(300ms);

  cluster.pump().heal();
  cluster.pump().advance(1s);
  CHECK_FALSE(cluster.node(kN2).leads(0));
  CHECK(cluster.events_of(kN2, NodeEventKind::kSteppedDown) == 1);
  REQUIRE(cluster.events_of(kN2, NodeEventKind::kEntriesDropped) == 1);
  const NodeEvent* dropped = cluster.first_event(kN2, NodeEventKind::kEntriesDropped);
  CHECK(dropped->count == 3);
  CHECK(dropped->text ==
        "truncated orders/0 offsets 2..4 (epoch 1) to follow the leader of epoch 2");
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{1, 2, 6, 7});
  CHECK(cluster.ids_on(kN3) == std::vector<std::int64_t>{1, 2, 6, 7});
  CHECK(cluster.node(kN2).state_digest() == cluster.node(kN3).state_digest());
}

TEST_CASE("log: with acks=all the cut-off leader acknowledges nothing, and nothing is lost") {
  // The same cut under acks=all: n2 cannot shrink its ISR without the controller, so its
  // publishes wait unanswered (the producer would time out: unknown, not lost); after the heal
  // they are truncated, but none was acknowledged.
  LogCluster cluster{3, {{"acks", "all"}, {"min_insync_replicas", "2"}}};
  cluster.pump().isolate(kN2);
  const auto op = cluster.publish(kN2, 3);
  cluster.pump().advance(3s);
  CHECK_FALSE(cluster.publish_reply(op).has_value());
  const auto on_new = cluster.publish(kN3, 4);
  cluster.pump().advance(300ms);
  REQUIRE(cluster.publish_reply(on_new).has_value());
  CHECK(cluster.publish_reply(on_new)->status.outcome == QueueOutcome::kOk);
  cluster.pump().heal();
  cluster.pump().advance(1s);
  CHECK_FALSE(cluster.publish_reply(op).has_value());
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{4});
}

TEST_CASE("log: clean election only: an ISR of one dead broker leaves the partition offline") {
  // replication_factor 2: partition 0 on [n2 n3]. n3 is cut off from n2 and leaves the ISR; n2
  // acknowledges a message alone (min_insync_replicas 1) and crashes. No ISR member is alive, so
  // the controller elects nobody: the partition refuses publishes, and the message is not lost.
  LogCluster cluster{3, {{"replication_factor", "2"}, {"flush", "every"}}};
  cluster.pump().cut(kN2, kN3);
  cluster.pump().advance(2500ms);
  REQUIRE(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{1});
  const auto op = cluster.publish(kN2, 8);
  cluster.pump().deliver_all();
  REQUIRE(cluster.publish_reply(op).has_value());
  CHECK(cluster.publish_reply(op)->status.outcome == QueueOutcome::kOk);
  cluster.pump().crash(kN2);
  cluster.pump().heal();
  cluster.pump().advance(3s);
  CHECK(cluster.node(kN1).known_state(0).leader == kNoNode);
  CHECK(cluster.node(kN3).known_state(0).leader == kNoNode);
  CHECK(cluster.events_of(kN1, NodeEventKind::kUncleanElection) == 0);
  const auto refused = cluster.publish(kN3, 9);
  cluster.pump().deliver_all();
  CHECK(cluster.publish_reply(refused)->status.error == "no leader");

  // n2 returns: the only ISR member leads again, with the message.
  cluster.pump().restart(kN2);
  cluster.pump().advance(1s);
  CHECK(cluster.node(kN2).leads(0));
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{8});
}

TEST_CASE("log: an unclean election makes an out-of-sync replica leader and loses what it lacks") {
  // replication_factor 2 and unclean_leader_election: n3 is cut off from n2 and leaves the ISR;
  // n2 acknowledges message 8 alone, then is cut off from everyone. The controller fences it
  // and, with no live ISR member, makes n3 leader although it is not in the ISR: message 8 is
  // gone. After the heal n2 follows n3 and truncates the entry it had counted as committed.
  LogCluster cluster{3, {{"replication_factor", "2"}, {"unclean_leader_election", "true"}}};
  cluster.pump().cut(kN2, kN3);
  cluster.pump().advance(2500ms);
  REQUIRE(cluster.node(kN2).known_state(0).isr == std::vector<NodeId>{1});
  const auto op = cluster.publish(kN2, 8);
  cluster.pump().advance(100ms);
  REQUIRE(cluster.publish_reply(op).has_value());
  REQUIRE(cluster.node(kN2).high_watermark(0) == 1);
  cluster.pump().isolate(kN2);
  cluster.pump().advance(3s);
  CHECK(cluster.node(kN1).known_state(0).leader == kN3);
  CHECK(cluster.node(kN1).known_state(0).isr == std::vector<NodeId>{2});
  REQUIRE(cluster.events_of(kN1, NodeEventKind::kUncleanElection) == 1);
  CHECK(cluster.first_event(kN1, NodeEventKind::kUncleanElection)->text ==
        "made n3 leader of orders/0 (epoch 2) from outside the ISR: messages it lacks are lost");
  CHECK(cluster.ids_on(kN3).empty());
  cluster.publish(kN3, 9);
  cluster.pump().advance(100ms);

  cluster.pump().heal();
  cluster.pump().advance(1s);
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{9});
  CHECK(cluster.events_of(kN2, NodeEventKind::kEntriesDropped) == 1);
  REQUIRE(cluster.events_of(kN2, NodeEventKind::kCommittedLost) == 1);
  CHECK(cluster.first_event(kN2, NodeEventKind::kCommittedLost)->count == 1);
}

TEST_CASE("log: a broker that restarts loses leadership and rejoins the ISR after catching up") {
  // n2 crashes and restarts before its session expires. Its new incarnation tells the
  // controller it may have lost its log (flush=never: it did), so leadership moves to n3 and n2
  // returns as a follower that copies the log back.
  LogCluster cluster{3, {{"acks", "all"}}};
  cluster.publish(kN2, 1);
  cluster.pump().advance(300ms);
  cluster.pump().crash(kN2);
  cluster.pump().advance(500ms);
  cluster.pump().restart(kN2);
  cluster.pump().advance(100ms);
  CHECK(cluster.node(kN1).known_state(0).leader == kN3);
  cluster.pump().advance(1s);
  CHECK(cluster.ids_on(kN2) == std::vector<std::int64_t>{1});
  CHECK(cluster.node(kN1).known_state(0).isr == std::vector<NodeId>{0, 1, 2});
}
