// What every checker returns: a verdict, named measurements (which `expect:` in a scenario can
// bound), lines of explanation a student can follow, and structured details for summary.json
// and the report.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
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
  // What the verdict rests on, against the check's minimum-evidence rule, in one phrase:
  // "judged 850 reads; needs at least 1". Printed beside the verdict and kept in summary.json,
  // so a reader can tell a pass that rests on much from one that rests on little. Every check
  // sets it, whatever its verdict.
  std::string evidence;
  // For a check that judges several named guarantees (delivery: at-least-once, at-most-once,
  // ...): the verdict of each, which `expect:` can name. Empty for the other checks.
  std::map<std::string, CheckVerdict> guarantees;
};

// The minimum-evidence rule, shared by every check: `judged` items (`what`, a plural noun such
// as "reads") were judged and at least `needed` are required. Sets `result.evidence`. When fewer
// were judged, a verdict of kPass becomes kNotApplicable (a check that judged too little must
// never pass) and `why_not_enough` becomes the first explanation line; kFail stands, since a
// violation found is proof on its own.
void apply_evidence_rule(CheckResult& result, std::size_t judged, std::size_t needed,
                         std::string_view what, std::string_view why_not_enough);

}  // namespace capsim
