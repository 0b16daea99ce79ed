// What the compare command's tables share: a spread of one measurement over runs, the cells
// that show it, and the layout of a table as text for the terminal or as Markdown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capsim::tools {

// A measurement over several runs.
struct Spread {
  std::uint32_t count = 0;  // runs that measured it
  double mean = 0;
  double deviation = 0;  // population standard deviation; 0 for one run
};

// Adds one run's value (none: that run did not measure it).
void add_value(Spread& spread, std::optional<double> value);

// Cells; each reads "-" when no run measured it, and adds " ±deviation" over several runs.
std::string percent_cell(const Spread& s);  // a fraction shown as "12.5%"
std::string count_cell(const Spread& s);    // "12" for one run, "12.5" for a mean
std::string ratio_cell(const Spread& s);    // "4.2"
std::string latency_cell(const Spread& s);  // nanoseconds shown as "4.21ms" or "216.0ms"
std::string seconds_cell(const Spread& s);  // nanoseconds shown as "240.3s"
// Nanoseconds as latency_cell below a second, as seconds_cell from a second up.
std::string duration_cell(const Spread& s);

struct Column {
  const char* title;
  bool left_aligned;
};

enum class TableFormat { kText, kMarkdown };

// A header, then one line per row (each row has one cell per column). Text: columns padded
// and separated by two spaces; Markdown: a pipe table, numbers right-aligned.
std::string format_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows, TableFormat format);

}  // namespace capsim::tools
