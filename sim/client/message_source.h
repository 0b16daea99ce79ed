// What producers and callers of the queue workload share about the messages they originate:
// when the next one starts, and which queue and key it has.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

// The run's message ids: 1, 2, 3, ... in the order producers take them.
class MessageIds {
 public:
  std::int64_t take() { return next_++; }

 private:
  std::int64_t next_ = 1;
};

// The gap before one producer's next message: exponential with mean producers / rate (the rate
// is messages/s * 1000, for all producers together), so the producers together are a Poisson
// stream at `rate`. Rounded to the nearest nanosecond.
inline Duration next_message_gap(const WorkloadSpec& spec, Rng& rng) {
  const double mean_ns = static_cast<double>(spec.queue.producers) * 1e12 /
                         static_cast<double>(spec.rate_milli_per_second);
  return Duration{std::llround(mean_ns * rng.standard_exponential())};
}

struct MessageAddress {
  std::string queue;
  std::string key;  // "" for none
};

// A new message's queue (uniform over the workload's queues) and key (uniform over k1..kK;
// none when the workload has no keys), drawn in that order.
inline MessageAddress draw_message_address(const WorkloadSpec& spec, Rng& rng) {
  MessageAddress address;
  const std::vector<std::string>& queues = spec.queue.queues;
  address.queue = queues.size() == 1 ? queues.front() : queues[rng.below(queues.size())];
  if (spec.queue.keys > 0) address.key = "k" + std::to_string(1 + rng.below(spec.queue.keys));
  return address;
}

}  // namespace capsim
