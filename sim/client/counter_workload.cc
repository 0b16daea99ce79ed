#include "sim/client/counter_workload.h"

namespace capsim {

CounterWorkload::CounterWorkload(const WorkloadSpec& spec) : spec_(spec) {}

KvOperation CounterWorkload::next(Rng& rng, const std::map<std::string, Value>& /*observed*/) {
  KvOperation op = draw_operation(spec_, rng);
  if (op.f == "increment") op.value = 1;
  return op;
}

}  // namespace capsim
