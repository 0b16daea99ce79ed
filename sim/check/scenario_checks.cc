#include "sim/check/scenario_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/check/availability.h"
#include "sim/fault_windows.h"
#include "sim/check/convergence.h"
#include "sim/check/delivery.h"
#include "sim/check/linearizability.h"
#include "sim/check/linearizability_check.h"
#include "sim/check/lost_writes.h"
#include "sim/check/model.h"
#include "sim/check/session_guarantees.h"
#include "sim/check/staleness.h"

namespace capsim {
namespace {

using enum MetricUnit;

CheckResult run_linearizable(const CheckInput& input) {
  const std::string_view model_name = model_for_workload(input.scenario.workload.name);
  const Model* model = model_name.empty() ? nullptr : find_model(model_name);
  if (model == nullptr) {
    CheckResult result;
    result.check = "linearizable";
    result.explanation = {"The " + input.scenario.workload.name +
                          " workload has no sequential model to check against."};
    apply_linearizability_evidence(result, 0);
    return result;
  }
  const LinearizabilityResult checked =
      check_linearizable(input.run.history, *model, input.budget.should_stop);
  CheckResult result = to_check_result(checked);
  // An unknown verdict without an error means the search was stopped: say why, and that it
  // proves nothing either way.
  if (checked.verdict == Verdict::kUnknown && checked.error.empty()) {
    result.explanation.push_back(
        "The time budget" +
        (input.budget.description.empty() ? "" : " of " + input.budget.description) +
        " ran out: the history may or may not be linearizable.");
  }
  return result;
}

CheckResult run_session(const CheckInput& input) {
  return check_session_guarantees(input.run.history);
}

CheckResult run_staleness(const CheckInput& input) { return check_staleness(input.run.history); }

CheckResult run_lost_writes(const CheckInput& input) {
  return check_lost_writes(input.run.history);
}

CheckResult run_delivery(const CheckInput& input) {
  // The verdict judges the guarantees the scenario names under expect:, or the default pair.
  DeliveryOptions options;
  std::vector<std::string> named;
  for (const Expectation& expectation : input.scenario.expectations) {
    if (expectation.check != "delivery" || expectation.kind != Expectation::Kind::kGuarantee) {
      continue;
    }
    if (std::find(named.begin(), named.end(), expectation.guarantee) == named.end()) {
      named.push_back(expectation.guarantee);
    }
  }
  if (!named.empty()) options.guarantees = named;
  return check_delivery(input.run.history, options);
}

// The guarantees of the delivery check, as the catalog holds them.
std::vector<std::string_view> delivery_guarantee_names() {
  std::vector<std::string_view> names;
  for (const std::string& name : delivery_guarantees()) names.emplace_back(name);
  return names;
}

CheckResult run_convergence(const CheckInput& input) {
  // A protocol that places each key on some of the nodes only (a hash ring with n below the
  // cluster size) has nodes that hold different keys by design: then each key is compared on
  // its own replicas rather than whole nodes against each other.
  const std::uint32_t nodes = input.scenario.cluster.nodes;
  const auto& replicas = input.run.key_replicas;
  const bool partial = std::any_of(replicas.begin(), replicas.end(),
                                   [&](const auto& entry) { return entry.second.size() < nodes; });
  if (partial) {
    return check_key_convergence(input.run.final_digests, input.run.up_at_end, nodes, replicas);
  }
  return check_convergence(input.run.final_digests, input.run.up_at_end, nodes);
}

CheckResult run_availability(const CheckInput& input) {
  return check_availability(input.run.history, input.run.partitions, input.run.end_time, kSecond,
                            fault_windows(input.run.timeline, input.scenario.cluster.nodes),
                            input.run.client_homes);
}

}  // namespace

const std::vector<CheckInfo>& check_catalog() {
  static const std::vector<CheckInfo> catalog = {
      {"linearizable", "every operation takes effect at one instant between invoke and completion",
       "", {{"operations"}, {"operations_constraining"}, {"keys"}, {"states_explored"}},
       &run_linearizable},
      {"session", "read-your-writes, monotonic reads, monotonic writes, writes-follow-reads",
       "violations",
       {{"sessions"}, {"reads_judged"}, {"violations"}, {"read_your_writes_violations"},
        {"monotonic_reads_violations"}, {"monotonic_writes_violations"},
        {"writes_follow_reads_violations"}},
       &run_session},
      {"staleness", "how many acknowledged updates each read missed, and for how long", "stale_fraction",
       {{"reads"}, {"stale_reads"}, {"stale_fraction", kFraction}, {"fresh_fraction", kFraction},
        {"versions_behind_p50"}, {"versions_behind_p99"}, {"versions_behind_max"},
        {"lag_p50_ns", kDuration}, {"lag_p99_ns", kDuration}, {"lag_p999_ns", kDuration},
        {"lag_max_ns", kDuration}, {"stale_lag_p50_ns", kDuration},
        {"stale_lag_p99_ns", kDuration}, {"stale_lag_p999_ns", kDuration},
        {"reads_unmeasured"}, {"reads_exposed"}},
       &run_staleness},
      {"convergence",
       "when the run ends, every live replica holds the same state (each key on its own "
       "replicas, when keys live on some nodes only)",
       "divergent_nodes",
       {{"live_nodes"}, {"divergent_nodes"}, {"distinct_states"}, {"keys_judged"},
        {"divergent_keys"}},
       &run_convergence},
      {"lost-writes",
       "acknowledged set adds or counter increments missing from the final reads, and final "
       "reads holding more than any operation made (over-counted)",
       "lost",
       {{"final_reads"}, {"final_reads_unanswered"}, {"acknowledged"}, {"lost"},
        {"lost_fraction", kFraction}, {"lost_everywhere"}, {"unknown"}, {"unexpected"},
        {"recovered"}, {"failed_present"}, {"never_attempted"}, {"over_counted"}},
       &run_lost_writes},
      {"availability",
       "fraction of operations answered (ok, or a definite no such as a cas mismatch), overall "
       "and per partition side",
       "availability",
       {{"operations"}, {"ok"}, {"answered_fail"}, {"refused"}, {"availability", kFraction},
        {"availability_majority", kFraction}, {"availability_minority", kFraction},
        {"availability_during_faults", kFraction}, {"latency_p50_ns", kDuration},
        {"latency_p99_ns", kDuration}, {"latency_max_ns", kDuration},
        // Per operation kind, for each of kAvailabilityOperationKinds.
        {"read_ok"}, {"read_answered_fail"}, {"read_refused"}, {"read_availability", kFraction},
        {"write_ok"}, {"write_answered_fail"}, {"write_refused"},
        {"write_availability", kFraction}, {"cas_ok"}, {"cas_answered_fail"}, {"cas_refused"},
        {"cas_availability", kFraction}, {"add_ok"}, {"add_answered_fail"}, {"add_refused"},
        {"add_availability", kFraction}, {"increment_ok"}, {"increment_answered_fail"},
        {"increment_refused"}, {"increment_availability", kFraction}, {"send_ok"},
        {"send_answered_fail"}, {"send_refused"}, {"send_availability", kFraction},
        {"receive_ok"}, {"receive_answered_fail"}, {"receive_refused"},
        {"receive_availability", kFraction}},
       &run_availability},
      {"delivery",
       "what happened to every message of a queue history: lost, duplicated, reordered, "
       "phantom, effects applied twice; the guarantees at-least-once, at-most-once, "
       "exactly-once-effect, per-key-order and no-phantoms",
       "lost",
       {{"messages"}, {"sends"}, {"retried"}, {"acknowledged"}, {"indefinite"}, {"failed"},
        {"delivered"}, {"deliveries"}, {"lost"}, {"lost_fraction", kFraction}, {"undrained"},
        {"unseen"}, {"recovered"}, {"failed_delivered"}, {"unexpected"}, {"duplicated"},
        {"extra_deliveries"}, {"redelivered"}, {"effects"}, {"duplicate_effects"},
        {"effects_unknown"}, {"effect_missing"}, {"reordered"}, {"in_flight_at_end"},
        {"dead_lettered"}, {"dead_lettered_rejected"}, {"dead_lettered_delivery_limit"},
        {"dead_lettered_max_receive_count"}, {"dead_lettered_expired"}, {"dead_lettered_maxlen"},
        {"dead_lettered_other"}, {"expired"}, {"receives_unknown"}, {"deliveries_per_message_p50"},
        {"deliveries_per_message_p99"}, {"deliveries_per_message_max"},
        {"delivery_latency_p50_ns", kDuration}, {"delivery_latency_p99_ns", kDuration},
        {"effect_latency_p50_ns", kDuration}, {"effect_latency_p99_ns", kDuration},
        {"backlog_peak"}, {"backlog_peak_at_ns", kDuration}, {"backlog_drain_ns", kDuration}},
       &run_delivery, delivery_guarantee_names()},
  };
  return catalog;
}

const CheckInfo* find_check(std::string_view name) {
  for (const CheckInfo& check : check_catalog()) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

std::vector<std::string> check_names() {
  std::vector<std::string> names;
  for (const CheckInfo& check : check_catalog()) names.emplace_back(check.name);
  return names;
}

const MetricInfo* find_metric(const CheckInfo& check, std::string_view name) {
  for (const MetricInfo& metric : check.metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

bool has_guarantee(const CheckInfo& check, std::string_view name) {
  return std::find(check.guarantees.begin(), check.guarantees.end(), name) !=
         check.guarantees.end();
}

std::vector<std::string> checks_to_run(const Scenario& scenario) {
  std::vector<std::string> names;
  auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const std::string& name : scenario.checks) add(name);
  for (const Expectation& expectation : scenario.expectations) add(expectation.check);
  return names;
}

std::vector<CheckResult> run_scenario_checks(const Scenario& scenario, const RunResult& run,
                                             const CheckBudget& budget) {
  const CheckInput input{scenario, run, budget};
  std::vector<CheckResult> results;
  for (const std::string& name : checks_to_run(scenario)) {
    const CheckInfo* check = find_check(name);
    if (check == nullptr) continue;  // the loader refuses unknown names
    CheckResult result = check->run(input);
    result.check = name;
    results.push_back(std::move(result));
  }
  return results;
}

std::string_view model_for_workload(std::string_view workload) {
  if (workload == "kv") return "kv";
  if (workload == "set") return "set";
  if (workload == "counter") return "counter";
  return "";
}

std::string format_metric(MetricUnit unit, double value) {
  // Up to `decimals` decimals, trailing zeros dropped.
  auto number = [](double x, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, x);
    std::string text = buffer;
    if (text.find('.') != std::string::npos) {
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
    }
    return text == "-0" ? std::string("0") : text;
  };
  if (unit == kFraction) return number(value * 100.0, 4) + "%";  // a bound's precision
  if (unit == kCount) return number(value, 4);
  // Durations in the largest unit that keeps the number at least 1, to six decimals: exact
  // for ms and us, to the microsecond for seconds.
  struct Scale {
    double ns;
    const char* unit;
  };
  for (const Scale scale : {Scale{1e9, "s"}, Scale{1e6, "ms"}, Scale{1e3, "us"}}) {
    if (std::abs(value) >= scale.ns) return number(value / scale.ns, 6) + scale.unit;
  }
  return number(value, 0) + "ns";
}

}  // namespace capsim
