// The options of the Raft protocol: their declaration (names, defaults, help), the checks across
// options, and the typed configuration a node is built from.
//
// The election timeout is a range, drawn anew each time a follower arms its timer. The options
// layer holds scalar values only, so the range is written as two options,
// `election_timeout_min` and `election_timeout_max`, rather than as a nested map.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/time.h"

namespace capsim::raft {

// How the leader serves a read (see raft_node.h for what each one guarantees).
enum class ReadMode {
  kLog,        // the read goes through the log like a write and is answered when applied
  kReadIndex,  // the leader confirms it still leads with a heartbeat round, then answers
  kLease,      // the leader answers at once while a recent round holds its lease; else kReadIndex
  kLocal,      // the leader answers from its state without confirming anything
};

struct Config {
  std::uint32_t cluster_size = 1;
  Duration election_timeout_min = std::chrono::milliseconds(300);
  Duration election_timeout_max = std::chrono::milliseconds(600);
  Duration heartbeat = std::chrono::milliseconds(50);
  ReadMode read = ReadMode::kLog;
  Duration lease = std::chrono::milliseconds(250);
  bool sync_disk = true;

  std::uint32_t majority() const { return cluster_size / 2 + 1; }
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// Relations the per-option checks cannot see: durations must be positive, the timeout range
// must not be reversed, the heartbeat must come well within the shortest timeout, and the
// lease must end before the shortest election timeout. Errors point at the offending option.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// The configuration for one cluster. Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

// "log", "read-index", "lease", "local".
std::string_view read_mode_name(ReadMode mode);

}  // namespace capsim::raft
