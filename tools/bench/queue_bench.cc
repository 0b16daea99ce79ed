#include "tools/bench/queue_bench.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "sim/check/delivery.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"

namespace capsim::tools {
namespace {

double cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Wall and CPU seconds of `work`.
template <class F>
void timed(F&& work, double& wall, double& cpu) {
  const double cpu_started = cpu_now();
  const auto started = std::chrono::steady_clock::now();
  work();
  wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  cpu = cpu_now() - cpu_started;
}

}  // namespace

std::string queue_bench_scenario(std::uint64_t seed) {
  return "name: bench-queue\n"
         "description: the queue benchmark\n"
         "seed: " + std::to_string(seed) + "\n"
         "duration: 65s\n"
         "cluster: {nodes: 3, protocol: broker, options: {queues: [orders]}}\n"
         "workload:\n"
         "  name: queue\n"
         "  queues: [orders]\n"
         "  producers: 4\n"
         "  consumers: 4\n"
         "  rate: 2000/s\n"
         "  timeout: 500ms\n"
         "  route: leader\n"
         "  consume: {batch: 10, poll_interval: 5ms, process: 100us, ack: after-process}\n"
         "  quiet: 5s\n"
         "network: {delay: {latency: 200us, jitter: 100us}}\n";
}

QueueBenchResult run_queue_bench(const ProtocolRegistry& registry, std::uint64_t seed) {
  QueueBenchResult out;
  LoadResult loaded = load_scenario_text(queue_bench_scenario(seed), "(bench queue)", registry);
  if (!loaded.scenario) {
    out.error = loaded.diagnostics.format();
    return out;
  }
  RunResult run;
  timed([&] {
    Simulation simulation(*loaded.scenario, registry, nullptr);
    run = simulation.run();
  }, out.run_wall_seconds, out.run_cpu_seconds);
  out.events = run.events;
  out.messages = run.messages.sent;
  out.history_events = run.history.size();
  CheckResult checked;
  timed([&] { checked = check_delivery(run.history); }, out.check_wall_seconds,
        out.check_cpu_seconds);
  out.verdict = std::string(check_verdict_name(checked.verdict));
  const auto acknowledged = checked.metrics.find("acknowledged");
  if (acknowledged != checked.metrics.end()) {
    out.messages_published = static_cast<std::uint64_t>(acknowledged->second);
  }
  return out;
}

std::string format_queue_bench(const QueueBenchResult& r) {
  if (!r.error.empty()) return "  the scenario did not load:\n" + r.error;
  char line[256];
  std::string text;
  std::snprintf(line, sizeof line,
                "  run    %llu events, %llu network messages, %llu history events, %llu "
                "messages acknowledged\n",
                static_cast<unsigned long long>(r.events),
                static_cast<unsigned long long>(r.messages),
                static_cast<unsigned long long>(r.history_events),
                static_cast<unsigned long long>(r.messages_published));
  text += line;
  std::snprintf(line, sizeof line, "  run    wall %.2fs  cpu %.2fs  (%.1fM events/s of cpu)\n",
                r.run_wall_seconds, r.run_cpu_seconds,
                r.run_cpu_seconds > 0 ? static_cast<double>(r.events) / r.run_cpu_seconds / 1e6
                                      : 0.0);
  text += line;
  std::snprintf(line, sizeof line, "  check  wall %.2fs  cpu %.2fs  delivery %s\n",
                r.check_wall_seconds, r.check_cpu_seconds, r.verdict.c_str());
  text += line;
  return text;
}

}  // namespace capsim::tools
