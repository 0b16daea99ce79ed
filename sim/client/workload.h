// What simulated clients ask for: one workload per run draws every client's next operation.
//
// Each workload offers a few operations ("f") over keys k1..kK and draws them with the weights of
// the scenario's `mix`. Values written are unique across the run, so a checker can always tell
// which operation put what it sees. The workloads (names as a scenario writes them):
//   kv       read / write v / cas [expected new]           (kv_workload.h)
//   set      add e (a new element) / read (the whole set)  (set_workload.h)
//   counter  increment 1 / read (the count)                (counter_workload.h)
// What an operation does to a key is the protocols' business (nodes/kv/common/kv_operations.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/value.h"

namespace capsim {

struct KvOperation {
  std::string f;    // "read", "write", "cas", "add", "increment"
  std::string key;  // "k1"
  Value value;      // write: v; cas: [expected new]; add: e; increment: 1; read: nil
};

class Workload {
 public:
  virtual ~Workload() = default;
  // The next operation for a client. `observed` holds the last value that client saw per key
  // (a cas expects it, so a cas has a fair chance to succeed).
  virtual KvOperation next(Rng& rng, const std::map<std::string, Value>& observed) = 0;
};

// The workload `spec.name` names. Requires: the name is one of known_workloads() (the loader
// checks it), spec.keys >= 1 and the mix has a positive total weight; `spec` outlives it.
std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec);

// Draws an operation name from `mix` with probability proportional to its weight, and a key
// k1..kK uniformly: the first two draws of every workload. Requires: a positive total weight.
KvOperation draw_operation(const WorkloadSpec& spec, Rng& rng);

}  // namespace capsim
