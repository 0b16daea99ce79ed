#include "nodes/queue/log/options.h"

#include <algorithm>

namespace capsim::log {

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs;
  specs.push_back(option_spec("topics", OptionType::kNames, "orders",
                              "the topics, each with `partitions` partitions"));
  specs.push_back(integer_option_spec("partitions", "1", "partitions of each topic", 1, 1000));
  specs.push_back(integer_option_spec("replication_factor", "3",
                                      "replicas of each partition, at most the number of nodes",
                                      1, 1000));
  specs.push_back(option_spec("acks", OptionType::kChoice, "all",
                              "when the leader answers a producer: 0 at once (before the "
                              "append), 1 after its own append, all once the whole ISR has it"));
  specs.back().choices = {"0", "1", "all"};
  specs.push_back(integer_option_spec("min_insync_replicas", "1",
                                      "acks=all refuses a publish while the ISR is smaller; "
                                      "the high watermark does not advance then either",
                                      1, 1000));
  specs.push_back(option_spec("unclean_leader_election", OptionType::kBool, "false",
                              "true: any live replica may lead when no ISR member is alive "
                              "(it can lose acknowledged messages)"));
  specs.push_back(option_spec("replica_lag_time_max", OptionType::kDuration, "2s",
                              "a follower not caught up to the leader's end within this time "
                              "leaves the ISR"));
  specs.push_back(option_spec("replica_fetch_interval", OptionType::kDuration, "50ms",
                              "how often an idle follower fetches from its leader"));
  specs.back().periodic = true;
  specs.push_back(option_spec("heartbeat", OptionType::kDuration, "200ms",
                              "interval of each broker's heartbeat to the controller (n1)"));
  specs.back().periodic = true;
  specs.push_back(option_spec("session_timeout", OptionType::kDuration, "2s",
                              "the controller fences a broker it has not heard from for this "
                              "long and moves its partitions' leadership"));
  specs.push_back(option_spec("group_session_timeout", OptionType::kDuration, "3s",
                              "the group coordinator (n1) drops a consumer it has not heard "
                              "from for this long and rebalances its group"));
  specs.push_back(option_spec("flush", OptionType::kChoice, "never",
                              "what is synced to disk: every append, every flush_interval, or "
                              "never (a crash loses the unsynced log)"));
  specs.back().choices = {"every", "interval", "never"};
  specs.push_back(option_spec("flush_interval", OptionType::kDuration, "1s",
                              "flush=interval: how often the log is synced"));
  specs.back().periodic = true;
  return specs;
}

void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics) {
  if (options.has("topics") && options.names("topics").empty()) {
    diagnostics.error(options.position("topics"), "topics needs at least one topic");
  }
  if (options.has("replication_factor") &&
      options.integer("replication_factor") > static_cast<std::int64_t>(cluster_size)) {
    diagnostics.error(options.position("replication_factor"),
                      "replication_factor is " +
                          std::to_string(options.integer("replication_factor")) + " but there " +
                          (cluster_size == 1 ? "is only 1 node" : "are only " +
                                                                      std::to_string(cluster_size) +
                                                                      " nodes"));
  }
  if (options.has("min_insync_replicas") && options.has("replication_factor") &&
      options.integer("min_insync_replicas") > options.integer("replication_factor")) {
    diagnostics.error(options.position("min_insync_replicas"),
                      "min_insync_replicas is " +
                          std::to_string(options.integer("min_insync_replicas")) +
                          " but replication_factor is " +
                          std::to_string(options.integer("replication_factor")) +
                          ": acks=all could never be met");
  }
  require_positive_durations(options,
                             {"replica_lag_time_max", "replica_fetch_interval", "heartbeat",
                              "session_timeout", "group_session_timeout", "flush_interval"},
                             diagnostics);
  if (options.has("heartbeat") && options.has("session_timeout") &&
      options.duration("heartbeat") >= options.duration("session_timeout")) {
    diagnostics.error(options.position("heartbeat"),
                      "heartbeat (" + format_duration(options.duration("heartbeat")) +
                          ") must be shorter than session_timeout (" +
                          format_duration(options.duration("session_timeout")) +
                          "), or the controller fences live brokers");
  }
}

void validate_workload(const Options& options, const WorkloadSpec& workload,
                       Diagnostics& diagnostics) {
  const std::vector<std::string> topics = options.names("topics");
  for (const std::string& queue : workload.queue.queues) {
    if (std::find(topics.begin(), topics.end(), queue) != topics.end()) continue;
    std::string list;
    for (const std::string& name : topics) list += (list.empty() ? "" : ", ") + name;
    diagnostics.error(workload.queue.queues_pos,
                      "workload queue '" + queue + "' is not a topic of the log (its topics: " +
                          list + "; set cluster.options.topics)");
  }
  // A log consumer skips a failed message (there is nothing to return it to), so neither
  // action exists.
  if (workload.queue.consume.on_poison_pos.written()) {
    diagnostics.error(workload.queue.consume.on_poison_pos,
                      "consume.on_poison has no meaning with the log protocol: a log consumer "
                      "cannot return or reject one message; it skips a failed one and commits "
                      "past it");
  }
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  config.cluster_size = cluster_size;
  config.topics = options.names("topics");
  config.partitions = static_cast<std::uint32_t>(options.integer("partitions"));
  config.replication_factor = static_cast<std::uint32_t>(options.integer("replication_factor"));
  const std::string& acks = options.choice("acks");
  config.acks = acks == "0" ? Acks::kNone : acks == "1" ? Acks::kLeader : Acks::kAll;
  config.min_insync_replicas = static_cast<std::uint32_t>(options.integer("min_insync_replicas"));
  config.unclean_leader_election = options.flag("unclean_leader_election");
  config.replica_lag_time_max = options.duration("replica_lag_time_max");
  config.replica_fetch_interval = options.duration("replica_fetch_interval");
  config.heartbeat = options.duration("heartbeat");
  config.session_timeout = options.duration("session_timeout");
  config.group_session_timeout = options.duration("group_session_timeout");
  const std::string& flush = options.choice("flush");
  config.flush = flush == "every" ? Flush::kEvery : flush == "interval" ? Flush::kInterval
                                                                          : Flush::kNever;
  config.flush_interval = options.duration("flush_interval");
  return config;
}

std::string_view acks_name(Acks acks) {
  switch (acks) {
    case Acks::kNone: return "0";
    case Acks::kLeader: return "1";
    case Acks::kAll: return "all";
  }
  return "all";
}

}  // namespace capsim::log
