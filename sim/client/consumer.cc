#include "sim/client/consumer.h"

#include <algorithm>
#include <memory>

#include "sim/client/message_effect.h"
#include "sim/client/queue_route.h"

namespace capsim {
namespace {
constexpr std::string_view kPollTimer = "poll";
constexpr std::string_view kTimeoutTimer = "timeout";
constexpr std::string_view kProcessTimer = "process";

Value ids_of(const std::vector<QueueDelivery>& messages) {
  Value::List ids;
  ids.reserve(messages.size());
  for (const QueueDelivery& m : messages) ids.push_back(m.message_id);
  return Value(std::move(ids));
}

}  // namespace

Consumer::Consumer(std::uint32_t index, std::uint32_t client_index, std::uint32_t cluster_size,
                   const WorkloadSpec& spec, const QueueTimes& times, HistoryRecorder& recorder,
                   ClientStart start)
    : index_(index),
      client_index_(client_index),
      cluster_size_(cluster_size),
      spec_(spec),
      times_(times),
      recorder_(recorder),
      process_(start.process),
      channel_(start.process + 1),
      next_op_id_(start.op_id) {}

void Consumer::on_start(Context& ctx) {
  believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  next_queue_ = index_ % spec_.queue.queues.size();
  poll(ctx);
}

void Consumer::on_timer(Context& ctx, std::string_view name) {
  if (name == kPollTimer && step_ == Step::kIdle) {
    poll(ctx);
  } else if (name == kProcessTimer && step_ == Step::kProcessing) {
    finish_processing(ctx);
  } else if (name == kTimeoutTimer && op_id_ != 0) {
    on_step_timeout(ctx);
  }
}

void Consumer::poll(Context& ctx) {
  step_ = Step::kIdle;
  if (ctx.now() >= times_.consume_stop) return;  // the drain is near: receive no more
  const std::vector<std::string>& queues = spec_.queue.queues;
  queue_ = queues[next_queue_];
  next_queue_ = (next_queue_ + 1) % queues.size();
  step_ = Step::kReceiving;
  invoke(ctx, "receive", Value());
}

std::shared_ptr<QueueFields> Consumer::fields(const std::string& queue) const {
  auto out = std::make_shared<QueueFields>();
  out->queue = queue;
  return out;
}

void Consumer::invoke(Context& ctx, const std::string& f, Value value) {
  op_id_ = next_op_id_++;
  f_ = f;
  redirects_ = 0;
  target_ = queue_route_target(spec_, client_index_, cluster_size_, believed_leader_, ctx.rng());
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = OpType::kInvoke;
  event.f = f;
  event.value = std::move(value);
  event.node = actor_name(target_, cluster_size_);
  event.queue = fields(queue_);
  recorder_.record(ctx.self(), std::move(event));
  ctx.set_timer(kTimeoutTimer, spec_.timeout);
  send_current(ctx);
}

void Consumer::send_current(Context& ctx) {
  if (step_ == Step::kReceiving) {
    QueueReceive request;
    request.op_id = op_id_;
    request.queue = queue_;
    request.max = spec_.queue.consume.batch;
    request.auto_ack = spec_.queue.consume.ack == AckPolicy::kAuto;
    request.channel = channel_;
    return ctx.send(target_, Message::of(std::move(request)));
  }
  QueueAck request;
  request.op_id = op_id_;
  request.queue = queue_;
  request.channel = channel_;
  if (step_ == Step::kSettlingPoison) {
    request.settle = spec_.queue.consume.on_poison == PoisonAction::kReject ? Settle::kReject
                                                                             : Settle::kRequeue;
  }
  for (const QueueDelivery& m : step_ == Step::kSettlingPoison ? poisoned_ : to_ack_) {
    request.receipts.push_back(m.receipt);
  }
  ctx.send(target_, Message::of(std::move(request)));
}

void Consumer::record(Context& ctx, OpType type, Value value, NodeId node, std::string error,
                      bool answered, std::shared_ptr<QueueFields> extra) {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = type;
  event.f = f_;
  event.value = std::move(value);
  event.node = node == kNoNode ? std::string{} : actor_name(node, cluster_size_);
  event.error = std::move(error);
  event.answered = answered;
  event.queue = extra ? std::move(extra) : fields(queue_);
  recorder_.record(ctx.self(), std::move(event));
  op_id_ = 0;
  ctx.cancel_timer(kTimeoutTimer);
  if (type == OpType::kInfo) {
    process_ += spec_.clients;
    believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  }
}

void Consumer::on_message(Context& ctx, NodeId from, const Message& message) {
  const QueueStatus* status = nullptr;
  const auto* receive = message.as<QueueReceiveReply>();
  const auto* ack = message.as<QueueAckReply>();
  if (receive != nullptr && step_ == Step::kReceiving) status = &receive->status;
  if (ack != nullptr && (step_ == Step::kAcking || step_ == Step::kSettlingPoison)) status = &ack->status;
  // Late news (a reply after its timeout) or a reply to another step: the history has it.
  if (status == nullptr || op_id_ == 0 || status->op_id != op_id_) return;
  if (status->outcome == QueueOutcome::kRedirect) {
    if (spec_.route != Route::kFixed && redirects_ < cluster_size_) {
      ++redirects_;
      target_ = queue_redirect_target(from, status->leader_hint, cluster_size_, ctx.rng());
      believed_leader_ = target_;
      return send_current(ctx);
    }
  }
  if (status->outcome != QueueOutcome::kOk) {
    const std::string error = status->outcome == QueueOutcome::kRedirect
                                  ? std::string("redirected, not followed")
                                  : (status->error.empty() ? "failed" : status->error);
    const Value value = step_ == Step::kReceiving ? Value()
                        : step_ == Step::kSettlingPoison ? ids_of(poisoned_)
                                                  : ids_of(to_ack_);
    record(ctx, OpType::kFail, value, from, error, status->answered);
    if (step_ == Step::kReceiving) {
      step_ = Step::kIdle;
      ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
      return;
    }
    return after_ack(ctx);
  }
  believed_leader_ = from;
  if (receive != nullptr) return on_receive_reply(ctx, from, *receive);
  on_ack_reply(ctx, from, *ack);
}

void Consumer::on_receive_reply(Context& ctx, NodeId from, const QueueReceiveReply& reply) {
  auto extra = fields(queue_);
  for (const QueueDelivery& m : reply.messages) {
    extra->delivery_counts.push_back(m.delivery_count);
    extra->redelivered.push_back(m.redelivered);
  }
  record(ctx, OpType::kOk, ids_of(reply.messages), from, {}, false, std::move(extra));
  if (reply.messages.empty()) {
    step_ = Step::kIdle;
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  batch_ = reply.messages;
  position_ = 0;
  poisoned_.clear();
  after_batch_received(ctx);
}

void Consumer::after_batch_received(Context& ctx) {
  if (spec_.queue.consume.ack == AckPolicy::kBeforeProcess) {
    to_ack_ = batch_;
    step_ = Step::kAcking;
    return invoke(ctx, "ack", ids_of(to_ack_));
  }
  process_next(ctx);
}

void Consumer::process_next(Context& ctx) {
  if (position_ < batch_.size()) {
    step_ = Step::kProcessing;
    ctx.set_timer(kProcessTimer, spec_.queue.consume.process.sample(ctx.rng()));
    return;
  }
  // The batch is processed.
  if (spec_.queue.consume.ack == AckPolicy::kAfterProcess) {
    to_ack_.clear();
    for (const QueueDelivery& m : batch_) {
      if (!is_poison(m.message_id)) to_ack_.push_back(m);
    }
    if (!to_ack_.empty()) {
      step_ = Step::kAcking;
      return invoke(ctx, "ack", ids_of(to_ack_));
    }
  }
  after_ack(ctx);
}

void Consumer::finish_processing(Context& ctx) {
  const QueueDelivery& message = batch_[position_];
  record_effect(ctx, message);
  if (is_poison(message.message_id) && spec_.queue.consume.ack == AckPolicy::kAfterProcess) {
    poisoned_.push_back(message);
  }
  ++position_;
  process_next(ctx);
}

void Consumer::record_effect(Context& ctx, const QueueDelivery& message) {
  capsim::record_effect(ctx, process_, message.message_id, fields(queue_), spec_.queue.consume,
                        recorder_);
}

void Consumer::on_ack_reply(Context& ctx, NodeId from, const QueueAckReply& reply) {
  const std::vector<QueueDelivery>& sent = step_ == Step::kSettlingPoison ? poisoned_ : to_ack_;
  std::vector<QueueDelivery> live;
  for (const QueueDelivery& m : sent) {
    const auto& stale = reply.stale_receipts;
    if (std::find(stale.begin(), stale.end(), m.receipt) == stale.end()) live.push_back(m);
  }
  if (live.empty() && !sent.empty()) {
    record(ctx, OpType::kFail, ids_of(sent), from, "stale receipt", true);
  } else {
    record(ctx, OpType::kOk, ids_of(live), from, {}, false);
  }
  after_ack(ctx);
}

void Consumer::on_step_timeout(Context& ctx) {
  const Step step = step_;
  const Value value = step == Step::kReceiving ? Value()
                      : step == Step::kSettlingPoison ? ids_of(poisoned_)
                                               : ids_of(to_ack_);
  record(ctx, OpType::kInfo, value, target_, "timeout", false);
  if (step == Step::kReceiving) {
    step_ = Step::kIdle;
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  after_ack(ctx);
}

// After an ack, nack or reject ended (ok, fail or info): go on with the batch, or take the next one.
void Consumer::after_ack(Context& ctx) {
  if (step_ == Step::kAcking && spec_.queue.consume.ack == AckPolicy::kBeforeProcess &&
      position_ < batch_.size()) {
    return process_next(ctx);
  }
  if (step_ != Step::kSettlingPoison && !poisoned_.empty()) {
    step_ = Step::kSettlingPoison;
    const bool reject = spec_.queue.consume.on_poison == PoisonAction::kReject;
    return invoke(ctx, reject ? "reject" : "nack", ids_of(poisoned_));
  }
  batch_.clear();
  poisoned_.clear();
  to_ack_.clear();
  poll(ctx);
}

bool Consumer::is_poison(const Value& id) const {
  return capsim::is_poison(spec_.queue.consume, id);
}

}  // namespace capsim
