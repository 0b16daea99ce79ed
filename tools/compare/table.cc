#include "tools/compare/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace capsim::tools {
namespace {

std::string number(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
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

std::string seconds_cell(const Spread& s) {
  if (s.count == 0) return "-";
  std::string text = number("%.1fs", s.mean / 1e9);
  if (s.count > 1) text += number(" ±%.1f", s.deviation / 1e9);
  return text;
}

std::string duration_cell(const Spread& s) {
  return s.count > 0 && s.mean >= 1e9 ? seconds_cell(s) : latency_cell(s);
}

std::string format_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows, TableFormat format) {
  std::string text;
  if (format == TableFormat::kMarkdown) {
    text += "|";
    for (const Column& column : columns) text += std::string(" ") + column.title + " |";
    text += "\n|";
    for (const Column& column : columns) text += column.left_aligned ? "---|" : "--:|";
    text += "\n";
    for (const auto& cells : rows) {
      text += "|";
      for (const std::string& cell : cells) text += " " + cell + " |";
      text += "\n";
    }
    return text;
  }
  const std::size_t count = columns.size();
  std::vector<std::size_t> widths(count);
  for (std::size_t c = 0; c < count; ++c) widths[c] = width_of(columns[c].title);
  for (const auto& cells : rows) {
    for (std::size_t c = 0; c < count; ++c) widths[c] = std::max(widths[c], width_of(cells[c]));
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < count; ++c) {
      if (c > 0) out += "  ";
      out += pad(cells[c], widths[c], columns[c].left_aligned);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> titles;
  for (const Column& column : columns) titles.emplace_back(column.title);
  text += line(titles);
  for (const auto& cells : rows) text += line(cells);
  return text;
}

}  // namespace capsim::tools
