// Timing of the delivery check, for `capsim bench --parts delivery`: a generated history of a
// correct queue (sim/check/queue_history_generator.h), 1,000,000 messages by default.
//
// Generating the history is not timed; only check_delivery() is, fastest of `repeats` runs,
// wall-clock and CPU time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace capsim {

struct DeliveryBenchOptions {
  std::uint64_t seed = 1;
  std::size_t messages = 1'000'000;
  int repeats = 3;
};

struct DeliveryBenchResult {
  std::size_t messages = 0;
  std::size_t events = 0;
  std::string verdict;     // of the default guarantees: pass for a correct queue
  double lost = 0;         // should be 0
  double duplicated = 0;   // the redelivered messages
  double wall_seconds = 0;  // the fastest repeat
  double cpu_seconds = 0;
};

DeliveryBenchResult run_delivery_bench(const DeliveryBenchOptions& options);

// One header line and one result line.
std::string format_delivery_bench(const DeliveryBenchResult& result);

}  // namespace capsim
