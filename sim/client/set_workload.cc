#include "sim/client/set_workload.h"

namespace capsim {

SetWorkload::SetWorkload(const WorkloadSpec& spec) : spec_(spec) {}

KvOperation SetWorkload::next(Rng& rng, const std::map<std::string, Value>& /*observed*/) {
  KvOperation op = draw_operation(spec_, rng);
  if (op.f == "add") op.value = ++last_element_;
  return op;
}

}  // namespace capsim
