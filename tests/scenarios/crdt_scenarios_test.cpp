// The crdt scenarios under scenarios/cap/ each teach one idea; these tests run them with their
// fixed seeds and check that idea with the checkers themselves.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "sim/check/availability.h"
#include "sim/check/convergence.h"
#include "sim/check/lost_writes.h"
#include "sim/check/scenario_checks.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace std::chrono_literals;

namespace {

Scenario load(const std::string& name) {
  return testing::load_scenario_or_fail(testing::shipped_scenario_path("cap/" + name + ".yaml"));
}

struct Run {
  Scenario scenario;
  RunResult result;
  std::string trace;
};

Run run(const std::string& name) {
  Run r{load(name), {}, {}};
  StringTraceSink sink;
  Simulation simulation(r.scenario, testing::all_protocols(), &sink);
  r.result = simulation.run();
  r.trace = sink.text();
  return r;
}

CheckResult availability(const Run& r) {
  return check_availability(r.result.history, r.result.partitions, r.result.end_time);
}

CheckResult convergence(const Run& r) {
  return check_convergence(r.result.final_digests, r.result.up_at_end, r.scenario.cluster.nodes);
}

}  // namespace

TEST_CASE("scenarios: crdt counters answer on both sides of a partition and lose nothing") {
  // Every operation succeeds, on the minority side [n1 n2] too; all replicas end equal; and
  // the final reads count every acknowledged increment.
  const Run r = run("crdt-counter-partition");
  REQUIRE(r.result.partitions.size() == 1);
  const CheckResult available = availability(r);
  CHECK(available.metrics.at("availability") == 1.0);
  CHECK(available.metrics.at("availability_minority") == 1.0);
  CHECK(available.metrics.at("operations") > 3000);
  CHECK(convergence(r).verdict == CheckVerdict::kPass);
  const CheckResult lost = check_lost_writes(r.result.history);
  INFO((lost.explanation.empty() ? std::string() : lost.explanation.front()));
  CHECK(lost.verdict == CheckVerdict::kPass);
  CHECK(lost.metrics.at("lost") == 0);
  CHECK(lost.metrics.at("acknowledged") > 2000);
  // During the partition the two sides really did diverge: some read on the minority side
  // returned a count that a read on the majority side at about the same time did not.
  std::map<std::string, std::int64_t> max_read_by_side;
  for (const auto& event : r.result.history.events()) {
    if (event.type != OpType::kOk || event.f != "read" || event.time < 14s ||
        event.time >= 15s || event.value.is_nil() || *event.key != "k1") {
      continue;
    }
    const bool minority = event.node == "n1" || event.node == "n2";
    auto& best = max_read_by_side[minority ? "minority" : "majority"];
    best = std::max(best, event.value.integer());
  }
  REQUIRE(max_read_by_side.size() == 2);
  CHECK(max_read_by_side["minority"] < max_read_by_side["majority"]);
}

TEST_CASE("scenarios: a crdt or-set keeps every acknowledged add through partition and skew") {
  const Run r = run("crdt-orset-skew");
  CHECK(r.trace.find("\"ev\":\"jump\"") != std::string::npos);
  CHECK(availability(r).metrics.at("availability") == 1.0);
  CHECK(convergence(r).verdict == CheckVerdict::kPass);
  const CheckResult lost = check_lost_writes(r.result.history);
  INFO((lost.explanation.empty() ? std::string() : lost.explanation.front()));
  CHECK(lost.verdict == CheckVerdict::kPass);
  CHECK(lost.metrics.at("lost") == 0);
  CHECK(lost.metrics.at("acknowledged") > 1000);
}

TEST_CASE("scenarios: crdt lww-registers lose acknowledged writes to a clock running ahead") {
  // Every write is acknowledged and the replicas converge, yet for some key a write that
  // completed before another one began is the value that survives: the later acknowledged
  // write was silently discarded because n1's clock runs 3s ahead. The history is therefore
  // not linearizable.
  const Run r = run("crdt-lww-skew");
  CHECK(availability(r).metrics.at("availability") == 1.0);
  CHECK(convergence(r).verdict == CheckVerdict::kPass);
  CHECK(r.trace.find("lost at once to a write stamped") != std::string::npos);

  // The final value of each key, from the final reads (the replicas agree on it).
  std::map<std::string, Value> final_value;
  for (const auto& event : r.result.history.events()) {
    if (event.final_read && event.type == OpType::kOk) final_value[*event.key] = event.value;
  }
  REQUIRE_FALSE(final_value.empty());
  // Every acknowledged write with its invoke and ok times (written values are unique).
  struct Write {
    std::string key;
    Value value;
    Time invoked{0};
    Time acked{0};
  };
  std::vector<Write> writes;
  std::map<std::uint64_t, Time> open_invoke;  // by process
  for (const auto& event : r.result.history.events()) {
    if (event.f != "write") continue;
    if (event.type == OpType::kInvoke) open_invoke[event.process] = event.time;
    if (event.type == OpType::kOk) {
      writes.push_back({*event.key, event.value, open_invoke.at(event.process), event.time});
    }
  }
  // Writes that began after the surviving write had been acknowledged, were acknowledged
  // themselves, and are not what the key holds: lost to an older write with a larger stamp.
  int overwritten_by_older = 0;
  for (const Write& survivor : writes) {
    const auto final_it = final_value.find(survivor.key);
    if (final_it == final_value.end() || survivor.value != final_it->second) continue;
    for (const Write& later : writes) {
      if (later.key == survivor.key && later.invoked > survivor.acked) ++overwritten_by_older;
    }
  }
  CHECK(overwritten_by_older > 0);

  Scenario linearizable = r.scenario;
  linearizable.checks = {"linearizable"};
  linearizable.expectations.clear();
  const CheckBudget budget{[] { return false; }, "unlimited"};
  const auto results = run_scenario_checks(linearizable, r.result, budget);
  REQUIRE(results.size() == 1);
  CHECK(results[0].verdict == CheckVerdict::kFail);
}
