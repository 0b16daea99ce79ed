#include "sim/client/caller.h"

#include <memory>

#include "sim/client/call_messages.h"
#include "sim/client/retry_backoff.h"

namespace capsim {
namespace {
constexpr std::string_view kNextTimer = "next";
constexpr std::string_view kTimeoutTimer = "timeout";
constexpr std::string_view kRetryTimer = "retry";
}  // namespace

Caller::Caller(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
               const QueueTimes& times, MessageIds& ids, HistoryRecorder& recorder,
               ClientStart start)
    : index_(index),
      cluster_size_(cluster_size),
      spec_(spec),
      times_(times),
      ids_(ids),
      recorder_(recorder),
      next_fresh_process_(start.process),
      next_op_id_(start.op_id),
      next_service_(index % spec.queue.consumers) {}

void Caller::on_start(Context& ctx) {
  next_start_at_ = ctx.now();
  schedule_next(ctx);
}

void Caller::schedule_next(Context& ctx) {
  // Counted from the previous planned start: the arrivals do not wait for earlier calls.
  next_start_at_ += next_message_gap(spec_, ctx.rng());
  if (next_start_at_ < ctx.now()) next_start_at_ = ctx.now();
  if (next_start_at_ >= times_.publish_stop) return;
  ctx.set_timer(kNextTimer, next_start_at_ - ctx.now());
}

void Caller::on_timer(Context& ctx, std::string_view name) {
  if (name == kNextTimer) {
    start_call(ctx);
    schedule_next(ctx);
  } else if (name == kTimeoutTimer) {
    // Every attempt whose deadline has come ends as info; the earliest of the rest re-arms.
    while (!deadlines_.empty() && deadlines_.begin()->first <= ctx.now()) {
      complete(ctx, deadlines_.begin()->second, OpType::kInfo, "timeout", false);
    }
    arm_timeout(ctx);
  } else if (name == kRetryTimer) {
    while (!retries_.empty() && retries_.begin()->first <= ctx.now()) {
      Call call = std::move(retries_.begin()->second);
      retries_.erase(retries_.begin());
      attempt(ctx, std::move(call));
    }
    arm_retry(ctx);
  }
}

void Caller::start_call(Context& ctx) {
  Call call;
  call.id = ids_.take();
  MessageAddress address = draw_message_address(spec_, ctx.rng());
  call.queue = std::move(address.queue);
  call.key = std::move(address.key);
  attempt(ctx, std::move(call));
}

void Caller::attempt(Context& ctx, Call call) {
  ++call.attempt;
  const std::uint64_t op_id = next_op_id_++;
  call.process = take_process();
  call.service = cluster_size_ + spec_.queue.producers + next_service_;
  next_service_ = (next_service_ + 1) % spec_.queue.consumers;
  call.deadline = ctx.now() + spec_.timeout;
  record(ctx, call, OpType::kInvoke, {}, false);

  ServiceCall request;
  request.op_id = op_id;
  request.queue = call.queue;
  request.key = call.key;
  request.message_id = Value(call.id);
  request.attempt = call.attempt;
  request.deadline = call.deadline;
  ctx.send(call.service, Message::of(std::move(request)));

  deadlines_.emplace(call.deadline, op_id);
  in_flight_.emplace(op_id, std::move(call));
  arm_timeout(ctx);
}

void Caller::on_message(Context& ctx, NodeId from, const Message& message) {
  const auto* reply = message.as<ServiceReply>();
  if (reply == nullptr) return;
  const QueueStatus& status = reply->status;
  const auto it = in_flight_.find(status.op_id);
  // A reply after the attempt timed out is late news: the history has its info.
  if (it == in_flight_.end() || it->second.service != from) return;
  if (status.outcome == QueueOutcome::kOk) {
    complete(ctx, status.op_id, OpType::kOk, {}, false);
  } else {
    complete(ctx, status.op_id, OpType::kFail, status.error.empty() ? "failed" : status.error,
             status.answered);
  }
  arm_timeout(ctx);
}

void Caller::complete(Context& ctx, std::uint64_t op_id, OpType type, std::string error,
                      bool answered) {
  const auto it = in_flight_.find(op_id);
  Call call = std::move(it->second);
  in_flight_.erase(it);
  deadlines_.erase({call.deadline, op_id});
  record(ctx, call, type, std::move(error), answered);
  // A process whose attempt may still take effect is not used again.
  if (type != OpType::kInfo) free_processes_.push_back(call.process);
  const RetrySpec& policy = spec_.queue.retry;
  if (type != OpType::kInfo || policy.policy == RetryPolicy::kNone ||
      call.attempt >= policy.max_attempts) {
    return;
  }
  const Duration wait = retry_backoff(policy, call.attempt, ctx.rng());
  if (ctx.now() + wait >= times_.retry_stop) return;
  retries_.emplace(ctx.now() + wait, std::move(call));
  arm_retry(ctx);
}

void Caller::record(Context& ctx, const Call& call, OpType type, std::string error,
                    bool answered) {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = call.process;
  event.type = type;
  event.f = "send";
  if (!call.key.empty()) event.key = call.key;
  event.value = Value(call.id);
  event.node = actor_name(call.service, cluster_size_);
  event.error = std::move(error);
  event.answered = answered;
  auto fields = std::make_shared<QueueFields>();
  fields->queue = call.queue;
  fields->attempt = call.attempt;
  event.queue = std::move(fields);
  recorder_.record(ctx.self(), std::move(event));
}

std::uint64_t Caller::take_process() {
  if (!free_processes_.empty()) {
    const std::uint64_t process = free_processes_.back();
    free_processes_.pop_back();
    return process;
  }
  const std::uint64_t process = next_fresh_process_;
  next_fresh_process_ += spec_.clients;
  return process;
}

void Caller::arm(Context& ctx, std::string_view name, std::optional<Time> at) {
  if (!at) return ctx.cancel_timer(name);
  // The clock may have stepped back (skew): never arm a negative wait.
  ctx.set_timer(name, *at > ctx.now() ? *at - ctx.now() : Duration{0});
}

void Caller::arm_timeout(Context& ctx) {
  arm(ctx, kTimeoutTimer,
      deadlines_.empty() ? std::nullopt : std::optional<Time>(deadlines_.begin()->first));
}

void Caller::arm_retry(Context& ctx) {
  arm(ctx, kRetryTimer,
      retries_.empty() ? std::nullopt : std::optional<Time>(retries_.begin()->first));
}

}  // namespace capsim
