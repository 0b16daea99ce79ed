#include "tools/bench_check/delivery_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "sim/check/delivery.h"
#include "sim/check/queue_history_generator.h"
#include "sim/rng.h"

namespace capsim {

DeliveryBenchResult run_delivery_bench(const DeliveryBenchOptions& options) {
  Rng rng(options.seed);
  QueueHistorySpec spec;
  spec.messages = options.messages;
  const History history = generate_queue_history(rng, spec);
  DeliveryBenchResult out;
  out.messages = options.messages;
  out.events = history.size();
  for (int r = 0; r < std::max(1, options.repeats); ++r) {
    const auto wall_start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    const CheckResult result = check_delivery(history);
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (r == 0 || wall < out.wall_seconds) {
      out.wall_seconds = wall;
      out.cpu_seconds = cpu;
    }
    out.verdict = std::string(check_verdict_name(result.verdict));
    out.lost = result.metrics.count("lost") ? result.metrics.at("lost") : 0;
    out.duplicated = result.metrics.count("duplicated") ? result.metrics.at("duplicated") : 0;
  }
  return out;
}

std::string format_delivery_bench(const DeliveryBenchResult& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%10zu  %10zu  %7s  %6.0f  %10.0f  %8.4f  %8.4f\n",
                r.messages, r.events, r.verdict.c_str(), r.lost, r.duplicated, r.wall_seconds,
                r.cpu_seconds);
  return "  messages      events  verdict    lost  duplicated    wall s     cpu s\n" +
         std::string(line);
}

}  // namespace capsim
