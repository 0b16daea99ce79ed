#include "sim/client/kv_workload.h"

namespace capsim {

KvWorkload::KvWorkload(const WorkloadSpec& spec) : spec_(spec) {}

KvOperation KvWorkload::next(Rng& rng, const std::map<std::string, Value>& observed) {
  KvOperation op = draw_operation(spec_, rng);
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
