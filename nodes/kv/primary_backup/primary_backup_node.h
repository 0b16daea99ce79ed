// Primary-backup replication of a key-value store, the way many real systems started out.
//
// How it works
//   One replica is the primary. It alone serves clients: reads from its own state; writes, cas,
//   set adds and counter increments (kv_operations.h) by evaluating them on its state, appending
//   the key's new value to its log, applying it at once, and shipping the log to the backups
//   with Replicate messages. An operation is decided by the primary and logged as the write it
//   turned into (a cas as its new value, an add as the whole new set, an increment as the new
//   count), so backups never re-evaluate it. Backups copy the log in order and apply what
//   they receive; a client that reaches a backup is redirected to the primary it believes in.
//
//   mode=async  the primary answers the client as soon as the entry is logged (and synced, with
//               sync_disk). Fast, but an ok is only a promise: if the primary dies or is cut off
//               before the entry reaches a backup that later takes over, the write is gone.
//   mode=sync   the primary answers only when the required backups (Config::required_acks())
//               have confirmed the entry. A write whose confirmations never arrive gets no
//               answer at all: the client times out and records the outcome as unknown.
//               The primary's own state already holds such a write, so its reads may show it.
//
//   failover=none      n1 is primary forever. If it is down or unreachable, clients time out.
//                      When n1 restarts it opens a new epoch (its boot count) with a no-op.
//   failover=majority  a backup that hears nothing from the primary for its failover timeout
//                      (failover_timeout plus a random extra of up to as much again; the span
//                      doubles after each failed attempt, at most 8x) becomes a candidate: it
//                      increments and persists its epoch, votes for itself and asks every
//                      replica for a vote. A replica grants one vote per epoch, persisted before
//                      it answers, and only to a candidate whose log is at least as up to date as
//                      its own (later last epoch, or same last epoch and at least as long). With
//                      a majority the candidate becomes primary of that epoch and appends a
//                      no-op, so every stale suffix conflicts with the new log and gets cut.
//
//   Replication: the primary sends each backup the entries it has not sent it yet, at most
//   kMaxBatch at a time, without waiting for acks; every `heartbeat` it sends a Replicate even
//   if nothing is new, which tells backups it is alive and probes for lost messages. A backup
//   accepts a Replicate whose epoch is at least its own (adopting a newer epoch and its sender
//   as primary) and whose (prev_index, prev_epoch) matches its log. If it does not match, the
//   backup refuses with a hint by epoch, Raft's conflict-term rule: its last index when its log
//   is too short, else the epoch of its entry at prev_index and where its run of that epoch
//   starts. The primary resumes after its own last entry of that epoch, or, holding none, before
//   the backup's whole run of it. Messages are pipelined, so several refusals may answer one
//   gap: each message carries how often the primary has moved back already, and only the first
//   refusal after each move counts. An entry
//   that conflicts with the backup's log (same index, other epoch) makes the backup truncate its
//   log from there: writes an older primary acknowledged disappear, and the trace says so
//   ("pb: discarding entries i..j from epoch e"). Any replica that sees a higher epoch in any
//   message adopts it; a primary doing so steps down and follows the new primary.
//
//   Duplicates: every entry names the request it came from (client, op id), and every replica
//   keeps each client's latest request (nodes/kv/common/client_sessions.h), rebuilt from its log.
//   A primary answers a second copy of an update (the network duplicates messages) with the
//   first copy's answer, or not at all while that answer waits for confirmations: it never
//   applies an update twice.
//
//   A restarted replica rebuilds its epoch, vote and log from disk and comes back as a backup
//   (except n1 under failover=none). With sync_disk=false nothing is synced, so a crash loses
//   the log, the epoch and the vote: a teaching option that breaks the guarantees below.
//
// What it guarantees, and what it does not (the checkers show both)
//   - At most one primary per epoch (one durable vote per replica per epoch, majority quorums),
//     and a log entry (index, epoch) has the same content on every replica that holds it.
//   - Replicas that have heard the same primary long enough hold equal logs and equal states
//     (state_digest() agrees): convergence after heal.
//   - failover=none with sync_disk, in either mode: only n1 ever decides, so histories are
//     linearizable and nothing acknowledged is lost; while n1 is unreachable, everything stops,
//     and in sync mode with acks=0 so do writes while any backup is.
//   - failover=majority, sync with 1 + acks a majority: an acknowledged write is on a majority,
//     and the vote rule elects only a replica that holds it, so it survives failover.
//   - failover=majority, async: acknowledged writes can be lost on failover (lost writes).
//   - failover=majority, any mode: a deposed primary cut off by a partition still believes it
//     is primary and serves reads on its side (stale reads); in async mode it also acks writes
//     that will be discarded (split brain).
//
// Bounds: Replicate carries at most kMaxBatch entries; at most kMaxPending client operations
// wait for confirmations (beyond that the primary answers kFail "overloaded").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "nodes/kv/common/client_sessions.h"
#include "nodes/kv/common/kv_operations.h"
#include "nodes/kv/primary_backup/log.h"
#include "nodes/kv/primary_backup/messages.h"
#include "nodes/kv/primary_backup/options.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"
#include "sim/value.h"

namespace capsim::pb {

// Client operations waiting in sync mode for backup confirmations, at most.
constexpr std::size_t kMaxPending = 10'000;

// Timer names.
inline constexpr std::string_view kHeartbeatTimer = "heartbeat";
inline constexpr std::string_view kFailoverTimer = "failover";

enum class Role {
  // Copies the primary's log. Every replica starts as a backup except the first primary (n1 on
  // its first start, and n1 on every start under failover=none). A primary or candidate
  // becomes a backup when it sees a higher epoch, or (candidate) a Replicate of its own epoch.
  kBackup,
  // Asking for votes. Entered from kBackup or kCandidate when the failover timer fires; left
  // for kPrimary with a majority, or for kBackup on news of an epoch at least as new.
  kCandidate,
  // Serves clients and replicates. Entered with a majority of votes (or at start, see kBackup);
  // left only by seeing a higher epoch, or by a crash.
  kPrimary,
};

class PrimaryBackupNode final : public Node {
 public:
  PrimaryBackupNode(NodeId self, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  bool is_leader() const override { return role_ == Role::kPrimary; }
  // The applied state, sorted by key: "k1=3;k2=7" ("" when empty).
  std::string state_digest() const override;

  Role role() const { return role_; }
  Epoch epoch() const { return epoch_; }
  // The primary this replica believes in (itself when primary); kNoNode if unknown.
  NodeId primary() const { return primary_; }
  const Log& log() const { return log_; }
  // The applied value of `key`; nil if never written.
  Value value_of(const std::string& key) const;

 private:
  // What the primary knows about one backup in the current epoch.
  struct Progress {
    Index next_index = 1;   // the first entry not sent yet (sent ones may still be in flight)
    Index match_index = 0;  // the backup confirmed it agrees up to here
    std::uint64_t rewinds = 0;  // times a refusal moved next_index back (sent with each message)
  };
  // A sync-mode client operation waiting for its entry to be confirmed.
  struct PendingReply {
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
  };

  // Clients (primary_backup_node.cc).
  void on_client_request(Context& ctx, NodeId from, const ClientRequest& request);
  void append_client_entry(Context& ctx, NodeId from, const ClientRequest& request, Value value);
  void reply(Context& ctx, NodeId to, ClientReply reply) const;

  // Replication (replication.cc).
  void on_replicate(Context& ctx, NodeId from, const Replicate& message);
  void on_replicate_ack(Context& ctx, NodeId from, const ReplicateAck& message);
  void on_heartbeat_timer(Context& ctx);
  void send_replicate(Context& ctx, NodeId backup);
  void replicate_to_all(Context& ctx);
  // Appends the entries after prev that the log lacks, truncating a conflicting suffix first.
  // Returns true if anything was removed.
  bool merge_entries(Context& ctx, const Replicate& message);
  void advance_commit(Context& ctx);

  // Election and epochs (failover.cc).
  void on_request_vote(Context& ctx, NodeId from, const RequestVote& message);
  void on_vote(Context& ctx, NodeId from, const Vote& message);
  void on_failover_timer(Context& ctx);
  void start_election(Context& ctx);
  void become_primary(Context& ctx, bool append_noop);
  // Moves to `epoch` (> epoch_) with no vote, persisted. A primary or candidate steps down.
  void adopt_epoch(Context& ctx, Epoch epoch, NodeId new_primary);
  void become_backup(Context& ctx, NodeId new_primary);
  void arm_failover_timer(Context& ctx);
  bool uses_failover() const { return config_.failover == Failover::kMajority; }

  // Persistence and state machine (primary_backup_node.cc).
  void persist_epoch_and_vote(Context& ctx) const;
  void persist(Context& ctx) const;  // syncs the disk when sync_disk is on
  void apply(const Entry& entry);
  void rebuild_state();
  std::uint32_t majority() const { return config_.cluster_size / 2 + 1; }

  NodeId self_;
  Config config_;
  Role role_ = Role::kBackup;
  Epoch epoch_ = 1;
  NodeId voted_for_ = kNoNode;  // in epoch_
  NodeId primary_ = kNoNode;
  Log log_;
  kv::KvState state_;  // applied from log_ in order
  // Each client's latest update: rebuilt from log_ (which names each entry's request), plus the
  // answers this replica gave as primary that made no entry (failures). Reads are not kept.
  kv::ClientSessions sessions_;

  // Primary only.
  std::map<NodeId, Progress> progress_;  // every backup, by id
  Index commit_index_ = 0;
  std::map<Index, PendingReply> pending_;  // sync mode: by the entry's index

  // Candidate only.
  std::set<NodeId> votes_;
  std::uint32_t failed_elections_ = 0;  // since last hearing from a primary; widens the timeout
};

// The registry entry: name "primary-backup", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::pb
