// Reads a scenario file (YAML) into a validated capsim::Scenario. This is the only code that
// reads scenario YAML; the format is documented in README.md ("Scenario format").
//
// Every problem is reported, each once, as `FILE:LINE:COL: error: TEXT` (or with the
// `--set PATH=VALUE` it came from in place of FILE:LINE:COL): unknown keys with a "did you
// mean" hint, wrong types, values out of range, unknown node names, impossible combinations.
// A syntax error or a file-level problem (unreadable, empty, over 1 MiB, not UTF-8 text,
// nested deeper than 32 levels) stops at that one message. Nothing is silently defaulted: a
// value is either written, or has the documented default. The loader never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/protocol_registry.h"
#include "sim/scenario.h"

namespace capsim {

struct LoadResult {
  // Set exactly when `diagnostics` is empty.
  std::optional<Scenario> scenario;
  // In file order: whole-file problems first, then by line and column, then those of --set.
  Diagnostics diagnostics{""};
};

// Reads and validates the scenario at `path`. `overrides` are "PATH=VALUE" strings from
// `--set`, applied in order to the YAML before validation (see yaml_override.h).
// scenario.path is `path` as given.
LoadResult load_scenario_file(const std::string& path, const ProtocolRegistry& registry,
                              const std::vector<std::string>& overrides = {});

// The same for text already in memory; `display_path` names it in messages and becomes
// scenario.path.
LoadResult load_scenario_text(std::string_view text, const std::string& display_path,
                              const ProtocolRegistry& registry,
                              const std::vector<std::string>& overrides = {});

// The workloads a scenario may name, with the operations each offers ("kv": read, write,
// cas) and its mix when the scenario gives none, for the loader's checks and for `capsim list`.
struct WorkloadInfo {
  std::string name;
  std::vector<std::string> operations;
  std::vector<std::pair<std::string, std::uint32_t>> default_mix;  // in name order
};
const std::vector<WorkloadInfo>& known_workloads();

}  // namespace capsim
