// Convergence: when a run ends, every live replica holds the same state.
//
// Replicas report their state as a digest (Node::state_digest()): equal digests mean equal
// states. A key-value replica's digest lists its keys in order, "k1=3;k2=7", so when two
// digests differ the first key on which they differ says how.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/check_result.h"

namespace capsim {

// The check named "convergence". Node i (named "n<i+1>") is live when up_at_end[i] is true;
// entries missing from either vector count as down. Among the live replicas, the reference state
// is the digest held by the most of them (on a tie, the one of the lowest-numbered node); every
// live replica with another digest is divergent.
//
// Verdict: kPass when all live replicas agree, kFail otherwise, kNotApplicable when fewer than
// two replicas are live (the explanation says how many were). Metrics: `live_nodes`,
// `divergent_nodes`, `distinct_states`. Evidence: the live replicas compared, at least
// kMinimumLiveReplicas.
//
// Explanation (on failure): a line naming the divergent replicas, then one per divergent replica
// naming the first key on which it differs, e.g.
//   "n3 differs from n1 on k2: n1 has k2=7, n3 has k2=5."
//   "n3 differs from n1 on k3: n1 has k3=2, n3 has no k3."
// A digest that is not a list of key=value entries is quoted whole instead.
// details_json: {"live": ["n1", ...], "down": [...], "reference": "n1", "divergent":
// [{"node": "n3", "key": "k2" (null when unparsed), "reference_value": "7" (null when absent),
// "value": "5" (null when absent)}]}.
CheckResult check_convergence(const std::vector<std::string>& final_digests,
                              const std::vector<bool>& up_at_end, std::uint32_t nodes);

inline constexpr std::size_t kMinimumLiveReplicas = 2;

// The kNotApplicable result for a cluster whose replicas' digests cannot be compared at all
// (they hold different keys by design), with `why` as the explanation; `live_nodes` is still
// reported.
CheckResult convergence_not_comparable(std::uint32_t live_nodes, const std::string& why);

}  // namespace capsim
