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
  // Clients that pick any replica for each operation read from replicas that have not yet heard
  // of their own adds.
  const RunResult run = run_shipped("cap/crdt-orset-skew.yaml", {"workload.route=any"});
  const CheckResult session = check_session_guarantees(run.history);
  CHECK(session.verdict == CheckVerdict::kFail);
  CHECK(metric(session, "read_your_writes_violations") > 50);
  CHECK(metric(session, "reads_judged") > 100);
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
}

TEST_CASE("read checks: OR-set clients that stay with their replica keep their sessions") {
  // As shipped, each client uses the replica next to it: its reads always follow its own adds
  // and its earlier reads there, so read-your-writes and monotonic reads hold (judged on many
  // reads). What still breaks is writes-follow-reads across sessions: during the partition a
  // process on one side reads a set without the elements an add on the other side was based on.
  const RunResult run = run_shipped("cap/crdt-orset-skew.yaml");
  const CheckResult session = check_session_guarantees(run.history);
  CHECK(metric(session, "reads_judged") > 100);
  CHECK(metric(session, "read_your_writes_violations") == 0);
  CHECK(metric(session, "monotonic_reads_violations") == 0);
  CHECK(metric(session, "writes_follow_reads_violations") > 0);
  CHECK(check_staleness(run.history).verdict == CheckVerdict::kFail);
}

TEST_CASE("read checks: counter reads below the acknowledged increments are stale") {
  const RunResult run = run_shipped("cap/crdt-counter-partition.yaml");
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(metric(staleness, "reads_unmeasured") == 0);
  CHECK(metric(staleness, "stale_fraction") > 0.5);
  // Clients that hop between replicas see their counts go down.
  const RunResult hopping = run_shipped("cap/crdt-counter-partition.yaml", {"workload.route=any"});
  CHECK(check_session_guarantees(hopping.history).verdict == CheckVerdict::kFail);
}

TEST_CASE("read checks: a write of unknown outcome that reads returned orders later reads") {
  // Synchronous primary-backup with acks=1: writes that timed out took effect, and the reads
  // that saw them prove when. A read returning a value older than such a write, after another
  // session had read the write, is a session violation (here monotonic writes and
  // writes-follow-reads), and the read is stale.
  const RunResult run = run_shipped("cap/primary-backup-async.yaml",
                                    {"cluster.options.mode=sync", "cluster.options.acks=1",
                                     "seed=7"});
  const CheckResult session = check_session_guarantees(run.history);
  CHECK(session.verdict == CheckVerdict::kFail);
  CHECK(metric(session, "violations") > 0);
  bool bound_by_a_read = false;
  for (const std::string& line : session.explanation) {
    bound_by_a_read = bound_by_a_read || line.find("its outcome unknown, but process") != std::string::npos;
  }
  CHECK(bound_by_a_read);
  const CheckResult staleness = check_staleness(run.history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(metric(staleness, "stale_reads") > 0);
}
