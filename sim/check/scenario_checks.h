// The checks a scenario can ask for (`checks:` and `expect:`), and running them on a finished
// run. One table lists every check with its metrics and the function that runs it, so adding a
// checker is adding one entry; the scenario loader validates names against the same table.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace capsim {

// How a metric's values are written in `expect:` and shown: a percentage (`5%`), a duration
// with a unit (`200ms`; the metric's name ends in `_ns`), or a plain number.
enum class MetricUnit { kCount, kFraction, kDuration };

struct MetricInfo {
  std::string_view name;
  MetricUnit unit = MetricUnit::kCount;
};

// How long a check may search. sim/ reads no clock, so the caller supplies `should_stop`
// (polled now and then by searches that can take long) and says in `description` what the
// budget was ("30s"), for the explanation of an unknown verdict.
struct CheckBudget {
  std::function<bool()> should_stop;
  std::string description;
};

struct CheckInput {
  const Scenario& scenario;
  const RunResult& run;
  const CheckBudget& budget;
};

struct CheckInfo {
  std::string_view name;     // as written in a scenario: "linearizable"
  std::string_view summary;  // one line for listings
  // The metric `expect: {CHECK: {min: X, max: Y}}` bounds when no metric is named; empty when
  // the check has none (only its verdict, or a named metric, can be expected).
  std::string_view main_metric;
  std::vector<MetricInfo> metrics;  // every metric the check may report
  CheckResult (*run)(const CheckInput& input);
  // The named guarantees whose verdicts the check reports (CheckResult::guarantees), which
  // `expect: {CHECK: {GUARANTEE: true}}` can name; empty for most checks.
  std::vector<std::string_view> guarantees = {};
};

// Every check, in the order they are listed and run.
const std::vector<CheckInfo>& check_catalog();

// The check called `name`, or nullptr.
const CheckInfo* find_check(std::string_view name);

// The names of the checks, in catalog order.
std::vector<std::string> check_names();

// The metric of `check` called `name`, or nullptr.
const MetricInfo* find_metric(const CheckInfo& check, std::string_view name);

// True when `check` reports the guarantee `name`.
bool has_guarantee(const CheckInfo& check, std::string_view name);

// The names of the checks a scenario runs: those in `checks:` as written, then those named only
// in `expect:`, each once. Requires: every name is in the catalog (the loader ensures it).
std::vector<std::string> checks_to_run(const Scenario& scenario);

// Runs checks_to_run(scenario) on `run`, in that order.
std::vector<CheckResult> run_scenario_checks(const Scenario& scenario, const RunResult& run,
                                             const CheckBudget& budget);

// The linearizability model for a workload: kv -> "kv", set -> "set", counter -> "counter";
// "" when the workload has none.
std::string_view model_for_workload(std::string_view workload);

// A metric value as a person reads it and as `expect:` writes it: "5%", "12.5ms", "3".
std::string format_metric(MetricUnit unit, double value);

}  // namespace capsim
