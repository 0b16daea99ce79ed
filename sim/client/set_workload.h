// The `set` workload: each key k1..kK holds a set of integers. `add` adds an element never added
// before (1, 2, 3, ... across every key and client of the run), so each element names the one
// operation that added it; `read` returns the key's whole set, as a sorted list (nil while
// empty). A lost acknowledged add shows as an element missing from a later read
// (sim/check/lost_writes.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/client/workload.h"

namespace capsim {

// One per run, shared by its clients, so elements stay unique across clients.
class SetWorkload final : public Workload {
 public:
  explicit SetWorkload(const WorkloadSpec& spec);
  KvOperation next(Rng& rng, const std::map<std::string, Value>& observed) override;

 private:
  const WorkloadSpec& spec_;
  std::int64_t last_element_ = 0;
};

}  // namespace capsim
