#include "nodes/queue/broker/broker_node.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "sim/assert.h"

namespace capsim::broker {
namespace {

constexpr std::string_view kFlushTimer = "flush";

std::string log_key(std::uint64_t index) { return "log/" + std::to_string(index); }

QueueStatus ok_status(std::uint64_t op_id) {
  QueueStatus status;
  status.op_id = op_id;
  return status;
}

QueueStatus redirect_status(std::uint64_t op_id, NodeId leader) {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = QueueOutcome::kRedirect;
  status.leader_hint = leader;
  return status;
}

// A refusal, not an answer: the request was not judged, so it counts against availability.
QueueStatus refused_status(std::uint64_t op_id, std::string error) {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = QueueOutcome::kFail;
  status.error = std::move(error);
  return status;
}

CommandOutcome outcome_from(CommandResult result) {
  CommandOutcome outcome;
  outcome.applied = result.applied;
  outcome.delivered = std::move(result.delivered);
  outcome.stale = std::move(result.stale);
  outcome.removed = std::move(result.removed);
  return outcome;
}

std::string describe_removal(const QueueRemoval& removal, const std::string& queue) {
  return "broker: " + removal.message_id.to_text() + " of " + queue +
         (removal.moved_to.empty() ? " dropped" : " dead-lettered to " + removal.moved_to) +
         " (" + removal.reason + ")";
}

}  // namespace

BrokerNode::BrokerNode(NodeId id, Config config)
    : id_(id), config_(std::move(config)), machine_(config_) {
  if (config_.replication == Replication::kRaft) {
    raft::Host& host = *this;  // a private base: converted here, where it is accessible
    raft_ = std::make_unique<raft::Consensus>(id_, config_.raft, machine_, host);
  }
}

bool BrokerNode::is_leader() const {
  return raft_ != nullptr ? raft_->is_leader() : id_ == kServingNode;
}

void BrokerNode::on_start(Context& ctx) {
  if (raft_ != nullptr) return raft_->on_start(ctx);
  if (id_ != kServingNode) return;
  replay(ctx);
  if (!config_.sync && config_.flush_interval > Duration{0}) {
    ctx.set_timer(kFlushTimer, config_.flush_interval);
  }
}

void BrokerNode::replay(Context& ctx) {
  Disk& disk = ctx.disk();
  for (std::uint64_t index = 1;; ++index) {
    const std::optional<std::string> text = disk.get(log_key(index));
    if (!text) break;
    const std::optional<Command> command = decode_command(*text);
    if (!command) {
      ctx.note("broker: unreadable log entry " + std::to_string(index) + "; replay stops");
      break;
    }
    machine_.apply_command(*command);
    log_length_ = index;
  }
  if (log_length_ > 0) {
    ctx.note("broker: replayed " + std::to_string(log_length_) + " commands from disk");
  }
}

void BrokerNode::on_timer(Context& ctx, std::string_view name) {
  if (raft_ != nullptr && raft_->on_timer(ctx, name)) return;
  if (name != kFlushTimer) return;
  ctx.disk().sync();
  ctx.set_timer(kFlushTimer, config_.flush_interval);
}

void BrokerNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (raft_ != nullptr && raft_->on_message(ctx, from, message)) return;
  if (const auto* publish = message.as<QueuePublish>()) return on_publish(ctx, from, *publish);
  if (const auto* receive = message.as<QueueReceive>()) return on_receive(ctx, from, *receive);
  if (const auto* ack = message.as<QueueAck>()) return on_ack(ctx, from, *ack);
  ctx.note("broker: ignored " + std::string(message.kind()));
}

CommandResult BrokerNode::commit(Context& ctx, const Command& command) {
  CommandResult result = machine_.apply_command(command);
  for (const QueueRemoval& removal : result.removed) {
    ctx.note(describe_removal(removal, command.queue));
  }
  if (!result.changed) return result;
  ctx.disk().put(log_key(++log_length_), encode_command(command));
  if (config_.sync) ctx.disk().sync();
  return result;
}

bool BrokerNode::answered_before(Context& ctx, NodeId from, std::uint64_t op_id) {
  const auto it = last_answer_.find(from);
  if (it == last_answer_.end() || it->second.first != op_id) return false;
  ctx.send(from, it->second.second);
  return true;
}

void BrokerNode::answer(Context& ctx, NodeId to, std::uint64_t op_id, Message reply) {
  last_answer_[to] = {op_id, reply};
  ctx.send(to, std::move(reply));
}

QueueStatus BrokerNode::unknown_queue(std::uint64_t op_id, const std::string& queue) const {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = QueueOutcome::kFail;
  status.answered = true;
  status.error = "unknown queue " + queue;
  return status;
}

void BrokerNode::on_publish(Context& ctx, NodeId from, const QueuePublish& request) {
  Command command;
  command.kind = CommandKind::kPublish;
  command.queue = request.queue;
  command.message_id = request.message_id;
  command.key = request.key;
  execute(ctx, from, request.op_id, std::move(command));
}

void BrokerNode::on_receive(Context& ctx, NodeId from, const QueueReceive& request) {
  Command command;
  command.kind = request.drain ? CommandKind::kDrain : CommandKind::kReceive;
  command.queue = request.queue;
  command.max = request.max;
  command.consumer = from;
  command.auto_ack = request.auto_ack;
  command.channel = request.channel;
  execute(ctx, from, request.op_id, std::move(command));
}

void BrokerNode::on_ack(Context& ctx, NodeId from, const QueueAck& request) {
  Command command;
  command.kind = request.settle == Settle::kAck ? CommandKind::kAck : CommandKind::kNack;
  command.queue = request.queue;
  command.requeue = request.settle == Settle::kRequeue;
  command.receipts = request.receipts;
  command.channel = request.channel;
  execute(ctx, from, request.op_id, std::move(command));
}

void BrokerNode::execute(Context& ctx, NodeId from, std::uint64_t op_id, Command command) {
  if (raft_ == nullptr) {
    if (id_ != kServingNode) {
      return ctx.send(from, reply_for(command, redirect_status(op_id, kServingNode), {}));
    }
    if (answered_before(ctx, from, op_id)) return;
    if (!machine_.state().has_queue(command.queue)) {
      return answer(ctx, from, op_id, reply_for(command, unknown_queue(op_id, command.queue), {}));
    }
    command.at = ctx.now();
    CommandOutcome outcome = outcome_from(commit(ctx, command));
    if (command.kind == CommandKind::kDrain) {
      outcome.removals = machine_.state().removals(command.queue);
    }
    return answer(ctx, from, op_id, reply_for(command, ok_status(op_id), outcome));
  }
  if (!raft_->is_leader()) {
    const NodeId leader = raft_->leader();
    if (leader == kNoNode || leader == id_) {
      return ctx.send(from, reply_for(command, refused_status(op_id, "no leader known"), {}));
    }
    return ctx.send(from, reply_for(command, redirect_status(op_id, leader), {}));
  }
  // Every replica holds the same queues (they come from the options), so an unknown one is a
  // definite answer the leader may give without the log.
  if (!machine_.state().has_queue(command.queue)) {
    return ctx.send(from, reply_for(command, unknown_queue(op_id, command.queue), {}));
  }
  if (raft_->waiting() >= kMaxPending) {
    return ctx.send(from, reply_for(command, refused_status(op_id, "overloaded"), {}));
  }
  // The leader's clock, never earlier than a reading already in the log: a leader whose clock
  // is behind its predecessor's must not move visibility deadlines or expiries backwards.
  command.at = std::max({ctx.now(), last_stamp_, machine_.latest_at()});
  last_stamp_ = command.at;
  raft_->submit(ctx, from, op_id, encode_command(command));  // answered in on_applied
}

void BrokerNode::on_applied(Context& ctx, const raft::Entry& entry, const raft::Result& result) {
  const std::optional<Command> command = decode_command(entry.command);
  CAPSIM_ASSERT(command.has_value());
  const CommandOutcome outcome = outcome_of(result.value);
  for (const QueueRemoval& removal : outcome.removed) {
    ctx.note(describe_removal(removal, command->queue));
  }
  ctx.send(entry.client, reply_for(*command, ok_status(entry.op_id), outcome));
}

Message BrokerNode::reply_for(const Command& command, QueueStatus status,
                              const CommandOutcome& outcome) {
  switch (command.kind) {
    case CommandKind::kPublish: {
      QueuePublishReply reply;
      reply.status = std::move(status);
      return Message::of(std::move(reply));
    }
    case CommandKind::kReceive:
    case CommandKind::kDrain: {
      QueueReceiveReply reply;
      reply.status = std::move(status);
      reply.messages = outcome.delivered;
      reply.removed = outcome.removals;
      return Message::of(std::move(reply));
    }
    case CommandKind::kAck:
    case CommandKind::kNack: {
      QueueAckReply reply;
      reply.status = std::move(status);
      reply.stale = static_cast<std::uint32_t>(outcome.stale.size());
      reply.stale_receipts = outcome.stale;
      return Message::of(std::move(reply));
    }
  }
  return Message::of(QueuePublishReply{});
}

std::string BrokerNode::state_digest() const {
  if (raft_ != nullptr) return machine_.state().digest();
  return id_ == kServingNode ? machine_.state().digest() : std::string();
}

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.name = "broker";
  info.summary =
      "a message broker (RabbitMQ classic queues, SQS): n1 holds every queue; visibility "
      "timeouts, acks and nacks, delivery limits, dead-letter queue, ttl; a crash loses what "
      "was not synced";
  info.serves_queues = true;
  info.options = option_specs();
  info.validate = validate_options;
  info.validate_workload = validate_workload;
  info.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    CAPSIM_ASSERT(setup.options != nullptr);
    return std::make_unique<BrokerNode>(setup.id,
                                        config_from(*setup.options, setup.cluster_size));
  };
  return info;
}

}  // namespace capsim::broker
