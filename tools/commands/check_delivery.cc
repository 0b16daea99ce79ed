#include "tools/commands/check_delivery.h"

#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include "sim/check/scenario_checks.h"
#include "sim/yaml_reader.h"

namespace capsim::tools {
namespace {

// The metrics the text output shows, in this order, when the check reported them.
constexpr const char* kShownMetrics[] = {
    "messages", "acknowledged", "indefinite", "failed", "delivered", "lost", "undrained",
    "unseen", "recovered", "failed_delivered", "unexpected", "duplicated", "redelivered",
    "duplicate_effects", "effect_missing", "reordered", "in_flight_at_end", "dead_lettered",
    "expired", "receives_unknown", "deliveries_per_message_max", "delivery_latency_p50_ns",
    "delivery_latency_p99_ns", "effect_latency_p50_ns", "effect_latency_p99_ns",
    "backlog_peak", "backlog_peak_at_ns", "backlog_drain_ns"};

int exit_status(CheckVerdict verdict) {
  switch (verdict) {
    case CheckVerdict::kPass: return kCheckValid;
    case CheckVerdict::kFail: return kCheckInvalid;
    default: return kCheckUnknown;
  }
}

void print_text(const CheckOptions& options, const HistoryReadStats& stats,
                const std::string& how, const CheckResult& result, std::ostream& out) {
  out << "history     " << options.path << ": " << stats.events << " events";
  if (stats.skipped > 0) out << " (" << stats.skipped << " of other processes skipped)";
  out << "\n";
  out << "check       delivery (" << how << ")\n";
  out << "verdict     " << check_verdict_name(result.verdict) << "  [" << result.evidence
      << "]\n";
  std::string verdicts;
  for (const auto& [name, verdict] : result.guarantees) {
    verdicts += (verdicts.empty() ? "" : ", ") + name + " " +
                std::string(check_verdict_name(verdict));
  }
  out << "guarantees  " << verdicts << "\n";
  const CheckInfo* info = find_check("delivery");
  std::string line;
  for (const char* name : kShownMetrics) {
    const auto it = result.metrics.find(name);
    if (it == result.metrics.end()) continue;
    const MetricInfo* metric = info == nullptr ? nullptr : find_metric(*info, name);
    line += std::string(line.empty() ? "" : "  ") + name + " " +
            format_metric(metric == nullptr ? MetricUnit::kCount : metric->unit, it->second);
  }
  out << "measured    " << line << "\n";
  if (!result.explanation.empty()) out << "\n";
  for (const std::string& text : result.explanation) out << text << "\n";
}

void print_json(const CheckOptions& options, const std::string& how, const CheckResult& result,
                std::ostream& out) {
  nlohmann::ordered_json json;
  json["file"] = options.path;
  json["check"] = "delivery";
  json["check_chosen"] = how;
  json["verdict"] = std::string(check_verdict_name(result.verdict));
  json["evidence"] = result.evidence;
  nlohmann::ordered_json guarantees = nlohmann::ordered_json::object();
  for (const auto& [name, verdict] : result.guarantees) {
    guarantees[name] = std::string(check_verdict_name(verdict));
  }
  json["guarantees"] = guarantees;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const auto& [name, value] : result.metrics) metrics[name] = value;
  json["metrics"] = metrics;
  json["explanation_lines"] = result.explanation;
  json["details"] = nlohmann::ordered_json::parse(result.details_json);
  out << json.dump() << "\n";
}

}  // namespace

std::optional<DeliveryOptions> delivery_options(const CheckOptions& options, std::ostream& err) {
  DeliveryOptions delivery;
  delivery.assume_drained = options.drained;
  if (!options.guarantees) return delivery;
  delivery.guarantees.clear();
  const std::string& text = *options.guarantees;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string name = text.substr(start, end - start);
    start = end + 1;
    const auto& known = delivery_guarantees();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      err << "capsim check: error: --guarantees: "
          << unknown_word_message("guarantee", name, known) << "\n";
      return std::nullopt;
    }
    if (std::find(delivery.guarantees.begin(), delivery.guarantees.end(), name) ==
        delivery.guarantees.end()) {
      delivery.guarantees.push_back(name);
    }
  }
  return delivery;
}

int run_delivery_check(const CheckOptions& options, const DeliveryOptions& delivery,
                       const History& history, const HistoryReadStats& stats,
                       const std::string& how, std::ostream& out, std::string& error) {
  const CheckResult result = check_delivery(history, delivery, error);
  if (!error.empty()) return kCheckBadInput;
  if (options.json) {
    print_json(options, how, result, out);
  } else {
    print_text(options, stats, how, result, out);
  }
  return exit_status(result.verdict);
}

}  // namespace capsim::tools
