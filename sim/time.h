// Virtual time. Integer nanoseconds everywhere: floating seconds would make runs depend on
// rounding, and rounding differs between builds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace capsim {

using Duration = std::chrono::nanoseconds;
// Time since the run began (virtual in the simulator, real in the live runtime).
using Time = std::chrono::nanoseconds;

using namespace std::chrono_literals;

constexpr Duration kNanosecond{1};
constexpr Duration kMicrosecond{1'000};
constexpr Duration kMillisecond{1'000'000};
constexpr Duration kSecond{1'000'000'000};

// "1.5s", "250ms", "12us", "7ns": the shortest exact rendering a person can read.
std::string format_duration(Duration d);

// For people: three significant digits in the largest unit that keeps the number at least 1
// ("6.71ms", "1.01s", "215ms", "950ns"), trailing zeros dropped ("1.5s"). Not exact: exact values
// belong in summary.json.
std::string format_duration_readable(Duration d);

// Seconds with millisecond precision, as used in prose: "12.301s".
std::string format_seconds(Time t);

}  // namespace capsim
