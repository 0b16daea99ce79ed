// The two renderings of a RunSummary: aligned text for the terminal and summary.json.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "sim/check/scenario_checks.h"
#include "sim/run_summary.h"

namespace capsim {

namespace {

// Rows of cells printed with every column padded to its widest cell: the first column
// left-aligned (labels), the others right-aligned (numbers).
std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string padding(widths[i] - row[i].size(), ' ');
      line += i == 0 ? row[i] + padding : "  " + padding + row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// Answered (ok, answered-fail) beside refused; info and pending follow as the part of the
// refused that got no reply at all, so a refusal by reply is refused - info - pending.
const std::vector<std::string> kCountsHeader = {"operations", "invoked", "ok",      "answered-fail",
                                                "refused",    "info",    "pending", "available"};

std::vector<std::string> counts_row(const std::string& label, const OpCounts& counts) {
  return {label,
          std::to_string(counts.invoked),
          std::to_string(counts.ok),
          std::to_string(counts.answered_fail),
          std::to_string(counts.refused()),
          std::to_string(counts.info),
          std::to_string(counts.pending),
          format_percent(availability(counts))};
}

// Latencies are exact to the nanosecond in summary.json; a person reads three digits.
std::string readable_latency(Duration d) { return format_duration_readable(d); }

std::string plural(std::uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string window_span(const WindowAvailability& window) {
  return format_seconds(window.start) + ".." + (window.end ? format_seconds(*window.end) : "end");
}

// "[n1 n2] c1 c3": the side's nodes, then the clients standing on it (a count when many).
std::string side_label(const SideAvailability& side) {
  constexpr std::size_t kClientsNamedMax = 6;
  std::string label = "[";
  for (std::size_t i = 0; i < side.nodes.size(); ++i) label += (i ? " " : "") + side.nodes[i];
  label += "]";
  if (side.clients.size() > kClientsNamedMax) {
    return label + " " + std::to_string(side.clients.size()) + " clients";
  }
  for (const std::string& client : side.clients) label += " " + client;
  return label;
}

std::string messages_line(const MessageStats& messages) {
  std::string line = "sent " + std::to_string(messages.sent) + "  delivered " +
                     std::to_string(messages.delivered) + "  duplicated " +
                     std::to_string(messages.duplicated) + "  dropped " +
                     std::to_string(messages.dropped_total());
  std::string causes;
  for (const auto& [cause, n] : messages.dropped) {
    if (n == 0) continue;
    causes += (causes.empty() ? "" : ", ") + cause + " " + std::to_string(n);
  }
  if (!causes.empty()) line += " (" + causes + ")";
  return line;
}

// Rows printed with every column but the last padded to its widest cell, all left-aligned.
std::string format_left_table(const std::vector<std::vector<std::string>>& rows,
                              const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += (i == 0 ? "" : "  ") + row[i] + std::string(widths[i] - row[i].size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// How many explanation lines of a failed (or undecided) check the terminal shows; summary.json
// has them all.
constexpr std::size_t kExplanationShown = 6;

// One line per check: its verdict and main metric; below a check that did not pass, the first
// lines of its explanation.
std::string checks_block(const std::vector<CheckResult>& checks) {
  std::size_t width = 0;
  for (const CheckResult& check : checks) width = std::max(width, check.check.size());
  std::string out = "\nchecks\n";
  for (const CheckResult& check : checks) {
    std::string line = "  " + check.check + std::string(width - check.check.size(), ' ') + "  " +
                       std::string(check_verdict_name(check.verdict));
    const CheckInfo* info = find_check(check.check);
    const MetricInfo* main = info == nullptr ? nullptr : find_metric(*info, info->main_metric);
    const auto value =
        main == nullptr ? check.metrics.end() : check.metrics.find(std::string(main->name));
    if (value != check.metrics.end()) {
      line += "  (" + std::string(main->name) + " " + format_metric(main->unit, value->second) + ")";
    }
    if (!check.evidence.empty()) line += "  [" + check.evidence + "]";
    out += line + "\n";
    if (!check.guarantees.empty()) {
      std::string verdicts;
      for (const auto& [name, verdict] : check.guarantees) {
        verdicts += "  " + name + " " + std::string(check_verdict_name(verdict));
      }
      out += "      guarantees" + verdicts + "\n";
    }
    if (check.verdict == CheckVerdict::kPass) continue;
    for (std::size_t i = 0; i < check.explanation.size() && i < kExplanationShown; ++i) {
      out += "      " + check.explanation[i] + "\n";
    }
    if (check.explanation.size() > kExplanationShown) {
      out += "      ... (" + std::to_string(check.explanation.size() - kExplanationShown) +
             " more lines in summary.json)\n";
    }
  }
  return out;
}

std::string expectations_block(const std::vector<ExpectationOutcome>& outcomes) {
  std::vector<std::vector<std::string>> rows;
  for (const ExpectationOutcome& outcome : outcomes) {
    rows.push_back({outcome.check, outcome.expected, "measured " + outcome.measured,
                    outcome.met ? "met" : "NOT MET"});
  }
  return "\nexpect\n" + format_left_table(rows, "  ");
}

}  // namespace

std::string format_summary_text(const RunSummary& summary) {
  std::string out = summary.scenario_name + "  seed " + std::to_string(summary.seed) + "  " +
                    format_duration(summary.duration) + " virtual  " + summary.protocol;
  if (!summary.options.empty()) out += " (" + summary.options + ")";
  out += " on " + plural(summary.nodes, "node") + ", " + plural(summary.clients, "client") + "\n\n";

  std::vector<std::vector<std::string>> rows{kCountsHeader,
                                             counts_row("  all", summary.operations)};
  for (const auto& [f, counts] : summary.operations_by_f)
    rows.push_back(counts_row("  " + f, counts));
  out += format_table(rows, "");

  out += format_story_text(summary.story);

  for (const WindowAvailability& window : summary.partitions) {
    out += "\npartition " + window_span(window) + "  " + window.description + "\n";
    std::vector<std::vector<std::string>> side_rows{
        {"side (nodes, clients)", "invoked", "ok", "answered-fail", "refused", "available"}};
    for (const SideAvailability& side : window.sides) {
      side_rows.push_back({side_label(side), std::to_string(side.invoked), std::to_string(side.ok),
                           std::to_string(side.answered_fail), std::to_string(side.refused()),
                           format_percent(availability(side.answered(), side.invoked))});
    }
    out += format_table(side_rows, "  ");
  }

  std::vector<std::vector<std::string>> facts;
  const auto latency_text = [](const LatencySummary& latency) {
    return "p50 " + readable_latency(latency.p50) + "  p99 " + readable_latency(latency.p99) +
           "  max " + readable_latency(latency.max) + "  (" + std::to_string(latency.count) +
           " ok)";
  };
  if (summary.latency.count > 0) {
    facts.push_back({"latency", latency_text(summary.latency)});
    // Per kind, when there is more than one kind to tell apart.
    if (summary.latency_by_f.size() > 1) {
      for (const auto& [f, latency] : summary.latency_by_f) {
        facts.push_back({"  " + f, latency.count > 0 ? latency_text(latency) : "none ok"});
      }
    }
  } else {
    facts.push_back({"latency", "no operation completed ok"});
  }
  facts.push_back({"messages", messages_line(summary.messages)});
  facts.push_back({"trace", format_hash(summary.trace_hash) + "  " +
                                std::to_string(summary.trace_lines) + " lines  " +
                                std::to_string(summary.events) + " events  ended at " +
                                format_seconds(summary.end_time)});
  out += "\n";
  // Labels padded to one column (at least 10 wide; "  increment" is longer).
  std::size_t label_width = 10;
  for (const auto& fact : facts) label_width = std::max(label_width, fact[0].size() + 1);
  for (const auto& fact : facts) {
    out += fact[0] + std::string(label_width - fact[0].size(), ' ') + fact[1] + "\n";
  }
  if (!summary.checks.empty()) out += checks_block(summary.checks);
  if (!summary.expectations.empty()) out += expectations_block(summary.expectations);
  return out;
}

std::string format_percent(std::optional<double> fraction) {
  if (!fraction) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", *fraction * 100.0);
  return buffer;
}

std::string format_verdict_line(const RunSummary& summary) {
  std::string line = summary.scenario_name + " seed " + std::to_string(summary.seed) + ": " +
                     std::to_string(summary.operations.invoked) + " operations, " +
                     format_percent(availability(summary.operations)) + " available";
  if (summary.latency.count > 0) line += ", p99 " + readable_latency(summary.latency.p99);
  if (!summary.expectations.empty()) {
    const auto met = std::count_if(summary.expectations.begin(), summary.expectations.end(),
                                   [](const ExpectationOutcome& e) { return e.met; });
    line += ", expectations: " + std::to_string(met) + " of " +
            std::to_string(summary.expectations.size()) + " met";
  }
  return line;
}

namespace {

// Availability as a JSON number rounded to six decimals, or null: rounding keeps the file
// short and identical wherever the same counts are divided.
nlohmann::json json_fraction(std::uint64_t answered, std::uint64_t invoked) {
  const std::optional<double> fraction = availability(answered, invoked);
  if (!fraction) return nullptr;
  return std::round(*fraction * 1e6) / 1e6;
}

nlohmann::json json_counts(const OpCounts& counts) {
  return {{"invoked", counts.invoked},
          {"ok", counts.ok},
          {"fail", counts.fail},
          {"answered_fail", counts.answered_fail},
          {"refused", counts.refused()},
          {"info", counts.info},
          {"pending", counts.pending},
          {"availability", json_fraction(counts.answered(), counts.invoked)}};
}

// A metric as JSON: whole numbers as integers, others rounded to six decimals, so the file
// reads well and is identical wherever the same run is checked.
nlohmann::json json_metric(double value) {
  if (!std::isfinite(value)) return nullptr;
  if (value == std::floor(value) && std::abs(value) < 9e15) {
    return static_cast<std::int64_t>(value);
  }
  return std::round(value * 1e6) / 1e6;
}

nlohmann::json json_checks(const std::vector<CheckResult>& checks) {
  nlohmann::json out = nlohmann::json::object();
  for (const CheckResult& check : checks) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, value] : check.metrics) metrics[name] = json_metric(value);
    // Checkers write their details as JSON text; a text that does not parse is kept as text
    // rather than lost.
    nlohmann::json details = nlohmann::json::parse(check.details_json, nullptr, false);
    if (details.is_discarded()) details = check.details_json;
    out[check.check] = {{"verdict", std::string(check_verdict_name(check.verdict))},
                        {"metrics", metrics},
                        {"explanation", check.explanation},
                        {"evidence", check.evidence},
                        {"details", details}};
    if (!check.guarantees.empty()) {
      nlohmann::json guarantees = nlohmann::json::object();
      for (const auto& [name, verdict] : check.guarantees) {
        guarantees[name] = std::string(check_verdict_name(verdict));
      }
      out[check.check]["guarantees"] = guarantees;
    }
  }
  return out;
}

nlohmann::json json_expectations(const std::vector<ExpectationOutcome>& outcomes) {
  nlohmann::json out = nlohmann::json::array();
  for (const ExpectationOutcome& outcome : outcomes) {
    out.push_back({{"check", outcome.check},
                   {"expected", outcome.expected},
                   {"measured", outcome.measured},
                   {"met", outcome.met}});
  }
  return out;
}

}  // namespace

std::string format_summary_json(const RunSummary& summary) {
  nlohmann::json json;
  json["capsim_version"] = CAPSIM_VERSION;
  json["scenario"] = {{"name", summary.scenario_name},
                      {"path", summary.scenario_path},
                      {"protocol", summary.protocol},
                      {"options", summary.options},
                      {"nodes", summary.nodes},
                      {"clients", summary.clients},
                      {"duration_ns", summary.duration.count()}};
  json["seed"] = summary.seed;
  json["operations"] = json_counts(summary.operations);
  json["operations_by_f"] = nlohmann::json::object();
  for (const auto& [f, counts] : summary.operations_by_f)
    json["operations_by_f"][f] = json_counts(counts);
  json["partitions"] = nlohmann::json::array();
  for (const WindowAvailability& window : summary.partitions) {
    nlohmann::json sides = nlohmann::json::array();
    for (const SideAvailability& side : window.sides) {
      sides.push_back({{"nodes", side.nodes},
                       {"clients", side.clients},
                       {"invoked", side.invoked},
                       {"ok", side.ok},
                       {"answered_fail", side.answered_fail},
                       {"refused", side.refused()},
                       {"availability", json_fraction(side.answered(), side.invoked)}});
    }
    json["partitions"].push_back(
        {{"start_ns", window.start.count()},
         {"end_ns", window.end ? nlohmann::json(window.end->count()) : nlohmann::json(nullptr)},
         {"description", window.description},
         {"sides", sides}});
  }
  json["faults"] = nlohmann::json::array();
  for (const FaultOutcome& fault : summary.faults) {
    json["faults"].push_back({{"at_ns", fault.at.count()},
                              {"kind", fault.kind},
                              {"nemesis", fault.from_nemesis},
                              {"hit", fault.hit},
                              {"skipped", fault.skipped.empty() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(fault.skipped)}});
  }
  json["what_happened"] = nlohmann::json::array();
  for (const StoryEntry& entry : summary.story.entries) {
    nlohmann::json line = {{"at_ns", entry.at.count()},
                           {"source", entry.source},
                           {"kind", entry.kind},
                           {"text", entry.text}};
    if (entry.term != 0) line["term"] = entry.term;
    if (entry.count != 0) line["count"] = entry.count;
    if (entry.skipped) line["skipped"] = true;
    json["what_happened"].push_back(std::move(line));
  }
  json["what_happened_not_kept"] = summary.story.node_events_dropped;
  json["latency_ns"] = {{"count", summary.latency.count},
                        {"p50", summary.latency.p50.count()},
                        {"p99", summary.latency.p99.count()},
                        {"max", summary.latency.max.count()}};
  json["latency_ns_by_f"] = nlohmann::json::object();
  for (const auto& [f, latency] : summary.latency_by_f) {
    json["latency_ns_by_f"][f] = {{"count", latency.count},
                                  {"p50", latency.p50.count()},
                                  {"p99", latency.p99.count()},
                                  {"max", latency.max.count()}};
  }
  json["messages"] = {{"sent", summary.messages.sent},
                      {"delivered", summary.messages.delivered},
                      {"duplicated", summary.messages.duplicated},
                      {"dropped", summary.messages.dropped},
                      {"dropped_total", summary.messages.dropped_total()}};
  json["trace"] = {{"hash", format_hash(summary.trace_hash)}, {"lines", summary.trace_lines}};
  json["events"] = summary.events;
  json["end_time_ns"] = summary.end_time.count();
  json["reproduce"] = summary.reproduce;
  json["checks"] = json_checks(summary.checks);
  json["expectations"] = json_expectations(summary.expectations);
  return json.dump(2) + "\n";
}

}  // namespace capsim
