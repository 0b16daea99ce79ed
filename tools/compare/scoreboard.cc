#include "tools/compare/scoreboard.h"

namespace capsim::tools {
namespace {

const CheckResult* find_result(const std::vector<CheckResult>& checks, std::string_view name) {
  for (const CheckResult& result : checks) {
    if (result.check == name) return &result;
  }
  return nullptr;
}

std::optional<bool> verdict_of(const std::vector<CheckResult>& checks, std::string_view name) {
  const CheckResult* result = find_result(checks, name);
  if (result == nullptr) return std::nullopt;
  if (result->verdict == CheckVerdict::kPass) return true;
  if (result->verdict == CheckVerdict::kFail) return false;
  return std::nullopt;
}

void add_verdict(Verdicts& verdicts, std::optional<bool> held) {
  if (!held) {
    ++verdicts.undecided;
  } else if (*held) {
    ++verdicts.held;
  } else {
    ++verdicts.violated;
  }
}

std::string verdict_cell(const Verdicts& v, std::uint32_t runs) {
  if (runs == 1 || v.held + v.violated + v.undecided == 1) {
    if (v.held > 0) return "yes";
    if (v.violated > 0) return "NO";
    return "-";
  }
  if (v.held == runs) return "yes";
  if (v.violated == runs) return "NO";
  if (v.undecided == runs) return "-";
  return std::to_string(v.held) + "/" + std::to_string(runs) + " yes";
}

const std::vector<Column> kColumns = {
    {"scenario", true},   {"protocol", true},     {"options", true},
    {"runs", false},      {"linearizable", false}, {"session", false},
    {"stale reads", false}, {"lost writes", false}, {"avail. majority", false},
    {"avail. minority", false}, {"p50", false},    {"p99", false},
    {"msgs/op", false},
};

std::vector<std::string> cells_of(const ScoreboardRow& row) {
  return {row.scenario,
          row.protocol,
          row.options.empty() ? "(defaults)" : row.options,
          std::to_string(row.runs),
          verdict_cell(row.linearizable, row.runs),
          verdict_cell(row.session, row.runs),
          percent_cell(row.stale_fraction),
          count_cell(row.lost_writes),
          percent_cell(row.availability_majority),
          percent_cell(row.availability_minority),
          latency_cell(row.latency_p50_ns),
          latency_cell(row.latency_p99_ns),
          ratio_cell(row.messages_per_operation)};
}

}  // namespace

std::optional<double> check_metric(const std::vector<CheckResult>& checks, std::string_view name,
                                   const std::string& metric) {
  const CheckResult* result = find_result(checks, name);
  if (result == nullptr || result->verdict == CheckVerdict::kNotApplicable) return std::nullopt;
  const auto it = result->metrics.find(metric);
  if (it == result->metrics.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& scoreboard_checks() {
  static const std::vector<std::string> names{"linearizable", "session", "staleness",
                                              "lost-writes", "availability"};
  return names;
}

RunFigures figures_of(const RunSummary& summary, const std::vector<CheckResult>& checks) {
  RunFigures figures;
  figures.linearizable = verdict_of(checks, "linearizable");
  figures.session = verdict_of(checks, "session");
  figures.stale_fraction = check_metric(checks, "staleness", "stale_fraction");
  figures.lost_writes = check_metric(checks, "lost-writes", "lost");
  figures.availability_majority = check_metric(checks, "availability", "availability_majority");
  figures.availability_minority = check_metric(checks, "availability", "availability_minority");
  figures.latency_p50_ns = check_metric(checks, "availability", "latency_p50_ns");
  figures.latency_p99_ns = check_metric(checks, "availability", "latency_p99_ns");
  if (summary.operations.invoked > 0) {
    figures.messages_per_operation = static_cast<double>(summary.messages.sent) /
                                     static_cast<double>(summary.operations.invoked);
  }
  return figures;
}

void add_run(ScoreboardRow& row, const RunFigures& figures) {
  ++row.runs;
  add_verdict(row.linearizable, figures.linearizable);
  add_verdict(row.session, figures.session);
  add_value(row.stale_fraction, figures.stale_fraction);
  add_value(row.lost_writes, figures.lost_writes);
  add_value(row.availability_majority, figures.availability_majority);
  add_value(row.availability_minority, figures.availability_minority);
  add_value(row.latency_p50_ns, figures.latency_p50_ns);
  add_value(row.latency_p99_ns, figures.latency_p99_ns);
  add_value(row.messages_per_operation, figures.messages_per_operation);
}

std::string format_scoreboard(const std::vector<ScoreboardRow>& rows, TableFormat format) {
  std::vector<std::vector<std::string>> table;
  for (const ScoreboardRow& row : rows) table.push_back(cells_of(row));
  return format_table(kColumns, table, format);
}

}  // namespace capsim::tools
