// The options of the Raft key-value store: the Raft core's (nodes/common/raft/
// consensus_options.h) and `read`, how the leader serves reads; their declaration, the checks
// across them, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "nodes/common/raft/consensus_options.h"
#include "sim/diagnostics.h"
#include "sim/options.h"

namespace capsim::raft {

// How the leader serves a read (see raft_node.h for what each one guarantees).
enum class ReadMode {
  kLog,        // the read goes through the log like a write and is answered when applied
  kReadIndex,  // the leader confirms it still leads with a heartbeat round, then answers
  kLease,      // the leader answers at once while a recent round holds its lease; else kReadIndex
  kLocal,      // the leader answers from its state without confirming anything
};

// The core's configuration (with the key-value commands' trace form and the "raft/" disk
// prefix) and the read mode.
struct Config : ConsensusConfig {
  ReadMode read = ReadMode::kLog;
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// The core's checks (validate_consensus_options); `read` needs none beyond its choices.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// The configuration for one cluster. Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

// "log", "read-index", "lease", "local".
std::string_view read_mode_name(ReadMode mode);

}  // namespace capsim::raft
