// The linearizability result in the shape every checker shares (check_result.h), so that a
// scenario run, summary.json and the report treat it like the other checks.
#pragma once

#include "sim/check/check_result.h"
#include "sim/check/linearizability.h"

namespace capsim {

// The check named "linearizable". Verdict: kPass when linearizable; kFail when not; kUnknown
// when the search was stopped or the history could not be checked; kNotApplicable when there
// was no operation to check.
//
// Metrics: `operations` (operations paired, fail ones excluded), `operations_constraining` (of
// those, ok ones whose results constrain the order), `keys` (groups searched),
// `states_explored`.
//
// Explanation: the verdict's explanation, one sentence a line; after a violation, one line per
// operation that shows it (a failed one among them when the proof rests on it), e.g.
//   "event 88: read on key k1 by process 4 returned 5 (12.250s to 12.301s)"
//   "event 812: cas [473 474] on key k1 by process 3 (1.201s to 1.250s, reported failed (cas
//    mismatch))".
// details_json: to_json(result), which holds the violation in structured form.
//
// Evidence: operations_constraining, the ok operations whose results constrain the order (reads,
// successful cas, dequeues; ModelMachine::constrains); at least kMinimumConstraining are needed,
// else a pass becomes n/a with the reason (a history of blind writes fits every order).
CheckResult to_check_result(const LinearizabilityResult& result);

inline constexpr std::size_t kMinimumConstraining = 1;

// Sets check.evidence by the rule above; for callers that judged nothing at all (no model).
void apply_linearizability_evidence(CheckResult& check, std::size_t constraining);

}  // namespace capsim
