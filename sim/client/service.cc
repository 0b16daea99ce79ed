#include "sim/client/service.h"

#include <memory>
#include <utility>

#include "sim/client/message_effect.h"

namespace capsim {
namespace {
constexpr std::string_view kProcessTimer = "process";

std::shared_ptr<QueueFields> fields_of(const ServiceCall& call) {
  auto fields = std::make_shared<QueueFields>();
  fields->queue = call.queue;
  return fields;
}

}  // namespace

Service::Service(const WorkloadSpec& spec, HistoryRecorder& recorder, ClientStart start)
    : spec_(spec), recorder_(recorder), process_(start.process) {}

void Service::on_start(Context&) {}

void Service::on_message(Context& ctx, NodeId from, const Message& message) {
  const auto* call = message.as<ServiceCall>();
  if (call == nullptr) return;
  waiting_.push_back(Pending{from, *call});
  start_next(ctx);
}

void Service::on_timer(Context& ctx, std::string_view name) {
  if (name == kProcessTimer && current_) finish(ctx);
}

void Service::start_next(Context& ctx) {
  while (!current_ && !waiting_.empty()) {
    Pending next = std::move(waiting_.front());
    waiting_.pop_front();
    if (ctx.now() >= next.call.deadline) {
      ctx.note("drops " + next.call.describe() + ": its caller has stopped waiting");
      continue;
    }
    record_receive(ctx, next.call);
    current_ = std::move(next);
    ctx.set_timer(kProcessTimer, spec_.queue.consume.process.sample(ctx.rng()));
  }
}

void Service::record_receive(Context& ctx, const ServiceCall& call) {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = OpType::kInvoke;
  event.f = "receive";
  event.queue = fields_of(call);
  recorder_.record(ctx.self(), event);
  event.type = OpType::kOk;
  event.value = Value(Value::List{call.message_id});
  recorder_.record(ctx.self(), std::move(event));
}

void Service::finish(Context& ctx) {
  const Pending done = std::move(*current_);
  current_.reset();
  const ConsumeSpec& consume = spec_.queue.consume;
  record_effect(ctx, process_, done.call.message_id, fields_of(done.call), consume, recorder_);
  ServiceReply reply;
  reply.status.op_id = done.call.op_id;
  if (is_poison(consume, done.call.message_id)) {
    reply.status.outcome = QueueOutcome::kFail;
    reply.status.answered = true;
    reply.status.error = "poison: processing failed";
  }
  ctx.send(done.caller, Message::of(std::move(reply)));
  start_next(ctx);
}

}  // namespace capsim
