#include "tools/commands/run.h"

#include <filesystem>
#include <ostream>
#include <system_error>

#include "nodes/register_protocols.h"
#include "sim/check/expectations.h"
#include "sim/check/scenario_checks.h"
#include "sim/run_summary.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"
#include "tools/check_budget.h"
#include "tools/max_events.h"
#include "tools/output_files.h"
#include "tools/progress_line.h"
#include "tools/seed.h"

namespace capsim::tools {
namespace {

namespace fs = std::filesystem;

// The folder name for a scenario: its name, unless that could escape the output folder.
std::string folder_name(const Scenario& scenario) {
  const std::string& name = scenario.name;
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    return fs::path(scenario.path).stem().string();
  }
  return name;
}

// The output folder as the user will type it: "out/x/42/".
std::string display_folder(const fs::path& folder) {
  std::string text = folder.string();
  if (!text.empty() && text.back() != '/') text.push_back('/');
  return text;
}

// The folders create_directories(folder) would make, deepest first.
std::vector<fs::path> missing_folders(const fs::path& folder) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = folder; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  return missing;
}

// "availability: availability_minority <= 5%, measured 93.1%".
std::string not_met_text(const ExpectationOutcome& outcome) {
  return outcome.check + ": expected " + outcome.expected + ", measured " + outcome.measured;
}

}  // namespace

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  std::uint64_t seed = 0;
  if (options.seed) {
    std::string error;
    if (!parse_seed(*options.seed, seed, error)) {
      err << "capsim run: error: --seed: " << error << "\n";
      return 2;
    }
  }

  Duration check_timeout{0};
  if (std::string error; !parse_check_timeout(options.check_timeout, check_timeout, error)) {
    err << "capsim run: error: --check-timeout: " << error << "\n";
    return 2;
  }

  RunLimits limits;
  if (std::string error; !limits_from_flag(options.max_events, limits, error)) {
    err << "capsim run: error: --max-events: " << error << "\n";
    return 2;
  }

  ProtocolRegistry registry;
  register_protocols(registry);
  LoadResult loaded = load_scenario_file(options.path, registry, options.sets);
  if (!loaded.scenario || !loaded.diagnostics.empty()) {
    err << loaded.diagnostics.format();
    return 2;
  }
  Scenario scenario = std::move(*loaded.scenario);
  if (options.seed) scenario.seed = seed;

  const fs::path folder =
      fs::path(options.out_dir) / folder_name(scenario) / std::to_string(scenario.seed);
  const std::vector<fs::path> made = missing_folders(folder);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    err << "capsim run: error: cannot write " << display_folder(folder) << ": " << ec.message()
        << "\n";
    return 2;
  }

  std::string error;
  AtomicFile trace_file;
  if (!trace_file.open(folder / "trace.jsonl", error)) {
    err << "capsim run: error: " << error << "\n";
    return 2;
  }
  FileTraceSink sink(trace_file);
  RunResult result;
  {
    Simulation simulation(scenario, registry, &sink);
    simulation.set_limits(limits);
    ProgressLine progress(err, options.progress, scenario.name);
    progress.attach(simulation);
    result = simulation.run();
  }
  if (!result.limit_exceeded.empty()) {
    // Outputs appear whole or not at all: the trace's temporary goes, and so do the folders
    // this run made (only if empty: remove() leaves a folder that holds anything).
    trace_file.discard();
    for (const fs::path& p : made) fs::remove(p, ec);
    err << "capsim run: error: " << result.limit_exceeded << "\n";
    return 2;
  }
  RunSummary summary = summarize_run(scenario, result, options.sets);
  summary.checks = run_scenario_checks(scenario, result, wall_clock_budget(check_timeout));
  // A what-if run (--explore) measures what the scenario's checks measure and judges nothing.
  if (!options.explore) {
    summary.expectations = evaluate_expectations(scenario.expectations, summary.checks);
  }
  const bool written =
      trace_file.commit(error) &&
      write_file_atomically(folder / "history.jsonl", result.history.to_jsonl(), error) &&
      write_file_atomically(folder / "summary.json", format_summary_json(summary), error);
  if (!written) {
    err << "capsim run: error: " << error << "\n";
    return 2;
  }

  if (options.quiet) {
    out << format_verdict_line(summary) << "\n";
    for (const ExpectationOutcome& outcome : summary.expectations) {
      if (!outcome.met) out << "NOT MET    " << not_met_text(outcome) << "\n";
    }
  } else {
    out << format_summary_text(summary) << "\n";
  }
  if (options.explore && !scenario.expectations.empty()) {
    out << "expect     not judged (--explore): the file's " << scenario.expectations.size()
        << (scenario.expectations.size() == 1 ? " expectation" : " expectations")
        << " left aside\n";
  }
  out << "output:    " << display_folder(folder) << "\n";
  out << "reproduce: " << summary.reproduce << "\n";
  for (const ExpectationOutcome& outcome : summary.expectations) {
    if (!outcome.met) err << "capsim run: expectation not met: " << not_met_text(outcome) << "\n";
  }
  return all_met(summary.expectations) ? 0 : 1;
}

}  // namespace capsim::tools
