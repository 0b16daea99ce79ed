// The session and staleness checks on runs of shipped scenarios whose verdicts once passed on
// nothing: set and counter histories, and writes whose outcome is unknown but that reads saw.
#include <doctest/doctest.h>

#include "sim/check/session_guarantees.h"
#include "sim/check/staleness.h"
#include "support/scenario_run.h"

using namespace capsim;
using namespace capsim::testing;

namespace {

RunResult run_shipped(const std::string& relative, const std::vector<std::string>& overrides = {}) {
  const Scenario scenario = load_scenario_or_fail(shipped_scenario_path(relative), overrides);
  Simulation simulation(scenario, all_protocols(), nullptr);
  return simulation.run();
}

double metric(const CheckResult& result, const std::string& name) {
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

}  // namespace

TEST_CASE("read checks: a skewed OR-set breaks read-your-writes, which the session check sees") {
  const RunResult run = run_shipped("cap/crdt-orset-skew.yaml");
  const CheckResult session = check_session_guarantees(run.history);
  CHECK(session.verdict == CheckVerdict::kFail);
  CHECK(metric(session, "read_your_writes_violations") > 50);
  CHECK(metric(session, "reads_judged") > 100);
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
}

TEST_CASE("read checks: counter reads below the acknowledged increments are stale") {
  const RunResult run = run_shipped("cap/crdt-counter-partition.yaml");
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(metric(staleness, "reads_unmeasured") == 0);
  CHECK(metric(staleness, "stale_fraction") > 0.5);
  CHECK(check_session_guarantees(run.history).verdict == CheckVerdict::kFail);
}

TEST_CASE("read checks: a write of unknown outcome that reads returned orders later reads") {
  // Synchronous primary-backup with acks=1: writes that timed out took effect, and the reads
  // that saw them prove when; a session reading one back after its own newer write is a
  // read-your-writes violation, and the read is stale.
  const RunResult run = run_shipped("cap/primary-backup-async.yaml",
                                    {"cluster.options.mode=sync", "cluster.options.acks=1"});
  const CheckResult session = check_session_guarantees(run.history);
  CHECK(session.verdict == CheckVerdict::kFail);
  CHECK(metric(session, "read_your_writes_violations") > 0);
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(metric(staleness, "stale_reads") > 0);
}
