// The backlog of a queue history: how many messages the broker had accepted and no consumer had
// yet been given, over time, its peak and how long it took to drain from that peak.
//
// Definition. A message enters the backlog at the completion of its first acknowledged send
// attempt (the producer's ok: the broker has accepted it) and leaves it at the first of: the
// completion of the first ok receive or drain that lists it, or the broker's dead-letter or
// expire report of it. A message delivered before its acknowledgement reached the producer
// never enters. A message that never leaves (lost, or still queued at the end) stays until the
// end. Entries and exits are taken in history order, so the backlog is a step function of the
// history's completions, summed over every queue. Messages received but not yet acked are not
// in the backlog: they are in a consumer's hands (at most a batch per consumer).
//
// The peak is the largest value the step function reaches; its time is the first completion at
// which it does. The drain is the time from the peak to the first later completion at which the
// backlog is zero again; there is none when it never empties after the peak.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/check/delivery_ledger.h"
#include "sim/history.h"

namespace capsim {

struct Backlog {
  std::uint64_t peak = 0;
  Time peak_at{0};                // virtual time of the peak; 0 when the peak is 0
  std::optional<Duration> drain;  // peak -> empty again; none if it never empties
};

// Requires: `ledger` was built from `history`.
Backlog measure_backlog(const History& history, const DeliveryLedger& ledger);

}  // namespace capsim
