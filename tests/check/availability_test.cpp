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
  // No operation was invoked, so no fraction can be formed.
  const CheckResult result = check_availability(History{}, {}, Time{3s});
  CHECK(result.check == "availability");
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(metric(result, "operations") == 0);
  CHECK(result.metrics.count("availability") == 0);
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
