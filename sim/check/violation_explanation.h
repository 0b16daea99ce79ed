// Turns a failed linearizability search into words a student can follow, and picks the
// operations that show the problem.
#pragma once

#include <map>
#include <span>
#include <vector>

#include "sim/check/linearizability.h"
#include "sim/check/linearization_search.h"

namespace capsim {

// Fills the violation fields of `result` (unplaceable, linearized_prefix, state_after_prefix,
// operations, explanation) from `outcome`, a kNotLinearizable search of `ops` with `machine`.
// `key` is the group's key, if any. With `has_times` instants are given as seconds, otherwise
// as event numbers (Jepsen's files often carry no times). `failed` holds the group's operations
// that completed with fail (outcome kFail) and `errors` their reasons by invoke index: the
// search leaves them out, but an explanation may need them ("the only write of 474 was
// reported failed"). The explanation opens with the operation quoted whole (index, process,
// value, times, outcome); for the register, set and counter models it goes on with a proof that
// quotes the operations it rests on (register_explanation.h, collection_explanation.h) when a
// short one exists, and otherwise with the search's longest order, its last change quoted, and
// for registers every write of the value needed.
void describe_violation(std::span<const Operation> ops, ModelMachine& machine,
                        const SearchOutcome& outcome, const std::optional<std::string>& key,
                        bool has_times, std::span<const Operation> failed,
                        const std::map<std::uint64_t, std::string>& errors,
                        LinearizabilityResult& result);

// The operations of `history` on `key` (as `model` reads keys) that completed with fail, in
// invoke order, with outcome kFail, and the reason each failed (the fail event's error) by
// invoke index. Malformed pairs are skipped: the caller has already paired the history.
void collect_failed_operations(const History& history, const Model& model,
                               const std::optional<std::string>& key,
                               std::vector<Operation>& failed,
                               std::map<std::uint64_t, std::string>& errors);

// "write 5 on key k1 by process 2": what an operation did, for explanations. Reads leave out
// their input (Jepsen's invokes of reads often carry a value that means nothing).
std::string describe_operation(const Operation& op, bool show_input = true);

}  // namespace capsim
