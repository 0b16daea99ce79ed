#include "sim/run_summary.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {
namespace {

// kFail is a refusal; kAnsweredFail a fail that was a definite answer (HistoryEvent::answered).
enum class Outcome { kPending, kOk, kFail, kAnsweredFail, kInfo };

// One client operation: its invoke joined with its completion, if any.
struct Operation {
  std::string f;
  std::uint64_t process = 0;
  std::string node;  // the node the invoke was sent to
  Time invoked{0};
  Time completed{0};
  Outcome outcome = Outcome::kPending;
};

std::vector<Operation> pair_operations(const History& history) {
  std::vector<Operation> operations;
  std::map<std::uint64_t, std::size_t> open;  // process -> index in `operations`
  for (const HistoryEvent& event : history.events()) {
    if (event.type == OpType::kInvoke) {
      // A second invoke on a process that still has one open would break the history's
      // contract; the older one then stays pending rather than being matched twice.
      open[event.process] = operations.size();
      operations.push_back(
          Operation{event.f, event.process, event.node, event.time, Time{0}, Outcome::kPending});
      continue;
    }
    auto found = open.find(event.process);
    if (found == open.end()) continue;
    Operation& operation = operations[found->second];
    operation.completed = event.time;
    switch (event.type) {
      case OpType::kOk: operation.outcome = Outcome::kOk; break;
      case OpType::kFail:
        operation.outcome = event.answered ? Outcome::kAnsweredFail : Outcome::kFail;
        break;
      default: operation.outcome = Outcome::kInfo; break;
    }
    open.erase(found);
  }
  return operations;
}

void count(OpCounts& counts, Outcome outcome) {
  ++counts.invoked;
  switch (outcome) {
    case Outcome::kPending: ++counts.pending; break;
    case Outcome::kOk: ++counts.ok; break;
    case Outcome::kFail: ++counts.fail; break;
    case Outcome::kAnsweredFail:
      ++counts.fail;
      ++counts.answered_fail;
      break;
    case Outcome::kInfo: ++counts.info; break;
  }
}

bool in_window(const PartitionWindow& window, Time t) {
  return t >= window.start && (!window.end || t < *window.end);
}

// Whether client `client` (0-based) stands on side `side` of `window`: where the partition
// named it, else where its home node is.
bool client_on_side(const PartitionWindow& window, std::size_t side, std::uint32_t client,
                    const std::vector<NodeId>& client_homes) {
  const auto named = window.named_clients.find(client);
  if (named != window.named_clients.end()) {
    return std::find(named->second.begin(), named->second.end(), side) != named->second.end();
  }
  const std::vector<NodeId>& nodes = window.sides[side];
  return std::find(nodes.begin(), nodes.end(), client_homes[client]) != nodes.end();
}

WindowAvailability window_availability(const PartitionWindow& window,
                                       const std::vector<Operation>& operations,
                                       std::uint32_t cluster_size,
                                       const std::vector<NodeId>& client_homes) {
  WindowAvailability result{window.start, window.end, window.description, {}};
  const auto clients = static_cast<std::uint32_t>(client_homes.size());
  for (std::size_t s = 0; s < window.sides.size(); ++s) {
    SideAvailability side_result;
    for (NodeId id : window.sides[s]) side_result.nodes.push_back(actor_name(id, cluster_size));
    std::vector<bool> on_side(clients, false);
    for (std::uint32_t c = 0; c < clients; ++c) {
      on_side[c] = client_on_side(window, s, c, client_homes);
      if (on_side[c]) side_result.clients.push_back(actor_name(cluster_size + c, cluster_size));
    }
    for (const Operation& operation : operations) {
      if (!in_window(window, operation.invoked)) continue;
      // By the client's side when the placement is known (a client's process ids are its index
      // plus multiples of the client count, kv_client.h); else by the node it was sent to.
      const bool counted =
          clients > 0 ? on_side[operation.process % clients]
                      : std::find(side_result.nodes.begin(), side_result.nodes.end(),
                                  operation.node) != side_result.nodes.end();
      if (!counted) continue;
      ++side_result.invoked;
      if (operation.outcome == Outcome::kOk) ++side_result.ok;
      if (operation.outcome == Outcome::kAnsweredFail) ++side_result.answered_fail;
    }
    result.sides.push_back(std::move(side_result));
  }
  return result;
}

LatencySummary latency_of(const std::vector<Operation>& operations) {
  std::vector<Duration> latencies;
  for (const Operation& operation : operations) {
    if (operation.outcome == Outcome::kOk)
      latencies.push_back(operation.completed - operation.invoked);
  }
  LatencySummary result;
  result.count = latencies.size();
  if (latencies.empty()) return result;
  std::sort(latencies.begin(), latencies.end());
  result.p50 = nearest_rank(latencies, 50);
  result.p99 = nearest_rank(latencies, 99);
  result.max = latencies.back();
  return result;
}

bool is_shell_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_-./=:,+%@").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<double> availability(std::uint64_t answered, std::uint64_t invoked) {
  if (invoked == 0) return std::nullopt;
  return static_cast<double>(answered) / static_cast<double>(invoked);
}

std::optional<double> availability(const OpCounts& counts) {
  return availability(counts.answered(), counts.invoked);
}

Duration nearest_rank(const std::vector<Duration>& sorted, unsigned percent) {
  CAPSIM_ASSERT(!sorted.empty() && percent > 0 && percent <= 100);
  const std::uint64_t n = sorted.size();
  const std::uint64_t rank = (percent * n + 99) / 100;  // ceil(percent * n / 100), at least 1
  return sorted[std::max<std::uint64_t>(rank, 1) - 1];
}

std::size_t nearest_rank_position(std::size_t n, unsigned permille) {
  CAPSIM_ASSERT(n > 0 && permille > 0 && permille <= 1000);
  const std::uint64_t rank = (std::uint64_t{permille} * n + 999) / 1000;  // at least 1
  return static_cast<std::size_t>(rank - 1);
}

WindowAvailability partition_availability(const History& history, const PartitionWindow& window,
                                          std::uint32_t cluster_size,
                                          const std::vector<NodeId>& client_homes) {
  return window_availability(window, pair_operations(history), cluster_size, client_homes);
}

LatencySummary latency_between(const History& history, Time from, std::optional<Time> to) {
  std::vector<Operation> in_range;
  for (Operation& operation : pair_operations(history)) {
    if (operation.invoked >= from && (!to || operation.invoked < *to)) {
      in_range.push_back(std::move(operation));
    }
  }
  return latency_of(in_range);
}

std::vector<OpCounts> operations_per_window(const History& history, Duration width, Time end) {
  CAPSIM_ASSERT(width > Duration{0});
  const std::size_t covering =
      end > Time{0} ? static_cast<std::size_t>((end - Time{1}) / width) + 1 : 0;
  std::vector<OpCounts> windows(covering);
  for (const Operation& operation : pair_operations(history)) {
    if (operation.invoked < Time{0}) continue;
    const auto slot = static_cast<std::size_t>(operation.invoked / width);
    if (slot >= windows.size()) windows.resize(slot + 1);
    count(windows[slot], operation.outcome);
  }
  return windows;
}

std::map<std::string, OpCounts> operations_per_f(const History& history) {
  std::map<std::string, OpCounts> by_f;
  for (const Operation& operation : pair_operations(history)) {
    count(by_f[operation.f], operation.outcome);
  }
  return by_f;
}

std::string shell_quote(const std::string& word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), is_shell_safe)) return word;
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted.push_back(c);
    }
  }
  return quoted + "'";
}

std::string reproduce_command(const std::string& path, std::uint64_t seed,
                              const std::vector<std::string>& sets) {
  std::string command = "capsim run " + shell_quote(path) + " --seed " + std::to_string(seed);
  for (const std::string& set : sets) command += " --set " + shell_quote(set);
  return command;
}

RunSummary summarize_run(const Scenario& scenario, const RunResult& result,
                         const std::vector<std::string>& sets) {
  RunSummary summary;
  summary.scenario_name = scenario.name;
  summary.scenario_path = scenario.path;
  summary.seed = scenario.seed;
  summary.duration = scenario.duration;
  summary.protocol = scenario.cluster.protocol;
  summary.options = scenario.cluster.options.describe();
  summary.nodes = scenario.cluster.nodes;
  summary.clients = scenario.workload.clients;

  const std::vector<Operation> operations = pair_operations(result.history);
  for (const Operation& operation : operations) {
    count(summary.operations, operation.outcome);
    count(summary.operations_by_f[operation.f], operation.outcome);
  }
  for (const PartitionWindow& window : result.partitions) {
    summary.partitions.push_back(
        window_availability(window, operations, scenario.cluster.nodes, result.client_homes));
  }
  summary.latency = latency_of(operations);
  // Reads and writes differ by design (a local read against a replicated write), so each kind
  // gets its own percentiles.
  std::map<std::string, std::vector<Operation>> by_f;
  for (const Operation& operation : operations) by_f[operation.f].push_back(operation);
  for (const auto& [f, of_kind] : by_f) summary.latency_by_f[f] = latency_of(of_kind);
  summary.faults = result.faults;
  summary.story = build_story(result, scenario.cluster.nodes);

  summary.messages = result.messages;
  summary.trace_hash = result.trace_hash;
  summary.trace_lines = result.trace_lines;
  summary.events = result.events;
  summary.end_time = result.end_time;
  summary.reproduce = reproduce_command(scenario.path, scenario.seed, sets);
  return summary;
}

}  // namespace capsim
