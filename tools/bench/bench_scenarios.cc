#include "tools/bench/bench_scenarios.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "nodes/register_protocols.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"

namespace capsim::tools {

std::vector<ScenarioBenchRow> bench_scenarios(const std::vector<std::string>& paths, int repeats) {
  ProtocolRegistry registry;
  register_protocols(registry);
  std::vector<ScenarioBenchRow> rows;
  for (const std::string& path : paths) {
    ScenarioBenchRow row;
    row.path = path;
    const LoadResult loaded = load_scenario_file(path, registry);
    if (!loaded.scenario) {
      row.error = "does not load (run it with `capsim run` to see why)";
      rows.push_back(std::move(row));
      continue;
    }
    const Scenario& scenario = *loaded.scenario;
    row.name = scenario.name;
    row.protocol = scenario.cluster.protocol;
    row.simulated_seconds = std::chrono::duration<double>(scenario.duration).count();
    for (int r = 0; r < std::max(1, repeats); ++r) {
      Simulation simulation(scenario, registry, nullptr);
      const auto started = std::chrono::steady_clock::now();
      const RunResult result = simulation.run();
      if (!result.limit_exceeded.empty()) {
        row.error = result.limit_exceeded;
        break;
      }
      const double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (r == 0 || wall < row.wall_seconds) row.wall_seconds = wall;
      row.events = result.events;
      row.operations = 0;
      for (const HistoryEvent& event : result.history.events()) {
        if (event.type == OpType::kInvoke) ++row.operations;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string format_scenario_bench(const std::vector<ScenarioBenchRow>& rows) {
  std::string text =
      "scenario                         protocol          sim s    wall s   sim s/wall s"
      "      events   events/s\n";
  for (const ScenarioBenchRow& row : rows) {
    char line[512];
    if (!row.error.empty()) {
      std::snprintf(line, sizeof line, "%s: %s\n", row.path.c_str(), row.error.c_str());
      text += line;
      continue;
    }
    const double wall = row.wall_seconds > 0 ? row.wall_seconds : 1e-9;
    std::snprintf(line, sizeof line, "%-32s %-15s %7.1f  %8.3f  %13.0f  %10llu  %8.2fM\n",
                  row.name.c_str(), row.protocol.c_str(), row.simulated_seconds,
                  row.wall_seconds, row.simulated_seconds / wall,
                  static_cast<unsigned long long>(row.events),
                  static_cast<double>(row.events) / wall / 1e6);
    text += line;
  }
  return text;
}

std::vector<std::string> scenario_files_under(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error) && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace capsim::tools
