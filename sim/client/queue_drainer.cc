#include "sim/client/queue_drainer.h"

#include <algorithm>
#include <limits>
#include <memory>

namespace capsim {
namespace {
constexpr std::string_view kDeadlineTimer = "deadline";

std::shared_ptr<QueueFields> fields_for(const std::string& queue, std::string reason = {}) {
  auto fields = std::make_shared<QueueFields>();
  fields->queue = queue;
  fields->reason = std::move(reason);
  return fields;
}
}  // namespace

QueueDrainer::QueueDrainer(std::uint32_t cluster_size, const WorkloadSpec& spec,
                           const FinalReadHost& host, HistoryRecorder& recorder)
    : cluster_size_(cluster_size), spec_(spec), host_(host), recorder_(recorder) {}

void QueueDrainer::on_start(Context& ctx) {
  const std::uint64_t first = host_.first_free_process();
  const std::vector<NodeId> live = host_.live_nodes();
  const NodeId target = live.empty() ? 0 : live.front();
  for (const std::string& queue : spec_.queue.queues) {
    drains_.push_back(Drain{first + drains_.size(), queue, target, 0, true});
  }
  next_process_ = first + drains_.size();
  for (std::size_t i = 0; i < drains_.size(); ++i) {
    HistoryEvent invoke;
    invoke.time = ctx.now();
    invoke.process = drains_[i].process;
    invoke.type = OpType::kInvoke;
    invoke.f = "drain";
    invoke.node = actor_name(target, cluster_size_);
    invoke.queue = fields_for(drains_[i].queue);
    recorder_.record(ctx.self(), std::move(invoke));
    send(ctx, i);
  }
  if (!drains_.empty()) ctx.set_timer(kDeadlineTimer, spec_.timeout);
}

void QueueDrainer::send(Context& ctx, std::size_t position) {
  QueueReceive request;
  request.op_id = position + 1;
  request.queue = drains_[position].queue;
  request.max = std::numeric_limits<std::uint32_t>::max();
  request.drain = true;
  ctx.send(drains_[position].target, Message::of(std::move(request)));
}

void QueueDrainer::on_message(Context& ctx, NodeId from, const Message& message) {
  const auto* reply = message.as<QueueReceiveReply>();
  if (reply == nullptr || reply->status.op_id == 0 || reply->status.op_id > drains_.size()) return;
  const std::size_t position = reply->status.op_id - 1;
  Drain& drain = drains_[position];
  if (!drain.open) return;  // late news: the drain already timed out
  const QueueStatus& status = reply->status;
  switch (status.outcome) {
    case QueueOutcome::kOk: return complete(ctx, position, OpType::kOk, reply, from, {});
    case QueueOutcome::kFail:
      return complete(ctx, position, OpType::kFail, nullptr, from,
                      status.error.empty() ? "failed" : status.error, status.answered);
    case QueueOutcome::kRedirect: {
      const NodeId next = status.leader_hint;
      const bool usable = next != kNoNode && next < cluster_size_ && next != from;
      if (spec_.route == Route::kFixed || !usable || drain.redirects >= cluster_size_) {
        return complete(ctx, position, OpType::kFail, nullptr, from, "redirected, not followed");
      }
      ++drain.redirects;
      drain.target = next;
      return send(ctx, position);
    }
  }
}

void QueueDrainer::on_timer(Context& ctx, std::string_view name) {
  if (name != kDeadlineTimer) return;
  for (std::size_t i = 0; i < drains_.size(); ++i) {
    if (drains_[i].open) complete(ctx, i, OpType::kInfo, nullptr, drains_[i].target, "timeout");
  }
}

void QueueDrainer::complete(Context& ctx, std::size_t position, OpType type,
                            const QueueReceiveReply* reply, NodeId node, std::string error,
                            bool answered) {
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
  auto fields = fields_for(drain.queue);
  if (reply != nullptr) {
    Value::List ids;
    for (const QueueDelivery& m : reply->messages) {
      ids.push_back(m.message_id);
      fields->delivery_counts.push_back(m.delivery_count);
      fields->redelivered.push_back(m.redelivered);
    }
    event.value = Value(std::move(ids));
  }
  event.queue = std::move(fields);
  recorder_.record(ctx.self(), std::move(event));
  if (reply != nullptr) record_removals(ctx, drain.queue, reply->removed);
}

void QueueDrainer::record_removals(Context& ctx, const std::string& queue,
                                   const std::vector<QueueRemoval>& removed) {
  // One observation per (operation, reason), in the order each first appears.
  struct Group {
    std::string f;
    std::string reason;
    Value::List ids;
  };
  std::vector<Group> groups;
  for (const QueueRemoval& removal : removed) {
    const bool expired = removal.reason == "expired" && removal.moved_to.empty();
    const std::string f = expired ? "expire" : "dead-letter";
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.f == f && g.reason == removal.reason;
    });
    if (it == groups.end()) it = groups.insert(groups.end(), Group{f, removal.reason, {}});
    it->ids.push_back(removal.message_id);
  }
  for (Group& group : groups) {
    HistoryEvent event;
    event.time = ctx.now();
    event.process = next_process_++;
    event.type = OpType::kInvoke;
    event.f = group.f;
    event.value = Value(std::move(group.ids));
    event.queue = fields_for(queue, group.f == "expire" ? std::string() : group.reason);
    recorder_.record(ctx.self(), event);
    event.type = OpType::kOk;
    recorder_.record(ctx.self(), std::move(event));
  }
}

}  // namespace capsim
