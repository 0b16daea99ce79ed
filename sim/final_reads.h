// When a run's final reads happen, and what a scenario must leave room for so they mean
// something.
//
// With `workload.final_reads: true` a run ends in three stretches:
//   [0, duration - quiet)              clients operate and faults strike;
//   [duration - quiet, final start)    the quiet period: no new operations and no faults, so
//                                      the replicas settle (a failover finishes, a healed
//                                      primary learns it was deposed, logs catch up);
//   [final start, duration]            the final reads (sim/client/final_reader.h), which start
//                                      at duration - timeout so that each one has the whole
//                                      operation timeout to answer before the run ends.
// So a scenario with final reads needs a quiet period longer than the timeout, and every fault
// undone (partitions and cuts healed, crashed nodes restarted, paused nodes resumed) by the
// time the quiet period begins. The loader reports a scenario that breaks this.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

// The most final reads (live nodes x keys) a run may ask for.
constexpr std::uint64_t kMaxFinalReads = 100'000;

// When the final reads are invoked: duration - workload.timeout.
Time final_reads_start(const Scenario& scenario);

// When the quiet period begins: duration - workload.quiet.
Time quiet_start(const Scenario& scenario);

// Every reason `scenario` leaves no room for its final reads, each at the place to fix it
// (final_reads_pos for the workload's settings, a fault's own position, the nemesis's):
// - a quiet period not longer than the timeout;
// - nodes x keys above kMaxFinalReads;
// - a partition or cut never healed (no heal_after and no later heal), a crash never restarted
//   (no restart_after and no later restart of the same node or of all), a pause never resumed;
// - a fault, or the event that undoes it, after the quiet period begins;
// - a nemesis that may still act then (its stop plus its fault duration).
// Empty when the scenario does not ask for final reads. Requires: a scenario whose sections
// loaded without error.
std::vector<Diagnostic> final_reads_problems(const Scenario& scenario,
                                             const SourcePos& final_reads_pos);

}  // namespace capsim
