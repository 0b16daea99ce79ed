#include "tools/check_budget.h"

#include <chrono>

#include "sim/units.h"

namespace capsim::tools {

CheckBudget wall_clock_budget(Duration limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  CheckBudget budget;
  budget.should_stop = [deadline] { return std::chrono::steady_clock::now() >= deadline; };
  budget.description = format_duration(limit);
  return budget;
}

bool parse_check_timeout(const std::string& text, Duration& out, std::string& error) {
  Duration value{0};
  if (!parse_duration(text, value, error)) return false;
  if (value <= Duration{0}) {
    error = "the timeout must be greater than 0, got " + text;
    return false;
  }
  out = value;
  return true;
}

}  // namespace capsim::tools
