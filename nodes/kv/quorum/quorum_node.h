// A Dynamo-style quorum key-value store: leaderless replication with tunable n, r and w.
//
// How it works
//   Placement. Each key lives on n replicas: the first n distinct nodes met walking clockwise
//   from the key's hash on a consistent-hashing ring where every node owns `vnodes` points
//   (ring.h). Every node computes the same placement on its own.
//
//   Coordination. A client may send any request to any node; that node coordinates it. A read
//   asks the key's n replicas for their versions and answers once r of them replied, with the
//   newest value among the replies (versions.h says what "newest" means). A write makes a new
//   version and sends it to the n replicas; it answers ok once w of them have reconciled it
//   into their store and synced it to disk. `add` (sets) and `increment` (counters) are
//   read-modify-write at the coordinator: read from r replicas, apply the operation to the
//   value read (nodes/kv/common/kv_operations.h), write the result to w. Two such operations
//   that overlap both read the same value, so under lww one of them is lost (the counter ends
//   one increment short, the set one element short); under siblings, adds survive as siblings
//   and merge by set union, increments do not (see versions.h). `cas` is not something
//   Dynamo offers: it fails at once with "cas is not supported by quorum".
//
//   Failure. A coordinator that does not reach its quorum within request_timeout gives up. A
//   read then answers kFail (a read changes nothing, so failing it is always true). A write
//   that sent its version anywhere may have taken effect on some replica, which later reads may
//   see; it therefore gets no answer at all, and the client's timeout records it as unknown.
//
//   Duplicates. A coordinator keeps each client's latest update (session_store.h, in memory
//   and, once answered, on disk): a second copy of a request the network duplicated gets the
//   first copy's answer, or none while the first is under way, and never starts a second
//   operation, which would apply an increment or an add twice (only a copy of a request still
//   under way when the coordinator crashed starts anew). Replicas need no such table: a version is named by its dot, and
//   reconciling the same version twice keeps one copy (versions.h).
//
//   Conflicts. conflict=lww keeps one version per key, the one with the latest coordinator
//   clock (ctx.now()): a coordinator whose clock runs behind writes versions that lose to older
//   ones, so acknowledged writes vanish. conflict=siblings tracks causality with dotted vector
//   clocks (vector_clock.h) and keeps concurrent versions side by side; reads merge them.
//
//   Options that trade latency and availability for consistency, each on its own:
//   - sloppy: a replica silent for replica_timeout is suspected down; the coordinator writes
//     (and reads) the next healthy node on the ring instead, which keeps the version as a hint
//     and hands it off when the intended replica answers again (hint_store.h). Writes and reads
//     then succeed on both sides of a partition, as long as each side has r (w) nodes.
//   - read_repair: replicas that answered a read with older versions (before or after the
//     reply, until request_timeout) are sent the newest.
//   - anti_entropy: every interval a node sends one peer (in turn) a summary of the keys both
//     replicate, one hash per key; they exchange the versions that differ (anti_entropy.cc).
//   - read_writeback: before answering, a read writes the versions it found back to w nodes
//     (the ABD register algorithm).
//
// What it guarantees (and what the checkers show)
//   - r + w > n, strict quorum, with read_writeback, conflict=lww and clocks without skew: reads
//     and writes of a register are linearizable. The write-back makes any value a read returns
//     present on a write quorum, which every later read quorum intersects; lww timestamps from
//     the coordinator's clock order non-overlapping writes in real time (only with no skew).
//   - r + w > n without read_writeback: not linearizable. A write that reached fewer than w
//     replicas (or has not reached them all yet) is seen by one read and missed by a later one.
//   - r + w <= n, or sloppy: reads may miss acknowledged writes (stale reads), the quorums need
//     not intersect. Sloppy quorums stay available on both sides of a partition.
//   - conflict=lww with clock skew: acknowledged writes can be lost for good.
//   - Convergence: once no more writes arrive, and with anti_entropy on (or every key read with
//     read_repair, or every hint handed off), every replica of a key holds the same versions.
//     state_digest() lists only the keys a node is a preferred replica of, so with n equal to
//     the cluster size all digests agree after convergence; with n smaller, nodes replicate
//     different keys and their digests differ by design: compare the n replicas of each key.
//
// Bounds: at most kMaxPending operations are coordinated at once (beyond that, kFail
// "overloaded"); handoff and anti-entropy messages carry at most kMaxBatch keys each.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "nodes/kv/common/session_store.h"
#include "nodes/kv/quorum/coordinator.h"
#include "nodes/kv/quorum/hint_store.h"
#include "nodes/kv/quorum/messages.h"
#include "nodes/kv/quorum/options.h"
#include "nodes/kv/quorum/replica_store.h"
#include "nodes/kv/quorum/ring.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::quorum {

// Operations one node coordinates at once, at most.
constexpr std::size_t kMaxPending = 10'000;

// Timer names.
inline constexpr std::string_view kDeadlineTimer = "deadline";
inline constexpr std::string_view kHandoffTimer = "handoff";
inline constexpr std::string_view kAntiEntropyTimer = "anti_entropy";

class QuorumNode final : public Node {
 public:
  // Requires: ring built for config.cluster_size nodes; self < config.cluster_size.
  QuorumNode(NodeId self, Config config, std::shared_ptr<const Ring> ring);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  // The keys this node is a preferred replica of, in key order, each with the value a read of
  // its versions returns: "k1=3;k2=[1 2]". Siblings show as "{3|5}". Hints are not included.
  std::string state_digest() const override;

  // For tests and observers.
  const ReplicaStore& store() const { return store_; }
  const HintStore& hints() const { return hints_; }
  std::size_t pending_operations() const { return operations_.size(); }
  bool is_suspected(Context& ctx, NodeId node) const;

 private:
  // Dispatch (quorum_node.cc).
  void dispatch(Context& ctx, NodeId from, const Message& message);
  // Sends to another node, or queues for this node's own handlers (no network hop).
  void send_to(Context& ctx, NodeId to, Message message);
  void drain_local(Context& ctx);

  // Coordinator (coordinator.cc).
  void on_client_request(Context& ctx, NodeId from, const ClientRequest& request);
  void on_read_reply(Context& ctx, NodeId from, const ReplicaReadReply& reply);
  void on_write_ack(Context& ctx, NodeId from, const ReplicaWriteAck& ack);
  void on_deadline_timer(Context& ctx);
  void start_phase(Context& ctx, Operation& op, Phase phase);
  void send_phase_request(Context& ctx, const Operation& op, const Target& target);
  void finish_read_phase(Context& ctx, Operation& op);
  void finish_write_phase(Context& ctx, Operation& op);
  void give_up_on_silent_targets(Context& ctx, Operation& op);
  void expire(Context& ctx, Operation& op);
  void repair(Context& ctx, const Operation& op, NodeId node, const Versions& seen);
  void answer(Context& ctx, const Operation& op, ClientReply reply);
  void add_deadline(Context& ctx, Time at, std::uint64_t op_id);
  Version new_version(Context& ctx, Value value, const Versions& based_on);

  // Replica (replica.cc).
  void on_replica_read(Context& ctx, NodeId from, const ReplicaRead& request);
  void on_replica_write(Context& ctx, NodeId from, const ReplicaWrite& request);
  Versions local_versions(const std::string& key) const;

  // Hinted handoff (handoff.cc).
  void on_hint_handoff(Context& ctx, NodeId from, const HintHandoff& message);
  void on_hint_handoff_ack(Context& ctx, NodeId from, const HintHandoffAck& message);
  void on_handoff_timer(Context& ctx);
  void arm_handoff_timer(Context& ctx);

  // Anti-entropy (anti_entropy.cc).
  void on_anti_entropy_timer(Context& ctx);
  void on_anti_entropy_summary(Context& ctx, NodeId from, const AntiEntropySummary& message);
  void on_anti_entropy_reply(Context& ctx, NodeId from, const AntiEntropyReply& message);
  void on_anti_entropy_push(Context& ctx, NodeId from, const AntiEntropyPush& message);
  // Reconciles versions received for keys this node replicates; syncs. Returns keys changed.
  std::size_t absorb(Context& ctx, const KeyVersions& versions);

  bool is_preferred(const std::string& key, NodeId node) const {
    return ring_->is_preferred(key, node, config_.n);
  }

  NodeId self_;
  Config config_;
  std::shared_ptr<const Ring> ring_;
  ReplicaStore store_{"data/"};
  HintStore hints_;
  std::uint64_t write_counter_ = 0;  // the counter of this node's last dot (persisted)

  // Coordinator state.
  kv::SessionStore sessions_;  // each client's latest update and its answer, also on disk
  std::uint64_t next_op_ = 1;
  std::map<std::uint64_t, Operation> operations_;
  std::set<std::pair<Time, std::uint64_t>> deadlines_;  // (when, operation)
  std::map<NodeId, Time> suspected_until_;

  bool handoff_armed_ = false;       // the handoff timer is set
  NodeId anti_entropy_cursor_ = 0;  // the last peer asked
  std::deque<Message> local_;       // messages to self, handled after the current handler
  bool draining_ = false;
};

// The registry entry: name "quorum", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::quorum
