#include <doctest/doctest.h>

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/check/availability.h"
#include "support/history_builder.h"

using namespace capsim;

namespace {

// Builds a history of reads of k1 sent to named nodes, given by their start and end in
// milliseconds; events are put in time order.
struct Ops : testing::HistoryBuilder {
  Ops& op(std::uint64_t process, std::string node, int start_ms, std::optional<int> end_ms,
          OpType type = OpType::kOk) {
    HistoryBuilder::op(process, "read", "k1", Value(), Value(), start_ms, end_ms, type,
                       std::move(node));
    return *this;
  }
};

double metric(const CheckResult& result, const std::string& name) {
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

PartitionWindow split(std::vector<std::vector<NodeId>> sides, int start_ms,
                      std::optional<int> end_ms) {
  PartitionWindow window;
  window.start = Duration{std::int64_t{start_ms} * 1'000'000};
  if (end_ms) window.end = Duration{std::int64_t{*end_ms} * 1'000'000};
  window.sides = std::move(sides);
  window.description = "test split";
  return window;
}

}  // namespace

TEST_CASE("availability: a history without operations has nothing to measure") {
  // No operation was invoked, so no fraction can be formed: the minimum-evidence rule (at least
  // one operation) says n/a and why.
  const CheckResult result = check_availability(History{}, {}, Time{3s});
  CHECK(result.check == "availability");
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(metric(result, "operations") == 0);
  CHECK(metric(result, "refused") == 0);
  CHECK(result.metrics.count("availability") == 0);
  CHECK(result.evidence == "judged 0 operations; needs at least 1");
  REQUIRE_FALSE(result.explanation.empty());
  CHECK(result.explanation[0] ==
        "No operation was invoked, so there is no availability to measure.");
}

TEST_CASE("availability: one operation is evidence enough") {
  // A single refused operation is a measurement (0%), not an absence of one.
  const History history = Ops{}.op(1, "n1", 100, 600, OpType::kInfo).history();
  const CheckResult result = check_availability(history, {}, Time{1s});
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.evidence == "judged 1 operations; needs at least 1");
  CHECK(metric(result, "availability") == 0.0);
}

TEST_CASE("availability: a cas mismatch is an answer and counts as available; a refusal does not") {
  // Gilbert and Lynch's availability asks only that the system respond. Four operations: an ok
  // read, a cas the node answered "cas mismatch" (a correct no), a write refused with "no
  // leader known" and a read that timed out. The ok and the mismatch are answered (2 of 4); the
  // refusal and the timeout are not, whatever the error text might suggest.
  const History history = testing::HistoryBuilder{}
                              .read(1, "k1", Value(), 100, 110)
                              .fail(2, "cas", "k1", Value(Value::List{1, 2}), 200, 210,
                                    "cas mismatch", /*answered=*/true)
                              .fail(3, "write", "k1", 5, 300, 310, "no leader known",
                                    /*answered=*/false)
                              .op(4, "read", "k1", Value(), Value(), 400, 900, OpType::kInfo)
                              .history();
  const CheckResult result = check_availability(history, {}, Time{1s});
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "operations") == 4);
  CHECK(metric(result, "ok") == 1);
  CHECK(metric(result, "answered_fail") == 1);
  CHECK(metric(result, "refused") == 2);
  CHECK(metric(result, "availability") == 0.5);
  CHECK(metric(result, "cas_ok") == 0);
  CHECK(metric(result, "cas_answered_fail") == 1);
  CHECK(metric(result, "cas_refused") == 0);
  CHECK(metric(result, "cas_availability") == 1.0);
  CHECK(metric(result, "write_answered_fail") == 0);
  CHECK(metric(result, "write_refused") == 1);
  CHECK(metric(result, "write_availability") == 0.0);
  CHECK(metric(result, "read_ok") == 1);
  CHECK(metric(result, "read_refused") == 1);
  CHECK(metric(result, "read_availability") == 0.5);
  CHECK(result.metrics.count("add_ok") == 0);  // no add was invoked
  // Latency stays over ok operations only.
  CHECK(metric(result, "latency_max_ns") == 10'000'000);
  const auto details = nlohmann::json::parse(result.details_json);
  const auto& window = details["windows"][0];
  CHECK(window["invoked"] == 4);
  CHECK(window["answered_fail"] == 1);
  CHECK(window["refused"] == 2);
  CHECK(window["fail"] == 2);
  CHECK(window["info"] == 1);
  CHECK(window["availability"] == 0.5);
}

TEST_CASE("availability: sides and faults count answers the same way") {
  // n1 | n2 n3 from 1s to 3s, which is also a crash window. The minority side's only operation
  // is a cas mismatch, a response: 100%. The majority side's is a "no primary known" refusal:
  // 0%. During the faults one of two operations was answered.
  const History history = testing::HistoryBuilder{}
                              .fail(1, "cas", "k1", Value(Value::List{1, 2}), 1100, 1110,
                                    "cas mismatch", /*answered=*/true, "n1")
                              .fail(2, "write", "k1", 5, 1200, 1210, "no primary known",
                                    /*answered=*/false, "n2")
                              .history();
  const FaultWindow crash{1s, 3s, "1s crash n3"};
  const CheckResult result =
      check_availability(history, {split({{0}, {1, 2}}, 1000, 3000)}, Time{5s}, kSecond, {crash});
  CHECK(metric(result, "availability_minority") == 1.0);
  CHECK(metric(result, "availability_majority") == 0.0);
  CHECK(metric(result, "availability_during_faults") == 0.5);
  const auto details = nlohmann::json::parse(result.details_json);
  const auto& sides = details["partitions"][0]["sides"];
  CHECK(sides[0]["ok"] == 0);
  CHECK(sides[0]["answered_fail"] == 1);
  CHECK(sides[0]["refused"] == 0);
  CHECK(sides[0]["availability"] == 1.0);
  CHECK(sides[1]["refused"] == 1);
  CHECK(sides[1]["availability"] == 0.0);
  const auto& fault = details["faults"][0];
  CHECK(fault["answered_fail"] == 1);
  CHECK(fault["refused"] == 1);
  CHECK(fault["availability"] == 0.5);
}

TEST_CASE("availability: operations count in the window of their invoke") {
  // One ok in the first second, an ok and a fail in the second, an info and a pending one in
  // the third: 1/1, 1/2, 0/2 per window and 2/5 overall.
  const History history = Ops{}
                              .op(1, "n1", 500, 600)
                              .op(2, "n1", 1200, 1300, OpType::kFail)
                              .op(3, "n2", 1500, 1550)
                              .op(4, "n2", 2100, 2200, OpType::kInfo)
                              .op(5, "n3", 2500, std::nullopt)
                              .history();
  const CheckResult result = check_availability(history, {}, Time{3s});
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "operations") == 5);
  CHECK(metric(result, "availability") == doctest::Approx(0.4));
  CHECK(metric(result, "latency_p50_ns") == 50'000'000);
  CHECK(metric(result, "latency_p99_ns") == 100'000'000);
  CHECK(result.metrics.count("availability_minority") == 0);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["window_ns"] == 1'000'000'000);
  const auto& windows = details["windows"];
  REQUIRE(windows.size() == 3);
  CHECK(windows[0]["invoked"] == 1);
  CHECK(windows[0]["availability"] == 1.0);
  CHECK(windows[1]["start_ns"] == 1'000'000'000);
  CHECK(windows[1]["fail"] == 1);
  CHECK(windows[1]["availability"] == 0.5);
  CHECK(windows[2]["info"] == 1);
  CHECK(windows[2]["pending"] == 1);
  CHECK(windows[2]["availability"] == 0.0);
}

TEST_CASE("availability: latency percentiles are nearest-rank over ok operations") {
  // Latencies of 10ms..100ms: p50 is the 5th value, p99 the 10th; the failed one is ignored.
  Ops ops;
  for (int i = 1; i <= 10; ++i)
    ops.op(static_cast<std::uint64_t>(i), "n1", i * 1000, i * 1000 + i * 10);
  ops.op(11, "n1", 20000, 29000, OpType::kFail);
  const CheckResult result = check_availability(ops.history(), {}, Time{30s});
  CHECK(metric(result, "latency_p50_ns") == 50'000'000);
  CHECK(metric(result, "latency_p99_ns") == 100'000'000);
  CHECK(metric(result, "latency_max_ns") == 100'000'000);
  CHECK(metric(result, "availability") == doctest::Approx(10.0 / 11.0));
}

TEST_CASE("availability: each side of a partition is measured, majority and minority apart") {
  // n1 n2 | n3 n4 n5 from 1s to 3s. The minority side completes 1 of 3 operations, the
  // majority 2 of 2; operations before or after the window count for neither side.
  const History history = Ops{}
                              .op(1, "n1", 500, 600)
                              .op(2, "n1", 1100, 1600, OpType::kInfo)
                              .op(3, "n1", 1700, 1800, OpType::kFail)
                              .op(4, "n2", 1200, 1230)
                              .op(5, "n3", 1300, 1310)
                              .op(6, "n4", 2000, 2020)
                              .op(7, "n1", 4000, 4100, OpType::kFail)
                              .history();
  const CheckResult result =
      check_availability(history, {split({{0, 1}, {2, 3, 4}}, 1000, 3000)}, Time{5s});
  CHECK(metric(result, "availability_minority") == doctest::Approx(1.0 / 3.0));
  CHECK(metric(result, "availability_majority") == 1.0);
  const auto details = nlohmann::json::parse(result.details_json);
  const auto& partition = details["partitions"][0];
  CHECK(partition["start_ns"] == 1'000'000'000);
  CHECK(partition["end_ns"] == 3'000'000'000);
  CHECK(partition["sides"][0]["nodes"] == nlohmann::json({"n1", "n2"}));
  CHECK(partition["sides"][0]["role"] == "minority");
  CHECK(partition["sides"][0]["invoked"] == 3);
  CHECK(partition["sides"][1]["role"] == "majority");
  CHECK(partition["sides"][1]["ok"] == 2);
  // Latency during the window: 30ms, 10ms, 20ms.
  CHECK(partition["latency"]["count"] == 3);
  CHECK(partition["latency"]["p50_ns"] == 20'000'000);
  CHECK(partition["latency"]["max_ns"] == 30'000'000);
}

TEST_CASE("availability: an even split has two minorities and the lowest side wins") {
  // n1 n2 | n3 n4: neither side holds more than half, so both are minorities; the metric is
  // the lowest of them over both partitions, and a partition still open at the end counts.
  const History history = Ops{}
                              .op(1, "n1", 1100, 1200)
                              .op(2, "n3", 1100, 1200, OpType::kFail)
                              .op(3, "n1", 5100, 5200)
                              .op(4, "n4", 5100, 5200)
                              .history();
  const CheckResult result = check_availability(
      history, {split({{0, 1}, {2, 3}}, 1000, 2000), split({{0}, {1, 2, 3}}, 5000, std::nullopt)},
      Time{6s});
  CHECK(metric(result, "availability_minority") == 0.0);
  CHECK(metric(result, "availability_majority") == 1.0);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["partitions"][0]["sides"][1]["role"] == "minority");
  CHECK(details["partitions"][1]["end_ns"].is_null());
}

TEST_CASE("availability: very long runs get wider windows") {
  // 100000s in 1ms windows would be 10^8 windows; the series is capped at 10000.
  const History history = Ops{}.op(1, "n1", 500, 600).history();
  const CheckResult result = check_availability(history, {}, Time{100'000s}, 1ms);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["window_ns"] == 10'000'000'000);
  CHECK(details["windows"].size() == 10'000);
}
