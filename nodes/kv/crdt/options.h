// The options of the crdt protocol: their declaration (names, defaults, help), the checks
// across options, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/time.h"

namespace capsim::crdt {

enum class CounterKind {
  kPn,  // increments of any sign (PN-counter)
  kG,   // increments of at least 0 only; a negative one fails (G-counter)
};

struct Config {
  std::uint32_t cluster_size = 1;
  Duration gossip_interval = std::chrono::milliseconds(100);
  std::uint32_t fanout = 1;  // peers each gossip round goes to, at most cluster_size - 1
  CounterKind counter = CounterKind::kPn;
  bool sync_disk = true;
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// Relations the per-option checks cannot see: the fanout must fit in the cluster and the
// gossip interval must be positive. Errors point at the offending option's position.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// The configuration for one cluster. Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

}  // namespace capsim::crdt
