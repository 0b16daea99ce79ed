// Histories of a correct key-value store, made up for tests and benchmarks of the checkers.
//
// Client processes run read / write / cas operations on random keys with random overlaps. The
// generator plays a linearizable store: each operation takes effect at one instant strictly
// between its invoke and its completion, so every history it makes is linearizable (under the
// kv model) by construction. Written values are unique (1, 2, 3, ...).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/history.h"
#include "sim/rng.h"

namespace capsim {

struct KvHistorySpec {
  std::size_t operations = 1000;  // operations invoked
  std::size_t keys = 10;          // keys "k0", "k1", ...
  std::size_t processes = 10;     // processes running at once
  // Operations (per thousand) that end with info: half of them took effect, half did not. The
  // process then retires and a new one (id + processes) takes its place, as in Jepsen.
  std::uint32_t info_per_mille = 0;
  bool with_cas = true;  // cas [expected new]; one that finds another value completes with fail
};

// Generates a history. Requires: keys > 0 and processes > 0.
History generate_kv_history(Rng& rng, const KvHistorySpec& spec);

}  // namespace capsim
