// The --max-events flag of the commands that run simulations (run, compare).
#pragma once

#include <cstdint>
#include <string>

#include "sim/run_limits.h"

namespace capsim::tools {

// The highest budget accepted: about a day of wall time at the engine's speed.
inline constexpr std::uint64_t kMaxEventsLimit = 1'000'000'000'000;

// Parses a --max-events value: a whole number of events from 1 to kMaxEventsLimit. On failure
// sets `error` to what was expected.
bool parse_max_events(const std::string& text, std::uint64_t& out, std::string& error);

// The limits of a run under `--max-events text` (the default budget when `text` is empty).
// On a bad value returns false with `error` set.
bool limits_from_flag(const std::string& text, RunLimits& out, std::string& error);

}  // namespace capsim::tools
