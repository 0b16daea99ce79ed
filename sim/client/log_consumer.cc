#include "sim/client/log_consumer.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "sim/client/message_effect.h"
#include "sim/client/queue_route.h"

namespace capsim {
namespace {
constexpr std::string_view kPollTimer = "poll";
constexpr std::string_view kTimeoutTimer = "timeout";
constexpr std::string_view kProcessTimer = "process";
constexpr std::string_view kHeartbeatTimer = "heartbeat";

Value ids_of(const std::vector<QueueDelivery>& messages) {
  Value::List ids;
  ids.reserve(messages.size());
  for (const QueueDelivery& m : messages) ids.push_back(m.message_id);
  return Value(std::move(ids));
}

}  // namespace

LogConsumer::LogConsumer(std::uint32_t index, std::uint32_t client_index,
                         std::uint32_t cluster_size, const WorkloadSpec& spec,
                         const QueueTimes& times, HistoryRecorder& recorder, ClientStart start)
    : index_(index),
      client_index_(client_index),
      cluster_size_(cluster_size),
      spec_(spec),
      times_(times),
      recorder_(recorder),
      process_(start.process),
      next_op_id_(start.op_id) {
  const std::vector<std::string>& queues = spec_.queue.queues;
  topic_ = queues[index_ % queues.size()];
  group_ = topic_;
}

void LogConsumer::on_start(Context& ctx) {
  coordinator_ = queue_route_target(spec_, client_index_, cluster_size_, 0, ctx.rng());
  join(ctx);
  ctx.set_timer(kHeartbeatTimer, spec_.timeout / 3);
}

std::shared_ptr<QueueFields> LogConsumer::fields() const {
  auto out = std::make_shared<QueueFields>();
  out->queue = topic_;
  return out;
}

void LogConsumer::on_timer(Context& ctx, std::string_view name) {
  if (name == kPollTimer && step_ == Step::kIdle) {
    poll(ctx);
  } else if (name == kProcessTimer && step_ == Step::kProcessing) {
    record_effect(ctx, batch_[position_]);
    ++position_;
    process_next(ctx);
  } else if (name == kTimeoutTimer && op_id_ != 0) {
    on_step_timeout(ctx);
  } else if (name == kHeartbeatTimer) {
    if (ctx.now() >= times_.consume_stop) return;
    if (joined_) {
      GroupHeartbeat heartbeat;
      heartbeat.op_id = heartbeat_op_ = next_op_id_++;
      heartbeat.group = group_;
      heartbeat.generation = generation_;
      ctx.send(coordinator_, Message::of(std::move(heartbeat)));
    }
    ctx.set_timer(kHeartbeatTimer, spec_.timeout / 3);
  }
}

void LogConsumer::poll(Context& ctx) {
  step_ = Step::kIdle;
  if (ctx.now() >= times_.consume_stop) return;  // the drain is near: fetch no more
  if (!joined_) return join(ctx);
  if (has_auto_pending_) {
    has_auto_pending_ = false;
    return commit(ctx, std::move(auto_pending_));
  }
  if (assignment_.empty()) {
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  fetch(ctx);
}

void LogConsumer::join(Context& ctx) {
  step_ = Step::kJoining;
  joined_ = false;
  has_auto_pending_ = false;  // commits of the old generation would be fenced
  op_id_ = next_op_id_++;
  f_.clear();
  redirects_ = 0;
  target_ = coordinator_;
  ctx.set_timer(kTimeoutTimer, spec_.timeout);
  send_current(ctx);
}

void LogConsumer::fetch(Context& ctx) {
  partition_ = assignment_[next_partition_ % assignment_.size()];
  ++next_partition_;
  step_ = Step::kFetching;
  const auto leader = leaders_.find(partition_);
  const NodeId target =
      leader != leaders_.end()
          ? leader->second
          : queue_route_target(spec_, client_index_, cluster_size_, 0, ctx.rng());
  invoke(ctx, "receive", Value(), target);
}

void LogConsumer::commit(Context& ctx, Commit commit) {
  commit_ = std::move(commit);
  step_ = Step::kCommitting;
  invoke(ctx, "ack", ids_of(commit_.covered), coordinator_);
}

void LogConsumer::invoke(Context& ctx, const std::string& f, Value value, NodeId target) {
  op_id_ = next_op_id_++;
  f_ = f;
  redirects_ = 0;
  target_ = target;
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = OpType::kInvoke;
  event.f = f;
  event.value = std::move(value);
  event.node = actor_name(target_, cluster_size_);
  event.queue = fields();
  recorder_.record(ctx.self(), std::move(event));
  ctx.set_timer(kTimeoutTimer, spec_.timeout);
  send_current(ctx);
}

void LogConsumer::send_current(Context& ctx) {
  switch (step_) {
    case Step::kJoining: {
      GroupJoin request;
      request.op_id = op_id_;
      request.group = group_;
      request.topic = topic_;
      return ctx.send(target_, Message::of(std::move(request)));
    }
    case Step::kFetching: {
      LogFetch request;
      request.op_id = op_id_;
      request.topic = topic_;
      request.partition = partition_;
      request.offset = positions_[partition_];
      request.max = spec_.queue.consume.batch;
      return ctx.send(target_, Message::of(std::move(request)));
    }
    case Step::kCommitting: {
      OffsetCommit request;
      request.op_id = op_id_;
      request.group = group_;
      request.topic = topic_;
      request.generation = generation_;
      request.partition = commit_.partition;
      request.offset = commit_.offset;
      return ctx.send(target_, Message::of(std::move(request)));
    }
    default: return;
  }
}

void LogConsumer::complete(Context& ctx, OpType type, Value value, NodeId node,
                           std::string error, bool answered) {
  op_id_ = 0;
  ctx.cancel_timer(kTimeoutTimer);
  if (f_.empty()) return;  // a join is not a history operation
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = type;
  event.f = f_;
  event.value = std::move(value);
  event.node = node == kNoNode ? std::string{} : actor_name(node, cluster_size_);
  event.error = std::move(error);
  event.answered = answered;
  event.queue = fields();
  recorder_.record(ctx.self(), std::move(event));
  if (type == OpType::kInfo) process_ += spec_.clients;
}

bool LogConsumer::follow(Context& ctx, NodeId from, const QueueStatus& status) {
  if (status.outcome != QueueOutcome::kRedirect || spec_.route == Route::kFixed ||
      redirects_ >= cluster_size_) {
    return false;
  }
  ++redirects_;
  target_ = queue_redirect_target(from, status.leader_hint, cluster_size_, ctx.rng());
  if (step_ == Step::kFetching) {
    leaders_[partition_] = target_;
  } else {
    coordinator_ = target_;
  }
  send_current(ctx);
  return true;
}

void LogConsumer::on_message(Context& ctx, NodeId from, const Message& message) {
  if (const auto* reply = message.as<GroupHeartbeatReply>()) return on_heartbeat_reply(from, *reply);
  const auto* join = message.as<GroupJoinReply>();
  const auto* fetch = message.as<LogFetchReply>();
  const auto* commit = message.as<OffsetCommitReply>();
  const QueueStatus* status = join != nullptr && step_ == Step::kJoining        ? &join->status
                              : fetch != nullptr && step_ == Step::kFetching     ? &fetch->status
                              : commit != nullptr && step_ == Step::kCommitting ? &commit->status
                                                                                : nullptr;
  // Late news (a reply after its timeout) or a reply to another step: the history has it.
  if (status == nullptr || op_id_ == 0 || status->op_id != op_id_) return;
  if (follow(ctx, from, *status)) return;
  if (join != nullptr) return on_join_reply(ctx, from, *join);
  if (fetch != nullptr) return on_fetch_reply(ctx, from, *fetch);
  on_commit_reply(ctx, from, *commit);
}

void LogConsumer::on_heartbeat_reply(NodeId from, const GroupHeartbeatReply& reply) {
  if (reply.status.op_id != heartbeat_op_) return;
  if (reply.status.outcome == QueueOutcome::kRedirect) {
    if (reply.status.leader_hint < cluster_size_) coordinator_ = reply.status.leader_hint;
    return;
  }
  coordinator_ = from;
  // A newer generation, or the coordinator forgot us: join again before the next fetch.
  if (reply.status.outcome == QueueOutcome::kFail && reply.status.answered) joined_ = false;
}

void LogConsumer::on_join_reply(Context& ctx, NodeId from, const GroupJoinReply& reply) {
  complete(ctx, OpType::kOk, Value(), from, {}, false);
  step_ = Step::kIdle;
  if (reply.status.outcome != QueueOutcome::kOk) {
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  coordinator_ = from;
  joined_ = true;
  generation_ = reply.generation;
  assignment_ = reply.partitions;
  positions_.clear();
  for (std::size_t i = 0; i < reply.partitions.size(); ++i) {
    const std::int64_t partition = reply.partitions[i];
    const std::int64_t committed = i < reply.committed.size() ? reply.committed[i] : -1;
    // Transactional: this consumer's own store may be ahead of the group, by the effects it
    // applied after its last group commit.
    positions_[partition] = std::max<std::int64_t>({committed, stored_offset(ctx, partition), 0});
  }
  next_partition_ = 0;
  poll(ctx);
}

void LogConsumer::on_fetch_reply(Context& ctx, NodeId from, const LogFetchReply& reply) {
  if (reply.status.outcome != QueueOutcome::kOk) {
    complete(ctx, OpType::kFail, Value(), from,
             reply.status.error.empty() ? "failed" : reply.status.error, reply.status.answered);
    if (reply.status.error == "offset out of range") {
      positions_[partition_] = reply.high_watermark;  // the log lost what we were beyond
    }
    step_ = Step::kIdle;
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  leaders_[partition_] = from;
  complete(ctx, OpType::kOk, ids_of(reply.messages), from, {}, false);
  if (reply.messages.empty()) {
    step_ = Step::kIdle;
    ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
    return;
  }
  batch_ = reply.messages;
  position_ = 0;
  const std::int64_t end = batch_.back().offset + 1;
  positions_[partition_] = end;
  Commit covering{partition_, end, batch_, false};
  switch (spec_.queue.consume.ack) {
    case AckPolicy::kBeforeProcess:
      covering.then_process = true;
      return commit(ctx, std::move(covering));
    case AckPolicy::kAuto:
      auto_pending_ = std::move(covering);
      has_auto_pending_ = true;
      return process_next(ctx);
    case AckPolicy::kAfterProcess:
    case AckPolicy::kTransactional: return process_next(ctx);
  }
}

void LogConsumer::process_next(Context& ctx) {
  if (position_ < batch_.size()) {
    step_ = Step::kProcessing;
    ctx.set_timer(kProcessTimer, spec_.queue.consume.process.sample(ctx.rng()));
    return;
  }
  after_batch(ctx);
}

void LogConsumer::after_batch(Context& ctx) {
  const AckPolicy ack = spec_.queue.consume.ack;
  if ((ack == AckPolicy::kAfterProcess || ack == AckPolicy::kTransactional) && !batch_.empty()) {
    Commit covering{partition_, batch_.back().offset + 1, batch_, false};
    batch_.clear();
    return commit(ctx, std::move(covering));
  }
  batch_.clear();
  poll(ctx);
}

void LogConsumer::on_commit_reply(Context& ctx, NodeId from, const OffsetCommitReply& reply) {
  const bool ok = reply.status.outcome == QueueOutcome::kOk;
  complete(ctx, ok ? OpType::kOk : OpType::kFail, ids_of(commit_.covered), from,
           ok ? std::string() : (reply.status.error.empty() ? "failed" : reply.status.error),
           !ok && reply.status.answered);
  if (ok) coordinator_ = from;
  if (!ok && reply.status.answered) joined_ = false;  // fenced: the group moved on
  if (commit_.then_process) return process_next(ctx);
  poll(ctx);
}

void LogConsumer::on_step_timeout(Context& ctx) {
  const Step step = step_;
  const Value value = step == Step::kCommitting ? ids_of(commit_.covered) : Value();
  complete(ctx, OpType::kInfo, value, target_, "timeout", false);
  if (step == Step::kCommitting && commit_.then_process) return process_next(ctx);
  step_ = Step::kIdle;
  if (step == Step::kJoining) coordinator_ = static_cast<NodeId>(ctx.rng().below(cluster_size_));
  if (step == Step::kFetching) leaders_.erase(partition_);
  ctx.set_timer(kPollTimer, spec_.queue.consume.poll_interval);
}

void LogConsumer::record_effect(Context& ctx, const QueueDelivery& message) {
  capsim::record_effect(ctx, process_, message.message_id, fields(), spec_.queue.consume,
                        recorder_);
  if (spec_.queue.consume.ack != AckPolicy::kTransactional) return;
  // In the same step as the effect, so a crash leaves both or neither: the offset after this
  // message, on the consumer's own disk. The history records it as an ack of the message, to
  // the consumer itself.
  ctx.disk().put(offset_key(partition_), std::to_string(message.offset + 1));
  ctx.disk().sync();
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process_;
  event.type = OpType::kInvoke;
  event.f = "ack";
  event.value = Value(Value::List{message.message_id});
  event.node = actor_name(ctx.self(), cluster_size_);
  event.queue = fields();
  recorder_.record(ctx.self(), event);
  event.type = OpType::kOk;
  recorder_.record(ctx.self(), std::move(event));
}

std::string LogConsumer::offset_key(std::int64_t partition) const {
  return "offset/" + topic_ + "/" + std::to_string(partition);
}

std::int64_t LogConsumer::stored_offset(Context& ctx, std::int64_t partition) const {
  if (spec_.queue.consume.ack != AckPolicy::kTransactional) return -1;
  const std::optional<std::string> stored = ctx.disk().get(offset_key(partition));
  if (!stored) return -1;
  std::int64_t offset = -1;
  const char* end = stored->data() + stored->size();
  if (std::from_chars(stored->data(), end, offset).ptr != end) return -1;
  return offset;
}

bool LogConsumer::is_poison(const Value& id) const {
  return capsim::is_poison(spec_.queue.consume, id);
}

}  // namespace capsim
