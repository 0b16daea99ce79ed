#include "sim/client/log_drainer.h"

#include <memory>

namespace capsim {
namespace {
constexpr std::string_view kDeadlineTimer = "deadline";
// The most messages one page asks for; the node may send fewer.
constexpr std::uint32_t kPage = 1000;

std::shared_ptr<QueueFields> fields_for(const std::string& topic) {
  auto fields = std::make_shared<QueueFields>();
  fields->queue = topic;
  return fields;
}
}  // namespace

LogDrainer::LogDrainer(std::uint32_t cluster_size, const WorkloadSpec& spec,
                       const FinalReadHost& host, HistoryRecorder& recorder)
    : cluster_size_(cluster_size), spec_(spec), host_(host), recorder_(recorder) {}

void LogDrainer::on_start(Context& ctx) {
  const std::uint64_t first = host_.first_free_process();
  const std::vector<NodeId> live = host_.live_nodes();
  const NodeId target = live.empty() ? 0 : live.front();
  for (const std::string& topic : spec_.queue.queues) {
    Drain drain;
    drain.process = first + drains_.size();
    drain.topic = topic;
    drain.target = target;
    drains_.push_back(std::move(drain));
  }
  for (std::size_t i = 0; i < drains_.size(); ++i) {
    HistoryEvent invoke;
    invoke.time = ctx.now();
    invoke.process = drains_[i].process;
    invoke.type = OpType::kInvoke;
    invoke.f = "drain";
    invoke.node = actor_name(target, cluster_size_);
    invoke.queue = fields_for(drains_[i].topic);
    recorder_.record(ctx.self(), std::move(invoke));
    send(ctx, i);
  }
  if (!drains_.empty()) ctx.set_timer(kDeadlineTimer, spec_.timeout);
}

void LogDrainer::send(Context& ctx, std::size_t position) {
  const Drain& drain = drains_[position];
  if (!drain.fetching) {
    GroupJoin request;
    request.op_id = position + 1;
    request.group = drain.topic;
    request.topic = drain.topic;
    request.offsets_only = true;
    ctx.send(drain.target, Message::of(std::move(request)));
    return;
  }
  LogFetch request;
  request.op_id = position + 1;
  request.topic = drain.topic;
  request.partition = drain.partition;
  request.offset = drain.offset;
  request.max = kPage;
  ctx.send(drain.target, Message::of(std::move(request)));
}

void LogDrainer::on_message(Context& ctx, NodeId from, const Message& message) {
  const auto* reply = message.as<LogFetchReply>();
  const auto* offsets = message.as<GroupJoinReply>();
  const QueueStatus* found = reply != nullptr ? &reply->status
                             : offsets != nullptr ? &offsets->status
                                                  : nullptr;
  if (found == nullptr || found->op_id == 0 || found->op_id > drains_.size()) return;
  const std::size_t position = found->op_id - 1;
  Drain& drain = drains_[position];
  // Late news (the drain already timed out), or a reply to the other phase.
  if (!drain.open || (reply != nullptr) != drain.fetching) return;
  const QueueStatus& status = *found;
  switch (status.outcome) {
    case QueueOutcome::kOk:
      drain.redirects = 0;
      if (offsets != nullptr) {
        drain.fetching = true;
        for (const std::int64_t committed : offsets->committed) {
          drain.starts.push_back(committed < 0 ? 0 : committed);
        }
        drain.partition = 0;
      } else {
        for (const QueueDelivery& m : reply->messages) drain.ids.push_back(m.message_id);
        if (!reply->messages.empty()) drain.offset = reply->messages.back().offset + 1;
        if (reply->messages.empty() || drain.offset >= reply->high_watermark) {
          ++drain.partition;  // this partition is read to its high watermark
        } else {
          return send(ctx, position);
        }
      }
      if (drain.partition >= static_cast<std::int64_t>(drain.starts.size())) {
        return complete(ctx, position, OpType::kOk, from, {});
      }
      drain.offset = drain.starts[static_cast<std::size_t>(drain.partition)];
      return send(ctx, position);
    case QueueOutcome::kFail:
      return complete(ctx, position, OpType::kFail, from,
                      status.error.empty() ? "failed" : status.error, status.answered);
    case QueueOutcome::kRedirect: {
      const NodeId next = status.leader_hint;
      const bool usable = next != kNoNode && next < cluster_size_ && next != from;
      if (spec_.route == Route::kFixed || !usable || drain.redirects >= cluster_size_) {
        return complete(ctx, position, OpType::kFail, from, "redirected, not followed");
      }
      ++drain.redirects;
      drain.target = next;
      return send(ctx, position);
    }
  }
}

void LogDrainer::on_timer(Context& ctx, std::string_view name) {
  if (name != kDeadlineTimer) return;
  for (std::size_t i = 0; i < drains_.size(); ++i) {
    if (drains_[i].open) complete(ctx, i, OpType::kInfo, drains_[i].target, "timeout");
  }
}

void LogDrainer::complete(Context& ctx, std::size_t position, OpType type, NodeId node,
                          std::string error, bool answered) {
  Drain& drain = drains_[position];
  drain.open = false;
  HistoryEvent event;
  event.time = ctx.now();
  event.process = drain.process;
  event.type = type;
  event.f = "drain";
  event.node = actor_name(node, cluster_size_);
  event.error = std::move(error);
  event.answered = answered;
  if (type == OpType::kOk) event.value = Value(std::move(drain.ids));
  event.queue = fields_for(drain.topic);
  recorder_.record(ctx.self(), std::move(event));
}

}  // namespace capsim
