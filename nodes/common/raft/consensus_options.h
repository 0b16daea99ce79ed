// The options every Raft group shares, whatever it replicates: their declaration (names,
// defaults, help), the checks across them, and the typed configuration of the core.
//
// A host protocol declares these among its own options (the key-value store adds `read`), so
// that a scenario writes them the same way for every protocol replicated by Raft. The election
// timeout is a range, drawn anew each time a follower arms its timer; the options layer holds
// scalar values only, so the range is two options, `election_timeout_min` and
// `election_timeout_max`, rather than one nested map.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nodes/common/raft/entry.h"
#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/time.h"

namespace capsim::raft {

struct ConsensusConfig {
  std::uint32_t cluster_size = 1;
  Duration election_timeout_min = std::chrono::milliseconds(300);
  Duration election_timeout_max = std::chrono::milliseconds(600);
  Duration heartbeat = std::chrono::milliseconds(50);
  // How long a confirmed round lets a leader pass lease barriers alone (consensus.h).
  Duration lease = std::chrono::milliseconds(250);
  bool sync_disk = true;
  // Where term, vote and log live on the Disk ("raft/term", "raft/log/length", ...). A host
  // that keeps other state on the same disk picks a prefix apart from its own keys.
  std::string disk_prefix = "raft/";
  // How trace lines show the host's commands; null shows their size only.
  DescribeCommand describe_command = nullptr;

  std::uint32_t majority() const { return cluster_size / 2 + 1; }
};

// election_timeout_min, election_timeout_max, heartbeat, lease and sync_disk, with defaults and
// help as `capsim list` shows them.
std::vector<OptionSpec> consensus_option_specs();

// Relations the per-option checks cannot see: durations must be positive, the timeout range
// must not be reversed, the heartbeat must come well within the shortest timeout, and the
// lease must end before the shortest election timeout. Errors point at the offending option.
void validate_consensus_options(const Options& options, Diagnostics& diagnostics);

// Fills the fields of `config` that the options above set, and its cluster size.
// Requires: `options` passed validate_consensus_options().
void read_consensus_options(const Options& options, std::uint32_t cluster_size,
                            ConsensusConfig& config);

}  // namespace capsim::raft
