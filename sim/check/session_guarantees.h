// Session guarantees, checked over a key-value history with one session per client process:
//
//   read-your-writes     after a session's ok write (or cas) of v to k, its later reads of k
//                        return v or a value not known to be older; nil or a value whose write
//                        completed before the session's write began is a violation.
//   monotonic reads      a session that read v from k never later reads a value of k whose
//                        write completed before the write of v began, nor nil.
//   monotonic writes     a session that wrote v1 and then v2 to k: once any read has returned
//                        v2, no read invoked after that read completed returns v1.
//   writes-follow-reads  a session that read v from k and then wrote w (to any key): once any
//                        read has returned w, no read of k invoked after that read completed
//                        returns a value older than v (nil, or one whose write completed before
//                        the write of v began).
//
// Write order is known only through real time (see history_index.h): the checks are
// conservative and report nothing that real-time order does not prove. Writes-follow-reads
// needs the version order of the key read only, so it spans keys soundly. Only ok reads are
// judged; a cas counts as a write of its new value (its comparison is not taken as a read).
#pragma once

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The check named "session". Verdict: kFail when any guarantee is violated; kNotApplicable
// when the history has no ok read; kUnknown when the history is malformed (the explanation
// says where).
//
// Metrics: `sessions` (processes with at least one operation that may have taken effect),
// `read_your_writes_violations` and `monotonic_reads_violations` (violating reads),
// `monotonic_writes_violations` (reads that returned the earlier write after a read had
// returned the later), `writes_follow_reads_violations` (pairs of a write and a key on which
// it was seen without the value it followed), and `violations` (their sum).
//
// Explanation: a count line, then up to three violations per guarantee in words, e.g.
//   "read-your-writes: process 3 wrote 7 to k1 (ok at 2.100s), then read k1 at 2.300s and got
//    5, an older value (write of 5 completed at 1.900s, before the write of 7 began)
//    [history events 8, 12, 2]"
// where the events are the invokes of the operations named, in the order named.
// details_json: {"sessions": N, "guarantees": {"read-your-writes": {"violations": N,
// "shown": [{"text": "...", "operations": [...]}]}, ...}}, at most 20 shown per guarantee.
CheckResult check_session_guarantees(const History& history);

}  // namespace capsim
