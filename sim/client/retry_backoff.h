// How long a producer waits before retrying a message (workload.retry, sim/scenario.h).
#pragma once

#include <cstdint>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

// The wait before retry number `retry` (1 for the second attempt) under `spec`: base (fixed),
// min(cap, base * 2^(retry-1)) (exponential), or a uniform draw in [0, that] (full-jitter,
// one draw from `rng`). Requires: spec.policy is not kNone, retry >= 1.
Duration retry_backoff(const RetrySpec& spec, std::uint32_t retry, Rng& rng);

}  // namespace capsim
