// The `queue` part of `capsim bench`: one run of the broker (three nodes, replication none, so
// n1 serves and the others redirect) with four producers publishing 2,000 messages a second in
// all and four consumers (batches of 10, 0.1ms processing, ack after processing) for 60
// simulated seconds, the trace hashed as `capsim run` does, then the delivery check on its
// history. It reports events, messages, history events, wall and CPU time of the run and of the
// check, and the check's verdict.
#pragma once

#include <cstdint>
#include <string>

#include "sim/protocol_registry.h"

namespace capsim::tools {

struct QueueBenchResult {
  std::uint64_t events = 0;
  std::uint64_t messages = 0;         // network messages sent
  std::uint64_t history_events = 0;
  std::uint64_t messages_published = 0;  // send attempts acknowledged
  double run_wall_seconds = 0;
  double run_cpu_seconds = 0;
  double check_wall_seconds = 0;
  double check_cpu_seconds = 0;
  std::string verdict;                // the delivery check's
  std::string error;                  // the scenario did not load (a defect)
};

// The scenario, as YAML: what `capsim run` would be given.
std::string queue_bench_scenario(std::uint64_t seed);

QueueBenchResult run_queue_bench(const ProtocolRegistry& registry, std::uint64_t seed);

std::string format_queue_bench(const QueueBenchResult& result);

}  // namespace capsim::tools
