// Convergence: when a run ends, every live replica holds the same state.
//
// Replicas report their state as a digest (Node::state_digest()): equal digests mean equal
// states. A key-value replica's digest lists its keys in order, "k1=3;k2=7", so when two
// digests differ the first key on which they differ says how.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/node.h"

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

// The check named "convergence" for a protocol that places each key on some nodes only
// (RunResult::key_replicas, from ProtocolInfo::replicas_of): whole-node digests differ there by
// design, so each key is compared across its own live replicas, on its digest entry ("k2=7";
// a replica without the entry lacks the key). A key is judged when at least two of its
// replicas are live and one of them holds it; the others are listed as not judged, with why.
//
// Verdict: kFail when some judged key's live replicas hold different entries; kPass when every
// judged key agrees and at least one key was judged; kNotApplicable, with the reason first,
// when none was; kUnknown when a live digest is not a list of key=value entries. Metrics:
// `live_nodes`, `keys_judged` (the evidence), `divergent_keys`, `divergent_nodes` (replicas
// that differ from their key's most common entry on some key).
//
// Explanation (on failure): a line naming the divergent keys, then one per key naming its
// replicas and what each live one holds, the most common value first, e.g.
//   "k2 on its replicas n1, n3 and n4: n1 and n3 have k2=7, n4 has k2=5."
//   "k3 on its replicas n2, n4 and n5 (n5 down): n2 has k3=1, n4 has no k3."
// details_json: {"per_key": true, "live": [...], "down": [...], "keys_judged": N, "divergent":
// [{"key", "replicas", "down", "values": {"n1": "7", "n4": null}}], "not_judged": {"k": "why"}}
// (at most 100 keys each).
CheckResult check_key_convergence(const std::vector<std::string>& final_digests,
                                  const std::vector<bool>& up_at_end, std::uint32_t nodes,
                                  const std::map<std::string, std::vector<NodeId>>& key_replicas);

// A key-value digest ("k1=3;k2=7") as key -> value; none when an entry has no '=' or a key
// repeats.
std::optional<std::map<std::string, std::string>> digest_entries(const std::string& digest);

}  // namespace capsim
