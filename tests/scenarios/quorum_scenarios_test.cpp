// The quorum scenarios under scenarios/cap/: each must show, on its own seed, the lesson its
// description teaches, judged by the checkers themselves. Where a contrast makes the lesson
// (write-back on or off, sloppy on or off, skew or none), the test runs both sides.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "nodes/kv/quorum/ring.h"
#include "sim/check/availability.h"
#include "sim/check/expectations.h"
#include "sim/check/linearizability.h"
#include "sim/check/lost_writes.h"
#include "sim/check/model.h"
#include "sim/check/scenario_checks.h"
#include "sim/check/staleness.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

Scenario load(const std::string& name, const std::vector<std::string>& overrides = {}) {
  return testing::load_scenario_or_fail(testing::shipped_scenario_path("cap/" + name + ".yaml"),
                                        overrides);
}

using Run = testing::TracedRun;
using testing::run_traced;
using testing::kv_linearizability;
using testing::parse_digest;

// Every `expect:` entry of the scenario holds on this run.
void check_expectations(const Scenario& scenario, const RunResult& result) {
  const auto outcomes =
      evaluate_expectations(scenario.expectations, run_scenario_checks(scenario, result, {}));
  CHECK_FALSE(outcomes.empty());
  for (const auto& outcome : outcomes) {
    INFO(outcome.check << ": expected " << outcome.expected << ", measured " << outcome.measured);
    CHECK(outcome.met);
  }
}

// The scenario's convergence check, run as `capsim run` runs it.
CheckResult convergence_of(const Scenario& scenario, const RunResult& result) {
  const CheckBudget budget;
  return find_check("convergence")->run(CheckInput{scenario, result, budget});
}

}  // namespace

TEST_CASE("quorum-strict: r + w > n without write-back is not linearizable") {
  // A read coordinated by n1 sees a write that is only on n1; a later read on the other two
  // replicas does not. The checker must find that on the scenario's own seed.
  const Scenario scenario = load("quorum-strict");
  const Run r = run_traced(scenario);
  CHECK(kv_linearizability(r.result) == Verdict::kNotLinearizable);
  check_expectations(scenario, r.result);
}

TEST_CASE("quorum-abd: the same cluster with read write-back is linearizable") {
  // Only read_writeback differs from quorum-strict. Reads still answer (most operations ok).
  const Scenario scenario = load("quorum-abd");
  const Run r = run_traced(scenario);
  CHECK(kv_linearizability(r.result) == Verdict::kLinearizable);
  const CheckResult availability =
      check_availability(r.result.history, r.result.partitions, r.result.end_time);
  CHECK(availability.metrics.at("availability") > 0.95);
  check_expectations(scenario, r.result);
  // And write-back is the whole difference: turning it off on this file breaks it again.
  const Run without = run_traced(load("quorum-abd", {"cluster.options.read_writeback=false"}));
  CHECK(kv_linearizability(without.result) == Verdict::kNotLinearizable);
}

TEST_CASE("quorum-sloppy: both sides stay available, reads go stale, replicas converge") {
  const Scenario scenario = load("quorum-sloppy");
  const Run r = run_traced(scenario);
  const CheckResult availability =
      check_availability(r.result.history, r.result.partitions, r.result.end_time);
  CHECK(availability.metrics.at("availability_minority") >= 0.9);
  CHECK(availability.metrics.at("availability_majority") >= 0.9);
  const CheckResult staleness = check_staleness(r.result.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(staleness.metrics.at("stale_reads") > 0);
  CHECK(kv_linearizability(r.result) == Verdict::kNotLinearizable);
  CHECK(r.trace.find("quorum: handed off") != std::string::npos);
  check_expectations(scenario, r.result);

  // Convergence, per key: the n=3 preferred replicas of every key hold the same value at the
  // end (nodes replicate different keys, so whole digests are not comparable).
  const quorum::Ring ring(5, 16);
  REQUIRE(r.result.final_digests.size() == 5);
  int keys_compared = 0;
  for (int k = 1; k <= 4; ++k) {
    const std::string key = "k" + std::to_string(k);
    CAPTURE(key);
    std::vector<std::string> values;
    for (const NodeId node : ring.walk(key, 3)) {
      REQUIRE(r.result.up_at_end[node]);
      const auto state = parse_digest(r.result.final_digests[node]);
      REQUIRE(state.count(key) == 1);
      values.push_back(state.at(key));
    }
    CHECK(values[0] == values[1]);
    CHECK(values[1] == values[2]);
    ++keys_compared;
  }
  CHECK(keys_compared == 4);
  // The convergence check judges the same thing, per key on its preference list, where
  // whole-node digests could not be compared.
  CHECK(r.result.key_replicas.size() == 4);
  CHECK(r.result.key_replicas.at("k1") == [&] {
    std::vector<NodeId> replicas = ring.walk("k1", 3);
    std::sort(replicas.begin(), replicas.end());
    return replicas;
  }());
  const CheckResult convergence = convergence_of(scenario, r.result);
  CHECK(convergence.verdict == CheckVerdict::kPass);
  CHECK(convergence.metrics.at("keys_judged") == 4);

  // Without sloppy quorums the two-node side cannot complete much of anything.
  const Run strict = run_traced(load("quorum-sloppy", {"cluster.options.sloppy=false"}));
  const CheckResult strict_availability =
      check_availability(strict.result.history, strict.result.partitions, strict.result.end_time);
  CHECK(strict_availability.metrics.at("availability_minority") < 0.75);
}

TEST_CASE("quorum-lww-skew: a clock running behind loses acknowledged adds") {
  const Scenario scenario = load("quorum-lww-skew");
  const Run r = run_traced(scenario);
  const CheckResult lost = check_lost_writes(r.result.history);
  const std::string first_line = lost.explanation.empty() ? "" : lost.explanation.front();
  INFO(first_line);
  CHECK(lost.verdict == CheckVerdict::kFail);
  CHECK(lost.metrics.at("lost") > 0);
  CHECK(lost.metrics.at("final_reads_unanswered") == 0);
  check_expectations(scenario, r.result);
  // The skew is the cause: the same run without it loses nothing (one client, no overlap).
  const Run no_skew = run_traced(load("quorum-lww-skew", {"faults=[]"}));
  const CheckResult none = check_lost_writes(no_skew.result.history);
  CHECK(none.verdict == CheckVerdict::kPass);
  CHECK(none.metrics.at("lost") == 0);
}

TEST_CASE("quorum-sloppy: a partition never healed leaves keys divergent, named per replica") {
  // Without anti-entropy or read repair, with w=1 and the partition lasting past the last
  // write, some key's replicas end with different values: the check fails and names the key,
  // its replicas and what each holds, judged against the ring's own placement.
  const Scenario scenario =
      load("quorum-sloppy", {"cluster.options.anti_entropy=0s", "cluster.options.read_repair=false",
                             "cluster.options.w=1", "faults.0.heal_after=19s"});
  const Run r = run_traced(scenario);
  const CheckResult convergence = convergence_of(scenario, r.result);
  REQUIRE(convergence.verdict == CheckVerdict::kFail);
  REQUIRE(convergence.explanation.size() >= 2);
  const std::string& line = convergence.explanation[1];
  CAPTURE(line);
  const std::string key = line.substr(0, line.find(' '));
  std::string replicas;
  for (NodeId id : r.result.key_replicas.at(key)) {
    replicas += (replicas.empty() ? "n" : ", n") + std::to_string(id + 1);
  }
  const std::size_t last_comma = replicas.rfind(", ");
  replicas.replace(last_comma, 2, " and ");
  CHECK(line.rfind(key + " on its replicas " + replicas + ": ", 0) == 0);
  const auto values = parse_digest(r.result.final_digests[r.result.key_replicas.at(key)[0]]);
  CHECK(line.find(key + "=" + values.at(key)) != std::string::npos);
}
