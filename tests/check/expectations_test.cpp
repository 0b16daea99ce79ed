// Judging `expect:` entries against check results (sim/check/expectations.h).
#include <doctest/doctest.h>

#include "sim/check/expectations.h"

using namespace capsim;

namespace {

Expectation verdict(const std::string& check, bool pass) {
  Expectation e;
  e.check = check;
  e.kind = Expectation::Kind::kVerdict;
  e.pass = pass;
  return e;
}

Expectation bound(const std::string& check, const std::string& metric, std::optional<double> min,
                  std::optional<double> max) {
  Expectation e;
  e.check = check;
  e.kind = Expectation::Kind::kBound;
  e.metric = metric;
  e.min = min;
  e.max = max;
  return e;
}

CheckResult result(const std::string& check, CheckVerdict verdict,
                   std::map<std::string, double> metrics = {}) {
  CheckResult r;
  r.check = check;
  r.verdict = verdict;
  r.metrics = std::move(metrics);
  return r;
}

std::string line(const ExpectationOutcome& o) {
  return o.check + " | " + o.expected + " | " + o.measured + " | " + (o.met ? "met" : "NOT MET");
}

}  // namespace

TEST_CASE("expectations: a verdict expectation is met only by that verdict") {
  // true wants pass, false wants fail; unknown and n/a meet neither.
  const std::vector<CheckResult> results = {
      result("linearizable", CheckVerdict::kFail), result("session", CheckVerdict::kPass),
      result("convergence", CheckVerdict::kUnknown),
      result("staleness", CheckVerdict::kNotApplicable)};
  const auto outcomes = evaluate_expectations(
      {verdict("linearizable", false), verdict("linearizable", true), verdict("session", true),
       verdict("convergence", true), verdict("convergence", false), verdict("staleness", true)},
      results);
  REQUIRE(outcomes.size() == 6);
  CHECK(line(outcomes[0]) == "linearizable | fail | fail | met");
  CHECK(line(outcomes[1]) == "linearizable | pass | fail | NOT MET");
  CHECK(line(outcomes[2]) == "session | pass | pass | met");
  CHECK(line(outcomes[3]) == "convergence | pass | unknown | NOT MET");
  CHECK(line(outcomes[4]) == "convergence | fail | unknown | NOT MET");
  CHECK(line(outcomes[5]) == "staleness | pass | n/a | NOT MET");
  CHECK_FALSE(all_met(outcomes));
  CHECK(all_met({outcomes[0], outcomes[2]}));
  CHECK(all_met({}));
}

TEST_CASE("expectations: bounds are inclusive and shown in the metric's unit") {
  // min and max include their limits; fractions show as percentages, _ns metrics as
  // durations, counts as numbers.
  const std::vector<CheckResult> results = {
      result("availability", CheckVerdict::kPass,
             {{"availability_minority", 0.05}, {"latency_p99_ns", 12e6}}),
      result("session", CheckVerdict::kFail, {{"violations", 3}}),
      result("staleness", CheckVerdict::kFail, {{"stale_fraction", 0.125}})};
  const auto outcomes = evaluate_expectations(
      {bound("availability", "availability_minority", std::nullopt, 0.05),
       bound("availability", "latency_p99_ns", std::nullopt, 10e6),
       bound("session", "violations", std::nullopt, 0.0),
       bound("session", "violations", 3.0, std::nullopt),
       bound("staleness", "stale_fraction", 0.01, 0.1)},
      results);
  REQUIRE(outcomes.size() == 5);
  CHECK(line(outcomes[0]) == "availability | availability_minority <= 5% | 5% | met");
  CHECK(line(outcomes[1]) == "availability | latency_p99_ns <= 10ms | 12ms | NOT MET");
  CHECK(line(outcomes[2]) == "session | violations <= 0 | 3 | NOT MET");
  CHECK(line(outcomes[3]) == "session | violations >= 3 | 3 | met");
  CHECK(line(outcomes[4]) == "staleness | 1% <= stale_fraction <= 10% | 12.5% | NOT MET");
}

TEST_CASE("expectations: a metric that was not measured, or a check not run, is not met") {
  // availability_minority is absent when no minority side was sent operations; a bound on it
  // cannot be judged met.
  const auto outcomes = evaluate_expectations(
      {bound("availability", "availability_minority", std::nullopt, 0.05),
       verdict("convergence", true)},
      {result("availability", CheckVerdict::kPass, {{"availability", 1.0}})});
  REQUIRE(outcomes.size() == 2);
  CHECK(line(outcomes[0]) ==
        "availability | availability_minority <= 5% | not measured (verdict pass) | NOT MET");
  CHECK(line(outcomes[1]) == "convergence | pass | not run | NOT MET");
}
