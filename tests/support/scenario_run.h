// Loading scenario files in tests: every shipped protocol registered once, and a loader call
// that fails the test, showing the loader's diagnostics, when the file does not load.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "nodes/register_protocols.h"
#include "sim/check/linearizability.h"
#include "sim/check/model.h"
#include "sim/protocol_registry.h"
#include "sim/scenario_loader.h"
#include "sim/simulation.h"

namespace capsim::testing {

// Every protocol the project ships, as the command-line tool registers them.
inline const ProtocolRegistry& all_protocols() {
  static const ProtocolRegistry registry = [] {
    ProtocolRegistry protocols;
    register_protocols(protocols);
    return protocols;
  }();
  return registry;
}

// The file at `path` with `overrides` ("key=value", as on the command line) applied.
inline Scenario load_scenario_or_fail(const std::string& path,
                                      const std::vector<std::string>& overrides = {}) {
  LoadResult loaded = load_scenario_file(path, all_protocols(), overrides);
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario.has_value());
  return *loaded.scenario;
}

// `relative` under the source tree's scenarios/ folder, e.g. "cap/quorum-strict.yaml".
inline std::string shipped_scenario_path(const std::string& relative) {
  return std::string(CAPSIM_SOURCE_DIR) + "/scenarios/" + relative;
}

// A run and its whole trace, as `capsim run --trace` would write it.
struct TracedRun {
  RunResult result;
  std::string trace;
};

inline TracedRun run_traced(const Scenario& scenario) {
  StringTraceSink sink;
  Simulation simulation(scenario, all_protocols(), &sink);
  TracedRun r{simulation.run(), {}};
  r.trace = sink.text();
  return r;
}

// The verdict of the linearizability checker with the kv model; its explanation is shown
// if a check on the verdict fails.
inline Verdict kv_linearizability(const RunResult& result) {
  const Model* model = find_model("kv");
  REQUIRE(model != nullptr);
  const LinearizabilityResult checked = check_linearizable(result.history, *model);
  INFO(checked.explanation);
  return checked.verdict;
}

// A replica's final digest split into keys: "k1=3;k2=7" -> {k1: "3", k2: "7"}.
inline std::map<std::string, std::string> parse_digest(const std::string& digest) {
  std::map<std::string, std::string> state;
  std::size_t start = 0;
  while (start < digest.size()) {
    std::size_t end = digest.find(';', start);
    if (end == std::string::npos) end = digest.size();
    const std::string item = digest.substr(start, end - start);
    const std::size_t eq = item.find('=');
    if (eq != std::string::npos) state[item.substr(0, eq)] = item.substr(eq + 1);
    start = end + 1;
  }
  return state;
}

}  // namespace capsim::testing
