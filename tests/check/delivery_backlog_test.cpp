// The backlog of a queue history (sim/check/delivery_backlog.h) on hand-built histories whose
// step function is known by construction: entries at acknowledged sends, exits at the first
// delivery, a dead-letter report or the drain, the peak, and the time back to empty.
#include <doctest/doctest.h>

#include "sim/check/delivery.h"
#include "support/queue_history_builder.h"

using namespace capsim;
using capsim::testing::QueueHistoryBuilder;

namespace {

double metric(const CheckResult& result, const std::string& name) {
  INFO("metric " << name);
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

}  // namespace

TEST_CASE("delivery backlog: acknowledged and not yet delivered, its peak and its drain") {
  // 1, 2, 3 are acknowledged at 10, 20, 30ms: the backlog climbs to 3. A receive of 1 and 2
  // ends at 50ms and one of 3 at 60ms: empty again 30ms after the peak. Then 5 and 7 queue up
  // (2), 6 is received before its producer hears the acknowledgement (it never counts), 7 is
  // dead-lettered and the drain takes 5: the second bump stays below the peak. Message 4's
  // send timed out: never acknowledged, never in the backlog.
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 15, 20).send(1, 3, 25, 30);
  q.send(2, 4, 31, 35, OpType::kInfo);
  q.receive(5, {1, 2}, 45, 50).receive(5, {3}, 55, 60);
  q.send(1, 5, 65, 70).send(3, 7, 66, 72);
  q.send(1, 6, 80, 90);
  q.receive(5, {6}, 82, 85);
  q.dead_letter(9, {7}, 94, 95, "delivery_limit");
  q.drain(9, {5}, 96, 100);
  const CheckResult result = check_delivery(q.history());
  CHECK(metric(result, "backlog_peak") == 3);
  CHECK(metric(result, "backlog_peak_at_ns") == 30e6);
  CHECK(metric(result, "backlog_drain_ns") == 30e6);
}

TEST_CASE("delivery backlog: a higher later peak restarts the drain; one that never empties") {
  // A peak of 1 drains in 10ms, then a higher one of 2 at 40ms drains at 60ms: 20ms is the
  // drain of the highest peak.
  QueueHistoryBuilder twice;
  twice.send(1, 1, 0, 10).receive(5, {1}, 15, 20);
  twice.send(1, 2, 25, 30).send(1, 3, 35, 40);
  twice.receive(5, {2, 3}, 50, 60);
  const CheckResult result = check_delivery(twice.history());
  CHECK(metric(result, "backlog_peak") == 2);
  CHECK(metric(result, "backlog_peak_at_ns") == 40e6);
  CHECK(metric(result, "backlog_drain_ns") == 20e6);

  // Message 2 is never delivered: the backlog never empties after its peak, so there is no
  // drain time to report.
  QueueHistoryBuilder stuck;
  stuck.send(1, 1, 0, 10).send(1, 2, 15, 20).receive(5, {1}, 25, 30);
  const CheckResult stuck_result = check_delivery(stuck.history());
  CHECK(metric(stuck_result, "backlog_peak") == 2);
  CHECK(stuck_result.metrics.count("backlog_drain_ns") == 0);
}
