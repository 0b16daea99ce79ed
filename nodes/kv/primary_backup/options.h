// The options of the primary-backup protocol: their declaration (names, defaults, help), the
// checks across options, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/time.h"

namespace capsim::pb {

enum class Mode {
  kAsync,  // the primary answers the client as soon as it has logged the operation
  kSync,   // it answers once `acks` backups confirmed they hold the entry
};

enum class Failover {
  kNone,      // n1 is primary forever; nobody replaces it
  kMajority,  // backups elect a new primary by majority vote when the primary falls silent
};

struct Config {
  std::uint32_t cluster_size = 1;
  Mode mode = Mode::kAsync;
  std::uint32_t acks = 0;  // 0 means every backup; see required_acks()
  Failover failover = Failover::kNone;
  Duration failover_timeout = std::chrono::seconds(1);
  Duration heartbeat = std::chrono::milliseconds(100);
  bool sync_disk = true;

  // How many backups must hold an entry before it counts as committed (and, in sync mode,
  // before the client hears ok): `acks`, or all cluster_size - 1 backups when acks is 0.
  // "All" means all, alive or not, so one silent backup stops every sync write.
  std::uint32_t required_acks() const { return acks == 0 ? cluster_size - 1 : acks; }
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// Relations the per-option checks cannot see: acks must leave room in the cluster, durations
// must be positive. Errors point at the offending option's position.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// The configuration for one cluster. Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

}  // namespace capsim::pb
