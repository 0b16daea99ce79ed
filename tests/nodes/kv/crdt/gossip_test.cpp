// Small crdt clusters in a PumpCluster: gossip spreads updates, every replica answers during a
// partition, replicas converge after the heal, and a restart keeps acknowledged updates.
#include <doctest/doctest.h>

#include <set>

#include "crdt_test_util.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace capsim::crdt::test;
using namespace std::chrono_literals;
using testing::PumpCluster;
using testing::RecordingContext;

namespace {

// True when every replica that is up has the same digest.
bool converged(PumpCluster& cluster) {
  std::set<std::string> digests;
  for (NodeId id = 0; id < cluster.size(); ++id) {
    if (cluster.is_up(id)) digests.insert(cluster.node(id).state_digest());
  }
  return digests.size() == 1;
}

// Sends one request to `id`, delivers everything in flight, and says whether it was ok.
bool ask_ok(PumpCluster& cluster, NodeId id, std::string f, std::string key, Value value) {
  const auto op = cluster.request(id, std::move(f), std::move(key), std::move(value));
  cluster.deliver_all();
  return cluster.replied_ok(op);
}

Value read_at(PumpCluster& cluster, NodeId id, const std::string& key) {
  const auto op = cluster.request(id, "read", key);
  cluster.deliver_all();
  const auto reply = cluster.reply(op);
  REQUIRE(reply.has_value());
  REQUIRE(reply->outcome == ClientReply::Outcome::kOk);
  return reply->value;
}

}  // namespace

TEST_CASE("crdt: gossip spreads each replica's updates to all of them") {
  // Each of five replicas takes updates of every type from a client; a few gossip rounds later
  // all hold the same values: the sum of the increments and the union of the adds.
  PumpCluster cluster{5, factory(5, {{"gossip_interval", "50ms"}, {"fanout", "2"}}), 11};
  for (NodeId id = 0; id < 5; ++id) {
    CHECK(ask_ok(cluster, id, "increment", "k1", static_cast<int>(id + 1)));
    CHECK(ask_ok(cluster, id, "add", "k2", static_cast<int>(10 - id)));
  }
  cluster.deliver_all();
  CHECK_FALSE(converged(cluster));
  cluster.advance(1s);
  CHECK(converged(cluster));
  CHECK(read_at(cluster, 3, "k1") == Value(15));
  CHECK(read_at(cluster, 0, "k2") == Value(Value::List{6, 7, 8, 9, 10}));
  CHECK(cluster.node(4).state_digest() == "k1=15;k2=[6 7 8 9 10]");
}

TEST_CASE("crdt: both sides of a partition answer, and converge with nothing lost after heal") {
  // n1 is cut off from n2 and n3. Clients on both sides keep incrementing and adding: every
  // operation is acknowledged. The sides diverge; after the heal every increment and every add
  // is on every replica.
  PumpCluster cluster{3, factory(3), 5};
  cluster.advance(200ms);
  cluster.isolate(0);
  int acknowledged = 0;
  for (int round = 0; round < 10; ++round) {
    for (NodeId id = 0; id < 3; ++id) {
      const auto inc = cluster.request(id, "increment", "count", 1);
      const auto add = cluster.request(id, "add", "set", round * 3 + static_cast<int>(id));
      cluster.deliver_all();
      acknowledged += cluster.replied_ok(inc) + cluster.replied_ok(add);
    }
    cluster.advance(100ms);
  }
  CHECK(acknowledged == 60);
  cluster.advance(1s);  // each side settles on its own
  CHECK(read_at(cluster, 0, "count") == Value(10));
  CHECK(read_at(cluster, 1, "count") == Value(20));
  CHECK_FALSE(converged(cluster));
  cluster.heal();
  cluster.advance(2s);
  CHECK(converged(cluster));
  CHECK(read_at(cluster, 0, "count") == Value(30));
  std::string all = "[0";
  for (int i = 1; i < 30; ++i) all += " " + std::to_string(i);
  CHECK(read_at(cluster, 2, "set").to_text() == all + "]");
}

TEST_CASE("crdt: concurrent lww writes converge on one winner, and the other write is lost") {
  // n1 and n2 both write k1 while cut off from each other; both writes are acknowledged. After
  // the heal every replica holds the same single value: one acknowledged write is gone.
  PumpCluster cluster{2, factory(2), 3};
  cluster.cut(0, 1);
  cluster.advance(10ms);
  const auto first = cluster.request(0, "write", "k1", 1);
  cluster.deliver_all();
  cluster.advance(10ms);
  const auto second = cluster.request(1, "write", "k1", 2);
  cluster.deliver_all();
  CHECK(cluster.replied_ok(first));
  CHECK(cluster.replied_ok(second));
  cluster.heal();
  cluster.advance(1s);
  CHECK(converged(cluster));
  // Same clock on both: the later write wins.
  CHECK(read_at(cluster, 0, "k1") == Value(2));
}

TEST_CASE("crdt: a clock running behind loses its writes to an earlier write") {
  // n2's clock reads 10s behind n1's. n1 writes "a" first; then n2 writes "b". Both are
  // acknowledged, but n2's stamp is smaller, so after gossip both replicas hold "a".
  const Config config = config_from(options_with({}), 2);
  RecordingContext ahead{0, 1};
  RecordingContext behind{1, 2};
  CrdtNode n1{0, config};
  CrdtNode n2{1, config};
  n1.on_start(ahead);
  n2.on_start(behind);
  ahead.set_now(20s);
  behind.set_now(10s);
  n1.on_message(ahead, 5, client_request(1, "write", "k1", "a"));
  behind.advance(1s);  // n2 writes a second later in real time
  n2.on_message(behind, 5, client_request(2, "write", "k1", "b"));
  CHECK(last_reply(ahead).outcome == ClientReply::Outcome::kOk);
  CHECK(last_reply(behind).outcome == ClientReply::Outcome::kOk);
  n1.on_timer(ahead, kGossipTimer);
  n2.on_timer(behind, kGossipTimer);
  const auto from_n1 = ahead.sent_of<Gossip>(1);
  const auto from_n2 = behind.sent_of<Gossip>(0);
  REQUIRE(from_n1.size() == 1);
  REQUIRE(from_n2.size() == 1);
  n2.on_message(behind, 0, Message::of(*from_n1[0]));
  n1.on_message(ahead, 1, Message::of(*from_n2[0]));
  CHECK(n1.value_of("k1") == Value("a"));
  CHECK(n2.value_of("k1") == Value("a"));
}

TEST_CASE("crdt: each gossip round goes to fanout distinct peers, never to the sender") {
  // Over many rounds, every peer is picked at some point and each round has distinct targets.
  const Config config = config_from(options_with({{"fanout", "3"}}), 6);
  RecordingContext ctx{2, 9};
  CrdtNode node{2, config};
  node.on_start(ctx);
  node.on_timer(ctx, kGossipTimer);
  CHECK(ctx.sent.empty());  // nothing to share yet
  node.on_message(ctx, 7, client_request(1, "increment", "k1", 1));
  std::set<NodeId> ever;
  for (int round = 0; round < 50; ++round) {
    ctx.clear_sent();
    node.on_timer(ctx, kGossipTimer);
    std::set<NodeId> targets;
    for (const auto& sent : ctx.sent) {
      REQUIRE(sent.message.is<Gossip>());
      targets.insert(sent.to);
    }
    CHECK(ctx.sent.size() == 3);
    CHECK(targets.size() == 3);
    CHECK(targets.count(2) == 0);
    CHECK(*targets.rbegin() < 6);
    ever.insert(targets.begin(), targets.end());
  }
  CHECK(ever == std::set<NodeId>{0, 1, 3, 4, 5});
  CHECK(ctx.has_timer("gossip"));
}

TEST_CASE("crdt: gossip merged twice or out of order changes nothing more") {
  // An old state arriving after a newer one, or the same state twice, leaves the value alone.
  const Config config = config_from(options_with({}), 2);
  RecordingContext a_ctx{0, 1};
  RecordingContext b_ctx{1, 2};
  CrdtNode a{0, config};
  CrdtNode b{1, config};
  a.on_start(a_ctx);
  b.on_start(b_ctx);
  a.on_message(a_ctx, 5, client_request(1, "increment", "k1", 2));
  a.on_timer(a_ctx, kGossipTimer);
  const Gossip old = *a_ctx.sent_of<Gossip>().back();
  a.on_message(a_ctx, 5, client_request(2, "increment", "k1", 3));
  a.on_timer(a_ctx, kGossipTimer);
  const Gossip newer = *a_ctx.sent_of<Gossip>().back();
  b.on_message(b_ctx, 0, Message::of(newer));
  b.on_message(b_ctx, 0, Message::of(old));
  b.on_message(b_ctx, 0, Message::of(newer));
  CHECK(b.value_of("k1") == Value(5));
  CHECK(b.state() == a.state());
  CHECK(old.describe() == "1 key: k1=2");
}

TEST_CASE("crdt: a restarted replica keeps every acknowledged update and its tags stay unique") {
  // n1 takes updates, crashes (losing whatever was not synced) and restarts: it still holds
  // every acknowledged update. Its next add gets a tag never used before the crash.
  PumpCluster cluster{3, factory(3), 2};
  cluster.isolate(0);  // nothing reaches the peers, so only n1's disk can keep the updates
  CHECK(ask_ok(cluster, 0, "increment", "c", 4));
  CHECK(ask_ok(cluster, 0, "add", "s", 1));
  CHECK(ask_ok(cluster, 0, "write", "r", 9));
  const std::string before = cluster.node(0).state_digest();
  CHECK(before == "c=4;r=9;s=[1]");
  cluster.crash(0);
  cluster.restart(0);
  CHECK(cluster.node(0).state_digest() == before);
  CHECK(ask_ok(cluster, 0, "add", "s", 1));
  const auto& set = std::get<OrSet>(*cluster.node_as<CrdtNode>(0).state().find("s"));
  CHECK(set.added().at(1).size() == 2);
  cluster.heal();
  cluster.advance(2s);
  CHECK(converged(cluster));
}

TEST_CASE("crdt: without sync_disk a crash loses acknowledged updates no peer received") {
  // The teaching option: the ack came before any sync, so the restart finds nothing.
  PumpCluster cluster{3, factory(3, {{"sync_disk", "false"}}), 2};
  cluster.isolate(0);
  CHECK(ask_ok(cluster, 0, "increment", "c", 4));
  cluster.crash(0);
  cluster.restart(0);
  CHECK(cluster.node(0).state_digest().empty());
}

TEST_CASE("crdt: merged gossip reaches the disk with the next update, or comes back by gossip") {
  // n3 learns n1's increments by gossip. Cut off, it takes an update of its own, which writes
  // and syncs the merged state too: after a crash it still holds n1's count without help.
  // Without such an update a crash loses what it merged, and gossip brings it back.
  PumpCluster cluster{3, factory(3), 8};
  for (int i = 0; i < 5; ++i) CHECK(ask_ok(cluster, 0, "increment", "c", 1));
  cluster.advance(1s);
  CHECK(read_at(cluster, 2, "c") == Value(5));
  cluster.crash(2);
  cluster.restart(2);
  CHECK(read_at(cluster, 2, "c").is_nil());  // merged only, never written
  cluster.advance(1s);
  CHECK(read_at(cluster, 2, "c") == Value(5));  // gossip brought it back
  cluster.isolate(2);
  CHECK(ask_ok(cluster, 2, "add", "s", 1));
  cluster.crash(2);
  cluster.restart(2);
  CHECK(read_at(cluster, 2, "c") == Value(5));
  CHECK(cluster.node(2).state_digest() == "c=5;s=[1]");
  cluster.heal();
  cluster.advance(1s);
  CHECK(converged(cluster));
}

TEST_CASE("crdt: a gossip message describes itself briefly, however large the state") {
  // Trace lines show at most four keys and five elements of a set.
  auto state = std::make_shared<ReplicaState>();
  OrSet set;
  for (int i = 1; i <= 8; ++i) set.add(i, Dot{0, static_cast<std::uint64_t>(i)});
  state->create("s", set);
  CHECK(Gossip{state}.describe() == "1 key: s=[1 2 3 4 5 +3 more]");
  for (int k = 1; k <= 5; ++k) {
    PnCounter counter;
    counter.increment(0, k);
    state->create("c" + std::to_string(k), counter);
  }
  CHECK(Gossip{state}.describe() == "6 keys: c1=1 c2=2 c3=3 c4=4 ...");
}
