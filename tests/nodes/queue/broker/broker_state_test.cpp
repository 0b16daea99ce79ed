// The broker's queue rules, driven one command at a time: visibility timeouts and stale
// receipts, acks and nacks, delivery counts, the delivery limit and the dead-letter queue, ttl,
// automatic acks and the drain.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nodes/queue/broker/broker_state.h"

using namespace capsim;
using namespace capsim::broker;
using namespace std::chrono_literals;

namespace {

Config config_with(Duration visibility = 1s) {
  Config config;
  config.queues = {"q"};
  config.visibility_timeout = visibility;
  return config;
}

Command publish(std::int64_t id, Time at = Time{0}) {
  Command command;
  command.kind = CommandKind::kPublish;
  command.at = at;
  command.queue = "q";
  command.message_id = Value(id);
  return command;
}

Command receive(Time at, std::uint32_t max = 10, bool auto_ack = false) {
  Command command;
  command.kind = CommandKind::kReceive;
  command.at = at;
  command.queue = "q";
  command.max = max;
  command.consumer = 5;
  command.auto_ack = auto_ack;
  return command;
}

Command settle(CommandKind kind, Time at, std::vector<std::uint64_t> receipts) {
  Command command;
  command.kind = kind;
  command.at = at;
  command.queue = "q";
  command.receipts = std::move(receipts);
  return command;
}

Command drain(Time at, const std::string& queue = "q") {
  Command command;
  command.kind = CommandKind::kDrain;
  command.at = at;
  command.queue = queue;
  return command;
}

}  // namespace

TEST_CASE("broker: a received message is hidden until its visibility timeout, then delivered again") {
  // Receive at 0 with a 1s timeout: a receive at 999ms finds nothing, one at 1s gets the message
  // again with delivery count 2 and the redelivered flag.
  BrokerState state(config_with(1s));
  state.apply(publish(1));
  const CommandResult first = state.apply(receive(Time{0}));
  REQUIRE(first.delivered.size() == 1);
  CHECK(first.delivered[0].delivery_count == 1);
  CHECK_FALSE(first.delivered[0].redelivered);
  CHECK(state.apply(receive(Time{999ms})).delivered.empty());
  const CommandResult second = state.apply(receive(Time{1s}));
  REQUIRE(second.delivered.size() == 1);
  CHECK(second.delivered[0].message_id == Value(1));
  CHECK(second.delivered[0].delivery_count == 2);
  CHECK(second.delivered[0].redelivered);
  CHECK(second.delivered[0].receipt != first.delivered[0].receipt);
}

TEST_CASE("broker: an ack deletes; an ack after the visibility timeout is stale and deletes nothing") {
  BrokerState state(config_with(1s));
  state.apply(publish(1));
  state.apply(publish(2));
  const CommandResult got = state.apply(receive(Time{0}));
  REQUIRE(got.delivered.size() == 2);
  const CommandResult on_time = state.apply(settle(CommandKind::kAck, Time{500ms},
                                                   {got.delivered[0].receipt}));
  CHECK(on_time.stale.empty());
  const CommandResult late = state.apply(settle(CommandKind::kAck, Time{1s},
                                                {got.delivered[1].receipt}));
  CHECK(late.stale == std::vector<std::uint64_t>{got.delivered[1].receipt});
  CHECK(state.depth("q") == 1);  // message 2 is still there, visible again
  const CommandResult again = state.apply(receive(Time{1s}));
  REQUIRE(again.delivered.size() == 1);
  CHECK(again.delivered[0].message_id == Value(2));
  // The old receipt stays stale even though the message was delivered again.
  CHECK(state.apply(settle(CommandKind::kAck, Time{1s}, {got.delivered[1].receipt})).stale.size() == 1);
}

TEST_CASE("broker: a nack returns the message at once, redelivered with a higher count") {
  BrokerState state(config_with(30s));
  state.apply(publish(1));
  const CommandResult got = state.apply(receive(Time{0}));
  state.apply(settle(CommandKind::kNack, Time{1ms}, {got.delivered[0].receipt}));
  const CommandResult again = state.apply(receive(Time{2ms}));
  REQUIRE(again.delivered.size() == 1);
  CHECK(again.delivered[0].delivery_count == 2);
  CHECK(again.delivered[0].redelivered);
}

TEST_CASE("broker: past max_deliveries a nacked message goes to the dead-letter queue") {
  // max_deliveries 2: the second nack dead-letters it (delivery_limit) into dlq, which the
  // source queue remembers for the drain.
  Config config = config_with(30s);
  config.max_deliveries = 2;
  config.dead_letter_queue = "dlq";
  BrokerState state(config);
  state.apply(publish(17));
  for (int round = 0; round < 2; ++round) {
    const CommandResult got = state.apply(receive(Time{round * 10ms}));
    REQUIRE(got.delivered.size() == 1);
    const CommandResult nacked = state.apply(
        settle(CommandKind::kNack, Time{round * 10ms + 1ms}, {got.delivered[0].receipt}));
    CHECK(nacked.removed.size() == static_cast<std::size_t>(round));
  }
  CHECK(state.depth("q") == 0);
  CHECK(state.depth("dlq") == 1);
  REQUIRE(state.removals("q").size() == 1);
  CHECK(state.removals("q")[0] == QueueRemoval{Value(17), "delivery_limit", "dlq"});
}

TEST_CASE("broker: a reject (a nack without requeue) dead-letters at its first delivery") {
  // No max_deliveries at all: the reject alone moves message 4 to dlq (rejected); without a
  // dead-letter queue message 5 is dropped, and both are remembered for the drain.
  Config config = config_with(30s);
  config.dead_letter_queue = "dlq";
  BrokerState state(config);
  state.apply(publish(4));
  const CommandResult got = state.apply(receive(Time{0}));
  REQUIRE(got.delivered.size() == 1);
  Command reject = settle(CommandKind::kNack, Time{1ms}, {got.delivered[0].receipt});
  reject.requeue = false;
  const CommandResult rejected = state.apply(reject);
  REQUIRE(rejected.removed.size() == 1);
  CHECK(rejected.removed[0] == QueueRemoval{Value(4), "rejected", "dlq"});
  CHECK(state.depth("q") == 0);
  CHECK(state.depth("dlq") == 1);
  CHECK(state.apply(receive(Time{2ms})).delivered.empty());

  BrokerState no_dlq(config_with(30s));
  no_dlq.apply(publish(5));
  const CommandResult got5 = no_dlq.apply(receive(Time{0}));
  REQUIRE(got5.delivered.size() == 1);
  Command reject5 = settle(CommandKind::kNack, Time{1ms}, {got5.delivered[0].receipt});
  reject5.requeue = false;
  no_dlq.apply(reject5);
  CHECK(no_dlq.depth("q") == 0);
  REQUIRE(no_dlq.removals("q").size() == 1);
  CHECK(no_dlq.removals("q")[0] == QueueRemoval{Value(5), "rejected", ""});
}

TEST_CASE("broker: past max_deliveries an expired receipt dead-letters (max_receive_count), or drops without a DLQ") {
  Config config = config_with(1s);
  config.max_deliveries = 1;
  BrokerState state(config);
  state.apply(publish(3));
  CHECK(state.apply(receive(Time{0})).delivered.size() == 1);
  const CommandResult later = state.apply(receive(Time{2s}));
  CHECK(later.delivered.empty());
  REQUIRE(later.removed.size() == 1);
  CHECK(later.removed[0] == QueueRemoval{Value(3), "max_receive_count", ""});
  CHECK(state.depth("q") == 0);
}

TEST_CASE("broker: a message older than the ttl expires instead of being delivered") {
  Config config = config_with(1s);
  config.ttl = 500ms;
  BrokerState state(config);
  state.apply(publish(1, Time{0}));
  state.apply(publish(2, Time{400ms}));
  const CommandResult got = state.apply(receive(Time{500ms}));
  REQUIRE(got.delivered.size() == 1);
  CHECK(got.delivered[0].message_id == Value(2));
  CHECK(got.removed == std::vector<QueueRemoval>{{Value(1), "expired", ""}});
}

TEST_CASE("broker: auto-ack deletes on delivery; the drain takes in-flight messages and reports removals") {
  Config config = config_with(1s);
  config.ttl = 5s;
  BrokerState state(config);
  state.apply(publish(1));
  state.apply(publish(2));
  state.apply(publish(3));
  CHECK(state.apply(receive(Time{0}, 1, true)).delivered.size() == 1);
  CHECK(state.depth("q") == 2);
  CHECK(state.apply(receive(Time{0}, 1)).delivered.size() == 1);  // 2 is now in flight
  const CommandResult drained = state.apply(drain(Time{100ms}));
  REQUIRE(drained.delivered.size() == 2);
  CHECK(drained.delivered[0].message_id == Value(2));
  CHECK(drained.delivered[0].delivery_count == 2);
  CHECK(drained.delivered[1].message_id == Value(3));
  CHECK(state.depth("q") == 0);
  CHECK_FALSE(state.apply(drain(Time{0}, "nope")).applied);
}

TEST_CASE("broker: commands survive their disk encoding") {
  Command command = settle(CommandKind::kNack, Time{123456789}, {4, 9, 1000000});
  command.requeue = false;
  command.channel = 77;
  const std::optional<Command> back = decode_command(encode_command(command));
  REQUIRE(back.has_value());
  CHECK(back->kind == CommandKind::kNack);
  CHECK(back->channel == 77);
  Command received = receive(Time{5}, 3, true);
  received.channel = 12;
  const std::optional<Command> r = decode_command(encode_command(received));
  REQUIRE(r.has_value());
  CHECK(r->max == 3);
  CHECK(r->auto_ack);
  CHECK(r->channel == 12);
  CHECK(back->at == Time{123456789});
  CHECK(back->receipts == std::vector<std::uint64_t>{4, 9, 1000000});
  CHECK_FALSE(back->requeue);
  Command published = publish(42, Time{7});
  published.key = "k3";
  const std::optional<Command> p = decode_command(encode_command(published));
  REQUIRE(p.has_value());
  CHECK(p->message_id == Value(42));
  CHECK(p->key == "k3");
  CHECK_FALSE(decode_command("P").has_value());
  CHECK_FALSE(decode_command(encode_command(published) + "x").has_value());
}

TEST_CASE("broker: the ttl applies only to the queues ttl_queues names") {
  Config config;
  config.queues = {"q", "keep"};
  config.ttl = 1s;
  config.ttl_queues = {"q"};
  BrokerState state(config);
  Command in_q = publish(1);
  Command in_keep = publish(2);
  in_keep.queue = "keep";
  state.apply(in_q);
  state.apply(in_keep);
  CHECK(state.apply(receive(Time{5s})).removed.size() == 1);  // q's message expired
  Command from_keep = receive(Time{5s});
  from_keep.queue = "keep";
  CHECK(state.apply(from_keep).delivered.size() == 1);
}

namespace {

Command keyed(std::int64_t id, const std::string& key, Time at = Time{0}) {
  Command command = publish(id, at);
  command.key = key;
  return command;
}

std::vector<Value> ids(const CommandResult& result) {
  std::vector<Value> out;
  for (const QueueDelivery& d : result.delivered) out.push_back(d.message_id);
  return out;
}

Config fifo_config(Duration visibility = 1s) {
  Config config = config_with(visibility);
  config.fifo = true;
  return config;
}

}  // namespace

TEST_CASE("broker fifo: a group with a message in flight waits; the other groups do not") {
  // a1 a2 b1 a3: a batch of 2 takes a1 a2; the next receive skips a3 (group a is in flight)
  // and takes b1; once a1 and a2 are acked, a3 comes. A standard queue would hand out a3
  // while a1 and a2 are still being processed.
  BrokerState state(fifo_config());
  state.apply(keyed(1, "a"));
  state.apply(keyed(2, "a"));
  state.apply(keyed(3, "b"));
  state.apply(keyed(4, "a"));
  const CommandResult first = state.apply(receive(Time{0}, 2));
  CHECK(ids(first) == std::vector<Value>{Value(1), Value(2)});
  const CommandResult second = state.apply(receive(Time{1ms}));
  CHECK(ids(second) == std::vector<Value>{Value(3)});
  CHECK(state.apply(receive(Time{2ms})).delivered.empty());
  state.apply(settle(CommandKind::kAck, Time{3ms},
                     {first.delivered[0].receipt, first.delivered[1].receipt}));
  CHECK(ids(state.apply(receive(Time{4ms}))) == std::vector<Value>{Value(4)});

  BrokerState standard(config_with());
  standard.apply(keyed(1, "a"));
  standard.apply(keyed(2, "a"));
  standard.apply(receive(Time{0}, 1));
  CHECK(ids(standard.apply(receive(Time{1ms}))) == std::vector<Value>{Value(2)});
}

TEST_CASE("broker fifo: a message whose receipt went stale comes back before the rest of its group") {
  BrokerState state(fifo_config(1s));
  state.apply(keyed(1, "a"));
  state.apply(keyed(2, "a"));
  state.apply(receive(Time{0}, 1));
  CHECK(state.apply(receive(Time{999ms})).delivered.empty());
  const CommandResult again = state.apply(receive(Time{1s}, 1));
  REQUIRE(again.delivered.size() == 1);
  CHECK(again.delivered[0].message_id == Value(1));
  CHECK(again.delivered[0].redelivered);
  // Keyless messages are one group too.
  BrokerState keyless(fifo_config());
  keyless.apply(publish(1));
  keyless.apply(publish(2));
  keyless.apply(receive(Time{0}, 1));
  CHECK(keyless.apply(receive(Time{1ms})).delivered.empty());
}

TEST_CASE("broker fifo: a message id published again within the dedup window is not stored") {
  Config config = fifo_config();
  config.dedup_window = 5s;
  BrokerState state(config);
  const CommandResult first = state.apply(publish(7, Time{0}));
  CHECK_FALSE(first.duplicate);
  CHECK(first.changed);
  const CommandResult retry = state.apply(publish(7, Time{4999ms}));
  CHECK(retry.applied);  // accepted: the producer is told it is published
  CHECK(retry.duplicate);
  CHECK_FALSE(retry.changed);
  CHECK(state.depth("q") == 1);
  // The window counts from the first publish: at 5s the id is new again.
  CHECK_FALSE(state.apply(publish(7, Time{5s})).duplicate);
  CHECK(state.depth("q") == 2);
  // Ids are remembered even after their message was consumed and acked.
  const CommandResult got = state.apply(receive(Time{6s}));
  state.apply(settle(CommandKind::kAck, Time{6s}, {got.delivered[0].receipt}));
  CHECK(state.apply(publish(7, Time{7s})).duplicate);
  // A standard queue stores every copy.
  BrokerState standard(config_with());
  standard.apply(publish(7));
  CHECK_FALSE(standard.apply(publish(7)).duplicate);
  CHECK(standard.depth("q") == 2);
}

namespace {

Config channel_config(std::uint32_t prefetch = 0) {
  Config config = config_with();
  config.delivery = Delivery::kChannel;
  config.channel_timeout = 1s;
  config.prefetch = prefetch;
  return config;
}

Command on_channel(Command command, std::uint64_t channel) {
  command.channel = channel;
  return command;
}

}  // namespace

TEST_CASE("broker channel: a delivery stays with a channel that keeps speaking, however long") {
  // RabbitMQ has no visibility timeout: a consumer slower than any timeout keeps its message
  // as long as its channel is alive (here: it polls every 900ms, under channel_timeout 1s).
  BrokerState state(channel_config());
  state.apply(publish(1));
  const CommandResult got = state.apply(on_channel(receive(Time{0}), 1));
  REQUIRE(got.delivered.size() == 1);
  for (int i = 1; i <= 5; ++i) {
    state.apply(on_channel(receive(Time{i * 900ms}), 1));
    CHECK(state.apply(on_channel(receive(Time{i * 900ms + 50ms}), 2)).delivered.empty());
  }
  const CommandResult ack = state.apply(
      on_channel(settle(CommandKind::kAck, Time{4600ms}, {got.delivered[0].receipt}), 1));
  CHECK(ack.stale.empty());
  CHECK(state.depth("q") == 0);
}

TEST_CASE("broker channel: a silent channel is closed; its deliveries go to another, redelivered") {
  BrokerState state(channel_config());
  state.apply(publish(1));
  const CommandResult got = state.apply(on_channel(receive(Time{0}), 1));
  CHECK(state.apply(on_channel(receive(Time{999ms}), 2)).delivered.empty());
  const CommandResult other = state.apply(on_channel(receive(Time{1s}), 2));
  REQUIRE(other.delivered.size() == 1);
  CHECK(other.delivered[0].redelivered);
  CHECK(other.delivered[0].delivery_count == 2);
  // The first channel's late ack changes nothing: the delivery is no longer its own.
  const CommandResult late = state.apply(
      on_channel(settle(CommandKind::kAck, Time{1100ms}, {got.delivered[0].receipt}), 1));
  CHECK(late.stale.size() == 1);
  CHECK(state.depth("q") == 1);
}

TEST_CASE("broker channel: a channel back after its timeout cannot take its old deliveries back") {
  // No other consumer asked in between, so nothing noticed the close yet; the channel's own
  // return must still find it closed, or a late command would revive what the broker had
  // already given up.
  BrokerState state(channel_config());
  state.apply(publish(1));
  const CommandResult got = state.apply(on_channel(receive(Time{0}), 1));
  const CommandResult late = state.apply(
      on_channel(settle(CommandKind::kAck, Time{1500ms}, {got.delivered[0].receipt}), 1));
  CHECK(late.stale.size() == 1);
  const CommandResult again = state.apply(on_channel(receive(Time{1600ms}), 2));
  REQUIRE(again.delivered.size() == 1);
  CHECK(again.delivered[0].redelivered);
}

TEST_CASE("broker channel: prefetch bounds the unacked deliveries of each channel") {
  BrokerState state(channel_config(2));
  for (int id = 1; id <= 6; ++id) state.apply(publish(id));
  const CommandResult first = state.apply(on_channel(receive(Time{0}), 1));
  CHECK(ids(first) == std::vector<Value>{Value(1), Value(2)});
  CHECK(state.apply(on_channel(receive(Time{1ms}), 1)).delivered.empty());
  CHECK(ids(state.apply(on_channel(receive(Time{2ms}), 2))) ==
        std::vector<Value>{Value(3), Value(4)});
  state.apply(on_channel(settle(CommandKind::kAck, Time{3ms}, {first.delivered[0].receipt}), 1));
  CHECK(ids(state.apply(on_channel(receive(Time{4ms}), 1))) == std::vector<Value>{Value(5)});
  // Automatic acks hold nothing, so prefetch does not apply to them.
  CHECK(state.apply(on_channel(receive(Time{5ms}, 10, true), 1)).delivered.size() == 1);
}
