// The `kv` workload: read / write / cas operations over keys k1..kK, drawn with the scenario's
// weights. Written values are unique across the run (1, 2, 3, ...), so a checker can always
// tell which write a read observed.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/client/workload.h"

namespace capsim {

// One per run, shared by its clients, so written values stay unique across clients.
class KvWorkload final : public Workload {
 public:
  explicit KvWorkload(const WorkloadSpec& spec);

  // A cas expects the value the client last saw of its key (or, if none, one of the values
  // written so far), so a cas has a fair chance to succeed.
  KvOperation next(Rng& rng, const std::map<std::string, Value>& observed) override;

 private:
  const WorkloadSpec& spec_;
  std::int64_t last_value_ = 0;
};

}  // namespace capsim
