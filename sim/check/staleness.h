// Stale reads, measured: how many acknowledged writes each read missed, and for how long.
//
// Registers. For an ok read of key k that returned v, the writes that make it stale are the
// writes (and cas) to k known to have taken effect before the read was invoked (ok, or of
// unknown outcome but read by an ok read that completed before it; history_index.h) and
// definitely newer than the write of v: invoked after it was known done (for nil: every such
// write). Then
//   versions behind (k-staleness)  how many such writes there are;
//   lag (t-visibility)             the read's invoke time minus the time the earliest of them
//                                  was known done: how long a newer value had been in place.
// Sets. The acknowledged adds of k (known to have taken effect before the read was invoked)
// whose elements the read lacks: versions behind is their number, the lag is measured from the
// earliest of them.
// Counters (increment-only). A read that returned c when A increments had been acknowledged
// before it was invoked missed at least A - c of them (versions behind); it cannot hold every
// increment up to the first whose running total (in order of acknowledgement) passes c, so the
// lag is measured from that one's acknowledgement: a lower bound.
// A fresh read is 0 versions and 0 ns behind. Write order is known only through real time, so
// the measure is conservative: writes that overlap the write of v, or not known to have taken
// effect, never count. Reads of ambiguous values, and of keys not judged, are not measured.
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "staleness". Verdict: kFail when some read was stale (the metrics say how
// stale); kPass when none was and at least one measured read could have been (an update of its
// key was known done before it began: the minimum-evidence rule, printed as the evidence);
// kNotApplicable, with the reason first in the explanation, when none could; kUnknown when the
// history is malformed.
//
// Metrics, over the measured reads: `reads`, `stale_reads`, `stale_fraction`, `fresh_fraction`,
// `versions_behind_p50`, `versions_behind_p99`, `versions_behind_max`, `lag_p50_ns`,
// `lag_p99_ns`, `lag_p999_ns`, `lag_max_ns` (fresh reads count as 0), `stale_lag_p50_ns`,
// `stale_lag_p99_ns`, `stale_lag_p999_ns` (over stale reads only; absent when none),
// `reads_unmeasured` (ok reads of ambiguous values or of keys not judged) and `reads_exposed`
// (measured reads that could have been stale: the evidence). Versions behind counts
// acknowledged updates missed: newer register writes, missing set adds, missed increments.
// Percentiles are nearest-rank.
//
// Explanation (when some read was stale): a summary line, then the three most stale reads (most
// versions behind, then longest lag, then earliest) in words, e.g.
//   "process 2 read k1 at 3.000s and got 5, 2 versions behind: the newer write of 7 by process 3
//    had completed at 2.000s, 1s before the read began; it began at 1.800s, after the write of 5
//    by process 1 had completed at 1.500s [history events 14, 8, 4]"
//   "process 2 read k1 at 0.100s and got [2], without 2 acknowledged adds (1, 3): the add of 1
//    had completed at 0.010s, 90ms before the read began [history events 6, 0]"
//   "process 2 read c at 0.100s and got 1, at least 3 acknowledged increments behind: the
//    increments acknowledged by 0.030s already summed to more than 1, 70ms before the read
//    began [history events 8, 2]"
// (the events: the read, the update the lag is measured from, and for a register the write of
// the value read, which the newer write began after; a set's missing elements are all named, up
// to 50). An update of unknown outcome
// is said to be "known done at T (its outcome unknown, but process P had read it)".
// details_json: {"overall": {...}, "keys": {"k1": {...}}, "most_stale": [...],
// "keys_not_judged": {"k": "why"}}, where each {...} holds the metrics above for those reads.
CheckResult check_staleness(const History& history);

}  // namespace capsim
