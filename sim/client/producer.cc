#include "sim/client/producer.h"

#include <memory>
#include <tuple>

#include "sim/client/message_source.h"
#include "sim/client/queue_messages.h"
#include "sim/client/queue_route.h"
#include "sim/client/retry_backoff.h"

namespace capsim {
namespace {
constexpr std::string_view kNextTimer = "next";
constexpr std::string_view kTimeoutTimer = "timeout";
constexpr std::string_view kRetryTimer = "retry";
}  // namespace

Producer::Producer(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
                   const QueueTimes& times, MessageIds& ids, HistoryRecorder& recorder,
                   ClientStart start)
    : index_(index),
      cluster_size_(cluster_size),
      spec_(spec),
      times_(times),
      ids_(ids),
      recorder_(recorder),
      process_(start.process),
      next_op_id_(start.op_id) {
  // One producer id range per incarnation (a restarted client starts under a fresh process),
  // so a restarted producer never reuses the sequences of its predecessor.
  if (spec_.queue.retry.idempotent) sequences_.emplace((start.process + 1) << 20);
}

void Producer::on_start(Context& ctx) {
  believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  next_start_at_ = ctx.now();
  schedule_next(ctx);
}

void Producer::schedule_next(Context& ctx) {
  // Counted from the previous planned start.
  next_start_at_ += next_message_gap(spec_, ctx.rng());
  if (next_start_at_ < ctx.now()) next_start_at_ = ctx.now();
  if (next_start_at_ >= times_.publish_stop) return;
  ctx.set_timer(kNextTimer, next_start_at_ - ctx.now());
}

void Producer::on_timer(Context& ctx, std::string_view name) {
  if (name == kNextTimer) {
    if (!outgoing_) start_message(ctx);
  } else if (name == kRetryTimer) {
    if (outgoing_ && outgoing_->op_id == 0) attempt(ctx);
  } else if (name == kTimeoutTimer && outgoing_ && outgoing_->op_id != 0) {
    complete(ctx, OpType::kInfo, outgoing_->target, "timeout", false, true);
  }
}

void Producer::start_message(Context& ctx) {
  Outgoing message;
  message.id = ids_.take();
  MessageAddress address = draw_message_address(spec_, ctx.rng());
  message.queue = std::move(address.queue);
  message.key = std::move(address.key);
  if (sequences_) {
    std::tie(message.partition, message.sequence) = sequences_->assign(message.queue, message.key);
  }
  outgoing_ = std::move(message);
  attempt(ctx);
}

void Producer::attempt(Context& ctx) {
  Outgoing& message = *outgoing_;
  ++message.attempt;
  message.op_id = next_op_id_++;
  message.redirects = 0;
  message.target = queue_route_target(spec_, index_, cluster_size_, believed_leader_, ctx.rng());
  recorder_.record(ctx.self(), event_for(ctx, OpType::kInvoke, message.target, {}));
  ctx.set_timer(kTimeoutTimer, spec_.timeout);
  send_publish(ctx);
}

void Producer::send_publish(Context& ctx) {
  QueuePublish request;
  request.op_id = outgoing_->op_id;
  request.queue = outgoing_->queue;
  request.key = outgoing_->key;
  request.message_id = Value(outgoing_->id);
  request.attempt = outgoing_->attempt;
  if (sequences_) {
    request.producer_id = sequences_->producer_id();
    request.partition = outgoing_->partition;
    request.sequence = outgoing_->sequence;
  }
  ctx.send(outgoing_->target, Message::of(std::move(request)));
}

void Producer::on_message(Context& ctx, NodeId from, const Message& message) {
  const auto* reply = message.as<QueuePublishReply>();
  // A reply to an attempt that already timed out is late news: the history has its info.
  if (reply == nullptr || !outgoing_ || outgoing_->op_id == 0 ||
      reply->status.op_id != outgoing_->op_id) {
    return;
  }
  const QueueStatus& status = reply->status;
  switch (status.outcome) {
    case QueueOutcome::kOk:
      believed_leader_ = from;
      if (sequences_) {
        sequences_->acknowledged(outgoing_->queue, reply->partitions, reply->partition,
                                 outgoing_->sequence);
      }
      return complete(ctx, OpType::kOk, from, {}, false, false);
    case QueueOutcome::kFail:
      if (status.leader_hint != kNoNode && status.leader_hint < cluster_size_) {
        believed_leader_ = status.leader_hint;
      }
      return complete(ctx, OpType::kFail, from, status.error.empty() ? "failed" : status.error,
                      status.answered, !status.answered);
    case QueueOutcome::kRedirect:
      if (spec_.route == Route::kFixed || outgoing_->redirects >= cluster_size_) {
        return complete(ctx, OpType::kFail, from, "redirected, not followed", false, true);
      }
      ++outgoing_->redirects;
      outgoing_->target =
          queue_redirect_target(from, status.leader_hint, cluster_size_, ctx.rng());
      believed_leader_ = outgoing_->target;
      return send_publish(ctx);
  }
}

void Producer::complete(Context& ctx, OpType type, NodeId node, std::string error,
                        bool answered, bool retry) {
  HistoryEvent event = event_for(ctx, type, node, std::move(error));
  event.answered = answered;
  recorder_.record(ctx.self(), std::move(event));
  ctx.cancel_timer(kTimeoutTimer);
  outgoing_->op_id = 0;
  if (type == OpType::kInfo) {
    // The old process may still have its attempt taking effect: continue as a new one.
    process_ += spec_.clients;
    believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  }
  const RetrySpec& policy = spec_.queue.retry;
  if (retry && policy.policy != RetryPolicy::kNone && outgoing_->attempt < policy.max_attempts) {
    const Duration wait = retry_backoff(policy, outgoing_->attempt, ctx.rng());
    if (ctx.now() + wait < times_.retry_stop) {
      ctx.set_timer(kRetryTimer, wait);
      return;
    }
  }
  // Given up without an acknowledgement, or refused: its sequence may be a gap now.
  if (sequences_ && type != OpType::kOk) sequences_->reset();
  outgoing_.reset();
  schedule_next(ctx);
}

HistoryEvent Producer::event_for(Context& ctx, OpType type, NodeId node,
                                 std::string error) const {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = type;
  event.f = "send";
  if (!outgoing_->key.empty()) event.key = outgoing_->key;
  event.value = Value(outgoing_->id);
  event.node = node == kNoNode ? std::string{} : actor_name(node, cluster_size_);
  event.error = std::move(error);
  auto fields = std::make_shared<QueueFields>();
  fields->queue = outgoing_->queue;
  fields->attempt = outgoing_->attempt;
  event.queue = std::move(fields);
  return event;
}

}  // namespace capsim
