#include "nodes/common/raft/consensus_options.h"

namespace capsim::raft {

namespace {

// Written only when both options were read: a cross-option error on a half-read pair would
// repeat the per-option error.
bool both(const Options& options, const char* a, const char* b) {
  return options.has(a) && options.has(b);
}

}  // namespace

std::vector<OptionSpec> consensus_option_specs() {
  std::vector<OptionSpec> specs;
  specs.push_back(option_spec("election_timeout_min", OptionType::kDuration, "300ms",
                              "shortest silence from the leader after which a follower starts an "
                              "election (each wait is drawn uniformly from min..max)"));
  specs.back().periodic = true;
  specs.push_back(option_spec("election_timeout_max", OptionType::kDuration, "600ms",
                              "longest such silence; a wider range makes split votes rarer"));
  specs.back().periodic = true;
  specs.push_back(
      option_spec("heartbeat", OptionType::kDuration, "50ms",
                  "interval at which the leader sends AppendEntries (empty if nothing is "
                  "new) to every follower; below election_timeout_min"));
  specs.back().periodic = true;
  specs.push_back(
      option_spec("lease", OptionType::kDuration, "250ms",
                  "how long a confirmed heartbeat round lets the leader answer reads alone, "
                  "counted on its own clock from when the round was sent; below "
                  "election_timeout_min"));
  specs.push_back(
      option_spec("sync_disk", OptionType::kBool, "true",
                  "sync term, vote and log to disk before answering; false lets a crash "
                  "lose them (and with them votes and acknowledged writes)"));
  return specs;
}

void validate_consensus_options(const Options& options, Diagnostics& diagnostics) {
  require_positive_durations(
      options, {"election_timeout_min", "election_timeout_max", "heartbeat", "lease"}, diagnostics);
  if (both(options, "election_timeout_min", "election_timeout_max") &&
      options.duration("election_timeout_max") < options.duration("election_timeout_min")) {
    diagnostics.error(options.position("election_timeout_max"),
                      "election_timeout_max (" +
                          format_duration(options.duration("election_timeout_max")) +
                          ") must be at least election_timeout_min (" +
                          format_duration(options.duration("election_timeout_min")) + ")");
  }
  if (both(options, "heartbeat", "election_timeout_min") &&
      options.duration("heartbeat") >= options.duration("election_timeout_min")) {
    diagnostics.error(options.position("heartbeat"),
                      "heartbeat (" + format_duration(options.duration("heartbeat")) +
                          ") must be shorter than election_timeout_min (" +
                          format_duration(options.duration("election_timeout_min")) +
                          "), or followers start elections against a live leader");
  }
  if (both(options, "lease", "election_timeout_min") &&
      options.duration("lease") >= options.duration("election_timeout_min")) {
    diagnostics.error(options.position("lease"),
                      "lease (" + format_duration(options.duration("lease")) +
                          ") must be shorter than election_timeout_min (" +
                          format_duration(options.duration("election_timeout_min")) +
                          "): no other leader may be elected while a lease holds");
  }
}

void read_consensus_options(const Options& options, std::uint32_t cluster_size,
                            ConsensusConfig& config) {
  config.cluster_size = cluster_size;
  config.election_timeout_min = options.duration("election_timeout_min");
  config.election_timeout_max = options.duration("election_timeout_max");
  config.heartbeat = options.duration("heartbeat");
  config.lease = options.duration("lease");
  config.sync_disk = options.flag("sync_disk");
}

}  // namespace capsim::raft
