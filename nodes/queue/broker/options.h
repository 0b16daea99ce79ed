// The options of the broker protocol: their declaration (names, defaults, help), the checks
// across options and against the workload, and the typed configuration a node is built from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nodes/common/raft/consensus_options.h"
#include "sim/diagnostics.h"
#include "sim/options.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim::broker {

// How the broker's queue state is kept on more than one node.
enum class Replication {
  kNone,  // n1 alone holds and serves every queue; the other nodes redirect to it
  kRaft,  // every node holds every queue, replicated by a Raft log; the leader serves
};

// What keeps an unacked delivery from the other consumers, and what gives it back.
enum class Delivery {
  kVisibility,  // SQS: hidden for visibility_timeout after the receive, then visible again
  kChannel,     // RabbitMQ: held on the consumer's channel until acked, or until the channel
                // goes silent for channel_timeout (the broker's heartbeat detection)
};

struct Config {
  std::vector<std::string> queues{"jobs"};
  // Where messages go when they expire or pass max_deliveries (or are rejected: a command the
  // queue message contract does not send today); "" drops them.
  // It is a queue of its own (created if `queues` does not list it) without ttl or limit.
  std::string dead_letter_queue;
  Duration visibility_timeout = std::chrono::seconds(30);
  Delivery delivery = Delivery::kVisibility;
  std::uint32_t prefetch = 0;  // kChannel: most unacked deliveries per channel; 0: no limit
  Duration channel_timeout = std::chrono::seconds(60);
  std::uint32_t max_deliveries = 0;  // 0: no limit
  Duration ttl{0};                   // 0: messages never expire
  // The queues the ttl applies to; empty: every queue but the dead-letter queue.
  std::vector<std::string> ttl_queues;
  // SQS FIFO queues: per message group (the message key) in publish order, none while an
  // earlier one of its group is in flight, and a publish of a message id already published
  // to the queue within dedup_window is accepted without being stored again.
  bool fifo = false;
  Duration dedup_window = std::chrono::minutes(5);
  bool sync = true;                  // sync every change to disk before answering
  Duration flush_interval{0};        // sync false: the disk is synced this often; 0: never
  Replication replication = Replication::kNone;
  // Replication raft: the core's options (election timeouts, heartbeat, sync_disk) and the
  // cluster size; `sync` and `flush_interval` do not apply (the core syncs its log).
  raft::ConsensusConfig raft;

  // `queues` and the dead-letter queue, each once, in that order.
  std::vector<std::string> all_queues() const;
};

// Every option with its default and one line of help, as `capsim list` shows them.
std::vector<OptionSpec> option_specs();

// Checks across options: the Raft core's (validate_consensus_options); at most one dead-letter
// queue; ttl_queues must be queues the broker holds; dedup_window only with fifo; prefetch
// and channel_timeout only with delivery channel, visibility_timeout only without it.
void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics);

// Every queue the workload names must be one the broker holds.
void validate_workload(const Options& options, const WorkloadSpec& workload,
                       Diagnostics& diagnostics);

// Requires: `options` passed validate_options.
Config config_from(const Options& options, std::uint32_t cluster_size = 1);

}  // namespace capsim::broker
