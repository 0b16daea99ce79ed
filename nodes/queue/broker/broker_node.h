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
// Where Raft will plug in: handle_request builds a Command and hands it to commit(); today
// commit() applies it at once and persists it. A replicated broker would instead append it to
// the Raft log and apply it (through the same BrokerState::apply) when it commits, answering
// the client then; BrokerState is deterministic given the commands, which is all Raft needs.
//
// A request repeated by the network (same client, same op id as the client's last) gets the
// first answer again instead of being applied twice; that table lives in memory only.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "nodes/queue/broker/broker_state.h"
#include "nodes/queue/broker/options.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::broker {

inline constexpr NodeId kServingNode = 0;  // n1

class BrokerNode final : public Node {
 public:
  BrokerNode(NodeId id, Config config);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

  bool is_leader() const override { return id_ == kServingNode; }
  std::string state_digest() const override;

  // For tests: the state this node serves from.
  const BrokerState& state() const { return state_; }

 private:
  void on_publish(Context& ctx, NodeId from, const QueuePublish& request);
  void on_receive(Context& ctx, NodeId from, const QueueReceive& request);
  void on_ack(Context& ctx, NodeId from, const QueueAck& request);
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
  BrokerState state_;
  std::uint64_t log_length_ = 0;  // commands on disk
  std::map<NodeId, std::pair<std::uint64_t, Message>> last_answer_;  // per client
};

ProtocolInfo protocol_info();

}  // namespace capsim::broker
