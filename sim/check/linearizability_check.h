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
// Metrics: `operations` (operations paired, fail ones excluded), `keys` (groups searched),
// `states_explored`.
//
// Explanation: the verdict's explanation, one sentence a line; after a violation, one line per
// operation that shows it, e.g.
//   "event 88: read on key k1 by process 4 returned 5 (12.250s to 12.301s)".
// details_json: to_json(result), which holds the violation in structured form.
CheckResult to_check_result(const LinearizabilityResult& result);

}  // namespace capsim
