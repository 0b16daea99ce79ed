#include "sim/client/kv_workload.h"

#include "sim/assert.h"

namespace capsim {

KvWorkload::KvWorkload(const WorkloadSpec& spec) : spec_(spec) {
  for (const auto& [name, weight] : spec_.mix) total_weight_ += weight;
}

KvOperation KvWorkload::next(Rng& rng, const std::map<std::string, Value>& observed) {
  CAPSIM_ASSERT(total_weight_ > 0 && spec_.keys > 0);
  KvOperation op;
  std::uint64_t pick = rng.below(total_weight_);
  for (const auto& [name, weight] : spec_.mix) {
    if (pick < weight) {
      op.f = name;
      break;
    }
    pick -= weight;
  }
  op.key = "k" + std::to_string(rng.below(spec_.keys) + 1);
  if (op.f == "write") {
    op.value = ++last_value_;
  } else if (op.f == "cas") {
    Value expected;
    if (auto it = observed.find(op.key); it != observed.end() && !it->second.is_nil()) {
      expected = it->second;
    } else {
      // Nothing seen yet: guess one of the values written so far.
      expected = last_value_ == 0 ? 0 : rng.between(1, last_value_);
    }
    op.value = Value::List{expected, Value(++last_value_)};
  }
  return op;
}

}  // namespace capsim
