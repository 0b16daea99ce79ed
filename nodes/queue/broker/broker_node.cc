#include "nodes/queue/broker/broker_node.h"

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

QueueStatus redirect_status(std::uint64_t op_id) {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = QueueOutcome::kRedirect;
  status.leader_hint = kServingNode;
  return status;
}

std::string describe_removal(const QueueRemoval& removal, const std::string& queue) {
  return "broker: " + removal.message_id.to_text() + " of " + queue +
         (removal.moved_to.empty() ? " dropped" : " dead-lettered to " + removal.moved_to) +
         " (" + removal.reason + ")";
}

}  // namespace

BrokerNode::BrokerNode(NodeId id, Config config)
    : id_(id), config_(std::move(config)), state_(config_) {
  CAPSIM_ASSERT(config_.replication == Replication::kNone);
}

void BrokerNode::on_start(Context& ctx) {
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
    state_.apply(*command);
    log_length_ = index;
  }
  if (log_length_ > 0) {
    ctx.note("broker: replayed " + std::to_string(log_length_) + " commands from disk");
  }
}

void BrokerNode::on_timer(Context& ctx, std::string_view name) {
  if (name != kFlushTimer) return;
  ctx.disk().sync();
  ctx.set_timer(kFlushTimer, config_.flush_interval);
}

void BrokerNode::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* publish = message.as<QueuePublish>()) return on_publish(ctx, from, *publish);
  if (const auto* receive = message.as<QueueReceive>()) return on_receive(ctx, from, *receive);
  if (const auto* ack = message.as<QueueAck>()) return on_ack(ctx, from, *ack);
  ctx.note("broker: ignored " + std::string(message.kind()));
}

CommandResult BrokerNode::commit(Context& ctx, const Command& command) {
  CommandResult result = state_.apply(command);
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
  QueuePublishReply reply;
  if (id_ != kServingNode) {
    reply.status = redirect_status(request.op_id);
    return ctx.send(from, Message::of(std::move(reply)));
  }
  if (answered_before(ctx, from, request.op_id)) return;
  if (!state_.has_queue(request.queue)) {
    reply.status = unknown_queue(request.op_id, request.queue);
  } else {
    Command command;
    command.kind = CommandKind::kPublish;
    command.at = ctx.now();
    command.queue = request.queue;
    command.message_id = request.message_id;
    command.key = request.key;
    commit(ctx, command);
    reply.status = ok_status(request.op_id);
  }
  answer(ctx, from, request.op_id, Message::of(std::move(reply)));
}

void BrokerNode::on_receive(Context& ctx, NodeId from, const QueueReceive& request) {
  QueueReceiveReply reply;
  if (id_ != kServingNode) {
    reply.status = redirect_status(request.op_id);
    return ctx.send(from, Message::of(std::move(reply)));
  }
  if (answered_before(ctx, from, request.op_id)) return;
  if (!state_.has_queue(request.queue)) {
    reply.status = unknown_queue(request.op_id, request.queue);
  } else {
    Command command;
    command.kind = request.drain ? CommandKind::kDrain : CommandKind::kReceive;
    command.at = ctx.now();
    command.queue = request.queue;
    command.max = request.max;
    command.consumer = from;
    command.auto_ack = request.auto_ack;
    CommandResult result = commit(ctx, command);
    reply.status = ok_status(request.op_id);
    reply.messages = std::move(result.delivered);
    if (request.drain) reply.removed = state_.removals(request.queue);
  }
  answer(ctx, from, request.op_id, Message::of(std::move(reply)));
}

void BrokerNode::on_ack(Context& ctx, NodeId from, const QueueAck& request) {
  QueueAckReply reply;
  if (id_ != kServingNode) {
    reply.status = redirect_status(request.op_id);
    return ctx.send(from, Message::of(std::move(reply)));
  }
  if (answered_before(ctx, from, request.op_id)) return;
  if (!state_.has_queue(request.queue)) {
    reply.status = unknown_queue(request.op_id, request.queue);
  } else {
    Command command;
    command.kind = request.requeue ? CommandKind::kNack : CommandKind::kAck;
    command.at = ctx.now();
    command.queue = request.queue;
    command.requeue = request.requeue;
    command.receipts = request.receipts;
    CommandResult result = commit(ctx, command);
    reply.status = ok_status(request.op_id);
    reply.stale = static_cast<std::uint32_t>(result.stale.size());
    reply.stale_receipts = std::move(result.stale);
  }
  answer(ctx, from, request.op_id, Message::of(std::move(reply)));
}

std::string BrokerNode::state_digest() const {
  return id_ == kServingNode ? state_.digest() : std::string();
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
    return std::make_unique<BrokerNode>(setup.id, config_from(*setup.options));
  };
  return info;
}

}  // namespace capsim::broker
