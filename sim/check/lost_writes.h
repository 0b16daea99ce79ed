// Lost writes: operations the system acknowledged and then lost, judged on the run's final
// reads (the reads a run with workload.final_reads makes once its faults are over and the
// replicas have settled; in the history they carry "final": true).
//
// Set workload (keys holding sets; `add e` with elements unique across the run): an ok add of e
// to key k is acknowledged. It is judged against every ok final read of k that began after it
// was acknowledged, and it is lost when one of those reads does not hold e. An element a final
// read holds whose add was never acknowledged is unexpected: recovered when its add's outcome
// was unknown (info, or no answer by the end: it may have taken effect), failed when its add
// was refused, never attempted when no add of it was invoked at all. A never-attempted element
// is over-counted: the system holds what no operation produced.
//
// Counter workload (keys holding counts; `increment d`): increments are alike, so only totals
// (sums of amounts) can be judged. For each ok final read of k returning c: A = the increments
// acknowledged before the read began, C = those acknowledged while it ran (they may or may not
// be counted), U = those with an unknown outcome and F = those refused, both invoked before it
// ended. Then c < A means A - c increments were lost; c > A + C is unexpected: up to U of it
// recovered, up to F of the rest refused yet counted, and what remains, c - (A + C + U + F), is
// over-counted: counted although no operation made it (a request applied twice, say).
//
// A refused operation that took effect breaks the meaning of fail; it is reported
// (failed_present) but does not fail this check, which is about acknowledged writes: the
// linearizable check judges it. Lost and over-counted writes fail it.
//
// Keys with neither adds nor increments (the kv workload's read / write / cas) are not judged:
// a register keeps only its last write, so an overwritten write and a lost one look alike.
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "lost-writes".
//
// Verdict: kPass when no acknowledged write is lost and nothing is over-counted; kFail when some
// write is lost or over-counted; kNotApplicable when the history has no final reads, no key
// holds a set or a counter, or no acknowledged write was judged by a final read (the
// explanation says which); kUnknown when no final read of a judged key succeeded, or the
// history is malformed.
//
// Evidence: the acknowledged adds (increments) judged by some final read; at least one is
// needed for a pass (an over-count found fails on its own).
//
// Metrics (counts over every judged key; a counter key contributes the worst of its final reads):
//   final_reads            ok final reads of judged keys
//   final_reads_unanswered final reads of judged keys that failed or timed out
//   acknowledged           acknowledged adds (increments) judged by some final read
//   lost                   of those, missing from a final read (below its count)
//   lost_fraction          lost / acknowledged (0 when nothing was acknowledged)
//   lost_everywhere        set: lost adds missing from every final read that judged them
//   unknown                adds (increments) whose outcome was unknown
//   unexpected             present in a final read but never acknowledged:
//                          recovered + failed_present + never_attempted
//   recovered              ... whose outcome was unknown
//   failed_present         ... whose add (increment) was refused
//   never_attempted        ... that no operation accounts for
//   over_counted           the same count as never_attempted: it makes the check fail
//
// Explanation: on kFail, a summary line, then up to three lost adds in words, e.g.
//   "element 57 was added to k1 by process 2 and acknowledged by n1 at 7.412s, but the final
//    reads of k1 from n2 and n3 (answered by n2) do not hold it [history events 301, 322;
//    final reads 900, 901]"
// or, for a counter, the count each final read returned against the acknowledged increments
// (naming the last of them: "(the last by process 0 at 0.035s, history event 6)");
// then, when something is over-counted, a summary line and up to three lines quoting the final
// reads that show it, e.g.
//   "the final read of counter k1 from n1 at 0.900s counted 4, but all the increments invoked
//    before it ended add up to 2 (1 acknowledged before it began, 0 acknowledged while it ran,
//    1 with an unknown outcome, 0 refused): 2 increments are over-counted, counted although no
//    operation made them [history event 5]"
//   "element 4 of set k1 is in the final read from n1, but no add of it was ever invoked:
//    over-counted, held although no operation produced it [history event 9]";
// then a line on unexpected elements, if any, and up to three lines naming set elements whose
// add was reported failed, e.g.
//   "element 3 of set k1 is in the final read from n1 [history event 7], but its add by process
//    2 [history event 3] was reported failed at 0.050s: a failed operation took effect".
// On kPass empty; on kNotApplicable and kUnknown, why.
//
// details_json: {"sets": {"k1": {"acknowledged", "lost", ..., "over_counted"}}, "counters":
// {"k1": {..., "final_reads": [{"node", "answered_by", "value", "index", "acknowledged",
// "concurrent", "unknown", "refused", "over_counted"}]}},
// "lost": [{"key", "element", "process", "acked_by", "acked_ns", "add_index", "ack_index",
// "missing_from": [{"index", "node", "answered_by"}]}] (the first 100), "unexpected": [{"key",
// "element", "why": "recovered" | "failed" | "never attempted"}] (the first 100)}.
CheckResult check_lost_writes(const History& history);

}  // namespace capsim
