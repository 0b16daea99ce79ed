#include "tools/commands/compare.h"

#include <ostream>

#include "nodes/register_protocols.h"
#include "sim/check/scenario_checks.h"
#include "sim/run_summary.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "tools/check_budget.h"
#include "tools/compare/queue_scoreboard.h"
#include "tools/compare/scoreboard.h"
#include "tools/max_events.h"
#include "tools/progress_line.h"
#include "tools/seed.h"

namespace capsim::tools {
namespace {

constexpr std::uint64_t kMaxSeeds = 100'000;

// "read=local sync_disk=false": what makes this scenario's protocol differ from its defaults.
std::string non_default_options(const Scenario& scenario, const ProtocolRegistry& registry) {
  const ProtocolInfo* info = registry.find(scenario.cluster.protocol);
  if (info == nullptr) return scenario.cluster.options.describe();
  const Options defaults = default_options(*info);
  std::string text;
  for (const auto& [name, value] : scenario.cluster.options.values()) {
    const auto it = defaults.values().find(name);
    const std::string written = format_option_value(value);
    if (it != defaults.values().end() && format_option_value(it->second) == written) continue;
    if (!text.empty()) text += " ";
    text += name + "=" + written;
  }
  return text;
}

}  // namespace

bool parse_seed_range(const std::string& text, std::uint64_t& first, std::uint64_t& last,
                      std::string& error) {
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) {
    if (!parse_seed(text, first, error)) return false;
    last = first;
    return true;
  }
  std::string part_error;
  if (!parse_seed(text.substr(0, dots), first, part_error) ||
      !parse_seed(text.substr(dots + 2), last, part_error)) {
    error = "expected a seed range A..B of whole numbers, got '" + text + "'";
    return false;
  }
  if (last < first) {
    error = "the range " + text + " is empty (its end is below its start)";
    return false;
  }
  if (last - first >= kMaxSeeds) {
    error = "the range " + text + " holds more than " + std::to_string(kMaxSeeds) + " seeds";
    return false;
  }
  return true;
}

// "retry=exponential max_attempts=5": how the callers of a `mode: call` workload retry.
std::string call_options(const RetrySpec& retry) {
  std::string text = "retry=" + retry_policy_names()[static_cast<std::size_t>(retry.policy)];
  if (retry.policy != RetryPolicy::kNone) {
    text += " max_attempts=" + std::to_string(retry.max_attempts);
  }
  return text;
}

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  if (options.paths.empty()) {
    err << "capsim compare: error: give at least one scenario file\n";
    return 2;
  }
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::string error;
  const std::string& range = options.seeds.empty() ? options.seed : options.seeds;
  // Without --seed or --seeds every file runs with its own seed, as `capsim run` would.
  const bool own_seeds = range.empty();
  if (!own_seeds && !parse_seed_range(range, first, last, error)) {
    err << "capsim compare: error: " << (options.seeds.empty() ? "--seed" : "--seeds") << ": "
        << error << "\n";
    return 2;
  }
  TableFormat format = TableFormat::kText;
  if (options.format == "markdown") {
    format = TableFormat::kMarkdown;
  } else if (options.format != "text") {
    err << "capsim compare: error: --format: expected text or markdown, got '" << options.format
        << "'\n";
    return 2;
  }
  Duration check_timeout{0};
  if (!parse_check_timeout(options.check_timeout, check_timeout, error)) {
    err << "capsim compare: error: --check-timeout: " << error << "\n";
    return 2;
  }

  RunLimits limits;
  if (!limits_from_flag(options.max_events, limits, error)) {
    err << "capsim compare: error: --max-events: " << error << "\n";
    return 2;
  }

  ProtocolRegistry registry;
  register_protocols(registry);
  // Every file is loaded before anything runs, so a typo in the last one costs no waiting.
  std::vector<Scenario> scenarios;
  bool bad_input = false;
  for (const std::string& path : options.paths) {
    LoadResult loaded = load_scenario_file(path, registry, options.sets);
    if (!loaded.scenario || !loaded.diagnostics.empty()) {
      err << loaded.diagnostics.format();
      bad_input = true;
      continue;
    }
    scenarios.push_back(std::move(*loaded.scenario));
  }
  if (bad_input) return 2;

  std::vector<ScoreboardRow> rows;
  std::vector<QueueScoreboardRow> queue_rows;
  for (Scenario& scenario : scenarios) {
    // Every row measures the same things, whatever the file asks for: the CAP checks for a
    // key-value scenario, the delivery checks for a queue one.
    const bool queue = is_queue_scenario(scenario);
    scenario.checks.clear();
    for (const std::string& name : queue ? queue_scoreboard_checks() : scoreboard_checks()) {
      if (find_check(name) != nullptr) scenario.checks.push_back(name);
    }
    scenario.expectations.clear();
    ScoreboardRow row;
    QueueScoreboardRow queue_row;
    row.scenario = queue_row.scenario = scenario.name;
    row.protocol = queue_row.protocol = scenario.cluster.protocol;
    row.options = queue_row.options = non_default_options(scenario, registry);
    if (scenario.workload.is_queue() && scenario.workload.queue.mode == DeliveryMode::kCall) {
      // The producers call the consumers: the cluster's protocol carries none of the work.
      queue_row.protocol = "direct call";
      queue_row.options = call_options(scenario.workload.queue.retry);
    }
    const std::uint64_t from = own_seeds ? scenario.seed : first;
    const std::uint64_t to = own_seeds ? scenario.seed : last;
    for (std::uint64_t seed = from;; ++seed) {
      scenario.seed = seed;
      Simulation simulation(scenario, registry, nullptr);
      simulation.set_limits(limits);
      RunResult result;
      {
        ProgressLine progress(err, options.progress,
                              scenario.name + " seed " + std::to_string(seed));
        progress.attach(simulation);
        result = simulation.run();
      }
      if (!result.limit_exceeded.empty()) {
        err << "capsim compare: error: " << scenario.path << " seed " << seed << ": "
            << result.limit_exceeded << "\n";
        return 2;
      }
      const std::vector<CheckResult> checks =
          run_scenario_checks(scenario, result, wall_clock_budget(check_timeout));
      if (queue) {
        add_run(queue_row, queue_figures_of(scenario, result, checks));
      } else {
        add_run(row, figures_of(summarize_run(scenario, result, options.sets), checks));
      }
      if (seed == to) break;
    }
    if (queue) {
      queue_rows.push_back(std::move(queue_row));
    } else {
      rows.push_back(std::move(row));
    }
  }

  if (own_seeds) {
    out << "each file's own seed";
  } else if (first == last) {
    out << "seed " << first;
  } else {
    out << "seeds " << first << ".." << last << " (" << (last - first + 1)
        << " runs a scenario; mean ±standard deviation)";
  }
  // Key-value and queue scenarios measure different things: one table for each kind present,
  // the CAP scoreboard first.
  if (!rows.empty()) {
    out << "; availability and latency of the operations invoked during partitions (sides) and "
           "overall (latency); msgs/op counts every message, clients' included\n";
    out << format_scoreboard(rows, format);
  }
  if (!queue_rows.empty()) {
    out << (rows.empty() ? "; " : "\nqueue scenarios: ")
        << "delivery scoreboard: counts of messages; send and receive availability overall "
           "(send) and on the lowest side of each role during partitions; e2e p99 from the "
           "first send to the first delivery; backlog peak: messages accepted by the broker, "
           "not yet delivered; drain: from the peak back to empty\n";
    out << format_queue_scoreboard(queue_rows, format);
  }
  return 0;
}

}  // namespace capsim::tools
