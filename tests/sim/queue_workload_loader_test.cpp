// The queue workload and the broker's options as the loader reads them: the defaults, every
// field, and bad input reported at its line and column.
#include <doctest/doctest.h>

#include <string>

#include "sim/queue_times.h"
#include "sim/scenario_loader.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

const std::string kHead =
    "name: t\n"
    "description: d\n"
    "duration: 30s\n"
    "cluster: {nodes: 3, protocol: broker, options: {queues: [orders, audit]}}\n";

LoadResult load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_scenario_text(text, "test.yaml", testing::all_protocols(), overrides);
}

std::string errors(const std::string& text) {
  const LoadResult result = load(text);
  CHECK(result.scenario.has_value() == result.diagnostics.empty());
  return result.diagnostics.format();
}

}  // namespace

TEST_CASE("queue workload: every field is read, and producers come before consumers") {
  const LoadResult result = load(kHead +
                                 "workload:\n"
                                 "  name: queue\n"
                                 "  queues: [orders, audit]\n"
                                 "  producers: 2\n"
                                 "  consumers: 3\n"
                                 "  rate: 200/s\n"
                                 "  keys: 4\n"
                                 "  timeout: 400ms\n"
                                 "  retry: {policy: full-jitter, max_attempts: 3, base: 20ms, cap: 500ms}\n"
                                 "  consume:\n"
                                 "    batch: 7\n"
                                 "    poll_interval: 30ms\n"
                                 "    process: {latency: 5ms, jitter: 2ms}\n"
                                 "    ack: before-process\n"
                                 "    dedup: true\n"
                                 "    poison: [17, 3]\n"
                                 "  quiet: 6s\n"
                                 "faults:\n"
                                 "  - {at: 5s, crash: c4, restart_after: 1s}\n");
  INFO(result.diagnostics.format());
  REQUIRE(result.scenario.has_value());
  const WorkloadSpec& w = result.scenario->workload;
  CHECK(w.is_queue());
  CHECK(w.clients == 5);
  CHECK(w.queue.queues == std::vector<std::string>{"orders", "audit"});
  CHECK(w.queue.producers == 2);
  CHECK(w.queue.consumers == 3);
  CHECK(w.queue.keys == 4);
  CHECK(w.rate_milli_per_second == 200'000);
  CHECK(w.queue.retry.policy == RetryPolicy::kFullJitter);
  CHECK(w.queue.retry.max_attempts == 3);
  CHECK(w.queue.retry.base == 20ms);
  CHECK(w.queue.retry.cap == 500ms);
  CHECK(w.queue.consume.batch == 7);
  CHECK(w.queue.consume.poll_interval == 30ms);
  CHECK(w.queue.consume.process.components().front().latency == 5ms);
  CHECK(w.queue.consume.ack == AckPolicy::kBeforeProcess);
  CHECK(w.queue.consume.dedup);
  CHECK(w.queue.consume.poison == std::vector<std::int64_t>{3, 17});
  // c4 is the second consumer: nodes n1..n3 are ids 0..2, clients follow.
  REQUIRE(result.scenario->faults.size() == 1);
  CHECK(result.scenario->faults[0].target.node == 3 + 3);
}

TEST_CASE("queue workload: on_poison chooses what an after-process consumer does with a failure") {
  const auto on_poison = [](const std::string& consume) {
    const LoadResult result =
        load(kHead + "workload: {name: queue, queues: orders, consume: " + consume + ", quiet: 5s}\n");
    INFO(result.diagnostics.format());
    REQUIRE(result.scenario.has_value());
    return result.scenario->workload.queue.consume.on_poison;
  };
  CHECK(on_poison("{poison: 2}") == PoisonAction::kRequeue);
  CHECK(on_poison("{poison: 2, on_poison: reject}") == PoisonAction::kReject);
  CHECK(on_poison("{ack: after-process, on_poison: requeue}") == PoisonAction::kRequeue);
  // mode call has no queue to return a message to.
  CHECK(errors(kHead + "workload: {name: queue, mode: call, queues: [orders], "
                       "consume: {on_poison: reject}, quiet: 5s}\n")
            .find("consume.on_poison has no meaning with mode call") != std::string::npos);
}

TEST_CASE("queue workload: ack transactional is for the log, which has offsets to keep") {
  // kHead's protocol is the broker, which settles each message with the broker itself.
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {ack: transactional}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:58: error: ack transactional needs the log protocol: it stores the "
        "consumer's offset with each effect, and a broker has no offsets (with a broker, use "
        "after-process with dedup: true)\n");
  CHECK(errors(kHead + "workload: {name: queue, mode: call, queues: [orders], "
                       "consume: {ack: transactional}, quiet: 5s}\n")
            .find("consume.ack has no meaning with mode call") != std::string::npos);
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {ack: transactional, "
                       "on_poison: reject}, quiet: 5s}\n")
            .find("on_poison needs ack after-process") != std::string::npos);
}

TEST_CASE("queue workload: the defaults, and the phases they give") {
  const LoadResult result = load(kHead + "workload: {name: queue, queues: orders, quiet: 5s}\n");
  INFO(result.diagnostics.format());
  REQUIRE(result.scenario.has_value());
  const Scenario& s = *result.scenario;
  CHECK(s.workload.queue.producers == 1);
  CHECK(s.workload.queue.consumers == 1);
  CHECK(s.workload.queue.keys == 0);
  CHECK(s.workload.queue.retry.policy == RetryPolicy::kExponential);
  CHECK(s.workload.queue.consume.ack == AckPolicy::kAfterProcess);
  const QueueTimes times = queue_times(s);
  CHECK(times.publish_stop == 25s);
  CHECK(times.drain_at == 30s - 500ms);
  CHECK(times.consume_stop == times.drain_at - 1500ms);  // three timeouts, no processing time
  CHECK(times.retry_stop == times.consume_stop);
}

TEST_CASE("queue workload: bad input is reported where it was written") {
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], clients: 3, quiet: 5s}\n") ==
        "test.yaml:5:43: error: unknown key 'clients' (expected one of: name, mode, queues, "
        "producers, consumers, rate, keys, timeout, retry, consume, route, placement, quiet)\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders, orders], quiet: 5s}\n") ==
        "test.yaml:5:42: error: queue 'orders' is listed twice\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [nope], quiet: 5s}\n") ==
        "test.yaml:5:33: error: workload queue 'nope' is not held by the broker (its queues: "
        "orders, audit; set cluster.options.queues)\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {ack: later}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:58: error: unknown ack policy 'later' (expected one of: auto, "
        "before-process, after-process, transactional)\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], retry: {base: 1s, cap: 10ms}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:66: error: cap 10ms is below base 1s\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {poison: [4, 4]}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:65: error: message 4 is listed twice\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {on_poison: drop}, "
                       "quiet: 5s}\n") ==
        "test.yaml:5:64: error: unknown on_poison action 'drop' (expected one of: requeue, "
        "reject)\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], consume: {ack: auto, "
                       "on_poison: reject}, quiet: 5s}\n") ==
        "test.yaml:5:75: error: on_poison needs ack after-process: with auto or before-process "
        "a message is settled before it is processed, so a failed one is never returned or "
        "rejected\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], quiet: 1s}\n") ==
        "test.yaml:5:50: error: quiet 1s is too short for the queue workload: consumers stop "
        "receiving 1500ms before the drain (3 timeouts and a batch's processing), and the drain "
        "takes the last timeout; use at least 2s\n");
  CHECK(errors(kHead + "workload: {name: queue, queues: [orders], quiet: 5s}\n"
                       "faults: [{at: 5s, crash: c3}]\n") ==
        "test.yaml:6:26: error: unknown client 'c3': the workload has c1..c2\n");
}

TEST_CASE("queue workload: a queue protocol serves only the queue workload, and back") {
  CHECK(errors(kHead + "workload: {name: kv, clients: 2}\n") ==
        "test.yaml:5:18: error: protocol 'broker' is a queue protocol; it serves the queue "
        "workload, not 'kv'\n");
  CHECK(errors("name: t\ndescription: d\nduration: 30s\ncluster: {nodes: 3, protocol: raft}\n"
               "workload: {name: queue, quiet: 5s}\n") ==
        "test.yaml:5:18: error: protocol 'raft' is a key-value protocol; the queue workload "
        "needs a queue protocol such as broker\n");
}

TEST_CASE("broker options: replication is none or raft, with the core's checks; names too") {
  const std::string head = "name: t\ndescription: d\nduration: 30s\n";
  const LoadResult raft = load(head + "cluster: {nodes: 3, protocol: broker, options: "
                                      "{replication: raft, heartbeat: 20ms}}\n");
  INFO(raft.diagnostics.format());
  REQUIRE(raft.scenario.has_value());
  CHECK(raft.scenario->cluster.options.choice("replication") == "raft");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: {replication: quorum}}\n") ==
        "test.yaml:4:62: error: expected one of none or raft, got 'quorum'\n");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: "
                      "{replication: raft, heartbeat: 400ms}}\n") ==
        "test.yaml:4:79: error: heartbeat (400ms) must be shorter than election_timeout_min "
        "(300ms), or followers start elections against a live leader\n");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: {queues: [a, a]}}\n") ==
        "test.yaml:4:57: error: name 'a' is listed twice\n");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: {queues: 'a b'}}\n") ==
        "test.yaml:4:57: error: name 'a b' may only contain letters, digits, '-', '_' and '.'\n");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: "
                      "{dead_letter_queue: [x, y]}}\n") ==
        "test.yaml:4:68: error: dead_letter_queue names one queue, got 2\n");
  CHECK(errors(head + "cluster: {nodes: 3, protocol: broker, options: {ttl_queues: [x]}}\n") ==
        "test.yaml:4:61: error: ttl_queues names 'x', which is not one of the broker's queues\n");
  const LoadResult ok = load(head + "cluster: {nodes: 3, protocol: broker, options: "
                                    "{queues: jobs, dead_letter_queue: jobs-dlq, ttl: 5s}}\n");
  INFO(ok.diagnostics.format());
  REQUIRE(ok.scenario.has_value());
  CHECK(ok.scenario->cluster.options.names("dead_letter_queue") ==
        std::vector<std::string>{"jobs-dlq"});
  CHECK(ok.scenario->cluster.options.describe().find("queues=jobs") != std::string::npos);
  // The dedup window belongs to a fifo queue.
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {dedup_window: 1m}}\n") ==
        "test.yaml:4:63: error: dedup_window needs fifo: true: a standard queue does not "
        "deduplicate\n");
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {fifo: true, "
                      "dedup_window: 0s}}\n")
            .find("dedup_window") != std::string::npos);
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {fifo: true, "
                      "dedup_window: 1m}}\n")
            .empty());
  // A channel holds deliveries instead of a visibility timeout, and bounds them by prefetch.
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {delivery: channel, "
                      "prefetch: 50, channel_timeout: 2s}}\n")
            .empty());
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {prefetch: 50}}\n") ==
        "test.yaml:4:59: error: prefetch needs delivery: channel: with visibility deliveries "
        "are held by a timeout, not a channel\n");
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {delivery: channel, "
                      "visibility_timeout: 5s}}\n") ==
        "test.yaml:4:88: error: visibility_timeout has no meaning with delivery: channel: an "
        "unacked delivery stays with its channel (see channel_timeout)\n");
  CHECK(errors(head + "cluster: {nodes: 1, protocol: broker, options: {delivery: push}}\n")
            .find("expected one of visibility or channel") != std::string::npos);
}
