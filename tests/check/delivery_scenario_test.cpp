// The delivery check as a scenario names it: its catalog entry and metrics, guarantees under
// `expect:` (read by the loader, judged by the expectations), the guarantees its verdict
// judges in a scenario, and how summary.json and the terminal show them.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "nodes/register_protocols.h"
#include "sim/check/delivery.h"
#include "sim/check/expectations.h"
#include "sim/check/scenario_checks.h"
#include "sim/run_summary.h"
#include "sim/scenario_loader.h"
#include "support/queue_history_builder.h"

using namespace capsim;
using capsim::testing::QueueHistoryBuilder;

namespace {

// 1 is lost after a complete drain; 2 is delivered twice and its effect applied twice; 3 is
// delivered once. So at-least-once, at-most-once and exactly-once-effect fail.
History lossy_history() {
  QueueHistoryBuilder q;
  q.send(1, 1, 0, 10).send(1, 2, 20, 30).send(1, 3, 40, 50);
  q.receive(5, {2, 3}, 60, 70).effect(5, 2, 71, 72).effect(5, 3, 73, 74);
  q.receive(6, {2}, 80, 90).effect(6, 2, 91, 92);
  q.drain(9, {}, 100, 110);
  return q.history();
}

LoadResult load(const std::string& expect) {
  ProtocolRegistry registry;
  register_protocols(registry);
  return load_scenario_text("name: t\ndescription: d\nduration: 1s\n"
                            "cluster: {nodes: 1, protocol: raft}\n" +
                                expect,
                            "test.yaml", registry, {});
}

}  // namespace

TEST_CASE("delivery: the catalog lists every metric the check reports, and its guarantees") {
  // So that any metric can be bounded under expect: and `capsim list` shows them all.
  const CheckInfo* info = find_check("delivery");
  REQUIRE(info != nullptr);
  CHECK(info->main_metric == "lost");
  const CheckResult result = check_delivery(lossy_history());
  for (const auto& [name, value] : result.metrics) {
    CAPTURE(name);
    CHECK(find_metric(*info, name) != nullptr);
  }
  // Its backlog never empties (a message is lost), so it has no drain time: the one catalog
  // metric it cannot report.
  CHECK(result.metrics.count("backlog_drain_ns") == 0);
  CHECK(result.metrics.size() + 1 == info->metrics.size());
  CHECK(std::vector<std::string>(info->guarantees.begin(), info->guarantees.end()) ==
        delivery_guarantees());
  for (const std::string& name : delivery_guarantees()) CHECK(result.guarantees.count(name) == 1);
}

TEST_CASE("delivery: expect names guarantees with true or false") {
  const LoadResult loaded =
      load("expect:\n  delivery: [{at-least-once: false, at-most-once: false}, {max: 3}]\n");
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario.has_value());
  const std::vector<Expectation>& e = loaded.scenario->expectations;
  REQUIRE(e.size() == 3);
  CHECK(e[0].kind == Expectation::Kind::kGuarantee);
  CHECK(e[0].guarantee == "at-least-once");
  CHECK_FALSE(e[0].pass);
  CHECK(e[1].guarantee == "at-most-once");
  CHECK(e[2].kind == Expectation::Kind::kBound);
  CHECK(e[2].metric == "lost");
}

TEST_CASE("delivery: a misspelt guarantee or a value other than true or false is refused") {
  CHECK(load("expect: {delivery: {at-least-nce: true}}\n").diagnostics.format() ==
        "test.yaml:5:21: error: unknown delivery guarantee 'at-least-nce' (did you mean "
        "'at-least-once'?) (a bound takes metric, min and max instead)\n");
  CHECK(load("expect: {delivery: {no-phantoms: 3}}\n").diagnostics.format() ==
        "test.yaml:5:34: error: expected true or false, got '3'\n");
  CHECK(load("expect: {lost-writes: {at-least-once: true}}\n").diagnostics.format().find(
            "unknown key 'at-least-once'") != std::string::npos);
}

TEST_CASE("delivery: in a scenario the verdict judges the guarantees its expect names") {
  // Without guarantees under expect, the default pair; with them, exactly those. The
  // expectations are judged against each guarantee's own verdict.
  RunResult run;
  run.history = lossy_history();
  Scenario plain;
  plain.checks = {"delivery"};
  const std::vector<CheckResult> by_default = run_scenario_checks(plain, run, {});
  REQUIRE(by_default.size() == 1);
  CHECK(by_default[0].verdict == CheckVerdict::kFail);
  CHECK(by_default[0].evidence.find("for at-least-once and no-phantoms") != std::string::npos);

  const LoadResult loaded = load("expect:\n  delivery: {no-phantoms: true, at-most-once: false}\n");
  REQUIRE(loaded.scenario.has_value());
  const std::vector<CheckResult> named = run_scenario_checks(*loaded.scenario, run, {});
  REQUIRE(named.size() == 1);
  CHECK(named[0].verdict == CheckVerdict::kFail);
  CHECK(named[0].evidence.find("for no-phantoms and at-most-once") != std::string::npos);
  const std::vector<ExpectationOutcome> outcomes =
      evaluate_expectations(loaded.scenario->expectations, named);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].expected == "no-phantoms pass");
  CHECK(outcomes[0].measured == "no-phantoms pass");
  CHECK(outcomes[0].met);
  CHECK(outcomes[1].expected == "at-most-once fail");
  CHECK(outcomes[1].measured == "at-most-once fail");
  CHECK(outcomes[1].met);

  const LoadResult wrong = load("expect:\n  delivery: {at-least-once: true}\n");
  REQUIRE(wrong.scenario.has_value());
  const std::vector<ExpectationOutcome> unmet =
      evaluate_expectations(wrong.scenario->expectations,
                            run_scenario_checks(*wrong.scenario, run, {}));
  CHECK_FALSE(unmet.at(0).met);
  CHECK(unmet.at(0).measured == "at-least-once fail");
}

TEST_CASE("delivery: summary.json and the checks block show each guarantee's verdict") {
  RunSummary summary;
  summary.checks = {check_delivery(lossy_history())};
  const auto json = nlohmann::json::parse(format_summary_json(summary));
  const auto& delivery = json.at("checks").at("delivery");
  CHECK(delivery.at("verdict") == "fail");
  CHECK(delivery.at("guarantees").at("at-most-once") == "fail");
  CHECK(delivery.at("guarantees").at("no-phantoms") == "pass");
  CHECK(delivery.at("metrics").at("lost") == 1);
  const std::string text = format_summary_text(summary);
  CHECK(text.find("      guarantees  at-least-once fail  at-most-once fail  exactly-once-effect "
                  "fail  no-phantoms pass  per-key-order pass\n") != std::string::npos);
  // Other checks carry no guarantees, and summary.json none for them.
  RunSummary other;
  CheckResult convergence;
  convergence.check = "convergence";
  other.checks = {convergence};
  CHECK_FALSE(nlohmann::json::parse(format_summary_json(other))
                  .at("checks")
                  .at("convergence")
                  .contains("guarantees"));
}
