// The `kv` workload: read / write / cas operations over keys k1..kK, drawn with the scenario's
// weights. Written values are unique across the run (1, 2, 3, ...), so a checker can always
// tell which write a read observed.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/value.h"

namespace capsim {

struct KvOperation {
  std::string f;    // "read", "write", "cas"
  std::string key;  // "k1"
  Value value;      // write: v; cas: [expected new]; read: nil
};

// One per run, shared by its clients, so written values stay unique across clients.
class KvWorkload {
 public:
  explicit KvWorkload(const WorkloadSpec& spec);

  // The next operation for a client. `observed` holds the last value that client saw per key
  // (cas expects it, so a cas has a fair chance to succeed).
  KvOperation next(Rng& rng, const std::map<std::string, Value>& observed);

 private:
  const WorkloadSpec& spec_;
  std::uint64_t total_weight_ = 0;
  std::int64_t last_value_ = 0;
};

}  // namespace capsim
