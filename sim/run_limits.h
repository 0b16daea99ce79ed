// The budget of one run: how many events it may take and how much it may hold at once.
//
// Nothing in a scenario bounds the work its run does: a high rate over a long duration, or a
// protocol whose timers fire far more often than messages arrive, makes a run that takes hours
// and fills memory while printing nothing. So every run has a budget, counted in events (never
// in wall time or bytes, so the run stops at the same point on every machine):
// - at most `max_events` events taken from the queue;
// - a memory guard: at most `max_pending` events waiting at once (messages in flight, timers,
//   messages held for a paused node) and at most `max_history` client events recorded. These
//   are what grows with a run; everything else is bounded by the cluster size or by the file.
// A run that would exceed a limit stops with a sentence saying which, and when (RunResult).
#pragma once

#include <cstdint>
#include <string>

#include "sim/time.h"

namespace capsim {

struct RunLimits {
  // About a thousand times the busiest shipped scenario (raft-partition, 80,196 events). With
  // the trace written (about 180 bytes an event) a run this long takes a few minutes and a
  // trace of some 18 GB; `capsim run` shows its progress meanwhile.
  static constexpr std::uint64_t kDefaultMaxEvents = 100'000'000;

  // The memory guard, as fractions of the event budget. A queued message costs a few hundred
  // bytes, so 5,000,000 waiting is about a gigabyte. A client event costs far more once the
  // run is over: the summary, history.jsonl and the checkers index the whole history, and a
  // history of 2,400,000 events took 2.5 GB and 90 s of checking (primary-backup, 100 clients).
  static constexpr std::uint64_t kPendingDivisor = 20;
  static constexpr std::uint64_t kHistoryDivisor = 50;

  std::uint64_t max_events = kDefaultMaxEvents;
  std::uint64_t max_pending = kDefaultMaxEvents / kPendingDivisor;
  std::uint64_t max_history = kDefaultMaxEvents / kHistoryDivisor;

  // The budget for `max_events` events, with the memory guard scaled alike (never below
  // 10,000, so that a small budget is reached before the guard). Requires: max_events >= 1.
  static RunLimits for_events(std::uint64_t max_events);
};

// "the run exceeded its budget of 100 events at virtual time 1.5s; raise it with --max-events"
std::string events_exceeded_message(std::uint64_t max_events, Time at);
// "the run held more than 10 pending events (...) at virtual time 2ms: ..."
std::string pending_exceeded_message(std::uint64_t max_pending, Time at);
// "the run recorded more than 5 client events at virtual time 3s: ..."
std::string history_exceeded_message(std::uint64_t max_history, Time at);

}  // namespace capsim
