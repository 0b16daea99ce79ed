// The options of the quorum protocol: their declaration (names, defaults, help), the checks
// across options and the cluster size, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <vector>

#include "nodes/kv/quorum/versions.h"
#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/time.h"

namespace capsim::quorum {

struct Config {
  std::uint32_t cluster_size = 1;
  std::uint32_t n = 3;  // replicas per key
  std::uint32_t r = 2;  // replies a read waits for
  std::uint32_t w = 2;  // acknowledgements a write waits for
  bool sloppy = false;
  bool read_repair = false;
  Duration anti_entropy{0};  // 0: off
  ConflictMode conflict = ConflictMode::kLww;
  bool read_writeback = false;
  Duration request_timeout = std::chrono::milliseconds(300);
  Duration replica_timeout = std::chrono::milliseconds(50);
  Duration hint_interval = std::chrono::milliseconds(500);
  std::uint32_t vnodes = 16;
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// Relations the per-option checks cannot see: n at most the cluster size, r and w at most n,
// replica_timeout shorter than request_timeout. Errors point at the offending option.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// The configuration for one cluster. Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

}  // namespace capsim::quorum
