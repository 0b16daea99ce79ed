#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim/check/availability.h"
#include "sim/fault_windows.h"
#include "support/history_builder.h"

namespace capsim {
namespace {

FaultSpec fault_at(int ms, FaultKind kind, NodeSelector target = {},
                   std::uint32_t undo_group = 0) {
  FaultSpec fault;
  fault.at = std::chrono::milliseconds(ms);
  fault.kind = kind;
  fault.target = target;
  fault.undo_group = undo_group;
  return fault;
}

NodeSelector node(NodeId id) { return NodeSelector{NodeSelector::Kind::kNode, id, ""}; }
NodeSelector all() { return NodeSelector{NodeSelector::Kind::kAll, 0, ""}; }

TEST_CASE("fault windows: each fault lasts until the event that undoes it") {
  std::vector<FaultSpec> timeline;
  timeline.push_back(fault_at(1000, FaultKind::kCut));
  timeline.push_back(fault_at(2000, FaultKind::kHeal));
  timeline.push_back(fault_at(3000, FaultKind::kCrash, node(1), 7));  // crash ... restart_after
  timeline.push_back(fault_at(4000, FaultKind::kRestart, node(1)));   // another node's restart
  timeline.push_back(fault_at(5000, FaultKind::kPause, node(2)));
  timeline.push_back(fault_at(5500, FaultKind::kJump, node(2)));     // an instant: no window
  timeline.push_back(fault_at(6000, FaultKind::kRestart, node(1), 7));
  timeline.push_back(fault_at(7000, FaultKind::kResume, all()));
  FaultSpec skew = fault_at(8000, FaultKind::kSkew, node(0));
  skew.amount = std::chrono::milliseconds(250);
  timeline.push_back(skew);  // never undone
  timeline.push_back(fault_at(9000, FaultKind::kPartition));  // has its own PartitionWindow

  const std::vector<FaultWindow> windows = fault_windows(timeline, 3);
  REQUIRE(windows.size() == 4);
  CHECK(windows[0].start == std::chrono::milliseconds(1000));
  CHECK(windows[0].end == std::chrono::milliseconds(2000));
  CHECK(windows[1].end == std::chrono::milliseconds(6000));  // the restart of its undo group
  CHECK(windows[1].description.find("crash n2") != std::string::npos);
  CHECK(windows[2].end == std::chrono::milliseconds(7000));  // resume of all nodes
  CHECK_FALSE(windows[3].end.has_value());
  CHECK(windows[3].description.find("skew n1") != std::string::npos);
}

TEST_CASE("availability: operations invoked during each fault, and during any fault") {
  // A crash from 100ms to 300ms: two operations invoked then, one fails; two outside, both ok.
  testing::HistoryBuilder h;
  h.op(0, "write", "k1", 1, 1, 10, 20);
  h.op(1, "write", "k1", 2, 2, 150, 160, OpType::kFail);
  h.op(2, "read", "k1", Value(), 1, 200, 210);
  h.op(3, "read", "k1", Value(), 1, 400, 410);
  FaultWindow crash{std::chrono::milliseconds(100), std::chrono::milliseconds(300),
                    "0.1s crash n2"};
  const CheckResult result =
      check_availability(h.history(), {}, std::chrono::seconds(1), kSecond, {crash});
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("availability") == doctest::Approx(0.75));
  CHECK(result.metrics.at("availability_during_faults") == doctest::Approx(0.5));
  const auto details = nlohmann::json::parse(result.details_json);
  REQUIRE(details["faults"].size() == 1);
  CHECK(details["faults"][0]["description"] == "0.1s crash n2");
  CHECK(details["faults"][0]["invoked"] == 2);
  CHECK(details["faults"][0]["ok"] == 1);
  CHECK(details["faults"][0]["fail"] == 1);
  CHECK(details["faults"][0]["latency"]["count"] == 1);

  // Without faults or partitions the metric is absent rather than a made-up number.
  const CheckResult calm = check_availability(h.history(), {}, std::chrono::seconds(1));
  CHECK(calm.metrics.count("availability_during_faults") == 0);
}

}  // namespace
}  // namespace capsim
