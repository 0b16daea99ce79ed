#include "tools/commands/bench.h"

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>

#include "nodes/register_protocols.h"
#include "sim/simulation.h"
#include "tools/bench/bench_protocols.h"
#include "tools/bench/bench_scenarios.h"
#include "tools/bench/queue_bench.h"
#include "tools/bench_check/checker_bench.h"
#include "tools/bench_check/delivery_bench.h"

namespace capsim::tools {
namespace {

constexpr std::uint64_t kFanout = 4;
constexpr std::uint32_t kIdleNodes = 1000;

Scenario bench_scenario(const ProtocolRegistry& registry, std::string_view protocol,
                        std::uint32_t nodes, std::uint64_t seed) {
  Scenario scenario;
  scenario.path = "(bench)";
  scenario.name = "bench";
  scenario.seed = seed;
  scenario.cluster.nodes = nodes;
  scenario.cluster.protocol = std::string(protocol);
  scenario.cluster.options = default_options(*registry.find(scenario.cluster.protocol));
  scenario.workload.clients = 0;
  scenario.network.defaults.delay = DelayModel(DelayComponent{DelayShape::kUniform, 1ms, 500us});
  return scenario;
}

// "12.3M" for rates a person compares at a glance.
std::string millions(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fM", value / 1e6);
  return buffer;
}

struct Throughput {
  std::uint64_t events = 0;
  std::uint64_t messages = 0;
  double seconds = 0;      // wall time
  double cpu_seconds = 0;  // user + system time: tells a busy machine from a slow engine
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

Throughput measure_forwarding(const ProtocolRegistry& registry, std::uint32_t nodes,
                              std::uint64_t messages, std::uint64_t seed) {
  Scenario scenario = bench_scenario(registry, bench::kForwardProtocol, nodes, seed);
  const std::uint64_t chains = static_cast<std::uint64_t>(nodes) * kFanout;
  const std::uint64_t hops = messages / chains > 0 ? messages / chains - 1 : 0;
  scenario.cluster.options.set("fanout", static_cast<std::int64_t>(kFanout));
  scenario.cluster.options.set("hops", static_cast<std::int64_t>(hops));
  // Every chain ends within (hops + 1) latencies of at most 1.5ms; a second more is slack.
  scenario.duration = Duration{static_cast<std::int64_t>(hops + 1) * 1'500'000} + 1s;

  Simulation simulation(scenario, registry, nullptr);
  simulation.disable_trace();
  // The run is bounded by the messages it was asked to send (one event each, and one start
  // event a node); --messages may ask for more than the default budget.
  simulation.set_limits(RunLimits::for_events(
      std::max(RunLimits::kDefaultMaxEvents, 2 * messages + 2 * nodes)));
  const double cpu_started = cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  const RunResult result = simulation.run();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  return Throughput{result.events, result.messages.sent, wall.count(), cpu_seconds() - cpu_started};
}

// Heap bytes per node of a started cluster of idle nodes: what the engine keeps for each
// node (its state, random stream, disk, timers) plus the node object itself.
double idle_node_bytes(const ProtocolRegistry& registry, std::uint64_t seed) {
  Scenario scenario = bench_scenario(registry, bench::kIdleProtocol, kIdleNodes, seed);
  scenario.duration = Duration{0};
  const std::size_t before = mallinfo2().uordblks;
  Simulation simulation(scenario, registry, nullptr);
  simulation.disable_trace();
  // The result stays alive while measuring: its per-node vectors are part of a run's cost.
  const RunResult result = simulation.run();
  const std::size_t after = mallinfo2().uordblks;
  const double grown = after > before ? static_cast<double>(after - before) : 0.0;
  return grown / kIdleNodes;
}

std::string pad_left(std::string text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

bool wants(const BenchOptions& options, std::string_view part) {
  for (const std::string& p : options.parts) {
    if (p == part) return true;
  }
  return false;
}

void bench_engine(const BenchOptions& options, std::ostream& out) {
  ProtocolRegistry registry;
  bench::register_bench_protocols(registry);
  out << "engine: bench-forward, uniform 1ms +- 0.5ms links, no clients, trace off, seed "
      << options.seed << "\n";
  out << pad_left("nodes", 8) << pad_left("events", 12) << pad_left("messages", 12)
      << pad_left("wall", 9) << pad_left("cpu", 9) << pad_left("events/s", 11)
      << pad_left("messages/s", 12) << "\n";
  for (std::uint32_t nodes : options.nodes) {
    const Throughput t = measure_forwarding(registry, nodes, options.messages, options.seed);
    const double seconds = t.seconds > 0 ? t.seconds : 1e-9;
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.2fs", t.seconds);
    char cpu[32];
    std::snprintf(cpu, sizeof cpu, "%.2fs", t.cpu_seconds);
    out << pad_left(std::to_string(nodes), 8) << pad_left(std::to_string(t.events), 12)
        << pad_left(std::to_string(t.messages), 12) << pad_left(wall, 9) << pad_left(cpu, 9)
        << pad_left(millions(static_cast<double>(t.events) / seconds), 11)
        << pad_left(millions(static_cast<double>(t.messages) / seconds), 12) << "\n";
  }

  const double per_node = idle_node_bytes(registry, options.seed);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  char line[128];
  std::snprintf(line, sizeof line, "peak memory: %.1f MiB\n",
                static_cast<double>(usage.ru_maxrss) / 1024.0);
  out << line;
  std::snprintf(line, sizeof line,
                "memory per idle node: %.0f bytes (%u started bench-idle nodes)\n", per_node,
                kIdleNodes);
  out << line;
}

void bench_checker(const BenchOptions& options, std::ostream& out) {
  CheckerBenchOptions checker;
  checker.corpus_dir = options.corpus_dir.empty() ? default_corpus_dir() : options.corpus_dir;
  checker.seed = options.seed;
  out << "checker: linearizability, fastest of " << checker.repeats << " repeats\n";
  out << format_checker_bench(run_checker_bench(checker));
}

void bench_delivery(const BenchOptions& options, std::ostream& out) {
  DeliveryBenchOptions delivery;
  delivery.seed = options.seed;
  delivery.messages = options.delivery_messages;
  out << "delivery: the delivery check on a generated queue history, fastest of "
      << delivery.repeats << " repeats\n";
  out << format_delivery_bench(run_delivery_bench(delivery));
}

void bench_queue(const BenchOptions& options, std::ostream& out) {
  ProtocolRegistry registry;
  register_protocols(registry);
  out << "queue: broker on 3 nodes (n1 serves), 4 producers at 2000 messages/s in all, 4 "
         "consumers, 60s of publishing, trace hashed, seed "
      << options.seed << "\n";
  out << format_queue_bench(run_queue_bench(registry, options.seed));
}

void bench_scenario_files(const BenchOptions& options, std::ostream& out) {
  const std::string dir =
      options.scenarios_dir.empty() ? default_bench_scenarios_dir() : options.scenarios_dir;
  const std::vector<std::string> files = scenario_files_under(dir);
  out << "scenarios: " << files.size() << " files under " << dir
      << ", trace hashed not written, no checkers, fastest of 3 repeats\n";
  out << format_scenario_bench(bench_scenarios(files, 3));
}

}  // namespace

std::string default_corpus_dir() { return std::string(CAPSIM_SOURCE_DIR) + "/../shared/corpus"; }

std::string default_bench_scenarios_dir() {
  return std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap";
}

int bench_command(const BenchOptions& options, std::ostream& out, std::ostream& err) {
  if (options.parts.empty()) {
    err << "capsim bench: error: --parts needs at least one part\n";
    return 2;
  }
  for (const std::string& part : options.parts) {
    if (part != "engine" && part != "checker" && part != "scenarios" && part != "delivery" &&
        part != "queue") {
      err << "capsim bench: error: --parts: unknown part '" << part
          << "' (expected engine, checker, scenarios, delivery or queue)\n";
      return 2;
    }
  }
  if (options.nodes.empty()) {
    err << "capsim bench: error: --nodes needs at least one node count\n";
    return 2;
  }
  for (std::uint32_t nodes : options.nodes) {
    if (nodes == 0 || nodes > 1'000'000) {
      err << "capsim bench: error: --nodes: " << nodes << " is out of range (1 to 1000000)\n";
      return 2;
    }
  }
  if (wants(options, "engine")) bench_engine(options, out);
  if (wants(options, "checker")) bench_checker(options, out);
  if (wants(options, "scenarios")) bench_scenario_files(options, out);
  if (wants(options, "delivery")) bench_delivery(options, out);
  if (wants(options, "queue")) bench_queue(options, out);
  return 0;
}

}  // namespace capsim::tools
