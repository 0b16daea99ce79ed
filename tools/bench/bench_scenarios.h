// Speed of whole scenarios: how many simulated seconds a wall-clock second buys, and how many
// engine events per second that is, for each scenario file given (by default the CAP library
// under scenarios/cap/). Loading the file is not timed; the run is, with the trace formatted
// and hashed as `capsim run` does, but not written anywhere. Checkers are not run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace capsim::tools {

struct ScenarioBenchRow {
  std::string path;
  std::string name;
  std::string protocol;
  double simulated_seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t operations = 0;  // client operations invoked
  double wall_seconds = 0;       // the fastest of the repeats
  std::string error;             // set when the file did not load; the other fields are 0
};

// Runs every file `repeats` times with its own seed and keeps the fastest run.
std::vector<ScenarioBenchRow> bench_scenarios(const std::vector<std::string>& paths, int repeats);

// One line a scenario: name, protocol, simulated s, wall s, simulated s per wall s, events/s.
std::string format_scenario_bench(const std::vector<ScenarioBenchRow>& rows);

// The .yaml files under `dir` (recursively), sorted.
std::vector<std::string> scenario_files_under(const std::string& dir);

}  // namespace capsim::tools
