// Raft: a replicated key-value store whose replicas agree on one log of client operations.
//
// The consensus itself (terms, elections, the log, replication, commitment, read barriers,
// persistence) is the shared Raft core: see nodes/common/raft/consensus.h for how it works and
// what it guarantees. This node adds what makes it a key-value store:
//
//   - the state machine: each committed entry holds one client operation (a KvCommand,
//     kv_command.h) that every replica evaluates when it applies the entry
//     (nodes/kv/common/kv_operations.h, kv_state_machine.h), and the leader answers the client
//     from its own result; a request the network delivered twice takes effect once, through the
//     core's table of client sessions;
//   - clients: the leader takes their requests, refuses what no replica could serve (an empty
//     key, an unknown operation: a definite no) and, past kMaxPending waiting operations,
//     refuses with kFail "overloaded". A replica that is not the leader redirects clients to the
//     leader it knows (kRedirect with leader_hint), or refuses with kFail when it knows none. A
//     leader that steps down leaves its waiting writes unanswered, so the clients time out and
//     record the outcome as unknown;
//   - the read modes (option `read`):
//     log         a read is an entry like a write and is answered when applied. Linearizable;
//                 costs a replication round and a disk write per read.
//     read-index  the read waits for a read-index barrier of the core, then is answered from the
//                 leader's state. Linearizable without writing the log; costs a round trip to a
//                 majority.
//     lease       the read waits for a lease barrier: answered at once while the leader's lease
//                 holds, else as read-index. Trusts clocks: a clock that jumps or runs at another
//                 rate (skew, jumps in the scenario) can make a deposed leader answer stale reads.
//     local       the leader answers from its state at once. Fast, but a leader cut off by a
//                 partition does not know it was replaced and serves stale reads: not
//                 linearizable.
//     A read waiting for a barrier is refused with kFail "leadership lost" when the leader steps
//     down: it never took effect.
//
// What it guarantees, beyond the core's guarantees: with read=log or read-index, histories are
// linearizable under partitions, crashes, restarts and pauses; a side without a majority stays
// unavailable. With sync_disk=false acknowledged writes can vanish across crashes.
//
// Disk: the core's term, vote and log under "raft/" ("raft/term", "raft/log/00000042").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "nodes/common/raft/consensus.h"
#include "nodes/kv/common/kv_operations.h"
#include "nodes/kv/raft/kv_state_machine.h"
#include "nodes/kv/raft/options.h"
#include "sim/client/kv_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::raft {

// Client operations waiting at the leader (writes and reads together), at most.
constexpr std::size_t kMaxPending = 10'000;

class RaftNode final : public Node, private Host {
 public:
  RaftNode(NodeId self, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  bool is_leader() const override { return raft_.is_leader(); }
  // The applied key-value state, sorted by key: "k1=3;k2=7" ("" when empty).
  std::string state_digest() const override { return machine_.state().digest(); }

  Role role() const { return raft_.role(); }
  Term term() const { return raft_.term(); }
  NodeId voted_for() const { return raft_.voted_for(); }
  // The leader this replica believes in (itself when leader); kNoNode if unknown.
  NodeId leader() const { return raft_.leader(); }
  const Log& log() const { return raft_.log(); }
  Index commit_index() const { return raft_.commit_index(); }
  Index last_applied() const { return raft_.last_applied(); }
  const kv::KvState& state() const { return machine_.state(); }

 private:
  // A read waiting for its barrier.
  struct PendingRead {
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
    std::string key;
  };

  // Clients (raft_node.cc).
  void on_client_request(Context& ctx, NodeId from, const ClientRequest& request);
  void on_applied(Context& ctx, const Entry& entry, const Result& result) override;
  void reply(Context& ctx, NodeId to, ClientReply reply) const;

  // Reads (reads.cc).
  void serve_read(Context& ctx, NodeId from, const ClientRequest& request);
  void on_barrier_passed(Context& ctx, BarrierId id) override;
  void on_barrier_failed(Context& ctx, BarrierId id) override;

  ReadMode read_mode_;
  KvStateMachine machine_;                 // before raft_, which applies entries to it
  Consensus raft_;
  std::map<BarrierId, PendingRead> reads_;  // waiting for their barrier, by id
  BarrierId next_barrier_ = 1;
};

// The registry entry: name "raft", options, validation and factory.
ProtocolInfo protocol_info();

}  // namespace capsim::raft
