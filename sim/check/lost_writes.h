// Lost writes: operations the system acknowledged and then lost, judged on the run's final
// reads (the reads a run with workload.final_reads makes once its faults are over and the
// replicas have settled; in the history they carry "final": true).
//
// Set workload (keys holding sets; `add e` with elements unique across the run): an ok add of e
// to key k is acknowledged. It is judged against every ok final read of k that began after it
// was acknowledged, and it is lost when one of those reads does not hold e. An element a final
// read holds whose add was never acknowledged is unexpected: recovered when its add's outcome
// was unknown (info, or no answer by the end: it may have taken effect), failed when its add
// was refused (it should not have taken effect), never attempted when no add of it was made.
//
// Counter workload (keys holding counts; `increment d`): increments are alike, so only totals
// can be judged. For each ok final read of k returning c: A = the increments acknowledged before
// the read began, C = those acknowledged while it ran (they may or may not be counted), U = those
// with an unknown outcome invoked before it ended. Then c < A means A - c increments were lost;
// c > A + C is unexpected: up to U of it recovered, the rest never attempted.
//
// Keys with neither adds nor increments (the kv workload's read / write / cas) are not judged:
// a register keeps only its last write, so an overwritten write and a lost one look alike.
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "lost-writes".
//
// Verdict: kPass when no acknowledged write is lost; kFail when some is; kNotApplicable when the
// history has no final reads, or no key holds a set or a counter (the explanation says which);
// kUnknown when no final read of a judged key succeeded, or the history is malformed.
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
//   failed_present         set: ... whose add was refused
//   never_attempted        ... that no operation accounts for
//
// Explanation: on kFail, a summary line, then up to three lost adds in words, e.g.
//   "element 57 was added to k1 by process 2 and acknowledged by n1 at 7.412s, but the final
//    reads of k1 from n2 and n3 (answered by n2) do not hold it [history events 301, 322;
//    final reads 900, 901]"
// or, for a counter, the count each final read returned against the acknowledged increments;
// then a line on unexpected elements, if any. On kPass empty; on kNotApplicable and kUnknown,
// why.
//
// details_json: {"sets": {"k1": {"acknowledged", "lost", ...}}, "counters": {"k1": {...,
// "final_reads": [{"node", "answered_by", "value", "acknowledged", "concurrent", "unknown"}]}},
// "lost": [{"key", "element", "process", "acked_by", "acked_ns", "add_index", "ack_index",
// "missing_from": [{"index", "node", "answered_by"}]}] (the first 100), "unexpected": [{"key",
// "element", "why": "recovered" | "failed" | "never attempted"}] (the first 100)}.
CheckResult check_lost_writes(const History& history);

}  // namespace capsim
