// The queue workload's clients driven by hand: what a producer records and retries, what a
// consumer records for each ack policy, poison and dedup, and the retry backoff.
#include <doctest/doctest.h>

#include <vector>

#include "sim/client/consumer.h"
#include "sim/client/producer.h"
#include "sim/client/queue_drainer.h"
#include "sim/client/retry_backoff.h"
#include "support/recording_context.h"

using namespace capsim;
using namespace std::chrono_literals;
using capsim::testing::RecordingContext;

namespace {

struct Recorded final : HistoryRecorder {
  void record(NodeId, HistoryEvent event) override { events.push_back(std::move(event)); }
  std::vector<HistoryEvent> events;
};

WorkloadSpec queue_workload() {
  WorkloadSpec spec;
  spec.name = "queue";
  spec.queue.queues = {"q"};
  spec.queue.producers = 1;
  spec.queue.consumers = 1;
  spec.clients = 2;
  spec.rate_milli_per_second = 10'000;
  spec.route = Route::kLeader;
  return spec;
}

QueueTimes far_times() {
  return QueueTimes{Time{100s}, Time{100s}, Time{100s}, Time{200s}};
}

Message reply_to_receive(std::uint64_t op_id, std::vector<std::int64_t> ids) {
  QueueReceiveReply reply;
  reply.status.op_id = op_id;
  std::uint64_t receipt = 100;
  for (const std::int64_t id : ids) {
    QueueDelivery d;
    d.message_id = Value(id);
    d.receipt = receipt++;
    reply.messages.push_back(d);
  }
  return Message::of(std::move(reply));
}

Message ack_reply(std::uint64_t op_id, std::vector<std::uint64_t> stale = {}) {
  QueueAckReply reply;
  reply.status.op_id = op_id;
  reply.stale = static_cast<std::uint32_t>(stale.size());
  reply.stale_receipts = std::move(stale);
  return Message::of(std::move(reply));
}

// Fires the consumer's process timer until its batch is processed.
void process_all(RecordingContext& ctx, Consumer& consumer) {
  for (int i = 0; i < 100 && ctx.has_timer("process"); ++i) {
    ctx.timers.erase("process");
    consumer.on_timer(ctx, "process");
  }
}

std::vector<std::string> shape(const std::vector<HistoryEvent>& events) {
  std::vector<std::string> out;
  for (const HistoryEvent& e : events) {
    out.push_back(std::string(op_type_name(e.type)) + " " + e.f + " " + e.value.to_text() +
                  (e.error.empty() ? "" : " (" + e.error + ")"));
  }
  return out;
}

}  // namespace

TEST_CASE("client start: a restarted client takes a fresh process of its class and higher op ids") {
  CHECK(client_start(1, 3, false, 50).process == 1);
  CHECK(client_start(1, 3, false, 50).op_id == 1);
  const ClientStart later = client_start(1, 3, true, 50);
  CHECK(later.process == 52);  // the least above 49 that is 1 modulo 3
  CHECK(later.op_id == (52ull << 32) + 1);
  CHECK(client_start(2, 3, true, 2).process == 2);  // nothing recorded yet: nothing to avoid
}

TEST_CASE("retry backoff: fixed, exponential up to the cap, full jitter within it") {
  Rng rng(1);
  RetrySpec spec;
  spec.base = 50ms;
  spec.cap = 300ms;
  spec.policy = RetryPolicy::kFixed;
  CHECK(retry_backoff(spec, 4, rng) == 50ms);
  spec.policy = RetryPolicy::kExponential;
  CHECK(retry_backoff(spec, 1, rng) == 50ms);
  CHECK(retry_backoff(spec, 3, rng) == 200ms);
  CHECK(retry_backoff(spec, 4, rng) == 300ms);
  CHECK(retry_backoff(spec, 60, rng) == 300ms);  // no overflow
  spec.policy = RetryPolicy::kFullJitter;
  for (int i = 0; i < 50; ++i) {
    const Duration wait = retry_backoff(spec, 2, rng);
    CHECK(wait >= 0ms);
    CHECK(wait <= 100ms);
  }
}

TEST_CASE("producer: each attempt is a send; a timeout is info, then a retry of the same id") {
  // The first attempt times out: info, and the next attempt (same message id, attempt 2) comes
  // from the next process (old + clients) after the first backoff (50ms).
  WorkloadSpec spec = queue_workload();
  const QueueTimes times = far_times();
  MessageIds ids;
  Recorded history;
  RecordingContext ctx{3, 5};
  Producer producer(0, 3, spec, times, ids, history, ClientStart{0, 1});
  producer.on_start(ctx);
  REQUIRE(ctx.has_timer("next"));
  ctx.set_now(ctx.timers.at("next"));
  producer.on_timer(ctx, "next");
  REQUIRE(ctx.sent_count<QueuePublish>() == 1);
  const QueuePublish first = *ctx.sent_of<QueuePublish>()[0];
  CHECK(first.message_id == Value(1));
  CHECK(first.attempt == 1);
  ctx.advance(spec.timeout);
  producer.on_timer(ctx, "timeout");
  REQUIRE(ctx.timers.count("retry") == 1);
  CHECK(ctx.timers.at("retry") == ctx.now() + 50ms);
  ctx.advance(50ms);
  producer.on_timer(ctx, "retry");
  REQUIRE(ctx.sent_count<QueuePublish>() == 2);
  const QueuePublish second = *ctx.sent_of<QueuePublish>()[1];
  CHECK(second.message_id == Value(1));
  CHECK(second.attempt == 2);
  QueuePublishReply ok;
  ok.status.op_id = second.op_id;
  producer.on_message(ctx, 0, Message::of(ok));
  REQUIRE(history.events.size() == 4);
  CHECK(shape(history.events) == std::vector<std::string>{"invoke send 1", "info send 1 (timeout)",
                                                          "invoke send 1", "ok send 1"});
  CHECK(history.events[0].process == 0);
  CHECK(history.events[2].process == 2);  // 0 + clients
  CHECK(history.events[3].queue->attempt == 2);
  CHECK(history.events[3].queue->queue == "q");
  CHECK(history.events[3].node == "n1");
}

TEST_CASE("consumer: after-process acks the processed messages and nacks the poison one") {
  WorkloadSpec spec = queue_workload();
  spec.queue.consume.poison = {2};
  const QueueTimes times = far_times();
  Recorded history;
  RecordingContext ctx{4, 5};
  Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
  consumer.on_start(ctx);
  REQUIRE(ctx.sent_count<QueueReceive>() == 1);
  const QueueReceive receive = *ctx.sent_of<QueueReceive>()[0];
  CHECK_FALSE(receive.auto_ack);
  consumer.on_message(ctx, 0, reply_to_receive(receive.op_id, {1, 2, 3}));
  process_all(ctx, consumer);
  REQUIRE(ctx.sent_count<QueueAck>() == 1);
  const QueueAck ack = *ctx.sent_of<QueueAck>()[0];
  CHECK(ack.settle == Settle::kAck);
  CHECK(ack.receipts == std::vector<std::uint64_t>{100, 102});
  consumer.on_message(ctx, 0, ack_reply(ack.op_id));
  REQUIRE(ctx.sent_count<QueueAck>() == 2);
  const QueueAck nack = *ctx.sent_of<QueueAck>()[1];
  CHECK(nack.settle == Settle::kRequeue);
  CHECK(nack.receipts == std::vector<std::uint64_t>{101});
  consumer.on_message(ctx, 0, ack_reply(nack.op_id));
  CHECK(shape(history.events) ==
        std::vector<std::string>{"invoke receive nil", "ok receive [1 2 3]",
                                 "invoke effect 1", "ok effect 1",
                                 "invoke effect 2", "fail effect 2 (poison: processing failed)",
                                 "invoke effect 3", "ok effect 3",
                                 "invoke ack [1 3]", "ok ack [1 3]",
                                 "invoke nack [2]", "ok nack [2]",
                                 "invoke receive nil"});
}

TEST_CASE("consumer: with on_poison reject the poison message is rejected, not requeued") {
  WorkloadSpec spec = queue_workload();
  spec.queue.consume.poison = {2};
  spec.queue.consume.on_poison = PoisonAction::kReject;
  const QueueTimes times = far_times();
  Recorded history;
  RecordingContext ctx{4, 5};
  Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
  consumer.on_start(ctx);
  const QueueReceive receive = *ctx.sent_of<QueueReceive>()[0];
  consumer.on_message(ctx, 0, reply_to_receive(receive.op_id, {1, 2}));
  process_all(ctx, consumer);
  REQUIRE(ctx.sent_count<QueueAck>() == 1);
  const QueueAck ack = *ctx.sent_of<QueueAck>()[0];
  CHECK(ack.settle == Settle::kAck);
  CHECK(ack.receipts == std::vector<std::uint64_t>{100});
  consumer.on_message(ctx, 0, ack_reply(ack.op_id));
  REQUIRE(ctx.sent_count<QueueAck>() == 2);
  const QueueAck reject = *ctx.sent_of<QueueAck>()[1];
  CHECK(reject.settle == Settle::kReject);
  CHECK(reject.receipts == std::vector<std::uint64_t>{101});
  consumer.on_message(ctx, 0, ack_reply(reject.op_id));
  CHECK(shape(history.events) ==
        std::vector<std::string>{"invoke receive nil", "ok receive [1 2]", "invoke effect 1",
                                 "ok effect 1", "invoke effect 2",
                                 "fail effect 2 (poison: processing failed)", "invoke ack [1]",
                                 "ok ack [1]", "invoke reject [2]", "ok reject [2]",
                                 "invoke receive nil"});
}

TEST_CASE("consumer: a stale ack fails; auto-ack sends no ack; dedup skips an applied id") {
  SUBCASE("stale") {
    WorkloadSpec spec = queue_workload();
    const QueueTimes times = far_times();
    Recorded history;
    RecordingContext ctx{4, 5};
    Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
    consumer.on_start(ctx);
    consumer.on_message(ctx, 0, reply_to_receive(ctx.sent_of<QueueReceive>()[0]->op_id, {5}));
    process_all(ctx, consumer);
    consumer.on_message(ctx, 0, ack_reply(ctx.sent_of<QueueAck>()[0]->op_id, {100}));
    CHECK(shape(history.events)[5] == "fail ack [5] (stale receipt)");
    CHECK(history.events[5].answered);
  }
  SUBCASE("auto") {
    WorkloadSpec spec = queue_workload();
    spec.queue.consume.ack = AckPolicy::kAuto;
    const QueueTimes times = far_times();
    Recorded history;
    RecordingContext ctx{4, 5};
    Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
    consumer.on_start(ctx);
    CHECK(ctx.sent_of<QueueReceive>()[0]->auto_ack);
    consumer.on_message(ctx, 0, reply_to_receive(ctx.sent_of<QueueReceive>()[0]->op_id, {5}));
    process_all(ctx, consumer);
    CHECK(ctx.sent_count<QueueAck>() == 0);
    CHECK(ctx.sent_count<QueueReceive>() == 2);  // straight on to the next receive
  }
  SUBCASE("dedup") {
    // The id applied before a crash is on the consumer's disk: a fresh consumer (its restart)
    // records the redelivery's effect as a fail and still acks it.
    WorkloadSpec spec = queue_workload();
    spec.queue.consume.dedup = true;
    const QueueTimes times = far_times();
    Recorded history;
    RecordingContext ctx{4, 5};
    {
      Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
      consumer.on_start(ctx);
      consumer.on_message(ctx, 0, reply_to_receive(ctx.sent_of<QueueReceive>()[0]->op_id, {8}));
      process_all(ctx, consumer);
    }
    ctx.memory_disk().lose_unsynced();
    ctx.clear_sent();
    history.events.clear();
    Consumer restarted(0, 1, 3, spec, times, history, ClientStart{3, 1});
    restarted.on_start(ctx);
    restarted.on_message(ctx, 0, reply_to_receive(ctx.sent_of<QueueReceive>()[0]->op_id, {8, 9}));
    process_all(ctx, restarted);
    CHECK(shape(history.events) ==
          std::vector<std::string>{"invoke receive nil", "ok receive [8 9]", "invoke effect 8",
                                   "fail effect 8 (duplicate: already applied)",
                                   "invoke effect 9", "ok effect 9", "invoke ack [8 9]"});
    CHECK(history.events[0].process == 3);
  }
}

TEST_CASE("consumer: before-process acks the whole batch first, then processes it") {
  WorkloadSpec spec = queue_workload();
  spec.queue.consume.ack = AckPolicy::kBeforeProcess;
  const QueueTimes times = far_times();
  Recorded history;
  RecordingContext ctx{4, 5};
  Consumer consumer(0, 1, 3, spec, times, history, ClientStart{1, 1});
  consumer.on_start(ctx);
  consumer.on_message(ctx, 0, reply_to_receive(ctx.sent_of<QueueReceive>()[0]->op_id, {1, 2}));
  CHECK_FALSE(ctx.has_timer("process"));  // nothing is processed before the ack's answer
  REQUIRE(ctx.sent_count<QueueAck>() == 1);
  consumer.on_message(ctx, 0, ack_reply(ctx.sent_of<QueueAck>()[0]->op_id));
  process_all(ctx, consumer);
  CHECK(shape(history.events) ==
        std::vector<std::string>{"invoke receive nil", "ok receive [1 2]", "invoke ack [1 2]",
                                 "ok ack [1 2]", "invoke effect 1", "ok effect 1",
                                 "invoke effect 2", "ok effect 2", "invoke receive nil"});
}

namespace {

struct FixedHost final : FinalReadHost {
  std::vector<NodeId> live_nodes() const override { return {0, 1}; }
  std::uint64_t first_free_process() const override { return 40; }
};

}  // namespace

TEST_CASE("drainer: one drain per queue, then the broker's removals as dead-letter and expire") {
  // The reply to the drain of q lists what it took and what q removed: one dead-letter
  // operation per reason (in the order each first appears) and one expire for messages that
  // expired with no dead-letter queue, each under a fresh process.
  WorkloadSpec spec = queue_workload();
  spec.queue.queues = {"q", "r"};
  const FixedHost host;
  Recorded history;
  RecordingContext ctx{9, 5};
  QueueDrainer drainer(3, spec, host, history);
  drainer.on_start(ctx);
  const auto drains = ctx.sent_of<QueueReceive>();
  REQUIRE(drains.size() == 2);
  CHECK(drains[0]->drain);
  CHECK(drains[1]->queue == "r");
  QueueReceiveReply reply;
  reply.status.op_id = drains[0]->op_id;
  QueueDelivery left;
  left.message_id = Value(7);
  left.delivery_count = 2;
  reply.messages.push_back(left);
  reply.removed = {{Value(3), "delivery_limit", "dlq"},
                   {Value(4), "expired", ""},
                   {Value(5), "delivery_limit", "dlq"}};
  drainer.on_message(ctx, 0, Message::of(reply));
  ctx.advance(spec.timeout);
  drainer.on_timer(ctx, "deadline");
  CHECK(shape(history.events) ==
        std::vector<std::string>{"invoke drain nil", "invoke drain nil", "ok drain [7]",
                                 "invoke dead-letter [3 5]", "ok dead-letter [3 5]",
                                 "invoke expire [4]", "ok expire [4]", "info drain nil (timeout)"});
  CHECK(history.events[0].process == 40);
  CHECK(history.events[1].process == 41);
  CHECK(history.events[3].process == 42);
  CHECK(history.events[4].queue->reason == "delivery_limit");
  CHECK(history.events[5].process == 43);
  CHECK(history.events[2].queue->delivery_counts == std::vector<std::uint32_t>{2});
}
