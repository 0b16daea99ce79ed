// Raft: a replicated key-value store whose replicas agree on one log of client operations.
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
//   The leader accepts each client operation by appending it to its log and sends followers the
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
//   leaders left behind). Replicas apply committed entries in log order to their key-value
//   state. Entries record the operation, not its result: a cas or an increment is evaluated on
//   every replica when it is applied (nodes/kv/common/kv_operations.h), which is deterministic,
//   and the leader answers the client from its own result. Entries carry the client and op id, so
//   a request the network delivered twice takes effect once.
//
//   A replica that is not the leader redirects clients to the leader it knows (kRedirect with
//   leader_hint), or refuses with kFail when it knows none. A leader that steps down leaves its
//   waiting writes unanswered: whether they commit is not its decision any more, so the clients
//   time out and record the outcome as unknown.
//
// Reads (option `read`)
//   log         a read is an entry like a write and is answered when applied. Linearizable; costs
//               a replication round and a disk write per read.
//   read-index  the leader notes its commit index (at least its no-op), sends a heartbeat round,
//               and answers once a majority acknowledged that round (so no newer leader existed
//               when the read arrived) and its state has applied up to the noted index.
//               Linearizable without writing the log; costs a round trip to a majority.
//   lease       after a majority acknowledged a round, the leader may answer reads alone until
//               `lease` has passed on its own clock since it sent that round; without a lease it
//               falls back to read-index. Safe because followers that acknowledged will not
//               vote for another leader within election_timeout_min of hearing from this one,
//               and lease < election_timeout_min. It trusts clocks: a clock that jumps or runs at
//               another rate (skew, jumps in the scenario) can make a deposed leader answer stale
//               reads.
//   local       the leader answers from its state at once. Fast, but a leader cut off by a
//               partition does not know it was replaced and serves stale reads: not linearizable.
//
// What it guarantees (the tests and scenario checks verify these)
//   - Election safety: at most one leader per term (one durable vote per replica per term,
//     majorities intersect). Trace note: "raft: n3 leader of term 5".
//   - Log matching: two logs holding an entry with the same index and term agree on it and on
//     everything before. Replicas note a running hash of their applied log every kChainEvery
//     entries ("raft: n2 applied 32@5 chain 0x..."), so the committed prefixes can be compared.
//   - Leader completeness and state machine safety: a committed entry is in the log of every
//     later leader, and no two replicas apply different entries at one index.
//   - With read=log or read-index, histories are linearizable under partitions, crashes,
//     restarts and pauses; a side without a majority stays unavailable.
//   - sync_disk=false breaks all of this across crashes: a restarted replica forgets its term,
//     vote and log, so it may vote twice in a term and acknowledged writes can vanish.
//
// Bounds: AppendEntries carries at most kMaxBatch entries; at most kMaxPending client operations
// wait at the leader (beyond that it answers kFail "overloaded"). The log is never compacted.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "nodes/kv/common/client_sessions.h"
#include "nodes/kv/common/kv_operations.h"
#include "nodes/kv/raft/log.h"
#include "nodes/kv/raft/messages.h"
#include "nodes/kv/raft/options.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::raft {

// Client operations waiting at the leader (writes and reads together), at most.
constexpr std::size_t kMaxPending = 10'000;
// A replica notes the running hash of its applied log every this many entries.
constexpr Index kChainEvery = 16;

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

class RaftNode final : public Node {
 public:
  RaftNode(NodeId self, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  bool is_leader() const override { return role_ == Role::kLeader; }
  // The applied key-value state, sorted by key: "k1=3;k2=7" ("" when empty).
  std::string state_digest() const override { return state_.digest(); }

  Role role() const { return role_; }
  Term term() const { return term_; }
  NodeId voted_for() const { return voted_for_; }
  // The leader this replica believes in (itself when leader); kNoNode if unknown.
  NodeId leader() const { return leader_; }
  const Log& log() const { return log_; }
  Index commit_index() const { return commit_index_; }
  Index last_applied() const { return last_applied_; }
  const kv::KvState& state() const { return state_; }

 private:
  // What the leader knows about one follower in the current term.
  struct Progress {
    Index next_index = 1;    // the first entry not sent yet (sent ones may still be in flight)
    Index match_index = 0;   // the follower confirmed its log agrees up to here
    std::uint64_t round = 0; // the latest confirmation round it acknowledged
    std::uint64_t rewinds = 0;  // times next_index was moved back after a refusal
  };
  // A client operation whose log entry the leader answers when it applies it.
  struct PendingWrite {
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
  };
  // A read waiting for its confirmation round and for the state to catch up.
  struct PendingRead {
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
    std::string key;
    Index read_index = 0;     // answer once last_applied_ reaches it
    std::uint64_t round = 0;  // ...and a majority acknowledged this round (0: already confirmed)
  };

  // Clients (raft_node.cc).
  void on_client_request(Context& ctx, NodeId from, const ClientRequest& request);
  void append_client_entry(Context& ctx, NodeId from, const ClientRequest& request);

  // Reads (reads.cc).
  void serve_read(Context& ctx, NodeId from, const ClientRequest& request);
  bool holds_lease(const Context& ctx) const;
  // Recomputes the round a majority acknowledged, extends the lease, answers ready reads.
  void on_round_progress(Context& ctx);
  void answer_ready_reads(Context& ctx);
  void fail_pending_reads(Context& ctx, const std::string& why);

  // Replication and commitment (replication.cc).
  void on_append_entries(Context& ctx, NodeId from, const AppendEntries& message);
  void on_append_entries_reply(Context& ctx, NodeId from, const AppendEntriesReply& message);
  void on_heartbeat_timer(Context& ctx);
  // Starts a confirmation round: an AppendEntries to every follower.
  void broadcast_round(Context& ctx);
  void send_append_entries(Context& ctx, NodeId follower);
  // Appends what the log lacks after the consistency check passed, truncating a conflicting
  // suffix first. Returns true if the log changed.
  bool merge_entries(Context& ctx, const AppendEntries& message);
  void advance_commit(Context& ctx);
  void apply_committed(Context& ctx);
  void apply(Context& ctx, const Entry& entry);
  // Empties the applied state, to be rebuilt from the log's first entry on.
  void reset_state_machine();

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

  // Persistence (raft_node.cc).
  void persist_term_and_vote(Context& ctx) const;
  void sync(Context& ctx) const;  // syncs the disk when sync_disk is on
  void reply(Context& ctx, NodeId to, ClientReply reply) const;

  NodeId self_;
  Config config_;
  Role role_ = Role::kFollower;
  Term term_ = 0;
  NodeId voted_for_ = kNoNode;  // in term_
  NodeId leader_ = kNoNode;
  Log log_;
  Index commit_index_ = 0;
  Index last_applied_ = 0;
  kv::KvState state_;                       // log_ applied up to last_applied_
  kv::ClientSessions sessions_;             // each client's latest applied request
  std::uint64_t applied_chain_ = 0;         // running hash of the applied entries
  Time leader_contact_at_{0};               // when we last heard a leader (or started)

  // Leader only.
  std::map<NodeId, Progress> progress_;     // every follower, by id
  Index noop_index_ = 0;                    // this term's no-op
  std::map<Index, PendingWrite> pending_writes_;  // by the entry's index
  std::deque<PendingRead> pending_reads_;   // in arrival order
  std::uint64_t round_ = 0;                 // the latest confirmation round sent
  std::uint64_t confirmed_round_ = 0;       // the latest one a majority acknowledged
  std::map<std::uint64_t, Time> round_sent_at_;  // unconfirmed rounds, bounded
  Time lease_until_{0};

  // Candidate only.
  std::set<NodeId> votes_;
};

// The registry entry: name "raft", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::raft
