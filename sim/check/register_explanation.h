// Proofs in words for register histories (the register, cas-register and kv models): why a read
// that returned v, or a cas that succeeded on v, cannot take effect anywhere, with the
// operations the claim rests on quoted by history index, process, value, times and outcome.
//
// Two short proofs are tried, both sound for every order the search could pick:
//   - nothing can have written v before the operation completed: no operation writes v, every
//     write of v was invoked after it completed, or the only writes of v were reported failed
//     (a failed operation takes no effect, so a read of its value is itself a violation);
//   - v was overwritten for good before the operation began: an operation X that completed
//     before it began shows the register holding w != v (X wrote w, or X read w and every write
//     of w was invoked after every write of v had completed), and every write of v completed
//     before those writes of w were invoked, so no write of v can follow them.
// When neither applies (the violation needs the full search to show), the proof is empty and
// the caller falls back on the search's longest order.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "sim/check/operation.h"

namespace capsim {

struct RegisterProof {
  std::string text;                        // whole sentences; "" when no short proof applies
  std::vector<std::uint32_t> quoted;       // positions in `ops` the text quotes
  std::vector<std::size_t> quoted_failed;  // positions in `failed` the text quotes
};

// `ops` is one key's operations (invoke order) and `stuck` the position of the operation that
// cannot be placed; `failed` holds the same key's operations that completed with fail, and
// `errors` their reasons by invoke index ("cas mismatch"). With `has_times` instants are shown
// in seconds, otherwise as event numbers.
RegisterProof prove_register_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                       std::span<const Operation> failed,
                                       const std::map<std::uint64_t, std::string>& errors,
                                       bool has_times);

// For a violation no short proof covers: every operation that writes the value the stuck
// operation needs (what a read returned, what a cas expected), whatever its outcome (failed ones
// from `failed`), quoted: "17 is written only by the write 17 on key k1 by process 4 [event 0,
// ...]". Empty when the operation needs no value, or needs nil and nothing writes nil.
RegisterProof quote_register_writers(std::span<const Operation> ops, std::uint32_t stuck,
                                     std::span<const Operation> failed,
                                     const std::map<std::uint64_t, std::string>& errors,
                                     bool has_times);

// One operation quoted for an explanation, e.g.
//   "read on key k1 by process 0 returned 19 [event 114, 0.426s to 0.434s, ok]"
//   "cas [473 474] on key k1 by process 3 [event 812, 1.201s to 1.250s, reported failed (cas
//    mismatch)]"
// `error` is the failure's reason, used when the operation failed.
std::string quote_operation(const Operation& op, bool has_times, const std::string& error = "");

}  // namespace capsim
