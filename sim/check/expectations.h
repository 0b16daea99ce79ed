// Judging a scenario's `expect:` entries against the results of its checks.
#pragma once

#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/scenario.h"

namespace capsim {

struct ExpectationOutcome {
  std::string check;     // "availability"
  std::string expected;  // "pass", "fail", "availability_minority <= 5%", "1% <= stale_fraction"
  std::string measured;  // "fail", "93.1%", or why there is no value
  bool met = false;
};

// One outcome per expectation, in order. A verdict expectation is met only by that verdict
// (unknown and n/a meet neither true nor false), and so is a guarantee's; a bound is met when
// the metric was measured and lies within it. `results` must hold the result of every check named (run_scenario_checks
// runs them); an expectation whose check has no result is not met.
std::vector<ExpectationOutcome> evaluate_expectations(
    const std::vector<Expectation>& expectations, const std::vector<CheckResult>& results);

// True when every outcome is met (also when there are none).
bool all_met(const std::vector<ExpectationOutcome>& outcomes);

}  // namespace capsim
