#include "sim/client/kv_client.h"

#include <cmath>

#include "sim/client/kv_messages.h"

namespace capsim {
namespace {
constexpr std::string_view kNextTimer = "next";
constexpr std::string_view kTimeoutTimer = "timeout";
}  // namespace

KvClient::KvClient(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
                   Time stop_invoking_at, Workload& workload, HistoryRecorder& recorder,
                   ClientStart start)
    : index_(index),
      cluster_size_(cluster_size),
      spec_(spec),
      workload_(workload),
      recorder_(recorder),
      stop_invoking_at_(stop_invoking_at),
      process_(start.process),
      next_op_id_(start.op_id),
      believed_leader_(0) {}

void KvClient::on_start(Context& ctx) {
  believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  next_invoke_at_ = ctx.now();
  schedule_next(ctx);
}

void KvClient::schedule_next(Context& ctx) {
  // Mean gap between one client's operations: clients / rate. The rate is in ops/s * 1000.
  const double mean_ns = static_cast<double>(spec_.clients) * 1e12 /
                         static_cast<double>(spec_.rate_milli_per_second);
  // Rounding: nearest nanosecond. The gap counts from the previous planned start, so a slow
  // operation does not lower the rate more than it must.
  const auto gap = Duration{std::llround(mean_ns * ctx.rng().standard_exponential())};
  next_invoke_at_ += gap;
  if (next_invoke_at_ < ctx.now()) next_invoke_at_ = ctx.now();
  if (next_invoke_at_ >= stop_invoking_at_) return;  // the quiet period: no more operations
  const Duration wait = next_invoke_at_ - ctx.now();
  ctx.set_timer(kNextTimer, wait);
}

void KvClient::on_timer(Context& ctx, std::string_view name) {
  if (name == kNextTimer) {
    if (!in_flight_) invoke(ctx);
  } else if (name == kTimeoutTimer && in_flight_) {
    const NodeId target = in_flight_->target;
    complete(ctx, OpType::kInfo, in_flight_->op.value, target, "timeout");
    // The old process may still have an operation taking effect: continue as a new one.
    process_ += spec_.clients;
    believed_leader_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  }
}

NodeId KvClient::choose_target(Context& ctx) {
  switch (spec_.route) {
    case Route::kAny:
      return static_cast<NodeId>(ctx.rng().below(cluster_size_));
    case Route::kLeader:
      return believed_leader_;
    case Route::kFixed:
      if (spec_.fixed_nodes.empty()) return index_ % cluster_size_;
      return spec_.fixed_nodes[index_ % spec_.fixed_nodes.size()];
  }
  return 0;
}

void KvClient::invoke(Context& ctx) {
  InFlight flight;
  flight.op_id = next_op_id_++;
  flight.op = workload_.next(ctx.rng(), observed_);
  flight.target = choose_target(ctx);
  in_flight_ = std::move(flight);
  recorder_.record(ctx.self(), event_for(ctx, OpType::kInvoke, in_flight_->op.value,
                                         in_flight_->target, {}));
  ctx.set_timer(kTimeoutTimer, spec_.timeout);
  send_request(ctx);
}

void KvClient::send_request(Context& ctx) {
  ClientRequest request;
  request.op_id = in_flight_->op_id;
  request.f = in_flight_->op.f;
  request.key = in_flight_->op.key;
  request.value = in_flight_->op.value;
  ctx.send(in_flight_->target, Message::of(std::move(request)));
}

void KvClient::on_message(Context& ctx, NodeId from, const Message& message) {
  const ClientReply* reply = message.as<ClientReply>();
  // Replies to operations that already timed out are late news: the history has its info.
  if (reply == nullptr || !in_flight_ || reply->op_id != in_flight_->op_id) return;
  switch (reply->outcome) {
    case ClientReply::Outcome::kOk: {
      believed_leader_ = from;
      const KvOperation& op = in_flight_->op;
      Value result = op.f == "read" ? reply->value : op.value;
      if (op.f == "read") observed_[op.key] = reply->value;
      if (op.f == "write") observed_[op.key] = op.value;
      if (op.f == "cas") observed_[op.key] = op.value.list()[1];
      complete(ctx, OpType::kOk, std::move(result), from, {});
      return;
    }
    case ClientReply::Outcome::kFail:
      if (reply->leader_hint != kNoNode && reply->leader_hint < cluster_size_) {
        believed_leader_ = reply->leader_hint;
      }
      complete(ctx, OpType::kFail, in_flight_->op.value, from,
               reply->error.empty() ? "failed" : reply->error, reply->answered);
      return;
    case ClientReply::Outcome::kRedirect: {
      // A fixed route never wanders; otherwise follow the hint, at most once per node.
      if (spec_.route == Route::kFixed || in_flight_->redirects >= static_cast<int>(cluster_size_)) {
        complete(ctx, OpType::kFail, in_flight_->op.value, from, "redirected, not followed");
        return;
      }
      ++in_flight_->redirects;
      NodeId next = reply->leader_hint;
      if (next == kNoNode || next >= cluster_size_ || next == from) {
        next = static_cast<NodeId>(ctx.rng().below(cluster_size_));
      }
      believed_leader_ = next;
      in_flight_->target = next;
      send_request(ctx);
      return;
    }
  }
}

void KvClient::complete(Context& ctx, OpType type, Value value, NodeId node, std::string error,
                        bool answered) {
  HistoryEvent event = event_for(ctx, type, std::move(value), node, std::move(error));
  event.answered = answered;
  recorder_.record(ctx.self(), std::move(event));
  in_flight_.reset();
  ctx.cancel_timer(kTimeoutTimer);
  schedule_next(ctx);
}

HistoryEvent KvClient::event_for(Context& ctx, OpType type, Value value, NodeId node,
                                 std::string error) const {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = type;
  event.f = in_flight_->op.f;
  event.key = in_flight_->op.key;
  event.value = std::move(value);
  event.node = node == kNoNode ? std::string{} : actor_name(node, cluster_size_);
  event.error = std::move(error);
  return event;
}

}  // namespace capsim
