// What every checker returns: a verdict, named measurements (which `expect:` in a scenario can
// bound), lines of explanation a student can follow, and structured details for summary.json
// and the report.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace capsim {

enum class CheckVerdict {
  kPass,           // the property held
  kFail,           // it was violated; `explanation` says how
  kUnknown,        // the checker could not decide (e.g. the search was stopped)
  kNotApplicable,  // the history has nothing this checker can judge
};

std::string_view check_verdict_name(CheckVerdict verdict);  // "pass", "fail", "unknown", "n/a"

struct CheckResult {
  std::string check;  // "linearizable", "session", "staleness", "lost-writes", ...
  CheckVerdict verdict = CheckVerdict::kNotApplicable;
  // Named measurements, e.g. {"stale_fraction": 0.12, "lag_p99_ns": 4.1e6}. Fractions are in
  // [0, 1]; durations in nanoseconds; counts as whole numbers. Names are snake_case.
  std::map<std::string, double> metrics;
  // One sentence a line, most important first. Empty when the property held.
  std::vector<std::string> explanation;
  // Structured details as one JSON object (text), "{}" when none.
  std::string details_json = "{}";
};

}  // namespace capsim
