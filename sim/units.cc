#include "sim/units.h"

#include <limits>

namespace capsim {
namespace {

// Parses "123" or "123.456" into a whole part and up to `max_decimals` decimals, returning the
// value scaled by 10^decimals_used in `scaled` and the count of decimals in `decimals`.
bool parse_decimal(std::string_view text, std::uint64_t& whole, std::string_view& fraction) {
  std::size_t i = 0;
  whole = 0;
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) return false;
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  fraction = {};
  if (i < text.size() && text[i] == '.') {
    const std::size_t start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
    fraction = text.substr(start, i - start);
  }
  return i == text.size();
}

// whole.fraction * scale, exactly; false on overflow or when the result is not a whole number.
bool scale_exact(std::uint64_t whole, std::string_view fraction, std::uint64_t scale,
                 std::uint64_t& out) {
  if (whole > std::numeric_limits<std::uint64_t>::max() / scale) return false;
  std::uint64_t result = whole * scale;
  std::uint64_t place = scale;
  for (const char digit : fraction) {
    const auto d = static_cast<std::uint64_t>(digit - '0');
    if (place % 10 != 0) {
      if (d != 0) return false;  // finer than the unit can hold
      continue;
    }
    place /= 10;
    result += d * place;
  }
  out = result;
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct TimeUnit { std::string_view suffix; std::uint64_t ns; };
// Longest suffixes first so that "ms" is not read as "m" followed by "s".
constexpr TimeUnit kTimeUnits[] = {{"ns", 1},         {"us", 1'000},  {"ms", 1'000'000},
                                   {"s", 1'000'000'000}, {"m", 60'000'000'000ULL},
                                   {"h", 3'600'000'000'000ULL}};

}  // namespace

bool parse_duration(std::string_view text, Duration& out, std::string& error) {
  text = trim(text);
  const std::string expected = "expected a duration with a unit, such as 250ms, 1.5s or 2m";
  if (!text.empty() && text.front() == '-') {
    error = "a duration cannot be negative ('" + std::string(text) + "'); " + expected;
    return false;
  }
  for (const auto& unit : kTimeUnits) {
    if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
    const std::string_view number = text.substr(0, text.size() - unit.suffix.size());
    // "5ms" also ends with "s": only accept the unit if the rest is a number.
    std::uint64_t whole = 0;
    std::string_view fraction;
    if (!parse_decimal(number, whole, fraction)) continue;
    std::uint64_t ns = 0;
    if (!scale_exact(whole, fraction, unit.ns, ns) ||
        ns > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 4)) {
      error = "duration '" + std::string(text) + "' is out of range or finer than 1ns";
      return false;
    }
    out = Duration{static_cast<std::int64_t>(ns)};
    return true;
  }
  std::uint64_t whole = 0;
  std::string_view fraction;
  if (parse_decimal(text, whole, fraction)) {
    error = "duration '" + std::string(text) + "' has no unit; " + expected;
  } else {
    error = expected + ", got '" + std::string(text) + "'";
  }
  return false;
}

bool parse_signed_duration(std::string_view text, Duration& out, std::string& error) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (!parse_duration(text, out, error)) return false;
  if (negative) out = -out;
  return true;
}

bool parse_percent(std::string_view text, Probability& out, std::string& error) {
  text = trim(text);
  const std::string expected = "expected a percentage such as 2% or 0.5% (0% to 100%)";
  if (!text.ends_with('%')) {
    error = expected + ", got '" + std::string(text) + "'";
    return false;
  }
  const std::string_view number = trim(text.substr(0, text.size() - 1));
  if (!number.empty() && number.front() == '-') {
    error = "a percentage cannot be negative ('" + std::string(text) + "'); " + expected;
    return false;
  }
  std::uint64_t whole = 0;
  std::string_view fraction;
  std::uint64_t ppm = 0;
  if (!parse_decimal(number, whole, fraction)) {
    error = expected + ", got '" + std::string(text) + "'";
    return false;
  }
  if (!scale_exact(whole, fraction, 10'000, ppm)) {
    error = "percentage '" + std::string(text) + "' has more than four decimal places";
    return false;
  }
  if (ppm > Probability::kMillion) {
    error = "percentage '" + std::string(text) + "' is over 100%";
    return false;
  }
  out = Probability{static_cast<std::uint32_t>(ppm)};
  return true;
}

bool parse_rate(std::string_view text, std::uint64_t& milli_per_second, std::string& error) {
  text = trim(text);
  const std::string expected = "expected a rate such as 200/s, 5/ms or 30/m";
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    error = expected + ", got '" + std::string(text) + "'";
    return false;
  }
  const std::string_view number = trim(text.substr(0, slash));
  const std::string_view unit = trim(text.substr(slash + 1));
  std::uint64_t whole = 0;
  std::string_view fraction;
  if (!parse_decimal(number, whole, fraction)) {
    error = expected + ", got '" + std::string(text) + "'";
    return false;
  }
  // Operations per second, times 1000.
  std::uint64_t per_unit_milli = 0;
  if (!scale_exact(whole, fraction.substr(0, std::min<std::size_t>(fraction.size(), 3)), 1000,
                   per_unit_milli)) {
    error = "rate '" + std::string(text) + "' is out of range";
    return false;
  }
  std::uint64_t result = 0;
  if (unit == "s") {
    result = per_unit_milli;
  } else if (unit == "ms") {
    result = per_unit_milli * 1000;
  } else if (unit == "us") {
    result = per_unit_milli * 1'000'000;
  } else if (unit == "m") {
    result = per_unit_milli / 60;
  } else if (unit == "h") {
    result = per_unit_milli / 3600;
  } else {
    error = "rate '" + std::string(text) + "' has unknown unit '" + std::string(unit) +
            "'; " + expected;
    return false;
  }
  if (result == 0 && per_unit_milli != 0) result = 1;
  if (result > 1'000'000'000'000ULL) {
    error = "rate '" + std::string(text) + "' is too high (at most 1000000000/s)";
    return false;
  }
  milli_per_second = result;
  return true;
}

bool parse_integer(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out,
                   std::string& error) {
  text = trim(text);
  bool negative = false;
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  std::uint64_t magnitude = 0;
  std::string_view fraction;
  if (digits.empty() || !parse_decimal(digits, magnitude, fraction) || !fraction.empty() ||
      magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    error = "expected a whole number, got '" + std::string(text) + "'";
    return false;
  }
  const auto value = negative ? -static_cast<std::int64_t>(magnitude)
                              : static_cast<std::int64_t>(magnitude);
  if (value < min || value > max) {
    error = "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
            ", got " + std::string(text);
    return false;
  }
  out = value;
  return true;
}

bool parse_bool(std::string_view text, bool& out, std::string& error) {
  text = trim(text);
  if (text == "true" || text == "yes" || text == "on") {
    out = true;
    return true;
  }
  if (text == "false" || text == "no" || text == "off") {
    out = false;
    return true;
  }
  error = "expected true or false, got '" + std::string(text) + "'";
  return false;
}

}  // namespace capsim
