#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/fault_timeline.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

Scenario five_nodes(Duration duration = 30s) {
  Scenario scenario;
  scenario.cluster.nodes = 5;
  scenario.duration = duration;
  return scenario;
}

NodeSelector node(NodeId id) {
  NodeSelector selector;
  selector.kind = NodeSelector::Kind::kNode;
  selector.node = id;
  return selector;
}

NodeSelector role(std::string name) {
  NodeSelector selector;
  selector.kind = NodeSelector::Kind::kRole;
  selector.role = std::move(name);
  return selector;
}

FaultSpec fault(Time at, FaultKind kind) {
  FaultSpec spec;
  spec.at = at;
  spec.kind = kind;
  return spec;
}

FaultSpec targeted(Time at, FaultKind kind, NodeSelector target,
                   std::optional<Duration> undo_after = std::nullopt) {
  FaultSpec spec = fault(at, kind);
  spec.target = std::move(target);
  spec.undo_after = undo_after;
  return spec;
}

FaultSpec shaped(Time at, PartitionShape shape) {
  FaultSpec spec = fault(at, FaultKind::kPartition);
  spec.shape = shape;
  return spec;
}

// The timeline as people read it, nemesis entries marked, so whole timelines compare at once.
std::vector<std::string> lines(const std::vector<FaultSpec>& timeline, std::uint32_t nodes) {
  std::vector<std::string> result;
  for (const auto& entry : timeline) {
    result.push_back(describe_fault(entry, nodes) + (entry.from_nemesis ? " *" : ""));
  }
  return result;
}

std::vector<std::string> compiled_lines(const Scenario& scenario, std::uint64_t seed) {
  Rng rng(seed);
  return lines(compile_timeline(scenario, rng), scenario.cluster.nodes);
}

NemesisSpec nemesis_of(std::vector<FaultKind> kinds) {
  NemesisSpec nemesis;
  nemesis.faults = std::move(kinds);
  nemesis.interval = 5s;
  nemesis.fault_duration = 2s;
  nemesis.start = 1s;
  return nemesis;
}

// A nemesis entry that starts a fault rather than undoing one, given kinds whose undos are
// heal, restart, resume and a skew back to zero.
bool starts_a_fault(const FaultSpec& entry) {
  switch (entry.kind) {
    case FaultKind::kHeal:
    case FaultKind::kRestart:
    case FaultKind::kResume:
      return false;
    case FaultKind::kSkew:
      return entry.amount != Duration{0};
    default:
      return true;
  }
}

}  // namespace

TEST_CASE("fault timeline: faults are described with their time, verb and targets") {
  // The description is a trace line and a report line, so each form is pinned word for word.
  FaultSpec partition = fault(10s, FaultKind::kPartition);
  partition.groups = {{0, 1}, {2, 3, 4}};
  CHECK(describe_fault(partition, 5) == "10s partition [n1 n2] | [n3 n4 n5]");
  CHECK(describe_fault(targeted(12s, FaultKind::kCrash, role("leader")), 5) ==
        "12s crash leader");
  FaultSpec skew = targeted(14500ms, FaultKind::kSkew, node(1));
  skew.amount = 250ms;
  CHECK(describe_fault(skew, 5) == "14.5s skew n2 +250ms");
  FaultSpec jump = targeted(3s, FaultKind::kJump, node(3));
  jump.amount = -1500ms;
  CHECK(describe_fault(jump, 5) == "3s jump n4 -1500ms");
  CHECK(describe_fault(fault(1ns, FaultKind::kHeal), 5) == "0.000000001s heal");
  skew.amount = Duration{0};
  CHECK(describe_fault(skew, 5) == "14.5s skew n2 0s");
  FaultSpec cut = fault(15s, FaultKind::kCut);
  cut.from = {0};
  cut.to = {1, 2};
  CHECK(describe_fault(cut, 5) == "15s cut [n1] -> [n2 n3]");
  CHECK(describe_fault(fault(20s, FaultKind::kHeal), 5) == "20s heal");
  FaultSpec isolate = fault(1s, FaultKind::kPartition);
  isolate.shape = PartitionShape::kIsolateRole;
  isolate.role = "leader";
  CHECK(describe_fault(isolate, 5) == "1s partition isolate leader");
  CHECK(describe_fault(shaped(2s, PartitionShape::kMajority), 5) == "2s partition majority");
  NodeSelector all;
  all.kind = NodeSelector::Kind::kAll;
  CHECK(describe_fault(targeted(0s, FaultKind::kRestart, all), 5) == "0s restart all");
}

TEST_CASE("fault timeline: scheduled faults gain their undo events at the right times") {
  // A crash with restart_after, a pause with resume_after and a partition with heal_after each
  // add their undo that much later, aimed at the same target, and no entry keeps undo_after.
  Scenario scenario = five_nodes();
  FaultSpec partition = fault(10s, FaultKind::kPartition);
  partition.groups = {{0, 1}, {2, 3, 4}};
  partition.undo_after = 5s;
  scenario.faults = {partition, targeted(12s, FaultKind::kCrash, role("leader"), 3s),
                     targeted(13s, FaultKind::kPause, node(4), 500ms)};
  Rng rng(1);
  const auto timeline = compile_timeline(scenario, rng);
  CHECK(lines(timeline, 5) == std::vector<std::string>{
                                  "10s partition [n1 n2] | [n3 n4 n5]",
                                  "12s crash leader",
                                  "13s pause n5",
                                  "13.5s resume n5",
                                  "15s heal",
                                  "15s restart leader",
                              });
  for (const auto& entry : timeline) {
    CHECK_FALSE(entry.undo_after.has_value());
    CHECK_FALSE(entry.from_nemesis);
  }
}

TEST_CASE("fault timeline: undo events at or after the end of the run are dropped") {
  // The run ends at 10s: a restart due exactly then never happens, one due just before does.
  Scenario scenario = five_nodes(10s);
  scenario.faults = {targeted(8s, FaultKind::kCrash, node(0), 2s),
                     targeted(8s, FaultKind::kCrash, node(1), 1999ms)};
  CHECK(compiled_lines(scenario, 1) == std::vector<std::string>{
                                           "8s crash n1",
                                           "8s crash n2",
                                           "9.999s restart n2",
                                       });
}

TEST_CASE("fault timeline: equal times keep scheduled order, then undos, then the nemesis") {
  // Everything here happens at 10s. Scheduled faults come in the order written (even when
  // written out of time order), then the undo of an earlier crash, then the nemesis's pause and
  // resume. An interval of 1ns makes the nemesis's only gap exactly 1ns, pinning it to 10s.
  Scenario scenario = five_nodes();
  scenario.faults = {fault(10s, FaultKind::kHeal), targeted(20s, FaultKind::kJump, node(0)),
                     targeted(10s, FaultKind::kPause, node(2)),
                     targeted(5s, FaultKind::kCrash, node(0), 5s)};
  NemesisSpec nemesis = nemesis_of({FaultKind::kPause});
  nemesis.interval = 1ns;
  nemesis.fault_duration = 0s;
  nemesis.start = 10s - 1ns;
  nemesis.stop = 10s;
  scenario.nemesis = nemesis;
  const auto result = compiled_lines(scenario, 4);
  REQUIRE(result.size() == 7);
  CHECK(result[0] == "5s crash n1");
  CHECK(result[1] == "10s heal");
  CHECK(result[2] == "10s pause n3");
  CHECK(result[3] == "10s restart n1");
  CHECK(result[4].rfind("10s pause n", 0) == 0);
  CHECK(result[4].back() == '*');
  CHECK(result[5].rfind("10s resume n", 0) == 0);
  CHECK(result[6] == "20s jump n1 0s");
}

TEST_CASE("fault timeline: shapes and random targets are resolved, roles are not") {
  // A majority partition becomes explicit groups and a random crash target a named node whose
  // restart names the same node; a partition isolating the leader stays a role.
  Scenario scenario = five_nodes();
  NodeSelector random;
  random.kind = NodeSelector::Kind::kRandom;
  FaultSpec isolate = fault(7s, FaultKind::kPartition);
  isolate.shape = PartitionShape::kIsolateRole;
  isolate.role = "leader";
  scenario.faults = {shaped(5s, PartitionShape::kMajority),
                     targeted(6s, FaultKind::kCrash, random, 2s), isolate};
  Rng rng(9);
  const auto timeline = compile_timeline(scenario, rng);
  REQUIRE(timeline.size() == 4);
  CHECK(timeline[0].shape == PartitionShape::kGroups);
  REQUIRE(timeline[0].groups.size() == 2);
  CHECK(timeline[0].groups[0].size() + timeline[0].groups[1].size() == 5);
  CHECK(timeline[1].target.kind == NodeSelector::Kind::kNode);
  CHECK(timeline[1].target.node < 5);
  CHECK(timeline[2].kind == FaultKind::kPartition);
  CHECK(timeline[2].shape == PartitionShape::kIsolateRole);
  CHECK(timeline[2].role == "leader");
  CHECK(timeline[3].kind == FaultKind::kRestart);
  CHECK(timeline[3].target.kind == NodeSelector::Kind::kNode);
  CHECK(timeline[3].target.node == timeline[1].target.node);
}

TEST_CASE("fault timeline: the same seed gives the same timeline, another seed another") {
  // The whole nemesis schedule comes from the rng, so replaying a seed repeats it line for line
  // while different seeds draw different schedules.
  Scenario scenario = five_nodes(60s);
  scenario.faults = {shaped(10s, PartitionShape::kMajoritiesRing)};
  scenario.nemesis = nemesis_of({FaultKind::kPartition, FaultKind::kCrash, FaultKind::kPause,
                                 FaultKind::kSkew, FaultKind::kJump, FaultKind::kCut});
  const auto first = compiled_lines(scenario, 42);
  CHECK(first.size() > 4);
  CHECK(compiled_lines(scenario, 42) == first);
  CHECK(compiled_lines(scenario, 43) != first);
  CHECK(compiled_lines(scenario, 44) != first);
}

TEST_CASE("fault timeline: a scheduled shape draws in time order, leaving earlier draws alone") {
  // Adding a randomly shaped partition at 30s must not change any nemesis fault before 30s:
  // draws happen in timeline order, so only what comes after it may shift.
  Scenario plain = five_nodes(60s);
  plain.nemesis = nemesis_of({FaultKind::kPartition, FaultKind::kCrash});
  Scenario with_shape = plain;
  with_shape.faults = {shaped(30s, PartitionShape::kBridge)};
  Rng plain_rng(5);
  Rng shape_rng(5);
  const auto before = compile_timeline(plain, plain_rng);
  const auto after = compile_timeline(with_shape, shape_rng);
  std::size_t compared = 0;
  for (std::size_t i = 0; i < before.size() && before[i].at < 30s; ++i) {
    REQUIRE(i < after.size());
    CHECK(describe_fault(before[i], 5) == describe_fault(after[i], 5));
    ++compared;
  }
  CHECK(compared > 0);
}

TEST_CASE("fault timeline: nemesis faults stay in their window, one at a time") {
  // Over many seeds: each nemesis fault starts within [start, stop], a gap of
  // [interval/2, 3*interval/2] after the previous one and never before its undo; each undo
  // comes fault_duration after its fault; amounts stay in their promised ranges.
  Scenario scenario = five_nodes(40s);
  NemesisSpec nemesis = nemesis_of({FaultKind::kPartition, FaultKind::kCrash, FaultKind::kPause,
                                    FaultKind::kSkew, FaultKind::kJump});
  nemesis.start = 3s;
  nemesis.stop = 30s;
  nemesis.interval = 3s;
  nemesis.fault_duration = 2s;
  scenario.nemesis = nemesis;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Rng rng(seed);
    const auto timeline = compile_timeline(scenario, rng);
    std::optional<Time> previous_start;
    std::optional<Time> previous_end;
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const FaultSpec& entry = timeline[i];
      CHECK(entry.from_nemesis);
      CHECK(entry.at < scenario.duration);
      if (!starts_a_fault(entry)) continue;
      CHECK(entry.at >= nemesis.start + nemesis.interval / 2);
      CHECK(entry.at <= *nemesis.stop);
      if (previous_start) {
        CHECK(entry.at - *previous_start >= nemesis.interval / 2);
        CHECK(entry.at >= *previous_end);
        if (entry.at - *previous_start > nemesis.interval * 3 / 2) {
          CHECK(entry.at == *previous_end);  // waited for the previous undo
        }
      }
      previous_start = entry.at;
      previous_end = entry.at;
      if (entry.kind == FaultKind::kSkew) {
        CHECK(std::chrono::abs(entry.amount) >= 10ms);
        CHECK(std::chrono::abs(entry.amount) <= 500ms);
      }
      if (entry.kind == FaultKind::kJump) {
        CHECK(std::chrono::abs(entry.amount) >= 100ms);
        CHECK(std::chrono::abs(entry.amount) <= 2s);
        continue;  // a jump has no undo
      }
      if (entry.kind == FaultKind::kPartition) {
        CHECK((entry.shape == PartitionShape::kGroups ||
               (entry.shape == PartitionShape::kIsolateRole && entry.role == "leader")));
      }
      // Its undo is the next entry, fault_duration later (always before the run ends here).
      REQUIRE(i + 1 < timeline.size());
      CHECK(timeline[i + 1].at == entry.at + nemesis.fault_duration);
      CHECK_FALSE(starts_a_fault(timeline[i + 1]));
      previous_end = timeline[i + 1].at;
    }
  }
}

TEST_CASE("fault timeline: the nemesis stops one interval before the end by default") {
  // Without a stop, no nemesis fault starts in the last interval; a stop past the end is held
  // to the end, and undos that would fall after the end are dropped.
  Scenario scenario = five_nodes(20s);
  scenario.nemesis = nemesis_of({FaultKind::kCrash});
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    for (const auto& entry : compile_timeline(scenario, rng)) {
      if (entry.kind == FaultKind::kCrash) CHECK(entry.at <= 15s);
    }
  }
  scenario.nemesis->stop = 100s;
  scenario.nemesis->fault_duration = 4s;
  bool late_fault = false;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    for (const auto& entry : compile_timeline(scenario, rng)) {
      CHECK(entry.at <= 20s);
      if (entry.kind == FaultKind::kRestart) CHECK(entry.at < 20s);
      late_fault |= entry.kind == FaultKind::kCrash && entry.at > 16s;
    }
  }
  CHECK(late_fault);  // some crash's restart would have fallen past the end
}
