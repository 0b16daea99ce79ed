// Small quorum clusters in a PumpCluster: hinted handoff, read repair, anti-entropy, and what
// lww and siblings do to concurrent read-modify-writes.
#include <doctest/doctest.h>

#include "quorum_test_util.h"

using namespace capsim;
using namespace capsim::quorum;
using namespace capsim::quorum::test;
using namespace std::chrono_literals;

TEST_CASE("quorum cluster: a write reaches every replica and any node reads it back") {
  testing::PumpCluster cluster{3, factory(3, {})};
  const auto write = cluster.request(1, "write", "k1", 7);
  cluster.deliver_all();
  CHECK(cluster.replied_ok(write));
  for (NodeId id = 0; id < 3; ++id) CHECK(stored_value(cluster, id, "k1") == Value(7));
  const auto read = cluster.request(2, "read", "k1");
  cluster.deliver_all();
  REQUIRE(cluster.replied_ok(read));
  CHECK(cluster.reply(read)->value == Value(7));
  CHECK(cluster.node(0).state_digest() == "k1=7");
}

TEST_CASE("quorum cluster: hinted handoff delivers a sloppy write once the replica is back") {
  // Five nodes, n=3 w=3 sloppy. One preferred replica of k1 is cut off; the write succeeds
  // through a fallback that keeps a hint. After the heal the fallback hands the hint off: the
  // replica holds the value and the fallback holds nothing any more.
  const Overrides options = {{"sloppy", "true"}, {"w", "3"}, {"r", "3"}};
  testing::PumpCluster cluster{5, factory(5, options)};
  const Ring ring(5, config_for(5, options).vnodes);
  const auto walk = ring.walk("k1", 5);
  const NodeId down = walk[1];
  const NodeId fallback = walk[3];
  cluster.isolate(down);
  const auto write = cluster.request(walk[0], "write", "k1", 5);
  cluster.advance(100ms);
  REQUIRE(cluster.replied_ok(write));
  CHECK(stored_value(cluster, down, "k1") == Value());
  CHECK(cluster.node_as<QuorumNode>(fallback).hints().find(down, "k1") != nullptr);
  CHECK(cluster.node_as<QuorumNode>(fallback).state_digest().empty());  // hints are not data

  // A sloppy read during the partition finds the value through the fallback as well.
  const auto read = cluster.request(walk[2], "read", "k1");
  cluster.advance(100ms);
  REQUIRE(cluster.replied_ok(read));
  CHECK(cluster.reply(read)->value == Value(5));

  cluster.heal();
  cluster.advance(1s);
  CHECK(stored_value(cluster, down, "k1") == Value(5));
  CHECK(cluster.node_as<QuorumNode>(fallback).hints().empty());
  CHECK(cluster.noted(fallback, "quorum: handed off"));
}

TEST_CASE("quorum cluster: without sloppy, a write missing its quorum gets no answer") {
  testing::PumpCluster cluster{3, factory(3, {})};
  cluster.isolate(0);
  const auto write = cluster.request(0, "write", "k1", 5);
  const auto read = cluster.request(0, "read", "k1");
  cluster.advance(1s);
  CHECK_FALSE(cluster.reply(write).has_value());  // it is on n1: it may have taken effect
  REQUIRE(cluster.reply(read).has_value());
  CHECK(cluster.reply(read)->outcome == ClientReply::Outcome::kFail);
  CHECK(stored_value(cluster, 0, "k1") == Value(5));
}

TEST_CASE("quorum cluster: read repair brings a replica that missed a write up to date") {
  // n3 misses a w=2 write while cut off. After the heal, a read that includes n3 repairs it.
  testing::PumpCluster cluster{3, factory(3, {{"read_repair", "true"}, {"r", "3"}})};
  cluster.isolate(2);
  const auto write = cluster.request(0, "write", "k1", 9);
  cluster.deliver_all();
  REQUIRE(cluster.replied_ok(write));
  CHECK(stored_value(cluster, 2, "k1") == Value());
  cluster.heal();
  const auto read = cluster.request(1, "read", "k1");
  cluster.deliver_all();
  REQUIRE(cluster.replied_ok(read));
  CHECK(cluster.reply(read)->value == Value(9));
  CHECK(stored_value(cluster, 2, "k1") == Value(9));
}

TEST_CASE("quorum cluster: anti-entropy converges replicas nobody reads") {
  // With w=1 and n3 cut off, writes to three keys reach n1 and n2 only. After the heal, with
  // no reads at all, anti-entropy exchanges bring n3 level: all digests agree.
  testing::PumpCluster cluster{3, factory(3, {{"w", "1"}, {"r", "1"}, {"anti_entropy", "200ms"}})};
  cluster.isolate(2);
  for (int k = 1; k <= 3; ++k) cluster.request(0, "write", "k" + std::to_string(k), k * 10);
  cluster.deliver_all();
  CHECK(cluster.node(2).state_digest().empty());
  CHECK(cluster.node(0).state_digest() != cluster.node(2).state_digest());
  cluster.heal();
  cluster.advance(2s);
  CHECK(cluster.node(2).state_digest() == "k1=10;k2=20;k3=30");
  CHECK(cluster.node(0).state_digest() == cluster.node(2).state_digest());
  CHECK(cluster.node(1).state_digest() == cluster.node(2).state_digest());
}

namespace {
// Two read-modify-writes of k1 coordinated by n1 and n2 at the same moment: both read before
// either writes (the pump interleaves their messages), so neither sees the other's effect.
std::pair<std::uint64_t, std::uint64_t> concurrent(testing::PumpCluster& cluster, std::string f,
                                                   Value a, Value b) {
  const auto first = cluster.request(0, f, "k1", std::move(a));
  const auto second = cluster.request(1, f, "k1", std::move(b));
  cluster.deliver_all();
  return {first, second};
}
}  // namespace

TEST_CASE("quorum cluster: under lww one of two concurrent increments is lost") {
  testing::PumpCluster cluster{3, factory(3, {})};
  const auto [a, b] = concurrent(cluster, "increment", 1, 1);
  CHECK(cluster.replied_ok(a));
  CHECK(cluster.replied_ok(b));
  const auto read = cluster.request(2, "read", "k1");
  cluster.deliver_all();
  CHECK(cluster.reply(read)->value == Value(1));  // two acknowledged increments, count 1
}

TEST_CASE("quorum cluster: siblings keep concurrent adds and a read merges them by union") {
  testing::PumpCluster cluster{3, factory(3, {{"conflict", "siblings"}})};
  const auto [a, b] = concurrent(cluster, "add", 1, 2);
  CHECK(cluster.replied_ok(a));
  CHECK(cluster.replied_ok(b));
  CHECK(cluster.node_as<QuorumNode>(2).store().find("k1")->size() == 2);  // two siblings
  const auto read = cluster.request(2, "read", "k1");
  cluster.deliver_all();
  CHECK(cluster.reply(read)->value == Value(Value::List{1, 2}));
  // The next add reads both siblings, so its version supersedes them.
  const auto third = cluster.request(2, "add", "k1", 3);
  cluster.deliver_all();
  CHECK(cluster.replied_ok(third));
  CHECK(cluster.node_as<QuorumNode>(2).store().find("k1")->size() == 1);
  CHECK(stored_value(cluster, 2, "k1") == Value(Value::List{1, 2, 3}));
}

TEST_CASE("quorum cluster: under lww one of two concurrent adds is lost") {
  testing::PumpCluster cluster{3, factory(3, {})};
  concurrent(cluster, "add", 1, 2);
  const auto read = cluster.request(2, "read", "k1");
  cluster.deliver_all();
  REQUIRE(cluster.reply(read)->value.is_list());
  CHECK(cluster.reply(read)->value.list().size() == 1);
}

TEST_CASE("quorum cluster: a restarted replica keeps what it acknowledged") {
  testing::PumpCluster cluster{3, factory(3, {{"w", "3"}})};
  const auto write = cluster.request(0, "write", "k1", 4);
  cluster.deliver_all();
  REQUIRE(cluster.replied_ok(write));
  cluster.crash(2);
  cluster.restart(2);
  CHECK(stored_value(cluster, 2, "k1") == Value(4));
}

TEST_CASE("quorum cluster: a duplicated increment is coordinated once") {
  // A read-modify-write started twice would read the first one's result and add again. The
  // copy that arrives while the first copy is under way is ignored; the first copy's answer is
  // the only one. A copy that arrives after the answer gets the same answer and starts nothing.
  testing::PumpCluster cluster{3, factory(3, {})};
  const auto op = cluster.request(0, "increment", "k1", 1);
  cluster.duplicate_next();
  cluster.advance(100ms);
  REQUIRE(cluster.replies_to(op).size() == 1);
  CHECK(cluster.replied_ok(op));
  CHECK(cluster.node_as<QuorumNode>(0).pending_operations() == 0);

  cluster.resend(op, 0);
  cluster.advance(100ms);
  const auto replies = cluster.replies_to(op);
  REQUIRE(replies.size() == 2);
  CHECK(replies[1].outcome == ClientReply::Outcome::kOk);
  CHECK(replies[1].value == replies[0].value);
  for (NodeId id = 0; id < 3; ++id) CHECK(stored_value(cluster, id, "k1") == Value(1));

  // The next increment of the same client is new and counts.
  const auto next = cluster.request(0, "increment", "k1", 1);
  cluster.advance(100ms);
  REQUIRE(cluster.replied_ok(next));
  for (NodeId id = 0; id < 3; ++id) CHECK(stored_value(cluster, id, "k1") == Value(2));
}
