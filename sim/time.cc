#include "sim/time.h"

#include <cstdio>
#include <iterator>

namespace capsim {

namespace {

// "1.50" -> "1.5", "2.00" -> "2", "215" -> "215".
std::string without_trailing_zeros(std::string number) {
  if (number.find('.') == std::string::npos) return number;
  while (number.back() == '0') number.pop_back();
  if (number.back() == '.') number.pop_back();
  return number;
}

}  // namespace

std::string format_duration_readable(Duration d) {
  const std::int64_t ns = d.count();
  const double magnitude = static_cast<double>(ns < 0 ? -ns : ns);
  const std::string sign = ns < 0 ? "-" : "";
  struct Unit {
    double size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
  if (magnitude < 1000) return sign + std::to_string(ns < 0 ? -ns : ns) + "ns";
  for (std::size_t i = 0; i + 1 < std::size(kUnits); ++i) {
    if (magnitude < kUnits[i].size) continue;
    const double value = magnitude / kUnits[i].size;
    const int decimals = value >= 100 ? 0 : (value >= 10 ? 1 : 2);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    // 999.6ms rounds to "1000": one unit up, that is "1s".
    if (i > 0 && std::string(buffer) == "1000") return sign + "1" + kUnits[i - 1].name;
    return sign + without_trailing_zeros(buffer) + kUnits[i].name;
  }
  return sign + "0ns";
}

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
