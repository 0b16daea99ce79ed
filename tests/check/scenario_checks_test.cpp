// Running a scenario's checks on a finished run (sim/check/scenario_checks.h), the
// linearizability adapter (linearizability_check.h) and choosing a model for a history file
// (model_inference.h).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "check/check_test_support.h"
#include "nodes/register_protocols.h"
#include "sim/check/delivery.h"
#include "sim/check/kv_history_generator.h"
#include "sim/check/linearizability_check.h"
#include "sim/check/model_inference.h"
#include "sim/check/scenario_checks.h"
#include "sim/scenario_loader.h"

using namespace capsim;
using capsim::testing::edn_history;

namespace {

// Process 0 writes 1 to k1 and completes; afterwards process 1 reads k1 and gets nil: no
// order explains the read.
constexpr const char* kStaleRead =
    "{:process 0 :type :invoke :f :write :key \"k1\" :value 1 :time 1000000}\n"
    "{:process 0 :type :ok :f :write :key \"k1\" :value 1 :time 2000000}\n"
    "{:process 1 :type :invoke :f :read :key \"k1\" :value nil :time 3000000}\n"
    "{:process 1 :type :ok :f :read :key \"k1\" :value nil :time 4000000}\n";

Scenario scenario_with(const std::string& workload, std::vector<std::string> checks) {
  Scenario scenario;
  scenario.name = "t";
  scenario.cluster.nodes = 3;
  scenario.workload.name = workload;
  scenario.checks = std::move(checks);
  return scenario;
}

CheckResult run_one(const Scenario& scenario, const History& history,
                    const CheckBudget& budget = {}) {
  RunResult run;
  run.history = history;
  const std::vector<CheckResult> results = run_scenario_checks(scenario, run, budget);
  REQUIRE(results.size() == 1);
  return results[0];
}

}  // namespace

TEST_CASE("scenario checks: the catalog names each check's metrics and main metric") {
  // The loader and the expectations rely on the table: names are unique, and a main metric,
  // when there is one, is one of the check's metrics.
  CHECK(check_names() ==
        std::vector<std::string>{"linearizable", "session", "staleness", "convergence",
                                 "lost-writes", "availability", "delivery"});
  for (const CheckInfo& check : check_catalog()) {
    CAPTURE(check.name);
    CHECK(find_check(check.name) == &check);
    CHECK((check.run != nullptr));
    CHECK(!check.summary.empty());
    if (!check.main_metric.empty()) CHECK(find_metric(check, check.main_metric) != nullptr);
    for (const MetricInfo& metric : check.metrics) {
      CHECK((metric.unit == MetricUnit::kDuration) == std::string_view(metric.name).ends_with("_ns"));
    }
  }
  CHECK(find_check("lost_writes") == nullptr);
  CHECK(find_check("speed") == nullptr);
}

TEST_CASE("scenario checks: the delivery check declares a metric for every dead-letter reason") {
  // The reasons come from the checker's own list, so a reason added there without a catalog
  // entry could not be bounded by expect:.
  const CheckInfo* delivery = find_check("delivery");
  REQUIRE(delivery != nullptr);
  const std::vector<std::string> names = dead_lettered_metric_names();
  CHECK(names.size() == dead_letter_reasons().size() + 1);  // and dead_lettered_other
  for (const std::string& name : names) {
    CAPTURE(name);
    CHECK(find_metric(*delivery, name) != nullptr);
  }
}

TEST_CASE("scenario checks: checks named only in expect run too, each once, in order") {
  // `checks:` as written first, then the checks that only an expectation names.
  Scenario scenario = scenario_with("kv", {"session", "linearizable"});
  Expectation availability;
  availability.check = "availability";
  Expectation session;
  session.check = "session";
  scenario.expectations = {availability, session, availability};
  CHECK(checks_to_run(scenario) ==
        std::vector<std::string>{"session", "linearizable", "availability"});
}

TEST_CASE("scenario checks: every check runs on a real run and reports only its declared metrics") {
  // A short primary-backup run with a partition, every check asked for: each result carries
  // its name, a verdict, and metrics the catalog declares (so expect: can bound them).
  ProtocolRegistry registry;
  register_protocols(registry);
  const LoadResult loaded = load_scenario_text(
      "name: t\ndescription: d\nduration: 3s\nseed: 5\n"
      "cluster: {nodes: 3, protocol: primary-backup}\n"
      "workload: {clients: 3, rate: 100/s, keys: 2, quiet: 1s}\n"
      "faults: [{at: 1s, partition: {groups: [[n1], [n2, n3]]}, heal_after: 500ms}]\n"
      "checks: [linearizable, session, staleness, convergence, availability]\n",
      "t.yaml", registry);
  REQUIRE_MESSAGE(loaded.scenario.has_value(), loaded.diagnostics.format());
  Simulation simulation(*loaded.scenario, registry, nullptr);
  const RunResult run = simulation.run();
  const std::vector<CheckResult> results = run_scenario_checks(*loaded.scenario, run, {});
  REQUIRE(results.size() == 5);
  for (const CheckResult& result : results) {
    CAPTURE(result.check);
    const CheckInfo* info = find_check(result.check);
    REQUIRE(info != nullptr);
    CHECK(result.verdict != CheckVerdict::kUnknown);
    for (const auto& [name, value] : result.metrics) {
      CAPTURE(name);
      CHECK(find_metric(*info, name) != nullptr);
    }
    CHECK_FALSE(nlohmann::json::parse(result.details_json, nullptr, false).is_discarded());
  }
  CHECK(results[0].check == "linearizable");
  CHECK(results[0].metrics.at("operations") > 100);
  CHECK(results[4].metrics.at("availability") > 0.5);
}

TEST_CASE("scenario checks: linearizable picks the workload's model and explains a violation") {
  // A stale read under the kv workload fails; the explanation names the read, says why it
  // cannot be placed, and lists the operations; details_json holds the structured violation.
  const CheckResult result = run_one(scenario_with("kv", {"linearizable"}), edn_history(kStaleRead));
  CHECK(result.check == "linearizable");
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.explanation ==
        std::vector<std::string>{
            "read on key k1 by process 1 returned nil [event 2, 0.003s to 0.004s, ok] cannot be "
            "linearized.",
            "Before it began at 0.003s, the write 1 on key k1 by process 0 [event 0, 0.001s to "
            "0.002s, ok] had taken effect, and no operation writes nil, so the register could no "
            "longer hold nil; yet it returned nil.",
            "The operations that show it (history events):",
            "  event 0: write 1 on key k1 by process 0 (0.001s to 0.002s)",
            "  event 2: read on key k1 by process 1 returned nil (0.003s to 0.004s)"});
  CHECK(result.metrics.at("operations") == 2);
  CHECK(result.metrics.at("keys") == 1);
  const nlohmann::json details = nlohmann::json::parse(result.details_json);
  CHECK(details["model"] == "kv");
  CHECK(details["verdict"] == "not linearizable");
  CHECK(details["key"] == "k1");
  CHECK(details["unplaceable"]["index"] == 2);
}

TEST_CASE("scenario checks: set and counter workloads use their models, nil reads included") {
  // The set and counter workloads read nil from a key never changed; their models take that as
  // the empty set and 0, and the counter model takes increment as add.
  const History set = edn_history(
      "{:process 0 :type :invoke :f :read :key \"k1\" :value nil :time 1}\n"
      "{:process 0 :type :ok :f :read :key \"k1\" :value nil :time 2}\n"
      "{:process 0 :type :invoke :f :add :key \"k1\" :value 4 :time 3}\n"
      "{:process 0 :type :ok :f :add :key \"k1\" :value 4 :time 4}\n"
      "{:process 0 :type :invoke :f :read :key \"k1\" :value nil :time 5}\n"
      "{:process 0 :type :ok :f :read :key \"k1\" :value [4] :time 6}\n");
  CHECK(run_one(scenario_with("set", {"linearizable"}), set).verdict == CheckVerdict::kPass);
  const History counter = edn_history(
      "{:process 0 :type :invoke :f :read :key \"k1\" :value nil :time 1}\n"
      "{:process 0 :type :ok :f :read :key \"k1\" :value nil :time 2}\n"
      "{:process 0 :type :invoke :f :increment :key \"k1\" :value 3 :time 3}\n"
      "{:process 0 :type :ok :f :increment :key \"k1\" :value 3 :time 4}\n"
      "{:process 0 :type :invoke :f :read :key \"k1\" :value nil :time 5}\n"
      "{:process 0 :type :ok :f :read :key \"k1\" :value 2 :time 6}\n");
  const CheckResult wrong = run_one(scenario_with("counter", {"linearizable"}), counter);
  CHECK(wrong.verdict == CheckVerdict::kFail);
  // The proof quotes the increment that completed before the read began.
  CHECK(wrong.explanation.at(1) ==
        "Before it began at 0.000s, 1 addition summing to 3 had completed ok, the last being the "
        "increment 3 on key k1 by process 0 [event 2, 0.000s to 0.000s, ok].");
  CHECK(wrong.explanation.at(2) == "A counter with no negative additions only grows, yet it returned 2.");
  CHECK(model_for_workload("kv") == "kv");
  CHECK(model_for_workload("queue").empty());
}

TEST_CASE("scenario checks: linearizable is n/a without a model or operations") {
  // A workload without a sequential model, and a history without operations.
  const CheckResult queue = run_one(scenario_with("queue", {"linearizable"}), History{});
  CHECK(queue.verdict == CheckVerdict::kNotApplicable);
  CHECK(queue.explanation ==
        std::vector<std::string>{"The queue workload has no sequential model to check against."});
  const CheckResult empty = run_one(scenario_with("kv", {"linearizable"}), History{});
  CHECK(empty.verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("scenario checks: a stopped linearizability search is unknown and says why") {
  // The budget's should_stop is polled; once it says stop, the verdict is unknown, and the
  // explanation names the budget and claims nothing about the history.
  Rng rng(3);
  KvHistorySpec spec;
  spec.operations = 20'000;
  spec.keys = 1;
  const History history = generate_kv_history(rng, spec);
  CheckBudget budget;
  budget.should_stop = [] { return true; };
  budget.description = "2s";
  const CheckResult result = run_one(scenario_with("kv", {"linearizable"}), history, budget);
  CHECK(result.verdict == CheckVerdict::kUnknown);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0].starts_with("The check was stopped before it reached a verdict"));
  CHECK(result.explanation[1] ==
        "The time budget of 2s ran out: the history may or may not be linearizable.");
}

TEST_CASE("scenario checks: metric values are written as expect: writes them") {
  // Percentages for fractions, durations with units, plain numbers with at most four decimals.
  CHECK(format_metric(MetricUnit::kFraction, 0.05) == "5%");
  CHECK(format_metric(MetricUnit::kFraction, 0.934342) == "93.4342%");
  CHECK(format_metric(MetricUnit::kFraction, 0.0) == "0%");
  CHECK(format_metric(MetricUnit::kDuration, 1.5e9) == "1.5s");
  CHECK(format_metric(MetricUnit::kDuration, 1'014'238'143.0) == "1.014238s");
  CHECK(format_metric(MetricUnit::kDuration, 12'345'678.0) == "12.345678ms");
  CHECK(format_metric(MetricUnit::kDuration, 250.0) == "250ns");
  CHECK(format_metric(MetricUnit::kDuration, 0.0) == "0ns");
  CHECK(format_metric(MetricUnit::kCount, 3.0) == "3");
  CHECK(format_metric(MetricUnit::kCount, 2.5) == "2.5");
}

TEST_CASE("model inference: the operations choose the model, and say why") {
  // Each family of operations maps to its model; keys and [key value] tuples make it kv.
  auto infer = [](const std::string& edn) {
    std::string error;
    const auto choice = infer_model(edn_history(edn), error);
    return choice ? choice->model + " | " + choice->reason : "error: " + error;
  };
  CHECK(infer(kStaleRead) == "kv | operations read, write on keys");
  CHECK(infer("{:process 0 :type :invoke :f :write :value [1 5]}\n") ==
        "kv | operations write with [key value] tuples");
  CHECK(infer("{:process 0 :type :invoke :f :cas :value [1 5]}\n"
              "{:process 0 :type :invoke :f :write :value 3}\n") ==
        "cas-register | operations cas, write without keys");
  CHECK(infer("{:process 0 :type :invoke :f :read :value nil}\n") ==
        "register | operations read without keys");
  CHECK(infer("{:process 0 :type :invoke :f :add :value 1}\n"
              "{:process 0 :type :ok :f :add :value 1}\n"
              "{:process 1 :type :invoke :f :read :value nil}\n"
              "{:process 1 :type :ok :f :read :value [1]}\n") ==
        "set | operations add, read, reads return lists");
  CHECK(infer("{:process 0 :type :invoke :f :increment :value 1}\n") ==
        "counter | operations increment, reads return counts");
  CHECK(infer("{:process 0 :type :invoke :f :enqueue :value 1}\n") ==
        "fifo-queue | operations enqueue");
  CHECK(infer("{:process 0 :type :invoke :f :fly :value 1}\n") ==
        "error: cannot tell which model the operations fly call for");
  CHECK(infer("") == "error: the history has no operations to choose a model from");
}
