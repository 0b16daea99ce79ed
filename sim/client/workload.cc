#include "sim/client/workload.h"

#include "sim/assert.h"
#include "sim/client/counter_workload.h"
#include "sim/client/kv_workload.h"
#include "sim/client/set_workload.h"

namespace capsim {

std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec) {
  if (spec.name == "set") return std::make_unique<SetWorkload>(spec);
  if (spec.name == "counter") return std::make_unique<CounterWorkload>(spec);
  CAPSIM_ASSERT(spec.name == "kv");
  return std::make_unique<KvWorkload>(spec);
}

KvOperation draw_operation(const WorkloadSpec& spec, Rng& rng) {
  std::uint64_t total_weight = 0;
  for (const auto& [name, weight] : spec.mix) total_weight += weight;
  CAPSIM_ASSERT(total_weight > 0 && spec.keys > 0);
  KvOperation op;
  std::uint64_t pick = rng.below(total_weight);
  for (const auto& [name, weight] : spec.mix) {
    if (pick < weight) {
      op.f = name;
      break;
    }
    pick -= weight;
  }
  op.key = "k" + std::to_string(rng.below(spec.keys) + 1);
  return op;
}

}  // namespace capsim
