// The queue workload's `mode: call` driven by hand: a caller's calls do not wait for each
// other, each attempt runs under a process of its own and goes to the next service, a timeout
// is info and is retried with the same id; a service serves its calls one at a time in arrival
// order and drops those whose caller has given up. Then the loader's rules for the mode.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/client/caller.h"
#include "sim/client/service.h"
#include "sim/scenario_loader.h"
#include "support/recording_context.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;
using capsim::testing::RecordingContext;

namespace {

struct Recorded final : HistoryRecorder {
  void record(NodeId, HistoryEvent event) override { events.push_back(std::move(event)); }
  std::vector<HistoryEvent> events;
};

// One broker node (n1), two callers (c1, c2: actors 1, 2) and two services (c3, c4: 3, 4).
constexpr std::uint32_t kNodes = 1;
constexpr NodeId kFirstService = 3;

WorkloadSpec call_workload() {
  WorkloadSpec spec;
  spec.name = "queue";
  spec.queue.mode = DeliveryMode::kCall;
  spec.queue.queues = {"q"};
  spec.queue.producers = 2;
  spec.queue.consumers = 2;
  spec.clients = 4;
  spec.rate_milli_per_second = 1'000'000;  // 1000/s: the next call comes long before a timeout
  spec.timeout = 500ms;
  spec.queue.retry.policy = RetryPolicy::kFixed;
  spec.queue.retry.max_attempts = 2;
  spec.queue.retry.base = 50ms;
  spec.queue.consume.process = DelayModel{DelayComponent{DelayShape::kConstant, 20ms}};
  return spec;
}

QueueTimes far_times() {
  return QueueTimes{Time{100s}, Time{100s}, Time{100s}, Time{200s}};
}

std::vector<std::string> shape(const std::vector<HistoryEvent>& events) {
  std::vector<std::string> out;
  for (const HistoryEvent& e : events) {
    out.push_back(std::to_string(e.process) + " " + std::string(op_type_name(e.type)) + " " +
                  e.f + " " + e.value.to_text() + (e.node.empty() ? "" : " @" + e.node) +
                  (e.error.empty() ? "" : " (" + e.error + ")"));
  }
  return out;
}

// Fires the caller's "next" timer: one new call.
void next_call(RecordingContext& ctx, Caller& caller) {
  REQUIRE(ctx.has_timer("next"));
  ctx.set_now(ctx.timers.at("next"));
  caller.on_timer(ctx, "next");
}

Message reply(std::uint64_t op_id) {
  ServiceReply out;
  out.status.op_id = op_id;
  return Message::of(std::move(out));
}

ServiceCall call(std::uint64_t op_id, std::int64_t id, Time deadline) {
  ServiceCall out;
  out.op_id = op_id;
  out.queue = "q";
  out.message_id = Value(id);
  out.deadline = deadline;
  return out;
}

}  // namespace

TEST_CASE("caller: calls do not wait for each other, and take turns between the services") {
  const WorkloadSpec spec = call_workload();
  const QueueTimes times = far_times();
  MessageIds ids;
  Recorded history;
  RecordingContext ctx{2, 5};
  Caller caller(1, kNodes, spec, times, ids, history, ClientStart{1, 1});
  caller.on_start(ctx);
  next_call(ctx, caller);
  next_call(ctx, caller);  // the first is unanswered: the second starts anyway
  const auto calls = ctx.sent_of<ServiceCall>();
  REQUIRE(calls.size() == 2);
  CHECK(ctx.sent[0].to == kFirstService + 1);  // caller 1 starts with service 1 (c4)
  CHECK(ctx.sent[1].to == kFirstService);
  CHECK(calls[0]->message_id == Value(1));
  CHECK(calls[1]->message_id == Value(2));
  CHECK(calls[0]->deadline == ctx.timers.at("timeout"));  // the earliest deadline is armed
  // Two operations open at once, so two processes of the caller's class (1 modulo 4).
  caller.on_message(ctx, kFirstService, reply(calls[1]->op_id));
  caller.on_message(ctx, kFirstService + 1, reply(calls[0]->op_id));
  CHECK(shape(history.events) == std::vector<std::string>{
                                     "1 invoke send 1 @c4", "5 invoke send 2 @c3",
                                     "5 ok send 2 @c3", "1 ok send 1 @c4"});
  CHECK_FALSE(ctx.has_timer("timeout"));  // nothing left to wait for
  // The next call reuses a freed process (the last freed first).
  next_call(ctx, caller);
  CHECK(history.events.back().process == 1);
}

TEST_CASE("caller: a timeout is info, the process is retired, the retry goes to the next service") {
  const WorkloadSpec spec = call_workload();
  const QueueTimes times = far_times();
  MessageIds ids;
  Recorded history;
  RecordingContext ctx{1, 5};
  Caller caller(0, kNodes, spec, times, ids, history, ClientStart{0, 1});
  caller.on_start(ctx);
  next_call(ctx, caller);
  const std::uint64_t first_op = ctx.sent_of<ServiceCall>()[0]->op_id;
  ctx.advance(500ms);
  caller.on_timer(ctx, "timeout");
  REQUIRE(ctx.has_timer("retry"));
  CHECK(ctx.timers.at("retry") == ctx.now() + 50ms);
  ctx.advance(50ms);
  caller.on_timer(ctx, "retry");
  const auto calls = ctx.sent_of<ServiceCall>();
  REQUIRE(calls.size() == 2);
  CHECK(calls[1]->message_id == Value(1));
  CHECK(calls[1]->attempt == 2);
  CHECK(ctx.sent[1].to == kFirstService + 1);
  // The first attempt's answer comes late: the history already has its info.
  caller.on_message(ctx, kFirstService, reply(first_op));
  // The second attempt is refused as poison: an answered fail, not retried.
  ServiceReply poison;
  poison.status.op_id = calls[1]->op_id;
  poison.status.outcome = QueueOutcome::kFail;
  poison.status.answered = true;
  poison.status.error = "poison: processing failed";
  caller.on_message(ctx, kFirstService + 1, Message::of(poison));
  CHECK(shape(history.events) ==
        std::vector<std::string>{"0 invoke send 1 @c3", "0 info send 1 @c3 (timeout)",
                                 "4 invoke send 1 @c4",
                                 "4 fail send 1 @c4 (poison: processing failed)"});
  CHECK(history.events[3].answered);
  CHECK(history.events[2].queue->attempt == 2);
  CHECK_FALSE(ctx.has_timer("retry"));
}

TEST_CASE("caller: no retry past the last attempt, and no call at or after publish_stop") {
  WorkloadSpec spec = call_workload();
  spec.queue.retry.policy = RetryPolicy::kNone;
  spec.queue.retry.max_attempts = 1;
  const QueueTimes times{Time{1s}, Time{1s}, Time{2s}, Time{3s}};
  MessageIds ids;
  Recorded history;
  RecordingContext ctx{1, 5};
  Caller caller(0, kNodes, spec, times, ids, history, ClientStart{0, 1});
  caller.on_start(ctx);
  int calls = 0;
  while (ctx.has_timer("next") && calls < 10'000) {
    next_call(ctx, caller);
    ++calls;
    if (ctx.has_timer("timeout") && ctx.timers.at("timeout") <= ctx.now()) {
      caller.on_timer(ctx, "timeout");
    }
  }
  CHECK(calls > 0);
  CHECK(ctx.now() < Time{1s});
  ctx.set_now(Time{2s});
  caller.on_timer(ctx, "timeout");
  CHECK_FALSE(ctx.has_timer("retry"));
  CHECK(ctx.sent_count<ServiceCall>() == static_cast<std::size_t>(calls));
  // Every attempt ended as info and retired its process: no process was used twice.
  std::vector<std::uint64_t> processes;
  for (const HistoryEvent& e : history.events) {
    if (e.type == OpType::kInvoke) processes.push_back(e.process);
    CHECK(e.process % spec.clients == 0);
  }
  std::sort(processes.begin(), processes.end());
  CHECK(std::adjacent_find(processes.begin(), processes.end()) == processes.end());
}

TEST_CASE("service: one call at a time in arrival order; a call past its deadline is dropped") {
  WorkloadSpec spec = call_workload();
  spec.queue.consume.poison = {3};
  Recorded history;
  RecordingContext ctx{kFirstService, 5};
  Service service(spec, history, ClientStart{2, 1});
  service.on_start(ctx);
  service.on_message(ctx, 1, Message::of(call(10, 1, Time{500ms})));
  service.on_message(ctx, 2, Message::of(call(20, 2, Time{10ms})));  // given up at 10ms
  service.on_message(ctx, 2, Message::of(call(21, 3, Time{500ms})));
  REQUIRE(ctx.has_timer("process"));
  CHECK(ctx.timers.at("process") == Time{20ms});
  ctx.set_now(Time{20ms});
  ctx.timers.erase("process");
  service.on_timer(ctx, "process");
  // Message 1 is answered; message 2's caller stopped waiting at 10ms, so it is skipped;
  // message 3 (poison) starts.
  REQUIRE(ctx.sent_count<ServiceReply>() == 1);
  CHECK(ctx.sent[0].to == 1);
  CHECK(ctx.sent_of<ServiceReply>()[0]->status.op_id == 10);
  CHECK(ctx.sent_of<ServiceReply>()[0]->status.outcome == QueueOutcome::kOk);
  REQUIRE(ctx.notes.size() == 1);
  CHECK(ctx.notes[0].find("call 2") != std::string::npos);
  ctx.set_now(Time{40ms});
  ctx.timers.erase("process");
  service.on_timer(ctx, "process");
  REQUIRE(ctx.sent_count<ServiceReply>() == 2);
  const ServiceReply& refused = *ctx.sent_of<ServiceReply>()[1];
  CHECK(refused.status.op_id == 21);
  CHECK(refused.status.outcome == QueueOutcome::kFail);
  CHECK(refused.status.answered);
  CHECK_FALSE(ctx.has_timer("process"));
  CHECK(shape(history.events) ==
        std::vector<std::string>{"2 invoke receive nil", "2 ok receive [1]",
                                 "2 invoke effect 1", "2 ok effect 1",
                                 "2 invoke receive nil", "2 ok receive [3]",
                                 "2 invoke effect 3",
                                 "2 fail effect 3 (poison: processing failed)"});
}

TEST_CASE("service: with dedup a call seen again is answered ok without a second effect") {
  WorkloadSpec spec = call_workload();
  spec.queue.consume.dedup = true;
  Recorded history;
  RecordingContext ctx{kFirstService, 5};
  Service service(spec, history, ClientStart{2, 1});
  service.on_message(ctx, 1, Message::of(call(10, 7, Time{1s})));
  service.on_message(ctx, 1, Message::of(call(11, 7, Time{1s})));
  for (int i = 0; i < 2; ++i) {
    ctx.advance(20ms);
    ctx.timers.erase("process");
    service.on_timer(ctx, "process");
  }
  const auto replies = ctx.sent_of<ServiceReply>();
  REQUIRE(replies.size() == 2);
  CHECK(replies[0]->status.outcome == QueueOutcome::kOk);
  CHECK(replies[1]->status.outcome == QueueOutcome::kOk);
  CHECK(shape(history.events)[7] == "2 fail effect 7 (duplicate: already applied)");
}

namespace {

const std::string kHead =
    "name: t\n"
    "description: d\n"
    "duration: 30s\n"
    "cluster: {nodes: 1, protocol: broker}\n";

std::string errors(const std::string& text) {
  const LoadResult result = load_scenario_text(text, "test.yaml", testing::all_protocols(), {});
  CHECK(result.scenario.has_value() == result.diagnostics.empty());
  return result.diagnostics.format();
}

}  // namespace

TEST_CASE("mode: queue by default, call when asked, and what call mode rules out") {
  {
    const LoadResult result = load_scenario_text(
        kHead + "workload: {name: queue, mode: call, consumers: 2, quiet: 5s}\n", "test.yaml",
        testing::all_protocols(), {});
    INFO(result.diagnostics.format());
    REQUIRE(result.scenario.has_value());
    CHECK(result.scenario->workload.queue.mode == DeliveryMode::kCall);
  }
  {
    const LoadResult result = load_scenario_text(
        kHead + "workload: {name: queue, quiet: 5s}\n", "test.yaml", testing::all_protocols(), {});
    REQUIRE(result.scenario.has_value());
    CHECK(result.scenario->workload.queue.mode == DeliveryMode::kQueue);
  }
  CHECK(errors(kHead + "workload: {name: queue, mode: rpc, quiet: 5s}\n") ==
        "test.yaml:5:31: error: unknown mode 'rpc' (expected one of: queue, call)\n");
  CHECK(errors(kHead + "workload: {name: queue, mode: call, consume: {batch: 5, ack: auto}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:54: error: consume.batch has no meaning with mode call: a service takes "
        "one call at a time and answers it, with no queue to poll or acknowledge\n"
        "test.yaml:5:62: error: consume.ack has no meaning with mode call: a service takes "
        "one call at a time and answers it, with no queue to poll or acknowledge\n");
  CHECK(errors(kHead + "workload: {name: queue, mode: call, retry: {idempotent: true}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:57: error: retry.idempotent needs a log protocol to deduplicate; with "
        "mode call use consume.dedup (an idempotent service)\n");
  CHECK(errors(kHead + "workload: {name: queue, mode: call, consumers: 0, quiet: 5s}\n") ==
        "test.yaml:5:48: error: mode call needs at least one consumer for the producers to "
        "call\n");
}
