// The readers of a scenario's network, faults, nemesis, checks and expect sections, split out
// of scenario_loader.cc to keep each file to one job. Only the loader includes this header.
#pragma once

#include <optional>
#include <vector>

#include "sim/protocol_registry.h"
#include "sim/scenario.h"
#include "sim/yaml_actors.h"
#include "sim/yaml_reader.h"
#include "sim/yaml_tree.h"

namespace capsim {

// What the later sections need from the earlier ones. An item that failed validation is
// nullopt, and the checks that depend on it are skipped rather than reported twice.
struct SectionContext {
  YamlReader& reader;
  ActorCounts counts;
  std::optional<Duration> duration;  // the scenario's

  // "at 40s is after the end of the scenario (30s)" unless `time` fits in [0, duration].
  bool check_within_run(const YamlNode& node, std::string_view key, Time time);
};

// `network`: default link behaviour and per-link rules. Requires: `node` is the section.
void read_network(const YamlNode& node, SectionContext& context, NetworkSpec& out);

// `workload` (yaml_workload.cc); `counts.nodes` must be final. Sets counts.clients when the
// count is valid.
void read_workload(YamlReader& reader, const YamlNode& node, ActorCounts& counts,
                   WorkloadSpec& out);

// `workload.quiet` must leave some of the run for operations, and a queue workload's must hold
// its drain (sim/queue_times.h).
void check_quiet(YamlReader& reader, const YamlNode& workload, Duration duration,
                 const WorkloadSpec& spec);

// A queue workload needs a queue protocol and a kv workload a kv one; then the protocol may
// check the workload against its options.
void check_workload_family(YamlReader& reader, const YamlNode& node, const ProtocolInfo& info,
                           const Scenario& scenario);

// A delay model: a bare duration (constant), {latency, jitter, distribution, shape}, or
// {mixture: [...]} (yaml_network.cc). Returns false after reporting.
bool read_delay(YamlReader& reader, const YamlNode& node, DelayModel& out);

// The keys of the `queue` workload besides `name` (yaml_queue_workload.cc): queues,
// producers, consumers, keys, retry, consume. Sets out.clients and counts.clients.
void read_queue_workload(YamlReader& reader, const YamlNode& node, ActorCounts& counts,
                         WorkloadSpec& out);

// `faults`: the scheduled faults, in the order written.
void read_faults(const YamlNode& node, SectionContext& context, std::vector<FaultSpec>& out);

// `nemesis`: the random fault generator's settings.
void read_nemesis(const YamlNode& node, SectionContext& context, NemesisSpec& out);

// `checks`: check names, each once (yaml_checks.cc).
void read_checks(const YamlNode& node, SectionContext& context, std::vector<std::string>& out);

// `expect`: per check, true / false (its verdict), a bound on a metric, or a list of these.
void read_expect(const YamlNode& node, SectionContext& context, std::vector<Expectation>& out);

}  // namespace capsim
