// Session guarantees, checked over a history with one session per client process.
//
// Registers (read / write / cas):
//   read-your-writes     after a session's ok write (or cas) of v to k, its later reads of k
//                        return v or a value not known to be older; nil or a value whose write
//                        was known done before the session's write began is a violation.
//   monotonic reads      a session that read v from k never later reads a value of k whose
//                        write was known done before the write of v began, nor nil.
//   monotonic writes     a session that wrote v1 and then v2 to k: once any read has returned
//                        v2, no read invoked after that read completed returns v1.
//   writes-follow-reads  a session that read v from k and then wrote w (to any key): once any
//                        read has returned w, no read of k invoked after that read completed
//                        returns a value older than v.
// Sets (add e / read, elements unique across the run; a set read shows what it holds):
//   read-your-writes     a read of k holds every element the session added to k and saw
//                        acknowledged;
//   monotonic reads      ... and every element of the session's earlier reads of k;
//   monotonic writes     a read that holds an element a session added holds every element that
//                        session added to k, known done, before that add began;
//   writes-follow-reads  a session that read a set of k holding e and then added f (to any
//                        set): once any read has returned f, every read of k invoked after that
//                        read completed holds e.
// Counters (increment-only; a read shows only a total):
//   read-your-writes     a read is at least the session's own acknowledged increments, and at
//                        least an earlier read of the session plus the session's increments
//                        acknowledged since (invoked after it completed, it could not count
//                        them);
//   monotonic reads      a read is at least every earlier read of the session.
//   Monotonic writes and writes-follow-reads are not judged on counters: increments are alike,
//   so no read shows which of them it holds.
//
// "Known done" is history_index.h's: an ok completion, or for an update whose outcome is unknown
// the completion of the first ok read that returned what it wrote. Order is known only through
// real time: the checks are conservative and report nothing real-time order does not prove.
// Writes-follow-reads needs the version order of the key read only, so it spans keys soundly.
// Only ok reads are judged; a cas counts as a write of its new value.
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "session". Verdict: kFail when any guarantee is violated; kPass when none is
// and at least one read was held to something (an earlier operation of its session, or another
// session's update it had to follow: the minimum-evidence rule, printed as the evidence);
// kNotApplicable, with the reason first in the explanation, when no read was; kUnknown when the
// history is malformed (the explanation says where).
//
// Metrics: `sessions` (processes with at least one operation that may have taken effect),
// `reads_judged` (reads some guarantee held to something: the evidence),
// `read_your_writes_violations` and `monotonic_reads_violations` (violating reads),
// `monotonic_writes_violations` (registers: reads that returned the earlier write after a read
// had returned the later; sets: reads holding a later add without an earlier one),
// `writes_follow_reads_violations` (registers: pairs of a write and a key on which it was seen
// without the value it followed; sets: reads lacking an element some add had to follow), and
// `violations` (their sum).
//
// Explanation: a count line, then up to three violations per guarantee in words, e.g.
//   "read-your-writes: process 3 wrote 7 to k1 (ok at 2.100s), then read k1 at 2.300s and got
//    5, an older value (write of 5 by process 1 completed at 1.900s, before the write of 7 began
//    at 2.000s) [history events 8, 12, 2]"
// where the events are the invokes of the operations named, in the order named.
// For sets: "read-your-writes: process 2 added 2 to k1 (ok at 0.030s), then read k1 at 0.050s
// and got [1 3], without 2, its own acknowledged add [history events 2, 6]".
// details_json: {"sessions": N, "guarantees": {"read-your-writes": {"violations": N,
// "shown": [{"text": "...", "operations": [...]}]}, ...}, "keys_not_judged": {"k": "why"}},
// at most 20 shown per guarantee.
CheckResult check_session_guarantees(const History& history);

}  // namespace capsim
