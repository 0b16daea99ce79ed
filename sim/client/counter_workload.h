// The `counter` workload: each key k1..kK holds a count, from 0. `increment` adds 1; `read`
// returns the count (nil before the first increment, which counts as 0). Increments are all
// alike, so a lost one shows only in the total: a later count below the number of acknowledged
// increments (sim/check/lost_writes.h).
#pragma once

#include <map>
#include <string>

#include "sim/client/workload.h"

namespace capsim {

class CounterWorkload final : public Workload {
 public:
  explicit CounterWorkload(const WorkloadSpec& spec);
  KvOperation next(Rng& rng, const std::map<std::string, Value>& observed) override;

 private:
  const WorkloadSpec& spec_;
};

}  // namespace capsim
