#include <doctest/doctest.h>

#include "sim/time.h"
#include "sim/units.h"

using namespace capsim;

TEST_CASE("units: durations need a unit and are exact") {
  Duration d{0};
  std::string error;
  CHECK(parse_duration("250ms", d, error));
  CHECK(d == std::chrono::milliseconds(250));
  CHECK(parse_duration("1.5s", d, error));
  CHECK(d == std::chrono::milliseconds(1500));
  CHECK(parse_duration("2m", d, error));
  CHECK(d == std::chrono::seconds(120));
  CHECK(parse_duration("7ns", d, error));
  CHECK(d == Duration{7});
  CHECK_FALSE(parse_duration("5", d, error));
  CHECK(error == "duration '5' has no unit; expected a duration with a unit, such as 250ms, 1.5s or 2m");
  CHECK_FALSE(parse_duration("-5ms", d, error));
  CHECK(error.find("cannot be negative") != std::string::npos);
  CHECK_FALSE(parse_duration("fast", d, error));
  CHECK_FALSE(parse_duration("1.5ns", d, error));
}

TEST_CASE("units: percentages are parts per million and at most 100%") {
  Probability p;
  std::string error;
  CHECK(parse_percent("2%", p, error));
  CHECK(p.ppm == 20000);
  CHECK(parse_percent("0.05%", p, error));
  CHECK(p.ppm == 500);
  CHECK(p.to_string() == "0.05%");
  CHECK_FALSE(parse_percent("101%", p, error));
  CHECK(error == "percentage '101%' is over 100%");
  CHECK_FALSE(parse_percent("5", p, error));
  CHECK_FALSE(parse_percent("-1%", p, error));
}

TEST_CASE("units: rates and integers") {
  std::uint64_t rate = 0;
  std::string error;
  CHECK(parse_rate("200/s", rate, error));
  CHECK(rate == 200'000);
  CHECK(parse_rate("5/ms", rate, error));
  CHECK(rate == 5'000'000);
  CHECK(parse_rate("30/m", rate, error));
  CHECK(rate == 500);
  CHECK_FALSE(parse_rate("200", rate, error));
  CHECK_FALSE(parse_rate("200/day", rate, error));
  std::int64_t n = 0;
  CHECK(parse_integer("12", 1, 99, n, error));
  CHECK(n == 12);
  CHECK_FALSE(parse_integer("100", 1, 99, n, error));
  CHECK(error == "expected a whole number from 1 to 99, got 100");
  CHECK_FALSE(parse_integer("1.5", 1, 99, n, error));
}

TEST_CASE("format_duration: exact in the largest unit that fits, else a decimal a person reads") {
  CHECK(capsim::format_duration(std::chrono::milliseconds(1500)) == "1500ms");
  CHECK(capsim::format_duration(std::chrono::seconds(2)) == "2s");
  CHECK(capsim::format_duration(std::chrono::microseconds(6708)) == "6708us");
  CHECK(capsim::format_duration(std::chrono::nanoseconds(7)) == "7ns");
  // Not a whole number of microseconds: a decimal in the largest unit, not 1014238143ns.
  CHECK(capsim::format_duration(std::chrono::nanoseconds(1'014'238'143)) == "1.014238143s");
  CHECK(capsim::format_duration(std::chrono::nanoseconds(2'500'001)) == "2.500001ms");
  CHECK(capsim::format_duration(std::chrono::nanoseconds(-1'500)) == "-1.5us");
}

TEST_CASE("format_duration_readable: three significant digits in a fitting unit") {
  using capsim::format_duration_readable;
  using std::chrono::nanoseconds;
  CHECK(format_duration_readable(nanoseconds(6'708'123)) == "6.71ms");
  CHECK(format_duration_readable(nanoseconds(1'014'238'143)) == "1.01s");
  CHECK(format_duration_readable(nanoseconds(14'688'000)) == "14.7ms");
  CHECK(format_duration_readable(nanoseconds(215'400'000)) == "215ms");
  CHECK(format_duration_readable(nanoseconds(1'500'000'000)) == "1.5s");
  CHECK(format_duration_readable(nanoseconds(2'000'000'000)) == "2s");
  CHECK(format_duration_readable(nanoseconds(999'600)) == "1ms");  // not "1000us"
  CHECK(format_duration_readable(nanoseconds(950)) == "950ns");
  CHECK(format_duration_readable(nanoseconds(0)) == "0ns");
  CHECK(format_duration_readable(nanoseconds(-2'500'000)) == "-2.5ms");
  CHECK(format_duration_readable(nanoseconds(3'600'000'000'000)) == "3600s");
}
