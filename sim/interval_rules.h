// How short a periodic interval may be, and how many faults a nemesis may schedule.
//
// A timer that fires many times while one message crosses the network achieves nothing a
// slower one would not: no answer can arrive in between, so every firing repeats the work of
// the one before. Such a value is a slip (1ns written for 1ms), and it makes a run take
// billions of events and grow its queue without bound. The rule, for every periodic interval
// (protocol options marked `periodic`, nemesis.interval):
//
//   interval >= max(latency / 100, 1us)
//
// where latency is the default link's `latency` (the smallest of a mixture's components).
// A hundredth of a one-way delay is far shorter than any interval a real system uses
// (heartbeats and gossip run at a fraction of a round trip or slower), so no sensible value is
// refused; 1us bounds the cost when the network is (nearly) instant: a million firings per node
// per simulated second.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

// The network's one-way latency as the rule reads it.
Duration network_latency(const NetworkSpec& network);

// The shortest interval the rule accepts on `network`.
Duration shortest_interval(const NetworkSpec& network);

// Why `interval` breaks the rule, as "is far below the network's latency of 1ms: it would fire
// about 1000000 times while one message crosses the network"; empty when it keeps it.
std::string interval_too_short(Duration interval, const NetworkSpec& network);

// Appended to an interval error so that the message states the rule.
inline constexpr std::string_view kIntervalRule =
    "a periodic interval must be at least 1/100 of the network's latency, and at least 1us";

// A nemesis draws at most this many faults in a run, so its compiled timeline (which the trace
// and the summary list whole) stays small.
inline constexpr std::uint64_t kMaxNemesisFaults = 100'000;

// The most faults `nemesis` can draw in a run of `duration`: gaps are at least interval / 2,
// from its start to its stop (default: duration minus one interval).
std::uint64_t nemesis_faults_at_most(const NemesisSpec& nemesis, Duration duration);

// The shortest nemesis interval that keeps nemesis_faults_at_most() within kMaxNemesisFaults
// for `nemesis`'s start and stop, rounded up to a whole millisecond (a whole microsecond below
// 1ms).
Duration shortest_nemesis_interval(const NemesisSpec& nemesis, Duration duration);

}  // namespace capsim
