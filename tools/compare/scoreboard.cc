#include "tools/compare/scoreboard.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

std::optional<double> metric_of(const std::vector<CheckResult>& checks, std::string_view name,
                                const std::string& metric) {
  const CheckResult* result = find_result(checks, name);
  if (result == nullptr || result->verdict == CheckVerdict::kNotApplicable) return std::nullopt;
  const auto it = result->metrics.find(metric);
  if (it == result->metrics.end()) return std::nullopt;
  return it->second;
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

// Welford's running mean and variance, kept as mean and deviation.
void add_value(Spread& spread, std::optional<double> value) {
  if (!value) return;
  const double old_mean = spread.mean;
  const double old_m2 = spread.deviation * spread.deviation * spread.count;
  ++spread.count;
  spread.mean += (*value - old_mean) / spread.count;
  const double m2 = old_m2 + (*value - old_mean) * (*value - spread.mean);
  spread.deviation = std::sqrt(std::max(0.0, m2 / spread.count));
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

std::string number(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string percent_cell(const Spread& s) {
  if (s.count == 0) return "-";
  std::string text = number("%.1f%%", s.mean * 100);
  if (s.count > 1) text += number(" ±%.1f", s.deviation * 100);
  return text;
}

std::string count_cell(const Spread& s) {
  if (s.count == 0) return "-";
  std::string text = number(s.count > 1 ? "%.1f" : "%.0f", s.mean);
  if (s.count > 1) text += number(" ±%.1f", s.deviation);
  return text;
}

std::string ratio_cell(const Spread& s) {
  if (s.count == 0) return "-";
  std::string text = number("%.1f", s.mean);
  if (s.count > 1) text += number(" ±%.1f", s.deviation);
  return text;
}

// Milliseconds with enough digits to tell protocols apart.
std::string latency_cell(const Spread& s) {
  if (s.count == 0) return "-";
  const double ms = s.mean / 1e6;
  std::string text = number(ms < 10 ? "%.2fms" : "%.1fms", ms);
  if (s.count > 1) text += number(" ±%.1f", s.deviation / 1e6);
  return text;
}

struct Column {
  const char* title;
  bool left_aligned;
};

constexpr Column kColumns[] = {
    {"scenario", true},   {"protocol", true},     {"options", true},
    {"runs", false},      {"linearizable", false}, {"session", false},
    {"stale reads", false}, {"lost writes", false}, {"avail. majority", false},
    {"avail. minority", false}, {"p50", false},    {"p99", false},
    {"msgs/op", false},
};
constexpr std::size_t kColumnCount = sizeof kColumns / sizeof kColumns[0];

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

// Display width: "±" is two bytes in UTF-8 but one column on screen.
std::size_t width_of(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string pad(const std::string& text, std::size_t width, bool left) {
  const std::size_t have = width_of(text);
  const std::string fill(have < width ? width - have : 0, ' ');
  return left ? text + fill : fill + text;
}

}  // namespace

const std::vector<std::string>& scoreboard_checks() {
  static const std::vector<std::string> names{"linearizable", "session", "staleness",
                                              "lost-writes", "availability"};
  return names;
}

RunFigures figures_of(const RunSummary& summary, const std::vector<CheckResult>& checks) {
  RunFigures figures;
  figures.linearizable = verdict_of(checks, "linearizable");
  figures.session = verdict_of(checks, "session");
  figures.stale_fraction = metric_of(checks, "staleness", "stale_fraction");
  figures.lost_writes = metric_of(checks, "lost-writes", "lost");
  figures.availability_majority = metric_of(checks, "availability", "availability_majority");
  figures.availability_minority = metric_of(checks, "availability", "availability_minority");
  figures.latency_p50_ns = metric_of(checks, "availability", "latency_p50_ns");
  figures.latency_p99_ns = metric_of(checks, "availability", "latency_p99_ns");
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
  std::string text;
  if (format == TableFormat::kMarkdown) {
    text += "|";
    for (const Column& column : kColumns) text += std::string(" ") + column.title + " |";
    text += "\n|";
    for (const Column& column : kColumns) text += column.left_aligned ? "---|" : "--:|";
    text += "\n";
    for (const auto& cells : table) {
      text += "|";
      for (const std::string& cell : cells) text += " " + cell + " |";
      text += "\n";
    }
    return text;
  }
  std::vector<std::size_t> widths(kColumnCount);
  for (std::size_t c = 0; c < kColumnCount; ++c) widths[c] = width_of(kColumns[c].title);
  for (const auto& cells : table) {
    for (std::size_t c = 0; c < kColumnCount; ++c) widths[c] = std::max(widths[c], width_of(cells[c]));
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (c > 0) out += "  ";
      out += pad(cells[c], widths[c], kColumns[c].left_aligned);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> titles;
  for (const Column& column : kColumns) titles.emplace_back(column.title);
  text += line(titles);
  for (const auto& cells : table) text += line(cells);
  return text;
}

}  // namespace capsim::tools
