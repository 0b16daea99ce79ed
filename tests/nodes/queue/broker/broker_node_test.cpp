// The broker node on its message seam: who serves, what a crash keeps with and without sync,
// unknown queues, and a request the network repeats.
#include <doctest/doctest.h>

#include "nodes/queue/broker/broker_node.h"
#include "support/recording_context.h"

using namespace capsim;
using namespace capsim::broker;
using namespace std::chrono_literals;
using capsim::testing::RecordingContext;

namespace {

constexpr NodeId kClient = 7;

Config config_with(bool sync) {
  Config config;
  config.queues = {"q"};
  config.sync = sync;
  return config;
}

Message publish(std::uint64_t op_id, std::int64_t id, const std::string& queue = "q") {
  QueuePublish request;
  request.op_id = op_id;
  request.queue = queue;
  request.message_id = Value(id);
  return Message::of(std::move(request));
}

Message receive(std::uint64_t op_id, bool drain = false) {
  QueueReceive request;
  request.op_id = op_id;
  request.queue = "q";
  request.max = 10;
  request.drain = drain;
  return Message::of(std::move(request));
}

}  // namespace

TEST_CASE("broker: only n1 serves; every other node redirects to it") {
  RecordingContext ctx{1, 3};
  BrokerNode node(1, config_with(true));
  node.on_start(ctx);
  CHECK_FALSE(node.is_leader());
  node.on_message(ctx, kClient, publish(1, 1));
  const auto replies = ctx.sent_of<QueuePublishReply>(kClient);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0]->status.outcome == QueueOutcome::kRedirect);
  CHECK(replies[0]->status.leader_hint == kServingNode);
}

TEST_CASE("broker: with sync an acknowledged publish survives a crash; without sync it is lost") {
  for (const bool sync : {true, false}) {
    CAPTURE(sync);
    RecordingContext ctx{0, 3};
    {
      BrokerNode node(0, config_with(sync));
      node.on_start(ctx);
      node.on_message(ctx, kClient, publish(1, 41));
      REQUIRE(ctx.sent_of<QueuePublishReply>(kClient).size() == 1);
      CHECK(ctx.sent_of<QueuePublishReply>(kClient)[0]->status.outcome == QueueOutcome::kOk);
    }
    ctx.memory_disk().lose_unsynced();  // the crash
    BrokerNode restarted(0, config_with(sync));
    restarted.on_start(ctx);
    CHECK(restarted.state().depth("q") == (sync ? 1u : 0u));
  }
}

TEST_CASE("broker: a restart replays deliveries, so an unacked message stays in flight") {
  // Published and received before the crash: after the replay it is still hidden, and the
  // receive after its visibility timeout gets it with delivery count 2.
  RecordingContext ctx{0, 3};
  Config config = config_with(true);
  config.visibility_timeout = 1s;
  {
    BrokerNode node(0, config);
    node.on_start(ctx);
    node.on_message(ctx, kClient, publish(1, 5));
    node.on_message(ctx, kClient, receive(2));
  }
  ctx.memory_disk().lose_unsynced();
  BrokerNode restarted(0, config);
  restarted.on_start(ctx);
  ctx.clear_sent();
  restarted.on_message(ctx, kClient, receive(3));
  REQUIRE(ctx.sent_of<QueueReceiveReply>(kClient).size() == 1);
  CHECK(ctx.sent_of<QueueReceiveReply>(kClient)[0]->messages.empty());
  ctx.advance(1s);
  restarted.on_message(ctx, kClient, receive(4));
  const auto replies = ctx.sent_of<QueueReceiveReply>(kClient);
  REQUIRE(replies.size() == 2);
  REQUIRE(replies[1]->messages.size() == 1);
  CHECK(replies[1]->messages[0].delivery_count == 2);
}

TEST_CASE("broker: an unknown queue is a definite answer; a repeated request gets its first answer") {
  RecordingContext ctx{0, 3};
  BrokerNode node(0, config_with(true));
  node.on_start(ctx);
  node.on_message(ctx, kClient, publish(1, 1, "nope"));
  auto replies = ctx.sent_of<QueuePublishReply>(kClient);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0]->status.outcome == QueueOutcome::kFail);
  CHECK(replies[0]->status.answered);
  CHECK(replies[0]->status.error == "unknown queue nope");
  node.on_message(ctx, kClient, publish(2, 9));
  node.on_message(ctx, kClient, publish(2, 9));  // the network's duplicate
  CHECK(node.state().depth("q") == 1);
  CHECK(ctx.sent_of<QueuePublishReply>(kClient).size() == 3);
}

TEST_CASE("broker: the drain reports what the queue dead-lettered") {
  RecordingContext ctx{0, 3};
  Config config = config_with(true);
  config.max_deliveries = 1;
  config.dead_letter_queue = "dlq";
  config.visibility_timeout = 1s;
  BrokerNode node(0, config);
  node.on_start(ctx);
  node.on_message(ctx, kClient, publish(1, 17));
  node.on_message(ctx, kClient, receive(2));
  ctx.advance(2s);
  node.on_message(ctx, kClient, receive(3, true));
  const auto replies = ctx.sent_of<QueueReceiveReply>(kClient);
  REQUIRE(replies.size() == 2);
  CHECK(replies[1]->messages.empty());
  CHECK(replies[1]->removed == std::vector<QueueRemoval>{{Value(17), "max_receive_count", "dlq"}});
  CHECK(node.state().depth("dlq") == 1);
}

TEST_CASE("broker: without sync, what the periodic flush reached survives a crash") {
  // sync false with flush_interval 100ms: the publish before the flush survives, the one after
  // it does not.
  RecordingContext ctx{0, 3};
  Config config = config_with(false);
  config.flush_interval = 100ms;
  {
    BrokerNode node(0, config);
    node.on_start(ctx);
    REQUIRE(ctx.has_timer("flush"));
    node.on_message(ctx, kClient, publish(1, 1));
    ctx.advance(100ms);
    node.on_timer(ctx, "flush");
    node.on_message(ctx, kClient, publish(2, 2));
  }
  ctx.memory_disk().lose_unsynced();
  BrokerNode restarted(0, config);
  restarted.on_start(ctx);
  CHECK(restarted.state().depth("q") == 1);
}
