// Turns a failed linearizability search into words a student can follow, and picks the
// operations that show the problem.
#pragma once

#include <span>

#include "sim/check/linearizability.h"
#include "sim/check/linearization_search.h"

namespace capsim {

// Fills the violation fields of `result` (unplaceable, linearized_prefix, state_after_prefix,
// operations, explanation) from `outcome`, a kNotLinearizable search of `ops` with `machine`.
// `key` is the group's key, if any. With `has_times` instants are given as seconds, otherwise
// as event numbers (Jepsen's files often carry no times).
void describe_violation(std::span<const Operation> ops, ModelMachine& machine,
                        const SearchOutcome& outcome, const std::optional<std::string>& key,
                        bool has_times, LinearizabilityResult& result);

// "write 5 on key k1 by process 2": what an operation did, for explanations. Reads leave out
// their input (Jepsen's invokes of reads often carry a value that means nothing).
std::string describe_operation(const Operation& op, bool show_input = true);

}  // namespace capsim
