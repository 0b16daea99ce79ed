#include "sim/client/retry_backoff.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {

Duration retry_backoff(const RetrySpec& spec, std::uint32_t retry, Rng& rng) {
  CAPSIM_ASSERT(spec.policy != RetryPolicy::kNone && retry >= 1);
  if (spec.policy == RetryPolicy::kFixed) return spec.base;
  // Doubling stops at the cap, so the product never overflows.
  Duration ceiling = spec.base;
  for (std::uint32_t i = 1; i < retry && ceiling < spec.cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, spec.cap);
  if (spec.policy == RetryPolicy::kExponential) return ceiling;
  return Duration{static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(ceiling.count()) + 1))};
}

}  // namespace capsim
