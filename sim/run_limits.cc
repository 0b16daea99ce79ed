#include "sim/run_limits.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {
namespace {

constexpr std::uint64_t kGuardFloor = 10'000;

}  // namespace

RunLimits RunLimits::for_events(std::uint64_t max_events) {
  CAPSIM_ASSERT(max_events >= 1);
  RunLimits limits;
  limits.max_events = max_events;
  limits.max_pending = std::max<std::uint64_t>(max_events / kPendingDivisor, kGuardFloor);
  limits.max_history = std::max<std::uint64_t>(max_events / kHistoryDivisor, kGuardFloor);
  return limits;
}

std::string events_exceeded_message(std::uint64_t max_events, Time at) {
  return "the run exceeded its budget of " + std::to_string(max_events) +
         " events at virtual time " + format_duration(at) + "; raise it with --max-events";
}

std::string pending_exceeded_message(std::uint64_t max_pending, Time at) {
  return "the run held more than " + std::to_string(max_pending) +
         " events waiting at once (messages in flight, timers, messages for paused nodes) at "
         "virtual time " + format_duration(at) +
         ": messages are sent far faster than they arrive, and memory would keep growing; this "
         "guard grows with the event budget: raise both with --max-events";
}

std::string history_exceeded_message(std::uint64_t max_history, Time at) {
  return "the run recorded more than " + std::to_string(max_history) +
         " client events at virtual time " + format_duration(at) +
         ": the history would not fit in memory; this guard grows with the event "
         "budget: raise both with --max-events (or lower the workload's rate or the duration)";
}

}  // namespace capsim
