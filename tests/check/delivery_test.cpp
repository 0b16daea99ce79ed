// The delivery check on hand-built queue histories: one history for each class of message
// (lost, unseen, duplicated, duplicate effect, recovered, failed-but-delivered, unexpected,
// reordered, in flight, dead-lettered, expired, effect missing), a clean one, the drain rule,
// and histories with nothing to judge. Each has a verdict known by construction.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim/check/delivery.h"
#include "support/queue_history_builder.h"

using namespace capsim;
using capsim::testing::QueueHistoryBuilder;

namespace {

CheckVerdict guarantee(const CheckResult& result, const std::string& name) {
  REQUIRE(result.guarantees.count(name) == 1);
  return result.guarantees.at(name);
}

double metric(const CheckResult& result, const std::string& name) {
  INFO("metric " << name);
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

DeliveryOptions judging(std::vector<std::string> guarantees) {
  DeliveryOptions options;
  options.guarantees = std::move(guarantees);
  return options;
}

const std::vector<std::string> kAll = {"at-least-once", "at-most-once", "exactly-once-effect",
                                       "per-key-order", "no-phantoms"};

}  // namespace

TEST_CASE("delivery: a clean history passes every guarantee and measures latency") {
  // Two messages sent one after the other, received in order, each applied once and acked,
  // then a drain finds the queue empty: nothing to report, every guarantee holds.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30);
  q.receive(5, {1, 2}, 40, 50);
  q.effect(5, 1, 51, 52).effect(5, 2, 53, 54);
  q.ack(5, {1, 2}, 55, 56);
  q.drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history(), judging(kAll));
  CHECK(result.check == "delivery");
  CHECK(result.verdict == CheckVerdict::kPass);
  for (const std::string& name : kAll) {
    CAPTURE(name);
    CHECK(guarantee(result, name) == CheckVerdict::kPass);
  }
  CHECK(result.explanation.empty());
  CHECK(metric(result, "messages") == 2);
  CHECK(metric(result, "acknowledged") == 2);
  CHECK(metric(result, "delivered") == 2);
  CHECK(metric(result, "lost") == 0);
  CHECK(metric(result, "effects") == 2);
  CHECK(metric(result, "deliveries_per_message_p50") == 1);
  CHECK(metric(result, "deliveries_per_message_max") == 1);
  // First send invoked -> first delivery completed: 50ms for 1, 30ms for 2 (nearest rank).
  CHECK(metric(result, "delivery_latency_p50_ns") == 30e6);
  CHECK(metric(result, "delivery_latency_p99_ns") == 50e6);
  CHECK(metric(result, "effect_latency_p50_ns") == 34e6);
  CHECK(metric(result, "effect_latency_p99_ns") == 52e6);
  CHECK(result.evidence ==
        "judged 2 messages (2 acknowledged, 2 delivered) for at-least-once, at-most-once, "
        "exactly-once-effect, per-key-order and no-phantoms; needs at least 1");
}

TEST_CASE("delivery: an acknowledged message a complete drain never found is lost, in words") {
  // 412 is acknowledged by b1 at 10.203s and never delivered; 413 is delivered; three
  // consumers then drain the queue and find it empty: 412 is lost.
  QueueHistoryBuilder q;
  q.on_queue("orders");
  q.send(7, 412, 10000, 10203).send(7, 413, 10300, 10400);
  q.receive(4, {413}, 11000, 11010);
  q.drain(20, {}, 27000, 28000).drain(21, {}, 27000, 27900).drain(22, {}, 27000, 27950);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kFail);
  CHECK(guarantee(result, "no-phantoms") == CheckVerdict::kPass);
  CHECK(metric(result, "lost") == 1);
  CHECK(metric(result, "lost_fraction") == 0.5);
  CHECK(metric(result, "undrained") == 0);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "at-least-once: fail: 1 of 2 acknowledged messages (50.0%) was lost: acknowledged, "
        "never delivered, though a drain that began after the acknowledgement found the queue "
        "empty.");
  CHECK(result.explanation[1] ==
        "message 412 to orders, sent by process 7 (attempt 1 acknowledged by b1 at 10.203s), "
        "was never delivered; 3 drains of orders (processes 20, 21 and 22) finished by 28.000s "
        "[history events 0, 1].");
  const auto details = nlohmann::json::parse(result.details_json);
  REQUIRE(details.at("lost").size() == 1);
  CHECK(details.at("lost")[0].at("id") == 412);
  CHECK(details.at("lost")[0].at("queue") == "orders");
  CHECK(details.at("lost")[0].at("attempts")[0].at("node") == "b1");
  CHECK(details.at("guarantees").at("at-least-once") == "fail");
}

TEST_CASE("delivery: indefinite and failed sends never delivered are unseen, not lost") {
  // 1 timed out yet was delivered (recovered), 2 timed out and 3 was refused, neither ever
  // delivered (unseen), 4 was acknowledged and delivered: no guarantee is broken.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10, OpType::kInfo).send(2, 2, 0, 10, OpType::kInfo);
  q.send(3, 3, 0, 10, OpType::kFail).send(4, 4, 0, 10);
  q.receive(5, {1, 4}, 20, 30);
  q.drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "acknowledged") == 1);
  CHECK(metric(result, "indefinite") == 2);
  CHECK(metric(result, "failed") == 1);
  CHECK(metric(result, "unseen") == 2);
  CHECK(metric(result, "recovered") == 1);
  CHECK(metric(result, "lost") == 0);
  CHECK(metric(result, "failed_delivered") == 0);
  CHECK(nlohmann::json::parse(result.details_json).at("recovered")[0].at("id") == 1);
}

TEST_CASE("delivery: a refused send that is delivered breaks no-phantoms") {
  // Every send of 9 was refused, yet a consumer got it: the producer was told no.
  QueueHistoryBuilder q;
  q.send(2, 9, 3000, 3000, OpType::kFail).send(2, 10, 3100, 3200);
  q.receive(6, {9, 10}, 4000, 4100);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(guarantee(result, "no-phantoms") == CheckVerdict::kFail);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kPass);
  CHECK(metric(result, "failed_delivered") == 1);
  CHECK(metric(result, "recovered") == 0);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "no-phantoms: fail: 1 message was delivered though every send of it was refused.");
  CHECK(result.explanation[1] ==
        "message 9, sent by process 2 (attempt 1 refused by b1 at 3.000s: refused), was "
        "delivered to process 6 at 4.100s from b1 although every send of it was refused "
        "[history events 0, 1, 5].");
}

TEST_CASE("delivery: a message delivered but never sent is unexpected") {
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10);
  q.receive(3, {1, 99}, 4000, 5000);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "unexpected") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "message 99 was delivered to process 3 at 5.000s from b1, but no send of it was ever "
        "invoked [history event 3].");
}

TEST_CASE("delivery: a message delivered twice breaks at-most-once, not at-least-once") {
  // 17 reaches three consumers, the second time marked by the broker (delivery count 2), the
  // third by a drain; 18 reaches one consumer with the redelivered flag set.
  QueueHistoryBuilder q;
  q.send(1, 17, 0, 10).send(1, 18, 20, 30);
  q.receive(4, {17}, 2000, 2100);
  q.receive(5, {17, 18}, 31000, 32000, OpType::kOk, {2, 1}, {true, true});
  q.drain(9, {17}, 32500, 33000);
  const History history = q.history();
  const CheckResult result = check_delivery(history, judging({"at-least-once", "at-most-once"}));
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kPass);
  CHECK(guarantee(result, "at-most-once") == CheckVerdict::kFail);
  CHECK(metric(result, "duplicated") == 1);
  CHECK(metric(result, "deliveries") == 4);
  CHECK(metric(result, "extra_deliveries") == 2);
  CHECK(metric(result, "redelivered") == 2);  // the count of 2, and 18's flag
  CHECK(metric(result, "deliveries_per_message_max") == 3);
  CHECK(metric(result, "deliveries_per_message_p50") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "at-most-once: fail: 1 message was delivered more than once (2 extra deliveries, 2 "
        "marked by the broker as redeliveries).");
  CHECK(result.explanation[1] ==
        "message 17 was delivered 3 times: to process 4 at 2.100s from b1, to process 5 at "
        "32.000s from b1 (delivery count 2) and to process 9 at 33.000s from b1 by a drain "
        "[history events 5, 7, 9].");
}

TEST_CASE("delivery: an effect applied twice breaks at-most-once and exactly-once-effect") {
  // 17 is redelivered after a crash and its effect applied again; 18 is processed once.
  QueueHistoryBuilder q;
  q.send(1, 17, 0, 10).send(1, 18, 20, 30);
  q.receive(4, {17}, 2000, 2100).effect(4, 17, 2150, 2200);
  q.receive(5, {17, 18}, 31000, 32000).effect(5, 17, 32050, 32100).effect(5, 18, 32150, 32200);
  q.ack(5, {17, 18}, 32300, 32400);
  q.drain(9, {}, 40000, 40100);
  const CheckResult result = check_delivery(q.history(), judging(kAll));
  CHECK(guarantee(result, "at-most-once") == CheckVerdict::kFail);
  CHECK(guarantee(result, "exactly-once-effect") == CheckVerdict::kFail);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kPass);
  CHECK(metric(result, "duplicate_effects") == 1);
  CHECK(metric(result, "effects") == 3);
  CHECK(std::find(result.explanation.begin(), result.explanation.end(),
                  "the effect of message 17 was applied 2 times: by process 4 at 2.200s and by "
                  "process 5 at 32.100s [history events 7, 11].") != result.explanation.end());
}

TEST_CASE("delivery: an effect lost after the ack breaks exactly-once-effect") {
  // The consumer commits 2 before processing it and crashes: 2 is processed, no effect.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30);
  q.receive(4, {1, 2}, 40, 50).effect(4, 1, 51, 52).ack(4, {1, 2}, 53, 54);
  q.drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history(), judging(kAll));
  CHECK(guarantee(result, "exactly-once-effect") == CheckVerdict::kFail);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kPass);
  CHECK(metric(result, "effect_missing") == 1);
  CHECK(std::find(result.explanation.begin(), result.explanation.end(),
                  "message 2 was processed (acknowledged by process 4 at 0.054s) but no effect "
                  "of it was recorded [history events 5, 9].") != result.explanation.end());
}

TEST_CASE("delivery: without effects exactly-once-effect is n/a, with the reason") {
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).receive(4, {1}, 20, 30).drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history(), judging({"exactly-once-effect"}));
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(result.explanation ==
        std::vector<std::string>{"exactly-once-effect: n/a: the history records no effects (f "
                                 "\"effect\"), so effects cannot be counted."});
}

TEST_CASE("delivery: a message received after one sent later on its key is reordered") {
  // 1 is acknowledged before 2 is first sent, both on key k1, and one consumer gets 2 first.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10, OpType::kOk, "k1").send(1, 2, 20, 30, OpType::kOk, "k1");
  q.receive(5, {2, 1}, 40, 50);
  const CheckResult result = check_delivery(q.history(), judging({"per-key-order"}));
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "reordered") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "per-key-order: fail: 1 message was received by a consumer after a message of the same "
        "key that was first sent only after they were acknowledged.");
  CHECK(result.explanation[1] ==
        "process 5 received message 1 (key k1) at 0.050s after message 2 at 0.050s, though 1 "
        "was acknowledged at 0.010s, before 2 was first sent at 0.020s [history events 1, 2, 5].");
}

TEST_CASE("delivery: order is judged per key, per consumer, on first receipts only") {
  // None of these is a reorder: different keys; sends that overlap (no acknowledged order);
  // two consumers each getting one; a redelivery of an earlier message after a later one.
  auto reordered = [](QueueHistoryBuilder& q) {
    const CheckResult result = check_delivery(q.history(), judging({"per-key-order"}));
    CHECK(result.verdict == CheckVerdict::kPass);
    return result.metrics.at("reordered");
  };
  QueueHistoryBuilder keys;
  keys.send(1, 1, 0, 10, OpType::kOk, "k1").send(1, 2, 20, 30, OpType::kOk, "k2");
  keys.receive(5, {2, 1}, 40, 50);
  CHECK(reordered(keys) == 0);
  QueueHistoryBuilder overlapping;
  overlapping.send(1, 1, 0, 30).send(2, 2, 10, 20);
  overlapping.receive(5, {2, 1}, 40, 50);
  CHECK(reordered(overlapping) == 0);
  QueueHistoryBuilder consumers;
  consumers.send(1, 1, 0, 10).send(1, 2, 20, 30);
  consumers.receive(5, {2}, 40, 50).receive(6, {1}, 60, 70);
  CHECK(reordered(consumers) == 0);
  QueueHistoryBuilder redelivery;
  redelivery.send(1, 1, 0, 10).send(1, 2, 20, 30);
  redelivery.receive(5, {1}, 40, 50).receive(5, {2}, 60, 70).receive(5, {1}, 80, 90);
  CHECK(reordered(redelivery) == 0);
}

TEST_CASE("delivery: a message received but never acked is in flight, and loss unknown") {
  // The history acks (so receipt is not processing); 1 was received and never acked.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30);
  q.receive(5, {1, 2}, 40, 50).ack(5, {2}, 51, 52);
  q.drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kUnknown);
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kUnknown);
  CHECK(metric(result, "in_flight_at_end") == 1);
  CHECK(metric(result, "lost") == 0);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "at-least-once: unknown: 1 message was received but never acknowledged by the end (in "
        "flight), so whether it will be processed is unknown.");
  CHECK(result.explanation[1] ==
        "message 1 was delivered to process 5 at 0.050s from b1 but never acknowledged "
        "[history event 5].");
}

TEST_CASE("delivery: loss is unknown, never lost, until a complete drain follows the ack") {
  // The same acknowledged, undelivered message under every drain situation.
  auto judge = [](QueueHistoryBuilder& q, DeliveryOptions options = {}) {
    q.send(1, 1, 0, 10);
    return check_delivery(q.history(), options);
  };
  QueueHistoryBuilder none;
  const CheckResult no_drain = judge(none);
  CHECK(no_drain.verdict == CheckVerdict::kUnknown);
  CHECK(no_drain.metrics.at("lost") == 0);
  CHECK(no_drain.metrics.at("undrained") == 1);
  CHECK(no_drain.explanation.at(0) ==
        "at-least-once: unknown: 1 acknowledged message was never delivered, and no complete "
        "drain of the queue came after, so it may still be queued (the history has no drain of "
        "the queue).");
  CHECK(no_drain.explanation.at(1) ==
        "message 1, sent by process 1 (attempt 1 acknowledged by b1 at 0.010s), was never "
        "delivered, but the history has no drain of the queue [history events 0, 1].");

  QueueHistoryBuilder crashed;
  crashed.drain(9, {}, 100, 110).drain(10, {}, 100, 120, OpType::kInfo);
  const CheckResult info_drain = judge(crashed);
  CHECK(info_drain.verdict == CheckVerdict::kUnknown);
  CHECK(info_drain.metrics.at("undrained") == 1);
  CHECK(info_drain.explanation.at(0).find(
            "the drain of the queue by process 10 (invoked at 0.100s) did not finish, so it may "
            "have taken messages no one saw") != std::string::npos);

  QueueHistoryBuilder pending;
  pending.drain(9, {}, 100, std::nullopt);
  CHECK(judge(pending).verdict == CheckVerdict::kUnknown);

  QueueHistoryBuilder early;
  early.drain(9, {}, 5, 200);  // began before the acknowledgement at 10ms
  const CheckResult early_drain = judge(early);
  CHECK(early_drain.verdict == CheckVerdict::kUnknown);
  CHECK(early_drain.explanation.at(0).find(
            "it was acknowledged after the last drain of the queue began (at 0.005s)") !=
        std::string::npos);

  QueueHistoryBuilder complete;
  complete.drain(9, {}, 100, 110).drain(10, {}, 100, 120, OpType::kFail);  // a fail took nothing
  const CheckResult complete_drain = judge(complete);
  CHECK(complete_drain.verdict == CheckVerdict::kFail);
  CHECK(complete_drain.metrics.at("lost") == 1);

  QueueHistoryBuilder assumed;
  DeliveryOptions drained;
  drained.assume_drained = true;
  const CheckResult assumed_drain = judge(assumed, drained);
  CHECK(assumed_drain.verdict == CheckVerdict::kFail);
  CHECK(assumed_drain.metrics.at("lost") == 1);
}

TEST_CASE("delivery: each queue needs its own drain") {
  // Queue a was drained, queue b was not: the message on a is lost, the one on b undrained.
  QueueHistoryBuilder q;
  q.on_queue("a").send(1, 1, 0, 10).drain(9, {}, 100, 110);
  q.on_queue("b").send(2, 2, 0, 10);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("lost") == 1);
  CHECK(result.metrics.at("undrained") == 1);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details.at("lost")[0].at("queue") == "a");
  CHECK(details.at("undrained")[0].at("queue") == "b");
}

TEST_CASE("delivery: dead-lettered and expired messages are accounted, not lost") {
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30).send(1, 3, 40, 50);
  q.receive(5, {3}, 60, 70);
  q.dead_letter(8, {1}, 80, 90, "delivery_limit").expire(8, {2}, 91, 95);
  q.drain(9, {}, 100, 110);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("lost") == 0);
  CHECK(result.metrics.at("dead_lettered") == 1);
  CHECK(result.metrics.at("expired") == 1);
}

TEST_CASE("delivery: a history without messages is n/a, with the reason") {
  const CheckResult empty = check_delivery(History{});
  CHECK(empty.verdict == CheckVerdict::kNotApplicable);
  CHECK(empty.explanation ==
        std::vector<std::string>{"The history has no queue operations (send, receive, drain, "
                                 "ack, effect), so there is no message to judge."});
  CHECK(empty.evidence == "judged 0 messages; needs at least 1");
  QueueHistoryBuilder kv;
  kv.other(0, "write", 1, 0, 10).other(1, "read", 1, 20, 30);
  CHECK(check_delivery(kv.history()).verdict == CheckVerdict::kNotApplicable);
  QueueHistoryBuilder drained;
  drained.drain(9, {}, 0, 10);
  const CheckResult nothing = check_delivery(drained.history());
  CHECK(nothing.verdict == CheckVerdict::kNotApplicable);
  CHECK(nothing.explanation.at(0).find("name no message") != std::string::npos);
}

TEST_CASE("delivery: without an acknowledged send at-least-once is n/a, never pass") {
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10, OpType::kInfo).receive(5, {1}, 20, 30).drain(9, {}, 40, 50);
  const CheckResult result = check_delivery(q.history());
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kNotApplicable);
  CHECK(guarantee(result, "no-phantoms") == CheckVerdict::kPass);
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(result.explanation.at(0) ==
        "at-least-once: n/a: no send was acknowledged, so no message can be shown lost.");
}

TEST_CASE("delivery: the verdict judges only the guarantees asked for") {
  // A lost message fails at-least-once, but a verdict on at-most-once alone passes.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30).receive(5, {2}, 40, 50).drain(9, {}, 60, 70);
  const History history = q.history();
  CHECK(check_delivery(history).verdict == CheckVerdict::kFail);
  const CheckResult result = check_delivery(history, judging({"at-most-once"}));
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.explanation.empty());
  CHECK(guarantee(result, "at-least-once") == CheckVerdict::kFail);  // still reported
}

TEST_CASE("delivery: retries of one message are its attempts, named in the explanation") {
  // Attempt 1 times out, process 8 (the client's next process) retries and is acknowledged.
  QueueHistoryBuilder q;
  q.send(7, 412, 10000, 10100, OpType::kInfo, std::nullopt, 1);
  q.send(8, 412, 10150, 10203, OpType::kOk, std::nullopt, 2);
  q.drain(20, {}, 20000, 20100);
  const CheckResult result = check_delivery(q.history());
  CHECK(result.metrics.at("sends") == 2);
  CHECK(result.metrics.at("retried") == 1);
  CHECK(result.metrics.at("acknowledged") == 1);
  CHECK(result.explanation.at(1) ==
        "message 412, sent by its producer (attempt 1 by process 7 ended unknown (info) at "
        "10.100s: timeout; attempt 2 by process 8 acknowledged by b1 at 10.203s), was never "
        "delivered; the drain of the queue by process 20 finished at 20.100s [history events "
        "0, 1, 2, 3].");
}

TEST_CASE("delivery: a malformed history is unknown, with the event named") {
  QueueHistoryBuilder list_id;
  list_id.send(1, Value(Value::List{1, 2}), 0, 10);
  std::string error;
  const CheckResult result = check_delivery(list_id.history(), {}, error);
  CHECK(result.verdict == CheckVerdict::kUnknown);
  CHECK(error == "event 0: a send's value must name message ids (integers or strings), got [1 2]");
  CHECK(result.explanation.at(0) == "The history is malformed: " + error + ".");

  History orphan;
  HistoryEvent done;
  done.type = OpType::kOk;
  done.f = "receive";
  orphan.add(done);
  check_delivery(orphan, {}, error);
  CHECK(error == "event 0: receive completes (ok) for process 0, which has no operation open");
}

TEST_CASE("delivery: a queue history is told from others by its sends and receives") {
  QueueHistoryBuilder queue;
  queue.receive(1, {}, 0, 10);
  CHECK(is_queue_history(queue.history()));
  QueueHistoryBuilder kv;
  kv.other(0, "write", 1, 0, 10);
  CHECK_FALSE(is_queue_history(kv.history()));
}
