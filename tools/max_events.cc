#include "tools/max_events.h"

#include "sim/units.h"

namespace capsim::tools {

bool parse_max_events(const std::string& text, std::uint64_t& out, std::string& error) {
  std::int64_t value = 0;
  if (!parse_integer(text, 1, static_cast<std::int64_t>(kMaxEventsLimit), value, error)) {
    return false;
  }
  out = static_cast<std::uint64_t>(value);
  return true;
}

bool limits_from_flag(const std::string& text, RunLimits& out, std::string& error) {
  if (text.empty()) {
    out = RunLimits{};
    return true;
  }
  std::uint64_t max_events = 0;
  if (!parse_max_events(text, max_events, error)) return false;
  out = RunLimits::for_events(max_events);
  return true;
}

}  // namespace capsim::tools
