#include "nodes/kv/primary_backup/options.h"

#include <string>

namespace capsim::pb {

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs;
  specs.push_back(option_spec("mode", OptionType::kChoice, "async",
                              "async: ack the client at once and replicate in the background; "
                              "sync: ack only after `acks` backups hold the write"));
  specs.back().choices = {"async", "sync"};
  specs.push_back(option_spec("acks", OptionType::kInteger, "0",
                              "backup confirmations a sync write waits for; 0 = every backup, "
                              "reachable or not (at most nodes-1)"));
  specs.back().min = 0;
  specs.push_back(
      option_spec("failover", OptionType::kChoice, "none",
                  "none: n1 is primary forever; majority: backups elect a new primary by "
                  "majority vote when the primary falls silent"));
  specs.back().choices = {"none", "majority"};
  specs.push_back(option_spec("failover_timeout", OptionType::kDuration, "1s",
                              "silence from the primary after which a backup starts an election "
                              "(each node adds a random extra of up to the same amount)"));
  specs.back().periodic = true;
  specs.push_back(
      option_spec("heartbeat", OptionType::kDuration, "100ms",
                  "interval at which the primary sends Replicate (empty if nothing new) to "
                  "every backup"));
  specs.back().periodic = true;
  specs.push_back(
      option_spec("sync_disk", OptionType::kBool, "true",
                  "sync log entries, epoch and vote to disk before acting on them; false "
                  "lets a crash lose them"));
  return specs;
}

void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics) {
  const std::int64_t backups = cluster_size == 0 ? 0 : static_cast<std::int64_t>(cluster_size) - 1;
  if (options.has("acks") && options.integer("acks") > backups) {
    diagnostics.error(options.position("acks"),
                      "acks is " + std::to_string(options.integer("acks")) + " but " +
                          std::to_string(cluster_size) + " nodes have only " +
                          std::to_string(backups) + " backups (expected 0.." +
                          std::to_string(backups) + ")");
  }
  require_positive_durations(options, {"failover_timeout", "heartbeat"}, diagnostics);
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  config.cluster_size = cluster_size;
  config.mode = options.choice("mode") == "sync" ? Mode::kSync : Mode::kAsync;
  config.acks = static_cast<std::uint32_t>(options.integer("acks"));
  config.failover = options.choice("failover") == "majority" ? Failover::kMajority
                                                             : Failover::kNone;
  config.failover_timeout = options.duration("failover_timeout");
  config.heartbeat = options.duration("heartbeat");
  config.sync_disk = options.flag("sync_disk");
  return config;
}

}  // namespace capsim::pb
