// Stale reads, measured: how far behind the newest completed write each read was.
//
// For an ok read of key k that returned v, the writes that make it stale are the ok writes
// (and cas) to k that completed before the read was invoked and that are definitely newer than
// the write of v: invoked after it completed (for nil: every such write). Then
//   versions behind (k-staleness)  how many such writes there are;
//   lag (t-visibility)             the read's invoke time minus the completion time of the
//                                  earliest of them: how long a newer value had been complete.
// A fresh read is 0 versions and 0 ns behind. Write order is known only through real time
// (history_index.h), so the measure is conservative: writes that overlap the write of v, or
// whose outcome is unknown, never count. Reads of ambiguous values are not measured.
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "staleness". Verdict: kPass when no read was stale, kFail when some was (the
// metrics say how stale); kNotApplicable when no read could be measured; kUnknown when the
// history is malformed.
//
// Metrics, over the measured reads: `reads`, `stale_reads`, `stale_fraction`, `fresh_fraction`,
// `versions_behind_p50`, `versions_behind_p99`, `versions_behind_max`, `lag_p50_ns`,
// `lag_p99_ns`, `lag_p999_ns`, `lag_max_ns` (fresh reads count as 0), `stale_lag_p50_ns`,
// `stale_lag_p99_ns`, `stale_lag_p999_ns` (over stale reads only; absent when none), and
// `reads_unmeasured` (ok reads of ambiguous values). Percentiles are nearest-rank.
//
// Explanation (when some read was stale): a summary line, then the three most stale reads (most
// versions behind, then longest lag, then earliest) in words, e.g.
//   "process 2 read k1 at 3.000s and got 5, 2 versions behind: the newer write of 7 had
//    completed at 2.000s, 1s before the read began [history events 14, 8]"
// details_json: {"overall": {...}, "keys": {"k1": {...}}, "most_stale": [...]}, where each
// {...} holds the metrics above for those reads.
CheckResult check_staleness(const History& history);

}  // namespace capsim
