#include "sim/check/expectations.h"

#include <algorithm>

#include "sim/check/scenario_checks.h"

namespace capsim {
namespace {

MetricUnit unit_of(const std::string& check, const std::string& metric) {
  const CheckInfo* info = find_check(check);
  const MetricInfo* found = info == nullptr ? nullptr : find_metric(*info, metric);
  return found == nullptr ? MetricUnit::kCount : found->unit;
}

// "availability_minority <= 5%", "stale_fraction >= 1%", "1% <= stale_fraction <= 10%".
std::string bound_text(const Expectation& expectation, MetricUnit unit) {
  const std::string& metric = expectation.metric;
  if (expectation.min && expectation.max) {
    return format_metric(unit, *expectation.min) + " <= " + metric +
           " <= " + format_metric(unit, *expectation.max);
  }
  if (expectation.min) return metric + " >= " + format_metric(unit, *expectation.min);
  return metric + " <= " + format_metric(unit, expectation.max.value_or(0.0));
}

ExpectationOutcome judge(const Expectation& expectation, const CheckResult* result) {
  ExpectationOutcome outcome;
  outcome.check = expectation.check;
  const MetricUnit unit = unit_of(expectation.check, expectation.metric);
  const std::string verdict_text = expectation.pass ? "pass" : "fail";
  outcome.expected = expectation.kind == Expectation::Kind::kVerdict ? verdict_text
                     : expectation.kind == Expectation::Kind::kGuarantee
                         ? expectation.guarantee + " " + verdict_text
                         : bound_text(expectation, unit);
  if (result == nullptr) {
    outcome.measured = "not run";
    return outcome;
  }
  if (expectation.kind == Expectation::Kind::kGuarantee) {
    const auto verdict = result->guarantees.find(expectation.guarantee);
    if (verdict == result->guarantees.end()) {
      outcome.measured = "not judged (verdict " +
                         std::string(check_verdict_name(result->verdict)) + ")";
      return outcome;
    }
    outcome.measured = expectation.guarantee + " " + std::string(check_verdict_name(verdict->second));
    outcome.met = verdict->second == (expectation.pass ? CheckVerdict::kPass : CheckVerdict::kFail);
    return outcome;
  }
  if (expectation.kind == Expectation::Kind::kVerdict) {
    outcome.measured = std::string(check_verdict_name(result->verdict));
    outcome.met = result->verdict == (expectation.pass ? CheckVerdict::kPass : CheckVerdict::kFail);
    return outcome;
  }
  const auto value = result->metrics.find(expectation.metric);
  if (value == result->metrics.end()) {
    outcome.measured = "not measured (verdict " +
                       std::string(check_verdict_name(result->verdict)) + ")";
    return outcome;
  }
  outcome.measured = format_metric(unit, value->second);
  outcome.met = (!expectation.min || value->second >= *expectation.min) &&
                (!expectation.max || value->second <= *expectation.max);
  return outcome;
}

}  // namespace

std::vector<ExpectationOutcome> evaluate_expectations(
    const std::vector<Expectation>& expectations, const std::vector<CheckResult>& results) {
  std::vector<ExpectationOutcome> outcomes;
  for (const Expectation& expectation : expectations) {
    const auto result = std::find_if(results.begin(), results.end(), [&](const CheckResult& r) {
      return r.check == expectation.check;
    });
    outcomes.push_back(judge(expectation, result == results.end() ? nullptr : &*result));
  }
  return outcomes;
}

bool all_met(const std::vector<ExpectationOutcome>& outcomes) {
  return std::all_of(outcomes.begin(), outcomes.end(),
                     [](const ExpectationOutcome& outcome) { return outcome.met; });
}

}  // namespace capsim
