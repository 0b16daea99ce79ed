// Parsing of quantities with units, as written in scenarios and on the command line.
// Each returns false and sets `error` to what was expected when the text is not valid.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/probability.h"
#include "sim/time.h"

namespace capsim {

// "250ms", "1.5s", "2m", "10us", "100ns", "1h". A unit is required; negative values are
// rejected; the value must be a whole number of nanoseconds after scaling.
bool parse_duration(std::string_view text, Duration& out, std::string& error);

// "2%", "0.05%", "100%". The % is required; the value must be within [0%, 100%] with at most
// four decimal places (1 ppm resolution).
bool parse_percent(std::string_view text, Probability& out, std::string& error);

// "200/s", "5/ms", "3000/m": operations per unit of time, as operations per second times 1000
// (milli-ops per second) so that rates below one per second stay integers.
bool parse_rate(std::string_view text, std::uint64_t& milli_per_second, std::string& error);

// A whole number (optionally signed) in [min, max].
bool parse_integer(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out,
                   std::string& error);

// "true" / "false" (also yes/no/on/off, as YAML 1.1 does).
bool parse_bool(std::string_view text, bool& out, std::string& error);

// A signed duration: "-50ms", "+2s", "3s". Used for clock skew and clock jumps.
bool parse_signed_duration(std::string_view text, Duration& out, std::string& error);

}  // namespace capsim
