// Raft consensus for any replicated state machine: the replicas of a group agree on one log of
// commands and apply it, in order, to their copies of the state machine.
//
// How it works
//   Time is divided into terms. In each term at most one replica leads; the others follow. A
//   follower that hears nothing from a leader for its election timeout (drawn uniformly from
//   election_timeout_min..election_timeout_max each time it is armed, so that replicas rarely
//   time out together) becomes a candidate: it moves to the next term, votes for itself and asks
//   every replica for a vote. A replica grants one vote per term, and only to a candidate whose
//   log is at least as up to date as its own (a later last term, or the same last term and at
//   least as long). Term and vote are synced to disk before the answer leaves, so a restart
//   cannot make a replica vote twice in one term. A candidate with votes from a majority leads
//   that term; the first thing it does is append a no-op entry of its own term.
//
//   Any message carrying a higher term makes its receiver adopt that term, and a leader or
//   candidate that adopts one steps down to follower. One exception protects a live leader: a
//   replica that is the leader, or heard from one less than election_timeout_min ago (or
//   restarted less than that ago), ignores a RequestVote of a higher term. This keeps a replica
//   that was cut off and keeps starting elections from deposing a healthy leader, and it is what
//   makes leases safe (see below).
//
//   The leader appends each command its host submits to its log and sends followers the
//   entries they lack in AppendEntries messages (at most kMaxBatch at a time, pipelined), and an
//   AppendEntries every `heartbeat` even when nothing is new. A follower accepts the message only
//   if its log holds the entry just before the new ones with the same term (the consistency
//   check); otherwise it refuses with a hint of where the leader should resume. An entry that
//   conflicts with the follower's log (same index, other term) makes the follower truncate its
//   log from there; such entries were never committed. The follower syncs what it appended
//   before it replies.
//
//   An entry is committed once a majority of replicas hold it, but the leader counts replicas
//   only for entries of its own term; an older entry becomes committed when a later entry of the
//   current term does (this is why the new leader's no-op matters: it commits what earlier
//   leaders left behind). Replicas apply committed entries in log order to their state machine.
//   Entries record the command, not its result: every replica evaluates a command when it
//   applies it, which is deterministic, and the leader hands its own result to its host, which
//   answers the client. Entries carry the client and op id, and the core keeps each client's
//   latest result (nodes/common/session_table.h), so a request the network delivered twice
//   takes effect once and its copy gets the first one's result.
//
//   A leader that steps down drops its waiting submissions without a result: whether they
//   commit is not its decision any more, so their clients should time out and record the
//   outcome as unknown.
//
// Read barriers
//   A host that serves reads without writing them to the log asks for a barrier first and
//   serves the read when it passes:
//   read-index  the leader notes its commit index (at least its no-op), sends a heartbeat round,
//               and passes the barrier once a majority acknowledged that round (so no newer
//               leader existed when the barrier was asked for) and its state machine has applied
//               up to the noted index. Linearizable without writing the log; costs a round trip
//               to a majority.
//   lease       after a majority acknowledged a round, the leader passes barriers alone until
//               `lease` has passed on its own clock since it sent that round; without a lease it
//               falls back to read-index. Safe because followers that acknowledged will not
//               vote for another leader within election_timeout_min of hearing from this one,
//               and lease < election_timeout_min. It trusts clocks: a clock that jumps or runs at
//               another rate can make a deposed leader pass barriers it should not.
//   A barrier fails when its leader steps down.
//
// What it guarantees (the tests and scenario checks verify these)
//   - Election safety: at most one leader per term (one durable vote per replica per term,
//     majorities intersect). Trace note: "raft: n3 leader of term 5".
//   - Log matching: two logs holding an entry with the same index and term agree on it and on
//     everything before. Replicas note a running hash of their applied log every kChainEvery
//     entries ("raft: n2 applied 32@5 chain 0x..."), so the committed prefixes can be compared.
//   - Leader completeness and state machine safety: a committed entry is in the log of every
//     later leader, and no two replicas apply different entries at one index.
//   - sync_disk=false breaks all of this across crashes: a restarted replica forgets its term,
//     vote and log, so it may vote twice in a term and committed entries can vanish
//     ("raft: n2 loses committed entries from 7"; the state machine is then reset and rebuilt).
//
// How a host uses it
//   The host is the Node; it owns a state machine and a Consensus, hands the core every message
//   and timer (the core says whether it was one of its own), submits commands while it leads,
//   and answers its clients from the callbacks of raft::Host (host.h):
//
//     class QueueNode final : public Node, raft::Host {
//       QueueState queue_;                            // a raft::StateMachine
//       raft::Consensus raft_{self, config, queue_, *this};
//       void on_start(Context& ctx) override { raft_.on_start(ctx); }
//       void on_timer(Context& ctx, std::string_view name) override { raft_.on_timer(ctx, name); }
//       void on_message(Context& ctx, NodeId from, const Message& message) override {
//         if (raft_.on_message(ctx, from, message)) return;    // raft.* messages
//         if (const auto* send = message.as<Send>()) {
//           if (!raft_.is_leader()) return redirect(ctx, from, raft_.leader());
//           raft_.submit(ctx, from, send->op_id, encode(*send));  // answered in on_applied
//         }
//       }
//       void on_applied(Context& ctx, const raft::Entry& entry,
//                       const raft::Result& result) override {
//         ctx.send(entry.client, reply_for(entry, result));
//       }
//       void on_barrier_passed(Context& ctx, raft::BarrierId id) override { /* serve read id */ }
//       void on_barrier_failed(Context& ctx, raft::BarrierId id) override { /* refuse it */ }
//     };
//
//   The core uses the timers "election" and "heartbeat", the message kinds raft.*, and the disk
//   keys under ConsensusConfig::disk_prefix; the host keeps clear of them. Trace notes start
//   with "raft: ", and elections, step-downs, truncations, lost commits and torn logs are
//   also told to the run's story (Context::record_event).
//
// Bounds: AppendEntries carries at most kMaxBatch entries; at most kMaxOpenRounds unconfirmed
// rounds are remembered. The host bounds what it submits (waiting()). The log is never
// compacted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "nodes/common/raft/consensus_options.h"
#include "nodes/common/raft/entry.h"
#include "nodes/common/raft/host.h"
#include "nodes/common/raft/log.h"
#include "nodes/common/raft/messages.h"
#include "nodes/common/raft/state_machine.h"
#include "nodes/common/session_table.h"
#include "sim/node.h"

namespace capsim::raft {

// A replica notes the running hash of its applied log every this many entries.
constexpr Index kChainEvery = 16;
// Unconfirmed confirmation rounds a leader remembers the send time of, at most.
constexpr std::size_t kMaxOpenRounds = 1024;

// Timer names.
inline constexpr std::string_view kElectionTimer = "election";
inline constexpr std::string_view kHeartbeatTimer = "heartbeat";

enum class Role {
  // Copies the leader's log. Every replica starts (and restarts) as a follower; a candidate or
  // leader becomes one on seeing a higher term, a candidate also on an AppendEntries of its term.
  kFollower,
  // Asking for votes. Entered from kFollower or kCandidate when the election timer fires; left
  // for kLeader with a majority of votes, or for kFollower on news of a current leader.
  kCandidate,
  // Serves clients and replicates. Entered with a majority of votes; left only on seeing a
  // higher term, or by a crash.
  kLeader,
};

// What a read barrier waits for (see "Read barriers" above).
enum class BarrierKind {
  kReadIndex,  // a majority confirms a round sent after the barrier was asked for
  kLease,      // passes at once while the lease holds; otherwise as kReadIndex
};

class Consensus {
 public:
  // `machine` and `host` must outlive the core (they are usually the node that owns it).
  Consensus(NodeId self, ConsensusConfig config, StateMachine& machine, Host& host);

  // Loads term, vote and log from the disk and starts as a follower. Call from Node::on_start.
  void on_start(Context& ctx);
  // Handles `message` if it is one of the core's (RequestVote, AppendEntries and their
  // replies) and returns true; returns false, doing nothing, for any other message.
  bool on_message(Context& ctx, NodeId from, const Message& message);
  // Handles the core's timers and returns true; returns false for any other name.
  bool on_timer(Context& ctx, std::string_view name);

  // Appends `command` on behalf of (client, op_id) and replicates it; once applied, its result
  // comes back through Host::on_applied (unless this replica stops leading first, or the entry
  // is an old copy of a request its client has moved on from: then no call). Returns its index.
  // Requires: is_leader(), !command.empty().
  Index submit(Context& ctx, NodeId client, std::uint64_t op_id, std::string command);
  // Asks for read barrier `id`; Host::on_barrier_passed or on_barrier_failed follows, maybe
  // before this returns. Requires: is_leader().
  void read_barrier(Context& ctx, BarrierId id, BarrierKind kind);
  // Submissions not yet applied plus barriers not yet passed (0 unless leader).
  std::size_t waiting() const { return submitted_.size() + barriers_.size(); }

  bool is_leader() const { return role_ == Role::kLeader; }
  Role role() const { return role_; }
  Term term() const { return term_; }
  NodeId voted_for() const { return voted_for_; }
  // The leader this replica believes in (itself when leader); kNoNode if unknown.
  NodeId leader() const { return leader_; }
  const Log& log() const { return log_; }
  Index commit_index() const { return commit_index_; }
  Index last_applied() const { return last_applied_; }
  // True while a confirmed round lets this leader pass lease barriers alone.
  bool holds_lease(const Context& ctx) const;
  const ConsensusConfig& config() const { return config_; }

 private:
  // What the leader knows about one follower in the current term.
  struct Progress {
    Index next_index = 1;       // the first entry not sent yet (sent ones may still be in flight)
    Index match_index = 0;      // the follower confirmed its log agrees up to here
    std::uint64_t round = 0;    // the latest confirmation round it acknowledged
    std::uint64_t rewinds = 0;  // times next_index was moved back after a refusal
  };
  // A read barrier waiting for its confirmation round and for the state to catch up.
  struct Barrier {
    BarrierId id = 0;
    Index read_index = 0;     // pass once last_applied_ reaches it
    std::uint64_t round = 0;  // ...and a majority acknowledged this round (0: already confirmed)
  };

  // Read barriers and confirmation rounds (read_barrier.cc).
  // Recomputes the round a majority acknowledged, extends the lease, passes ready barriers.
  void on_round_progress(Context& ctx);
  void pass_ready_barriers(Context& ctx);
  void fail_barriers(Context& ctx);

  // Replication (replication.cc).
  void on_append_entries(Context& ctx, NodeId from, const AppendEntries& message);
  void on_append_entries_reply(Context& ctx, NodeId from, const AppendEntriesReply& message);
  void on_heartbeat_timer(Context& ctx);
  // Starts a confirmation round: an AppendEntries to every follower.
  void broadcast_round(Context& ctx);
  void send_append_entries(Context& ctx, NodeId follower);
  // Appends what the log lacks after the consistency check passed, truncating a conflicting
  // suffix first. Returns true if the log changed.
  bool merge_entries(Context& ctx, const AppendEntries& message);

  // Commitment and applying (commitment.cc).
  void advance_commit(Context& ctx);
  void apply_committed(Context& ctx);
  void apply(Context& ctx, const Entry& entry);
  // Empties the applied state, to be rebuilt from the log's first entry on.
  void reset_applied_state();

  // Elections and terms (election.cc).
  void on_request_vote(Context& ctx, NodeId from, const RequestVote& message);
  void on_request_vote_reply(Context& ctx, NodeId from, const RequestVoteReply& message);
  void on_election_timer(Context& ctx);
  void start_election(Context& ctx);
  void become_leader(Context& ctx);
  // Moves to `term` (> term_) with no vote, persisted; a leader or candidate steps down.
  void adopt_term(Context& ctx, Term term, NodeId new_leader);
  void become_follower(Context& ctx, NodeId new_leader);
  void arm_election_timer(Context& ctx);
  // True while a vote for another candidate could depose a live leader (see the overview).
  bool trusts_current_leader(const Context& ctx) const;

  // Persistence (consensus.cc).
  void persist_term_and_vote(Context& ctx) const;
  void sync(Context& ctx) const;  // syncs the disk when sync_disk is on

  NodeId self_;
  ConsensusConfig config_;
  StateMachine& machine_;
  Host& host_;
  Role role_ = Role::kFollower;
  Term term_ = 0;
  NodeId voted_for_ = kNoNode;  // in term_
  NodeId leader_ = kNoNode;
  Log log_;
  Index commit_index_ = 0;
  Index last_applied_ = 0;
  SessionTable<Result> sessions_;    // each client's latest applied request and its result
  std::uint64_t applied_chain_ = 0;  // running hash of the applied entries
  Time leader_contact_at_{0};        // when we last heard a leader (or started)

  // Leader only.
  std::map<NodeId, Progress> progress_;          // every follower, by id
  Index noop_index_ = 0;                         // this term's no-op
  std::set<Index> submitted_;                    // entries of this term the host waits for
  std::deque<Barrier> barriers_;                 // in the order asked
  std::uint64_t round_ = 0;                      // the latest confirmation round sent
  std::uint64_t confirmed_round_ = 0;            // the latest one a majority acknowledged
  std::map<std::uint64_t, Time> round_sent_at_;  // unconfirmed rounds, bounded
  Time lease_until_{0};

  // Candidate only.
  std::set<NodeId> votes_;
};

}  // namespace capsim::raft
