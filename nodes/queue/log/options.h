// The options of the log protocol: their declaration (names, defaults, help), the checks across
// options and the cluster size, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim::log {

// When the leader answers a producer (Kafka's producer `acks`).
enum class Acks {
  kNone,    // acks=0: at once, before the append; the reply carries no offset
  kLeader,  // acks=1: after the leader's own append
  kAll,     // acks=all: once every member of the ISR holds it (the high watermark passed it)
};

// What a broker syncs to its Disk (Kafka's flush.messages / flush.ms).
enum class Flush {
  kEvery,     // after every append, on leader and followers
  kInterval,  // every flush_interval
  kNever,     // never: the log lives in the page cache; a crash loses all of it
};

struct Config {
  std::uint32_t cluster_size = 1;
  std::vector<std::string> topics{"orders"};
  std::uint32_t partitions = 1;          // per topic
  std::uint32_t replication_factor = 1;  // replicas per partition, at most cluster_size
  Acks acks = Acks::kAll;
  std::uint32_t min_insync_replicas = 1;
  bool unclean_leader_election = false;
  Duration replica_lag_time_max = std::chrono::seconds(2);
  Duration replica_fetch_interval = std::chrono::milliseconds(50);
  Duration heartbeat = std::chrono::milliseconds(200);  // broker -> controller
  Duration session_timeout = std::chrono::seconds(2);   // broker session at the controller
  Duration group_session_timeout = std::chrono::seconds(3);
  Flush flush = Flush::kNever;
  Duration flush_interval = std::chrono::seconds(1);

  // Kafka's effectiveMinIsr: a minimum above the replication factor could never be met.
  std::uint32_t effective_min_isr() const {
    return min_insync_replicas < replication_factor ? min_insync_replicas : replication_factor;
  }
};

std::vector<OptionSpec> option_specs();

// replication_factor within the cluster, min_insync_replicas within the replication factor,
// positive durations; each error at the offending option's position.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// Every queue of a queue workload must be one of the topics; errors at the workload's queues.
void validate_workload(const Options& options, const WorkloadSpec& workload,
                       Diagnostics& diagnostics);

// Requires: `options` passed validate_options().
Config config_from(const Options& options, std::uint32_t cluster_size);

std::string_view acks_name(Acks acks);

}  // namespace capsim::log
