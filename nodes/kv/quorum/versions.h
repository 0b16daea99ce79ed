// The versions a replica keeps for one key, and the rules that reconcile two sets of them.
//
// conflict=lww       a key holds one version; of two, the one with the later timestamp (the
//                    coordinator's clock, ctx.now(), when it made the version) wins, ties broken
//                    by dot. A coordinator whose clock runs behind makes versions that lose to
//                    older ones: the write is acknowledged and yet never visible.
// conflict=siblings  a key holds every version that no other version supersedes (a version
//                    supersedes another when its context covers the other's dot, see
//                    vector_clock.h). Versions written without knowledge of each other are kept
//                    side by side as siblings until a write whose context covers them all.
//
// What a read returns when a key has siblings (resolve_value):
//   - if every sibling is a set (a list, the set workload's representation) or nil: their
//     union, so concurrent `add`s are all kept;
//   - otherwise (registers, counters): the value of the sibling that wins under the lww rule
//     (latest timestamp, then highest dot). Concurrent writes or increments other than that one
//     are then lost as soon as a write based on this read supersedes all the siblings.
#pragma once

#include <string>
#include <vector>

#include "nodes/kv/quorum/vector_clock.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim::quorum {

enum class ConflictMode { kLww, kSiblings };

struct Version {
  Value value;
  Dot dot;              // the write that made it: unique across the run
  VectorClock context;  // siblings mode: what the coordinator had read (empty under lww)
  Time stamp{0};        // the coordinator's clock when it made the version

  // "7@n1:3 t=1.250s" (plus " ctx {n2:1}" when the context is not empty).
  std::string describe() const;
  friend bool operator==(const Version&, const Version&) = default;
};

// A key's versions, sorted by dot, no two with the same dot. Under lww at most one.
using Versions = std::vector<Version>;

// True if `a` wins over `b` under last-writer-wins: later stamp, then higher dot.
bool lww_newer(const Version& a, const Version& b);

// The versions that survive when a replica holding `current` learns `incoming`.
Versions reconcile(const Versions& current, const Versions& incoming, ConflictMode mode);

// True if both hold the same versions (the same dots).
bool same_versions(const Versions& a, const Versions& b);

// The value a read returns; nil for no versions. See the rules above.
Value resolve_value(const Versions& versions);

// The clock a write based on `versions` takes as its context: it supersedes all of them.
VectorClock context_of(const Versions& versions);

// A deterministic 64-bit summary (FNV-1a of the encoding), equal for equal version sets.
std::uint64_t versions_hash(const Versions& versions);

// "7@n1:3 t=1.250s" or "{5@n1:2 ... | 6@n2:1 ...}" for siblings; "none" when empty.
std::string describe(const Versions& versions);

}  // namespace capsim::quorum
