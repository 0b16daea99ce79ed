#include "sim/time.h"

#include <cstdio>

namespace capsim {

std::string format_duration(Duration d) {
  const std::int64_t ns = d.count();
  const std::int64_t abs_ns = ns < 0 ? -ns : ns;
  const char* sign = ns < 0 ? "-" : "";
  struct Unit { std::int64_t size; const char* name; };
  // Largest unit that represents the value exactly, else a decimal in the largest unit below it.
  static constexpr Unit kUnits[] = {{1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}, {1, "ns"}};
  for (const Unit& unit : kUnits) {
    // Every count of nanoseconds is exact in ns, but "1014238143ns" is unreadable: whole
    // nanoseconds are shown as such only below a microsecond.
    const bool readable = unit.size > 1 || abs_ns < 1'000;
    if (readable && abs_ns >= unit.size && abs_ns % unit.size == 0) {
      return sign + std::to_string(abs_ns / unit.size) + unit.name;
    }
  }
  for (const Unit& unit : kUnits) {
    if (abs_ns >= unit.size) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%s%lld.%0*lld%s", sign,
                    static_cast<long long>(abs_ns / unit.size),
                    unit.size == 1'000'000'000 ? 9 : (unit.size == 1'000'000 ? 6 : 3),
                    static_cast<long long>(abs_ns % unit.size), unit.name);
      std::string text = buffer;
      // Trim trailing zeros of the fraction: "1.500000s" reads better as "1.5s".
      const std::size_t unit_len = std::string(unit.name).size();
      std::string number = text.substr(0, text.size() - unit_len);
      while (!number.empty() && number.back() == '0') number.pop_back();
      if (!number.empty() && number.back() == '.') number.pop_back();
      return number + unit.name;
    }
  }
  return "0s";
}

std::string format_seconds(Time t) {
  const std::int64_t ms = t.count() / 1'000'000;
  const std::int64_t abs_ms = ms < 0 ? -ms : ms;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%03llds", ms < 0 ? "-" : "",
                static_cast<long long>(abs_ms / 1000), static_cast<long long>(abs_ms % 1000));
  return buffer;
}

}  // namespace capsim
