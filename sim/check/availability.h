// Availability and latency, measured: what fraction of operations completed ok, over time and on
// each side of each partition, and how long the ok ones took.
//
// An operation counts where and when it was invoked: in the time window holding its invoke, and
// on the side of a partition holding the node it was sent to, when it was invoked while that
// partition lasted (the same rules as the run summary, run_summary.h, whose numbers these
// break down further). Availability is ok / invoked; fail, info and pending all count against.
// Latency is invoke to ok, over ok operations only; percentiles are nearest-rank.
//
// Majority and minority: in a partition, a side is the majority when it holds strictly more
// than half of the nodes that appear on any of the partition's sides; every other side is a
// minority (so an even split has two minorities).
#pragma once

#include <vector>

#include "sim/check/check_result.h"
#include "sim/fault_windows.h"
#include "sim/history.h"
#include "sim/simulation.h"
#include "sim/time.h"

namespace capsim {

// The check named "availability". `end_time` is when the run ended: the windows of `window`
// length cover [0, end_time), and more if an operation was invoked later. Very long runs get
// wider windows so that there are at most 10000 (details_json gives the width used).
// Requires: window > 0.
//
// Verdict: kPass, or kNotApplicable when no operation was invoked; it is a measurement, which a
// scenario's expectations bound.
//
// Metrics: `operations`, `ok`, `availability` (overall), `latency_p50_ns`, `latency_p99_ns`,
// `latency_max_ns` (absent when nothing completed ok), and, over all partitions, the lowest
// availability of any majority side and of any minority side that was sent operations:
// `availability_majority`, `availability_minority` (absent when there was no such side), and
// `availability_during_faults`: over the operations invoked while any partition or any fault of
// `faults` lasted (absent when none was).
//
// details_json: {"window_ns": W, "windows": [{"start_ns", "invoked", "ok", "fail", "info",
// "pending", "availability" (null when nothing was invoked)}], "partitions": [{"start_ns",
// "end_ns" (null: still cut at the end), "description", "sides": [{"nodes": ["n1"],
// "role": "majority"|"minority", "invoked", "ok", "availability"}], "latency": {"count",
// "p50_ns", "p99_ns", "max_ns"}}], "faults": [{"start_ns", "end_ns" (null: never undone),
// "description", "invoked", "ok", "fail", "info", "pending", "availability", "latency"}],
// "latency": {...}}. A fault's operations are those invoked while it lasted, sent to any node.
CheckResult check_availability(const History& history,
                               const std::vector<PartitionWindow>& partitions, Time end_time,
                               Duration window = kSecond,
                               const std::vector<FaultWindow>& faults = {});

}  // namespace capsim
