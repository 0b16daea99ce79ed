// The broker with replication raft on small scripted clusters: a publish is confirmed only once
// committed, followers redirect, a new leader keeps every committed message, and a receipt's
// visibility deadline is the same on every replica and survives a change of leader.
#include <doctest/doctest.h>

#include "nodes/queue/broker/broker_node.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"

using namespace capsim;
using namespace capsim::broker;
using namespace std::chrono_literals;
using capsim::testing::PumpCluster;

namespace {

constexpr std::uint32_t kNodes = 3;

PumpCluster::Factory raft_brokers(const testing::OptionOverrides& extra = {}) {
  testing::OptionOverrides overrides = {{"queues", "q"}, {"replication", "raft"}};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  const Config config = config_from(testing::options_with(protocol_info(), overrides), kNodes);
  return [config](NodeId id) { return std::make_unique<BrokerNode>(id, config); };
}

Message publish(std::uint64_t op_id, std::int64_t id) {
  QueuePublish request;
  request.op_id = op_id;
  request.queue = "q";
  request.message_id = Value(id);
  return Message::of(std::move(request));
}

Message receive(std::uint64_t op_id, std::uint32_t max, bool drain = false) {
  QueueReceive request;
  request.op_id = op_id;
  request.queue = "q";
  request.max = max;
  request.drain = drain;
  return Message::of(std::move(request));
}

Message ack(std::uint64_t op_id, std::vector<std::uint64_t> receipts) {
  QueueAck request;
  request.op_id = op_id;
  request.queue = "q";
  request.receipts = std::move(receipts);
  return Message::of(std::move(request));
}

template <class Reply>
std::optional<Reply> reply_to(const PumpCluster& cluster, std::uint64_t op_id) {
  for (const Reply& reply : cluster.client_received<Reply>()) {
    if (reply.status.op_id == op_id) return reply;
  }
  return std::nullopt;
}

NodeId sole_leader(const PumpCluster& cluster) {
  const auto leaders = cluster.leaders();
  REQUIRE(leaders.size() == 1);
  return leaders[0];
}

std::vector<std::int64_t> ids_of(const std::vector<QueueDelivery>& deliveries) {
  std::vector<std::int64_t> ids;
  for (const QueueDelivery& delivery : deliveries) ids.push_back(delivery.message_id.integer());
  return ids;
}

}  // namespace

TEST_CASE("broker raft: a publish is confirmed only once a majority holds it") {
  PumpCluster cluster{kNodes, raft_brokers()};
  cluster.advance(2s);
  const NodeId leader = sole_leader(cluster);
  // Cut from both followers, the leader appends the publish but cannot commit it: no answer.
  for (NodeId peer = 0; peer < kNodes; ++peer) {
    if (peer != leader) cluster.cut(leader, peer);
  }
  cluster.client_send(leader, publish(1, 17));
  cluster.advance(150ms);  // below election_timeout_min: the followers still wait
  CHECK_FALSE(reply_to<QueuePublishReply>(cluster, 1).has_value());
  CHECK(cluster.node_as<BrokerNode>(leader).state().depth("q") == 0);
  CHECK(cluster.node_as<BrokerNode>(leader).consensus().log().last_index() >
        cluster.node_as<BrokerNode>(leader).consensus().commit_index());
  // Once a follower has it, it commits, is applied, and the publish is confirmed.
  cluster.heal();
  cluster.advance(100ms);
  REQUIRE(reply_to<QueuePublishReply>(cluster, 1).has_value());
  CHECK(reply_to<QueuePublishReply>(cluster, 1)->status.outcome == QueueOutcome::kOk);
  CHECK(cluster.node_as<BrokerNode>(leader).state().depth("q") == 1);
}

TEST_CASE("broker raft: a follower redirects to the leader, and refuses while none is known") {
  PumpCluster cluster{kNodes, raft_brokers()};
  cluster.client_send(1, publish(1, 1));
  cluster.deliver_all();
  const auto early = reply_to<QueuePublishReply>(cluster, 1);
  REQUIRE(early.has_value());
  CHECK(early->status.outcome == QueueOutcome::kFail);
  CHECK_FALSE(early->status.answered);  // a refusal: nothing was judged
  CHECK(early->status.error == "no leader known");

  cluster.advance(2s);
  const NodeId leader = sole_leader(cluster);
  const NodeId follower = (leader + 1) % kNodes;
  cluster.client_send(follower, publish(2, 2));
  cluster.client_send(follower, receive(3, 10));
  cluster.deliver_all();
  const auto redirected = reply_to<QueuePublishReply>(cluster, 2);
  REQUIRE(redirected.has_value());
  CHECK(redirected->status.outcome == QueueOutcome::kRedirect);
  CHECK(redirected->status.leader_hint == leader);
  const auto receive_redirected = reply_to<QueueReceiveReply>(cluster, 3);
  REQUIRE(receive_redirected.has_value());
  CHECK(receive_redirected->status.outcome == QueueOutcome::kRedirect);
  CHECK(cluster.node_as<BrokerNode>(follower).state().depth("q") == 0);
}

TEST_CASE("broker raft: a new leader keeps every committed message, and the replicas agree") {
  PumpCluster cluster{kNodes, raft_brokers()};
  cluster.advance(2s);
  const NodeId old_leader = sole_leader(cluster);
  for (std::uint64_t op = 1; op <= 5; ++op) {
    cluster.client_send(old_leader, publish(op, static_cast<std::int64_t>(op * 10)));
    cluster.advance(20ms);
    REQUIRE(reply_to<QueuePublishReply>(cluster, op).has_value());
    CHECK(reply_to<QueuePublishReply>(cluster, op)->status.outcome == QueueOutcome::kOk);
  }
  cluster.crash(old_leader);
  cluster.advance(2s);
  const NodeId new_leader = sole_leader(cluster);
  REQUIRE(new_leader != old_leader);
  cluster.restart(old_leader);
  cluster.advance(500ms);
  // Every replica, the restarted one included, applied the same queue.
  const std::string digest = cluster.node(new_leader).state_digest();
  for (NodeId id = 0; id < kNodes; ++id) CHECK(cluster.node(id).state_digest() == digest);
  cluster.client_send(new_leader, receive(6, 0, true));
  cluster.advance(20ms);
  const auto drained = reply_to<QueueReceiveReply>(cluster, 6);
  REQUIRE(drained.has_value());
  CHECK(ids_of(drained->messages) == std::vector<std::int64_t>{10, 20, 30, 40, 50});
}

TEST_CASE("broker raft: a receipt's visibility deadline survives a change of leader") {
  PumpCluster cluster{kNodes, raft_brokers({{"visibility_timeout", "5s"}})};
  cluster.advance(2s);
  const NodeId old_leader = sole_leader(cluster);
  cluster.client_send(old_leader, publish(1, 1));
  cluster.client_send(old_leader, publish(2, 2));
  cluster.advance(20ms);
  const Time received_at = cluster.now();
  cluster.client_send(old_leader, receive(3, 10));
  cluster.advance(20ms);
  const auto first = reply_to<QueueReceiveReply>(cluster, 3);
  REQUIRE(first.has_value());
  REQUIRE(first->messages.size() == 2);

  cluster.crash(old_leader);
  cluster.advance(2s);
  const NodeId new_leader = sole_leader(cluster);
  REQUIRE(new_leader != old_leader);
  REQUIRE(cluster.now() < received_at + 5s);
  // Still in flight at the new leader: its receipts are live and nothing is visible.
  cluster.client_send(new_leader, receive(4, 10));
  cluster.client_send(new_leader, ack(5, {first->messages[0].receipt}));
  cluster.advance(20ms);
  REQUIRE(reply_to<QueueReceiveReply>(cluster, 4).has_value());
  CHECK(reply_to<QueueReceiveReply>(cluster, 4)->messages.empty());
  REQUIRE(reply_to<QueueAckReply>(cluster, 5).has_value());
  CHECK(reply_to<QueueAckReply>(cluster, 5)->stale == 0);
  // Once the deadline the old leader set has passed, the unacked one is delivered again.
  cluster.advance(received_at + 5s - cluster.now());
  cluster.client_send(new_leader, receive(6, 10));
  cluster.advance(20ms);
  const auto again = reply_to<QueueReceiveReply>(cluster, 6);
  REQUIRE(again.has_value());
  REQUIRE(again->messages.size() == 1);
  CHECK(again->messages[0].message_id == first->messages[1].message_id);
  CHECK(again->messages[0].delivery_count == 2);
  CHECK(again->messages[0].redelivered);
  cluster.advance(100ms);  // a heartbeat carries the commit index to the follower
  const std::string digest = cluster.node(new_leader).state_digest();
  for (NodeId id = 0; id < kNodes; ++id) {
    if (cluster.is_up(id)) CHECK(cluster.node(id).state_digest() == digest);
  }
}
