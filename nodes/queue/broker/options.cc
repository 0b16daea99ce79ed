#include "nodes/queue/broker/options.h"

#include <algorithm>

#include "nodes/queue/broker/broker_machine.h"

namespace capsim::broker {

std::vector<std::string> Config::all_queues() const {
  std::vector<std::string> all = queues;
  if (!dead_letter_queue.empty() &&
      std::find(all.begin(), all.end(), dead_letter_queue) == all.end()) {
    all.push_back(dead_letter_queue);
  }
  return all;
}

std::vector<OptionSpec> option_specs() {
  OptionSpec replication =
      option_spec("replication", OptionType::kChoice, "none",
                  "none: n1 alone holds every queue and the other nodes redirect to it; "
                  "raft: every node holds every queue through a Raft log, the leader serves "
                  "and confirms a publish once a majority has it");
  replication.choices = {"none", "raft"};
  OptionSpec flush = option_spec(
      "flush_interval", OptionType::kDuration, "0s",
      "with sync false: how often the disk is synced anyway (0s: never during the run)");
  flush.periodic = true;
  OptionSpec delivery = option_spec(
      "delivery", OptionType::kChoice, "visibility",
      "visibility (SQS): a received message is hidden for visibility_timeout; channel "
      "(RabbitMQ): it stays with the consumer's channel until acked or the channel goes silent");
  delivery.choices = {"visibility", "channel"};
  std::vector<OptionSpec> specs = {
      option_spec("queues", OptionType::kNames, "jobs", "the queues the broker holds"),
      option_spec("dead_letter_queue", OptionType::kNames, "",
                  "where expired and over-delivered messages go; empty: they are dropped"),
      option_spec("visibility_timeout", OptionType::kDuration, "30s",
                  "a received message is hidden this long; unacked by then, it is delivered "
                  "again and its receipt is stale"),
      delivery,
      integer_option_spec("prefetch", "0",
                          "delivery channel: most unacked deliveries a channel holds (basic.qos; "
                          "0: no limit)",
                          0, 1'000'000),
      option_spec("channel_timeout", OptionType::kDuration, "60s",
                  "delivery channel: a channel silent this long is closed and its unacked "
                  "deliveries return to the queue (RabbitMQ's heartbeat timeout)"),
      integer_option_spec("max_deliveries", "0",
                          "deliveries after which a message is dead-lettered instead of "
                          "returned (0: no limit)",
                          0, 1'000'000),
      option_spec("ttl", OptionType::kDuration, "0s",
                  "a message still waiting (not in flight) this long after its publish "
                  "expires instead of being delivered (0s: never)"),
      option_spec("ttl_queues", OptionType::kNames, "",
                  "the queues the ttl applies to (default: every queue but the dead-letter "
                  "queue)"),
      option_spec("fifo", OptionType::kBool, "false",
                  "SQS FIFO: messages of one key (message group) in publish order, none while "
                  "an earlier one of its group is in flight; retries deduplicated by message id"),
      option_spec("dedup_window", OptionType::kDuration, "5m",
                  "fifo: a publish of a message id already published within this long is "
                  "accepted and not stored again"),
      option_spec("sync", OptionType::kBool, "true",
                  "sync every change to disk before answering; false: a crash loses what "
                  "was not flushed"),
      flush,
      replication,
  };
  for (OptionSpec& spec : raft::consensus_option_specs()) {
    // The Raft core's own options, shared with every protocol built on it. The broker asks for
    // no read barriers (every operation goes through the log), so `lease` changes nothing.
    spec.help = "replication raft: " + spec.help;
    specs.push_back(std::move(spec));
  }
  return specs;
}

void validate_options(const Options& options, std::uint32_t /*cluster_size*/,
                      Diagnostics& diagnostics) {
  raft::validate_consensus_options(options, diagnostics);
  if (options.names("queues").empty()) {
    diagnostics.error(options.position("queues"), "the broker needs at least one queue");
  }
  if (options.names("dead_letter_queue").size() > 1) {
    diagnostics.error(options.position("dead_letter_queue"),
                      "dead_letter_queue names one queue, got " +
                          std::to_string(options.names("dead_letter_queue").size()));
  }
  require_positive_durations(options, {"visibility_timeout", "dedup_window", "channel_timeout"},
                             diagnostics);
  const bool channel = options.choice("delivery") == "channel";
  for (const char* name : {"prefetch", "channel_timeout"}) {
    if (options.position(name).written() && !channel) {
      diagnostics.error(options.position(name),
                        std::string(name) + " needs delivery: channel: with visibility "
                                            "deliveries are held by a timeout, not a channel");
    }
  }
  if (options.position("visibility_timeout").written() && channel) {
    diagnostics.error(options.position("visibility_timeout"),
                      "visibility_timeout has no meaning with delivery: channel: an unacked "
                      "delivery stays with its channel (see channel_timeout)");
  }
  if (options.position("dedup_window").written() && !options.flag("fifo")) {
    diagnostics.error(options.position("dedup_window"),
                      "dedup_window needs fifo: true: a standard queue does not deduplicate");
  }
  const std::vector<std::string> held = config_from(options).all_queues();
  for (const std::string& name : options.names("ttl_queues")) {
    if (std::find(held.begin(), held.end(), name) == held.end()) {
      diagnostics.error(options.position("ttl_queues"),
                        "ttl_queues names '" + name + "', which is not one of the broker's queues");
    }
  }
}

void validate_workload(const Options& options, const WorkloadSpec& workload,
                       Diagnostics& diagnostics) {
  const Config config = config_from(options);
  const std::vector<std::string> held = config.all_queues();
  for (const std::string& queue : workload.queue.queues) {
    if (std::find(held.begin(), held.end(), queue) != held.end()) continue;
    std::string list;
    for (const std::string& name : held) list += (list.empty() ? "" : ", ") + name;
    diagnostics.error(workload.queue.queues_pos,
                      "workload queue '" + queue + "' is not held by the broker (its queues: " +
                          list + "; set cluster.options.queues)");
  }
  // A broker's consumer settles each message with the broker itself, so there is no offset
  // it could keep beside its effects.
  if (workload.queue.consume.ack == AckPolicy::kTransactional) {
    diagnostics.error(workload.queue.consume.ack_pos,
                      "ack transactional needs the log protocol: it stores the consumer's offset "
                      "with each effect, and a broker has no offsets (with a broker, use "
                      "after-process with dedup: true)");
  }
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  config.queues = options.names("queues");
  const std::vector<std::string> dead_letter = options.names("dead_letter_queue");
  config.dead_letter_queue = dead_letter.empty() ? std::string() : dead_letter.front();
  config.visibility_timeout = options.duration("visibility_timeout");
  config.max_deliveries = static_cast<std::uint32_t>(options.integer("max_deliveries"));
  config.ttl = options.duration("ttl");
  config.ttl_queues = options.names("ttl_queues");
  config.delivery =
      options.choice("delivery") == "channel" ? Delivery::kChannel : Delivery::kVisibility;
  config.prefetch = static_cast<std::uint32_t>(options.integer("prefetch"));
  config.channel_timeout = options.duration("channel_timeout");
  config.fifo = options.flag("fifo");
  config.dedup_window = options.duration("dedup_window");
  config.sync = options.flag("sync");
  config.flush_interval = options.duration("flush_interval");
  config.replication =
      options.choice("replication") == "raft" ? Replication::kRaft : Replication::kNone;
  raft::read_consensus_options(options, cluster_size, config.raft);
  // Apart from the keys of replication none's own command log ("log/<n>").
  config.raft.disk_prefix = "raft/";
  config.raft.describe_command = describe_broker_command;
  return config;
}

}  // namespace capsim::broker
