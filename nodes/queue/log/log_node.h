// A Kafka-style replicated log: topics split into partitions, each an append-only log of
// messages copied from a leader to followers, with the leader's in-sync replica set (ISR)
// deciding what is committed.
//
// How it works
//   Placement (placement.h) is fixed by the configuration: each partition has
//   replication_factor replicas. The controller (controller.h, on n1) elects one replica of
//   each partition as leader for a leader epoch and tells every broker (MetadataUpdate). Every
//   broker heartbeats to the controller; a broker silent for session_timeout is fenced and its
//   partitions get new leaders, from the ISR (or, with unclean_leader_election, from any live
//   replica).
//
//   Producing. A producer publishes to the leader of the partition (QueuePublish); any other
//   node redirects it (kRedirect, leader_hint) or refuses it when no leader is known. The
//   partition is the one the producer names; else, for a keyed message, partition_for_key(key,
//   partitions) (sim/client/partition_for_key.h); else, for an unkeyed one, the receiving node
//   picks round-robin among the topic's partitions it leads (redirecting round-robin when it
//   leads none). The leader stamps each entry with its epoch and appends it. acks=0 answers at
//   once, before the append (no offset); acks=1 after the leader's append; acks=all once the
//   high watermark has passed the entry, and only if the ISR is at least min_insync_replicas
//   when the publish arrives (else kFail refused "not enough in-sync replicas", nothing
//   appended). A publish whose fate the leader cannot tell (it lost leadership, or the ISR
//   shrank below the minimum after the append) gets no answer: the producer's timeout makes it
//   an info.
//
//   Idempotent producers (producer_id != 0) are deduplicated per (producer, partition) over the
//   last 5 appends (producer_state.h): a retry is answered with its original offset and
//   duplicate=true; a sequence gap is refused (kFail answered "out of order sequence").
//
//   Replication is pulled: every follower fetches from its leader (ReplicaFetch) from its log
//   end offset, naming the epoch of its last entry; at once again while the leader has more,
//   else every replica_fetch_interval. The leader records each follower's end offset and when
//   it was last caught up (Kafka's lastCaughtUpTimeMs: at this fetch if it reached the leader's
//   end, at the previous fetch if it reached the end the leader had then). A follower that is
//   neither at the leader's end nor caught up within replica_lag_time_max leaves the ISR; one
//   that reaches the high watermark and the start of the leader's epoch rejoins. The leader
//   proposes each change to the controller (AlterPartition), one at a time; until the
//   controller's metadata settles it (accepted, or overtaken), the high watermark counts the
//   larger set (the old ISR while shrinking, the new one while expanding). An answer that does
//   not come is asked for again with the same proposal, never given up on: the controller may
//   have accepted it, and may elect the new member next (KIP-497's maximal ISR).
//
//   The high watermark (HW) is the smallest log end offset over that ISR, and advances only
//   while the ISR has at least min_insync_replicas members (KAFKA-15583). Entries below it are
//   committed: consumers read only those (LogFetch), and followers learn the HW with their next
//   fetch, one round trip late.
//
//   Leader epochs (KIP-101, KIP-320): a follower's fetch names its last entry's epoch; if the
//   leader's log ends that epoch earlier (or lacks it), the reply says where its log ends for
//   that epoch and the follower truncates to the point where the logs part
//   (partition_log.h: divergence_point), then fetches again. That is how messages an old leader
//   acknowledged with acks=1, and no follower copied, vanish after a failover.
//
//   Consumer groups (group_coordinator.h) live on n1 too: GroupJoin assigns partitions for a
//   generation, GroupHeartbeat keeps membership, OffsetCommit stores positions, fenced by the
//   generation. Consumers fetch from the partition leaders.
//
//   Durability: flush=every syncs the log after every append and truncation, flush=interval
//   every flush_interval, flush=never not at all (Kafka's default: replication instead of
//   fsync), so a crash loses the unsynced suffix, or the whole log. A restarted broker tells the
//   controller with a new incarnation; the controller takes it out of the ISRs and leadership,
//   and it catches up as a follower. Controller and group state are always synced.
//
// What it guarantees, and what it does not (the checkers show both)
//   - acks=all with unclean_leader_election=false: an acknowledged message is on every ISR
//     member, and a new leader comes from the ISR, so it survives a failover, as long as one ISR
//     member keeps it (with flush=never a crash of every ISR member loses it).
//   - acks=1: a message the leader acknowledged before any follower fetched it is lost when that
//     leader fails or is cut off and another is elected; a leader cut off from the controller
//     keeps acknowledging (it does not know it was replaced) and loses all of those.
//   - unclean_leader_election=true: a replica outside the ISR may lead; what it lacks is lost,
//     committed or not.
//   - Consumers see only committed entries, in offset order per partition.
//   - The controller is a single point of failure (controller.h says what happens without it).
//
// Roles for faults: is_leader() is true on the node that believes it leads partition 0 of the
// first topic (a deposed leader cut off from the controller still believes so), so `crash:
// leader` and a leader partition hit the partition that the scenarios produce to. It starts on
// n2, not on the controller.
//
// state_digest(): for each partition this node holds, "topic/p=HW:hash" over the committed
// prefix (the entries below its HW: offsets, epochs, message ids), in partition order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/queue/log/controller.h"
#include "nodes/queue/log/group_coordinator.h"
#include "nodes/queue/log/messages.h"
#include "nodes/queue/log/options.h"
#include "nodes/queue/log/partition_log.h"
#include "nodes/queue/log/placement.h"
#include "nodes/queue/log/producer_state.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::log {

// Timer names.
inline constexpr std::string_view kHeartbeatTimer = "heartbeat";  // broker -> controller
inline constexpr std::string_view kSessionsTimer = "sessions";    // controller: sessions, groups
inline constexpr std::string_view kTickTimer = "tick";            // fetches, ISR checks
inline constexpr std::string_view kFlushTimer = "flush";          // flush=interval

// acks=all publishes waiting for the high watermark, per partition, at most.
constexpr std::size_t kMaxPending = 10'000;

class LogNode final : public Node {
 public:
  LogNode(NodeId self, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  bool is_leader() const override { return leads(0); }
  std::string state_digest() const override;

  // Observation, for tests.
  bool leads(PartitionIndex g) const;
  bool hosts(PartitionIndex g) const { return replicas_.count(g) != 0; }
  // This node's view of partition g's leadership.
  const PartitionState& known_state(PartitionIndex g) const { return metadata_.at(g); }
  // Requires: hosts(g).
  const PartitionLog& log_of(PartitionIndex g) const { return replicas_.at(g).log; }
  Offset high_watermark(PartitionIndex g) const { return replicas_.at(g).hw; }
  std::size_t pending_count(PartitionIndex g) const { return replicas_.at(g).pending.size(); }
  const std::vector<PartitionPlace>& places() const { return places_; }
  const Controller* controller() const { return controller_ ? &*controller_ : nullptr; }
  const GroupCoordinator* coordinator() const { return coordinator_ ? &*coordinator_ : nullptr; }

 private:
  // The leader's view of one follower, in the current epoch.
  struct FollowerProgress {
    Offset end = -1;                // its log end offset, from its last fetch; -1: unknown
    Time last_caught_up{0};         // Kafka's lastCaughtUpTimeMs
    Offset leader_end_at_last_fetch = 0;
    Time last_fetch{0};
  };
  // An acks=all publish waiting for the high watermark to pass `offset`.
  struct PendingPublish {
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
    Offset offset = 0;
    bool duplicate = false;
  };
  // One partition this broker holds a replica of.
  struct Replica {
    PartitionLog log;
    Offset hw = 0;
    ProducerState producers;
    // What is on the Disk: entries below stored_end were written, except from dirty_from on,
    // which a truncation changed since.
    Offset stored_end = 0;
    Offset dirty_from = 0;
    // Leader only.
    std::map<NodeId, FollowerProgress> followers;
    Offset epoch_start = 0;  // the log end offset when this epoch began
    std::vector<PendingPublish> pending;  // ascending offsets
    bool isr_change_in_flight = false;
    std::vector<NodeId> proposed_isr;
    std::uint64_t proposal_base = 0;  // the partition epoch the proposal was made against
    Time proposal_sent{0};
    // Follower only.
    std::uint64_t fetch_id = 0;
    bool fetch_in_flight = false;
    Time fetch_sent{0};
  };

  // Metadata and roles (log_node.cc).
  void on_metadata(Context& ctx, const MetadataUpdate& update);
  void become_leader(Context& ctx, PartitionIndex g);
  void stop_leading(Context& ctx, PartitionIndex g, const PartitionState& now_known);
  void on_isr_changed(Context& ctx, PartitionIndex g, const std::vector<NodeId>& before);
  void send_heartbeat(Context& ctx);

  // Producers and consumers (serving.cc).
  void on_publish(Context& ctx, NodeId from, const QueuePublish& message);
  void on_log_fetch(Context& ctx, NodeId from, const LogFetch& message);
  // Picks the partition (within the topic) a publish goes to; -1 when it names a bad one.
  std::int64_t partition_of(const QueuePublish& message, std::int64_t topic_first);
  void reply_publish(Context& ctx, NodeId to, std::uint64_t op_id, QueueStatus status,
                     std::int64_t partition, Offset offset, bool duplicate) const;
  void on_group_message(Context& ctx, NodeId from, const Message& message);

  // Replication (replication.cc).
  void on_tick(Context& ctx);
  void send_fetch(Context& ctx, PartitionIndex g);
  void on_replica_fetch(Context& ctx, NodeId from, const ReplicaFetch& message);
  void on_fetch_reply(Context& ctx, NodeId from, const ReplicaFetchReply& message);
  void truncate(Context& ctx, PartitionIndex g, Offset point, Epoch leader_epoch);
  void check_isr(Context& ctx, PartitionIndex g);
  void propose_isr(Context& ctx, PartitionIndex g, std::vector<NodeId> isr);
  // Sends the proposal in flight (again): the same change against the same partition epoch.
  void send_isr_proposal(Context& ctx, PartitionIndex g);
  // Moves the HW to the smallest end offset over the (maximal) ISR and answers the publishes it
  // passed.
  void advance_high_watermark(Context& ctx, PartitionIndex g);
  void flush(Context& ctx, PartitionIndex g);
  void flush_all(Context& ctx);

  NodeId self_;
  Config config_;
  std::vector<PartitionPlace> places_;
  std::uint64_t incarnation_ = 0;
  std::vector<PartitionState> metadata_;    // by global index: this broker's view
  std::map<PartitionIndex, Replica> replicas_;  // the partitions hosted here
  std::optional<Controller> controller_;        // n1 only
  std::optional<GroupCoordinator> coordinator_;  // n1 only
  std::uint64_t round_robin_ = 0;               // unkeyed publishes
};

// The registry entry: name "log", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::log
