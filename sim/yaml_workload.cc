// The `workload` section: which workload, how many clients, how they choose and reach nodes,
// and the checks that tie it to the run's duration and to the protocol. The queue workload's
// own keys are read in yaml_queue_workload.cc.
#include <algorithm>
#include <map>

#include "sim/queue_times.h"
#include "sim/scenario_loader.h"
#include "sim/yaml_sections.h"

namespace capsim {
namespace {

constexpr std::int64_t kMaxClients = 10'000;
constexpr std::int64_t kMaxKeys = 100'000;
constexpr std::int64_t kMaxWeight = 1'000'000;

void read_mix(YamlReader& reader, const YamlNode& node, const WorkloadInfo* workload,
              WorkloadSpec& out) {
  if (!reader.expect_map(node)) return;
  if (node.entries.empty()) {
    reader.error(node.pos, "mix needs at least one operation");
    return;
  }
  std::map<std::string, std::uint32_t> weights;  // name order, as WorkloadSpec promises
  std::uint64_t total = 0;
  bool ok = true;
  for (const auto& entry : node.entries) {
    if (workload != nullptr) {
      const auto& ops = workload->operations;
      if (std::find(ops.begin(), ops.end(), entry.key) == ops.end()) {
        reader.error(entry.key_pos,
                     unknown_word_message(workload->name + " operation", entry.key, ops));
        ok = false;
        continue;
      }
    }
    std::int64_t weight = 0;
    if (!reader.read_integer(entry.value, 0, kMaxWeight, weight)) {
      ok = false;
      continue;
    }
    weights[entry.key] = static_cast<std::uint32_t>(weight);
    total += static_cast<std::uint64_t>(weight);
  }
  if (!ok) return;
  if (total == 0) {
    reader.error(node.pos, "mix weights cannot all be 0");
    return;
  }
  out.mix.assign(weights.begin(), weights.end());
}

void read_route(YamlReader& reader, const YamlNode& node, const ActorCounts& counts,
                WorkloadSpec& out) {
  const std::vector<std::string> routes = {"any", "leader", "fixed"};
  if (node.is_map()) {
    reader.check_keys(node, {"fixed"});
    const YamlNode* fixed = reader.require(node, "fixed");
    ActorReader actors(reader, counts);
    if (fixed != nullptr && actors.read_nodes(*fixed, out.fixed_nodes)) out.route = Route::kFixed;
    return;
  }
  std::string name;
  if (!reader.read_scalar(node, "any, leader, fixed or a map {fixed: [NODES]}", name)) return;
  if (name == "any") {
    out.route = Route::kAny;
  } else if (name == "leader") {
    out.route = Route::kLeader;
  } else if (name == "fixed") {
    out.route = Route::kFixed;
    // Every node in order, written out so that a capsule states it.
    out.fixed_nodes.clear();
    for (NodeId id = 0; id < counts.nodes.value_or(0); ++id) out.fixed_nodes.push_back(id);
  } else {
    reader.error(node.pos, unknown_word_message("route", name, routes));
  }
}

// `placement`: spread (client i next to node i % nodes) or a list of nodes, one per client in
// turn (cycled when shorter than the clients).
void read_placement(YamlReader& reader, const YamlNode& node, const ActorCounts& counts,
                    WorkloadSpec& out) {
  if (node.is_list()) {
    ActorReader actors(reader, counts);
    if (node.items.empty()) {
      reader.error(node.pos, "placement needs at least one node, as in [n1, n2]");
      return;
    }
    std::vector<NodeId> homes;
    for (const YamlNode& item : node.items) {
      NodeId id = 0;
      if (actors.read_node(item, id)) homes.push_back(id);
    }
    if (homes.size() == node.items.size()) out.placement = std::move(homes);
    return;
  }
  std::string name;
  if (!reader.read_scalar(node, "spread or a list of nodes such as [n1, n1, n2]", name)) return;
  if (name == "spread") {
    out.placement.clear();
    return;
  }
  reader.error(node.pos, unknown_word_message("placement", name, {"spread"}) +
                             " (or a list of nodes such as [n1, n1, n2])");
}

}  // namespace

// `workload`; `counts.nodes` must be final. Sets counts.clients when the count is valid.
void read_workload(YamlReader& reader, const YamlNode& node, ActorCounts& counts,
                   WorkloadSpec& out) {
  if (!reader.expect_map(node)) return;
  const WorkloadInfo* workload = &known_workloads().front();
  if (const YamlNode* name = node.find("name")) {
    std::string text;
    workload = nullptr;
    if (reader.read_scalar(*name, "a workload name such as kv", text)) {
      std::vector<std::string> names;
      for (const auto& info : known_workloads()) {
        names.push_back(info.name);
        if (info.name == text) workload = &info;
      }
      if (workload == nullptr) reader.error(name->pos, unknown_word_message("workload", text, names));
    }
  }
  if (workload != nullptr) {
    out.name = workload->name;
    out.mix = workload->default_mix;
  }
  const bool queue = workload != nullptr && out.is_queue();
  if (queue) {
    reader.check_keys(node, {"name", "mode", "queues", "producers", "consumers", "rate", "keys",
                             "timeout", "retry", "consume", "route", "placement", "quiet"});
    read_queue_workload(reader, node, counts, out);
  } else {
    reader.check_keys(node, {"name", "clients", "rate", "keys", "mix", "timeout", "route",
                             "placement", "quiet", "final_reads"});
    counts.clients = out.clients;
  }
  if (queue) {
    // The queue workload's own keys were read above.
  } else if (const YamlNode* clients = node.find("clients")) {
    std::int64_t value = 0;
    counts.clients.reset();
    if (reader.read_integer(*clients, 0, kMaxClients, value)) {
      out.clients = static_cast<std::uint32_t>(value);
      counts.clients = out.clients;
    }
  }
  const std::uint32_t publishers = queue ? out.queue.producers : counts.clients.value_or(0);
  if (const YamlNode* rate = node.find("rate")) {
    if (reader.read_rate(*rate, out.rate_milli_per_second) && out.rate_milli_per_second == 0 &&
        publishers > 0) {
      reader.error(rate->pos, queue ? "rate must be greater than 0 when there are producers"
                                    : "rate must be greater than 0 when there are clients");
    }
  }
  if (queue) {
    // `keys` belongs to the queue workload (message keys, 0 allowed).
  } else if (const YamlNode* keys = node.find("keys")) {
    std::int64_t value = 0;
    if (reader.read_integer(*keys, 1, kMaxKeys, value)) out.keys = static_cast<std::uint32_t>(value);
  }
  const YamlNode* mix = queue ? nullptr : node.find("mix");
  if (mix != nullptr) read_mix(reader, *mix, workload, out);
  if (const YamlNode* timeout = node.find("timeout")) {
    reader.read_positive_duration(*timeout, "timeout", out.timeout);
  }
  if (const YamlNode* route = node.find("route")) read_route(reader, *route, counts, out);
  if (const YamlNode* placement = node.find("placement")) {
    read_placement(reader, *placement, counts, out);
  } else if (out.route == Route::kFixed) {
    // A client with a fixed node runs next to it unless told otherwise.
    out.placement = out.fixed_nodes;
  }
  if (const YamlNode* quiet = node.find("quiet")) reader.read_duration(*quiet, out.quiet);
  const YamlNode* final_reads = queue ? nullptr : node.find("final_reads");
  if (final_reads != nullptr) {
    reader.read_bool(*final_reads, out.final_reads);
  }
}

// `workload.quiet` must leave some of the run for operations, and a queue workload's must
// hold its drain (sim/queue_times.h).
void check_quiet(YamlReader& reader, const YamlNode& workload, Duration duration,
                 const WorkloadSpec& spec) {
  const YamlNode* quiet = workload.find("quiet");
  if (spec.is_queue() && spec.quiet < duration && spec.quiet < queue_minimum_quiet(spec)) {
    const Duration least = queue_minimum_quiet(spec);
    reader.error(quiet != nullptr ? quiet->pos : workload.pos,
                 std::string(quiet != nullptr ? "quiet " + format_duration(spec.quiet)
                                              : "the default quiet 0s") +
                     " is too short for the queue workload: consumers stop receiving " +
                     format_duration(queue_consume_margin(spec)) +
                     " before the drain (3 timeouts and a batch's processing), and the drain "
                     "takes the last timeout; use at least " + format_duration(least));
    return;
  }
  if (quiet == nullptr || spec.quiet < duration) return;
  reader.error(quiet->pos, "quiet " + format_duration(spec.quiet) +
                               " leaves no time for operations: the scenario lasts " +
                               format_duration(duration));
}

// A queue workload needs a queue protocol and a kv workload a kv one; then the protocol may
// check the workload against its options.
void check_workload_family(YamlReader& reader, const YamlNode& node, const ProtocolInfo& info,
                           const Scenario& scenario) {
  const WorkloadSpec& workload = scenario.workload;
  const YamlNode* name = node.find("name");
  const SourcePos pos = name != nullptr ? name->pos : node.pos;
  if (workload.is_queue() && !info.serves_queues) {
    reader.error(pos, "protocol '" + info.name + "' is a key-value protocol; the queue "
                      "workload needs a queue protocol such as broker");
    return;
  }
  if (!workload.is_queue() && info.serves_queues && workload.clients > 0) {
    reader.error(pos, "protocol '" + info.name + "' is a queue protocol; it serves the queue "
                      "workload, not '" + workload.name + "'");
    return;
  }
  if (info.validate_workload) {
    info.validate_workload(scenario.cluster.options, workload, reader.diagnostics());
  }
}

}  // namespace capsim
