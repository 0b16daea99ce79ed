// Messages between the brokers of the log protocol and its controller (n1). Producers and
// consumers use the shared messages of sim/client/queue_messages.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/queue/log/partition_log.h"
#include "sim/node.h"

namespace capsim::log {

// The controller's record of one partition's leadership.
struct PartitionState {
  NodeId leader = kNoNode;     // kNoNode: offline (no eligible replica alive)
  Epoch leader_epoch = 0;      // bumped by every leadership change
  std::vector<NodeId> isr;     // in-sync replicas, ascending; never empty once started
  std::uint64_t partition_epoch = 0;  // bumped by every change at all (Kafka's partition epoch)
  friend bool operator==(const PartitionState&, const PartitionState&) = default;
};

// Broker -> controller, every heartbeat interval: "I am alive". `incarnation` counts the
// broker's starts; a new one tells the controller the broker restarted and may have lost its
// unsynced log, so it is taken out of the ISRs and leadership as if its session had lapsed.
struct BrokerHeartbeat {
  static constexpr std::string_view kKind = "log.broker_heartbeat";
  std::uint64_t incarnation = 0;
  std::string describe() const;
};

// Controller -> broker: the state of every partition, by global index. The answer to each
// heartbeat and to each AlterPartition, and pushed to every broker on each change. A broker
// takes a partition's state only if it is newer than its own (higher leader epoch, or the same
// leader epoch and a higher partition epoch), so a late copy changes nothing.
struct MetadataUpdate {
  static constexpr std::string_view kKind = "log.metadata";
  std::vector<PartitionState> partitions;
  std::string describe() const;
};

// Follower -> leader: "send me `partition` from `fetch_offset`" (Kafka's replica fetch). The
// follower's last epoch lets the leader detect a log that diverged from its own (KIP-320).
struct ReplicaFetch {
  static constexpr std::string_view kKind = "log.fetch";
  std::uint32_t partition = 0;
  Epoch leader_epoch = 0;        // the follower's view of the current leader epoch
  Offset fetch_offset = 0;       // the follower's log end offset
  Epoch last_fetched_epoch = 0;  // the epoch of its last entry; 0 for an empty log
  std::uint64_t fetch_id = 0;    // echoed, so a late reply to an older fetch is recognised
  std::string describe() const;
};

enum class FetchError {
  kNone,
  kFencedEpoch,   // the follower's leader epoch is older than the leader's: await metadata
  kNotLeader,     // the receiver does not lead in that epoch (it is behind or deposed)
};

struct ReplicaFetchReply {
  static constexpr std::string_view kKind = "log.fetch_reply";
  std::uint32_t partition = 0;
  Epoch leader_epoch = 0;
  std::uint64_t fetch_id = 0;
  FetchError error = FetchError::kNone;
  // The follower's log parts from the leader's: the leader's end_offset_for_epoch of the
  // follower's last epoch. The follower truncates (divergence_point) and fetches again.
  bool diverging = false;
  Epoch diverging_epoch = 0;
  Offset diverging_end = 0;
  std::vector<LogEntry> entries;  // from fetch_offset, at most kMaxFetchBatch
  Offset high_watermark = 0;
  Offset leader_end = 0;          // the leader's log end offset
  std::string describe() const;
};

// Leader -> controller: "make the ISR of `partition` this" (Kafka's AlterPartition), valid only
// for the leader epoch and partition epoch the leader last saw. Answered with MetadataUpdate.
struct AlterPartition {
  static constexpr std::string_view kKind = "log.alter_partition";
  std::uint32_t partition = 0;
  Epoch leader_epoch = 0;
  std::uint64_t partition_epoch = 0;
  std::vector<NodeId> isr;  // ascending
  std::string describe() const;
};

// The most entries one fetch reply carries to a follower, and to a consumer (whose `max` may
// ask for fewer): a lagging follower or a drain catches up page by page.
constexpr std::size_t kMaxFetchBatch = 100;
constexpr std::size_t kMaxConsumerFetch = 1000;

// "n1", "none"; "[n1 n3]".
std::string node_name(NodeId id);
std::string node_list(const std::vector<NodeId>& ids);

}  // namespace capsim::log
