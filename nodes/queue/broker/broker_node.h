// The broker protocol: a message broker in the manner of RabbitMQ classic queues and SQS
// standard queues, serving the queue workload's producers and consumers through the messages
// of sim/client/queue_messages.h.
//
// Replication none: n1 holds every queue and serves every request; any other node answers
// with a redirect to n1 (so with n1 down nothing is served: a classic queue's node, R-L3).
// n1 turns each request into a command (commands.h), applies it to its queue state
// (broker_state.h: visibility timeouts, receipts, delivery counts, dead-lettering, ttl) and
// appends it to a command log on its disk. With `sync` the log is synced before the answer, so
// everything acknowledged survives a crash; without it the log is synced only every
// `flush_interval` (or never), and a crash loses the unsynced tail: acknowledged publishes
// vanish, acked messages come back, deliveries are forgotten. A restart replays the log.
//
// Replication raft (a RabbitMQ quorum queue): every node holds every queue, as the state
// machine of a Raft group built on the shared core (nodes/common/raft/consensus.h; the state
// machine is broker_machine.h). The leader turns each request into the same Command as above,
// stamped with its own clock, and submits it to the log; every replica applies it when it
// commits, in log order, and the leader answers the client then, from the result of applying
// it. So a publish is confirmed only once a majority holds it (publisher confirms), a receive
// hands out receipts every replica knows, and an ack is done once committed: a new leader
// has every confirmed message, every live receipt and the same visibility deadlines. A node
// that is not the leader redirects to the leader it knows (kRedirect with leader_hint), or
// refuses with kFail "no leader known"; a leader cut off from the majority appends but commits
// nothing, so its clients get no answer (a leader that steps down leaves its waiting commands
// unanswered: whether they commit is the next leader's business) and time out. Past
// kMaxPending waiting commands the leader refuses "overloaded". The core's sessions answer
// a request the network repeated with its first result. Disk: the core's term, vote and log
// under "raft/"; `sync_disk` (not `sync`) decides whether they are synced.
//
// Replication none: a request repeated by the network (same client, same op id as the
// client's last) gets the first answer again instead of being applied twice; that table lives
// in memory only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>

#include "nodes/common/raft/consensus.h"
#include "nodes/queue/broker/broker_machine.h"
#include "nodes/queue/broker/broker_state.h"
#include "nodes/queue/broker/options.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::broker {

inline constexpr NodeId kServingNode = 0;  // n1
// Replication raft: commands waiting at the leader, at most.
constexpr std::size_t kMaxPending = 10'000;

class BrokerNode final : public Node, private raft::Host {
 public:
  BrokerNode(NodeId id, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  // Replication none: n1; raft: the Raft leader (what `crash: leader` picks).
  bool is_leader() const override;
  // The applied queue state (replication none: n1's only; the others hold nothing).
  std::string state_digest() const override;

  // For tests: the state this node serves from (raft: what it has applied).
  const BrokerState& state() const { return machine_.state(); }
  // Replication raft only: the node's Raft core. Requires: replication raft.
  const raft::Consensus& consensus() const { return *raft_; }

 private:
  void on_publish(Context& ctx, NodeId from, const QueuePublish& request);
  void on_receive(Context& ctx, NodeId from, const QueueReceive& request);
  void on_ack(Context& ctx, NodeId from, const QueueAck& request);
  // Serves `command` (its clock reading still unset) for (from, op_id), or redirects or
  // refuses it. Replication none: applies and answers at once (through commit()); raft: the
  // leader submits it to the log and answers in on_applied.
  void execute(Context& ctx, NodeId from, std::uint64_t op_id, Command command);
  // The reply to `command` of the type its request expects, with `status` and what applying
  // it did (nothing, for a redirect or refusal).
  static Message reply_for(const Command& command, QueueStatus status,
                           const CommandOutcome& outcome);
  void on_applied(Context& ctx, const raft::Entry& entry, const raft::Result& result) override;
  void on_barrier_passed(Context&, raft::BarrierId) override {}  // never asked for
  void on_barrier_failed(Context&, raft::BarrierId) override {}
  // Applies `command` and keeps it on disk (synced with `sync`). The seam for replication.
  CommandResult commit(Context& ctx, const Command& command);
  void replay(Context& ctx);
  // Sends `reply` and remembers it as `to`'s latest answer.
  void answer(Context& ctx, NodeId to, std::uint64_t op_id, Message reply);
  // True (after answering again) when `op_id` is `from`'s last request, already answered.
  bool answered_before(Context& ctx, NodeId from, std::uint64_t op_id);
  QueueStatus unknown_queue(std::uint64_t op_id, const std::string& queue) const;

  NodeId id_;
  Config config_;
  BrokerMachine machine_;                  // before raft_, which applies entries to it
  std::unique_ptr<raft::Consensus> raft_;  // replication raft only
  Time last_stamp_{0};                     // raft: the latest clock reading given a command
  std::uint64_t log_length_ = 0;  // commands on disk
  std::map<NodeId, std::pair<std::uint64_t, Message>> last_answer_;  // per client
};

ProtocolInfo protocol_info();

}  // namespace capsim::broker
