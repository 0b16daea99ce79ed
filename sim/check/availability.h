// Availability and latency, measured: what fraction of operations the system answered, over
// time and on each side of each partition, and how long the ok ones took.
//
// Availability is as Gilbert and Lynch define it: every request a non-failing node receives
// must get a response. A definite answer is a response whatever it says, so an operation is
// available when it completed ok or failed with an answer about the operation itself (a cas
// mismatch, an operation the protocol does not support: HistoryEvent::answered, set by the
// node's reply). It is unavailable when it was refused (no leader, no quorum, not the primary,
// a redirect that could not be followed), timed out (info) or was still pending at the end.
// Availability = (ok + answered_fail) / invoked. A history without the marker (one read from
// another tool) has every fail counted as a refusal.
//
// An operation counts where and when it was invoked: in the time window holding its invoke, and
// on the side of a partition holding the node it was sent to, when it was invoked while that
// partition lasted (the same rules as the run summary, run_summary.h, whose numbers these
// break down further). Latency is invoke to ok, over ok operations only; percentiles are
// nearest-rank.
//
// Majority and minority: in a partition, a side is the majority when it holds strictly more
// than half of the nodes that appear on any of the partition's sides; every other side is a
// minority (so an even split has two minorities).
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/fault_windows.h"
#include "sim/history.h"
#include "sim/simulation.h"
#include "sim/time.h"

namespace capsim {

// The operation kinds that get metrics of their own (below).
inline constexpr std::array<std::string_view, 7> kAvailabilityOperationKinds = {
    "read", "write", "cas", "add", "increment", "send", "receive"};

// The check named "availability". `end_time` is when the run ended: the windows of `window`
// length cover [0, end_time), and more if an operation was invoked later. Very long runs get
// wider windows so that there are at most 10000 (details_json gives the width used).
// Requires: window > 0.
//
// Verdict: kPass; it is a measurement, which a scenario's expectations bound. Its evidence is
// the operations invoked, and it needs at least one: with none the verdict is kNotApplicable
// and only the counts below are reported.
//
// Metrics: `operations` (invoked), `ok`, `answered_fail` (fails that were definite answers),
// `refused` (every other operation: refusing fails, infos and pending ones; so
// ok + answered_fail + refused == operations), and the same per operation kind of
// kAvailabilityOperationKinds that was invoked: `<f>_ok`, `<f>_answered_fail`, `<f>_refused`,
// `<f>_availability` (e.g. `cas_answered_fail`). With at least one operation also
// `availability` (overall), `latency_p50_ns`, `latency_p99_ns`, `latency_max_ns` (absent when
// nothing completed ok), and, over all partitions, the lowest availability of any majority side
// and of any minority side that was sent operations: `availability_majority`,
// `availability_minority` (absent when there was no such side), and
// `availability_during_faults`: over the operations invoked while any partition or any fault of
// `faults` lasted (absent when none was). Every availability counts answered fails as
// available.
//
// details_json: {"window_ns": W, "windows": [{"start_ns", COUNTS}], "partitions": [{"start_ns",
// "end_ns" (null: still cut at the end), "description", "sides": [{"nodes": ["n1"],
// "clients": ["c1"] (empty without a placement), "role": "majority"|"minority", "invoked", "ok", "answered_fail", "refused", "availability"}],
// "latency": {"count", "p50_ns", "p99_ns", "max_ns"}}], "faults": [{"start_ns", "end_ns" (null:
// never undone), "description", COUNTS, "latency"}], "latency": {...}}, where COUNTS are
// "invoked", "ok", "answered_fail", "refused", "fail" (all fails), "info", "pending",
// "availability" (null when nothing was invoked). A fault's operations are those invoked while
// it lasted, sent to any node.
CheckResult check_availability(const History& history,
                               const std::vector<PartitionWindow>& partitions, Time end_time,
                               Duration window = kSecond,
                               const std::vector<FaultWindow>& faults = {},
                               const std::vector<NodeId>& client_homes = {});

}  // namespace capsim
