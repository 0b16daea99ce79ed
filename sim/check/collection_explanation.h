// Proofs in words for set and counter histories (the set and counter models), in the manner of
// register_explanation.h: why a read cannot take effect anywhere, with the operations the claim
// rests on quoted by history index, process, value, times and outcome.
//
// Sets grow only (add), so a read of set S is impossible in every order when
//   - S holds an element that no operation adding it was invoked before the read completed
//     (none at all, only later ones, or only adds that were reported failed: then a failed
//     operation took effect), or
//   - an add of an element S lacks completed ok before the read began: it precedes the read in
//     every order, and nothing removes the element again.
// Counters with additions of zero or more only grow, so a read of c is impossible when c is
// below the sum of the additions that completed ok before it began, or above the sum of all
// additions (ok or of unknown outcome) invoked before it completed; a read above that sum that
// the additions reported failed would make up names them: a failed operation took effect.
// When neither applies, the proof is empty and the caller falls back on the search's longest
// order.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "sim/check/operation.h"
#include "sim/check/register_explanation.h"

namespace capsim {

// As prove_register_violation (register_explanation.h), for the set model: `ops` is one key's
// operations, `stuck` the read that cannot be placed, `failed` the key's operations that were
// reported failed and `errors` their reasons by invoke index.
RegisterProof prove_set_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                  std::span<const Operation> failed,
                                  const std::map<std::uint64_t, std::string>& errors,
                                  bool has_times);

// The same for the counter model (add n or increment n, read). Empty when some addition is
// negative: then the counter does not only grow.
RegisterProof prove_counter_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                      std::span<const Operation> failed,
                                      const std::map<std::uint64_t, std::string>& errors,
                                      bool has_times);

// "2", "2 and 5", "2, 5 and 9", or past `named` elements "2, 5, ... and 7 more": elements of a
// set for explanations, in the order given.
std::string element_list(const Value::List& elements, std::size_t named = 50);

}  // namespace capsim
