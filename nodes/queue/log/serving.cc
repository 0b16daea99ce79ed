// Serving clients: producers' publishes, consumers' fetches, and the group requests that the
// coordinator on n1 answers.

#include <algorithm>

#include "nodes/queue/log/log_node.h"
#include "sim/client/partition_for_key.h"

namespace capsim::log {

namespace {

QueueStatus status_of(std::uint64_t op_id, QueueOutcome outcome, bool answered = false,
                      std::string error = {}, NodeId hint = kNoNode) {
  QueueStatus status;
  status.op_id = op_id;
  status.outcome = outcome;
  status.answered = answered;
  status.error = std::move(error);
  status.leader_hint = hint;
  return status;
}

// Where a request for a partition this node does not lead should go instead.
QueueStatus not_leader(std::uint64_t op_id, NodeId leader) {
  if (leader == kNoNode) return status_of(op_id, QueueOutcome::kFail, false, "no leader");
  return status_of(op_id, QueueOutcome::kRedirect, false, {}, leader);
}

}  // namespace

void LogNode::reply_publish(Context& ctx, NodeId to, std::uint64_t op_id, QueueStatus status,
                            std::int64_t partition, Offset offset, bool duplicate) const {
  QueuePublishReply reply;
  status.op_id = op_id;
  reply.status = std::move(status);
  reply.partition = partition;
  reply.offset = offset;
  reply.duplicate = duplicate;
  reply.partitions = config_.partitions;
  ctx.send(to, Message::of(std::move(reply)));
}

std::int64_t LogNode::partition_of(const QueuePublish& message, std::int64_t topic_first) {
  if (message.partition >= 0) {
    return message.partition < static_cast<std::int64_t>(config_.partitions) ? message.partition
                                                                             : -1;
  }
  if (!message.key.empty()) return partition_for_key(message.key, config_.partitions);
  // Unkeyed: round-robin over the partitions led here, so the producer is served at once; a
  // node that leads none of them sends it on, round-robin, to the leaders.
  std::vector<std::int64_t> led;
  for (std::uint32_t p = 0; p < config_.partitions; ++p) {
    if (leads(static_cast<PartitionIndex>(topic_first + p))) led.push_back(p);
  }
  const std::uint64_t turn = round_robin_++;
  if (!led.empty()) return led[turn % led.size()];
  return static_cast<std::int64_t>(turn % config_.partitions);
}

void LogNode::on_publish(Context& ctx, NodeId from, const QueuePublish& message) {
  const std::int64_t topic_first = find_partition(places_, message.queue, 0);
  if (topic_first < 0) {
    reply_publish(ctx, from, message.op_id,
                  status_of(0, QueueOutcome::kFail, true, "unknown topic"), -1, -1, false);
    return;
  }
  const std::int64_t partition = partition_of(message, topic_first);
  if (partition < 0) {
    reply_publish(ctx, from, message.op_id,
                  status_of(0, QueueOutcome::kFail, true, "unknown partition"), -1, -1, false);
    return;
  }
  const auto g = static_cast<PartitionIndex>(topic_first + partition);
  if (!leads(g)) {
    reply_publish(ctx, from, message.op_id, not_leader(0, metadata_[g].leader), partition, -1,
                  false);
    return;
  }
  Replica& replica = replicas_.at(g);
  const PartitionState& state = metadata_[g];
  const QueueStatus ok = status_of(0, QueueOutcome::kOk);
  // acks=0: the producer hears ok before anything is checked or written; whatever goes wrong
  // after this goes unnoticed.
  if (config_.acks == Acks::kNone) reply_publish(ctx, from, message.op_id, ok, partition, -1, false);
  const bool answer = config_.acks != Acks::kNone;
  if (config_.acks == Acks::kAll && state.isr.size() < config_.effective_min_isr()) {
    ctx.note("log: " + places_[g].name() + " refuses a publish: isr " + node_list(state.isr) +
             " is below min_insync_replicas " + std::to_string(config_.min_insync_replicas));
    reply_publish(ctx, from, message.op_id,
                  status_of(0, QueueOutcome::kFail, false, "not enough in-sync replicas"),
                  partition, -1, false);
    return;
  }
  if (message.producer_id != 0) {
    const SequenceVerdict verdict = replica.producers.check(message.producer_id, message.sequence);
    if (verdict.check == SequenceCheck::kOutOfOrder) {
      if (answer) {
        reply_publish(ctx, from, message.op_id,
                      status_of(0, QueueOutcome::kFail, true, "out of order sequence"),
                      partition, -1, false);
      }
      return;
    }
    if (verdict.check == SequenceCheck::kDuplicate) {
      ctx.note("log: " + places_[g].name() + " recognises a retry of producer " +
               std::to_string(message.producer_id) + " seq " + std::to_string(message.sequence) +
               " at offset " + std::to_string(verdict.offset));
      if (config_.acks == Acks::kAll && verdict.offset >= replica.hw) {
        replica.pending.push_back({from, message.op_id, verdict.offset, true});
        std::sort(replica.pending.begin(), replica.pending.end(),
                  [](const PendingPublish& a, const PendingPublish& b) {
                    return a.offset < b.offset;
                  });
      } else if (answer) {
        reply_publish(ctx, from, message.op_id, ok, partition, verdict.offset, true);
      }
      return;
    }
  }
  if (config_.acks == Acks::kAll && replica.pending.size() >= kMaxPending) {
    reply_publish(ctx, from, message.op_id, status_of(0, QueueOutcome::kFail, false, "overloaded"),
                  partition, -1, false);
    return;
  }
  LogEntry entry;
  entry.epoch = state.leader_epoch;
  entry.message_id = message.message_id;
  entry.key = message.key;
  entry.producer_id = message.producer_id;
  entry.sequence = message.sequence;
  replica.log.append(std::move(entry));
  const Offset offset = replica.log.end_offset() - 1;
  if (message.producer_id != 0) replica.producers.record(message.producer_id, message.sequence, offset);
  if (config_.flush == Flush::kEvery) flush(ctx, g);
  if (config_.acks == Acks::kLeader) {
    reply_publish(ctx, from, message.op_id, ok, partition, offset, false);
  } else if (config_.acks == Acks::kAll) {
    replica.pending.push_back({from, message.op_id, offset, false});
  }
  advance_high_watermark(ctx, g);
}

void LogNode::on_log_fetch(Context& ctx, NodeId from, const LogFetch& message) {
  LogFetchReply reply;
  const std::int64_t g_signed = find_partition(places_, message.topic, message.partition);
  if (g_signed < 0) {
    reply.status = status_of(message.op_id, QueueOutcome::kFail, true,
                             find_partition(places_, message.topic, 0) < 0 ? "unknown topic"
                                                                           : "unknown partition");
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  const auto g = static_cast<PartitionIndex>(g_signed);
  if (!leads(g)) {
    reply.status = not_leader(message.op_id, metadata_[g].leader);
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  const Replica& replica = replicas_.at(g);
  reply.high_watermark = replica.hw;
  if (message.offset < 0 || message.offset > replica.log.end_offset()) {
    reply.status = status_of(message.op_id, QueueOutcome::kFail, true, "offset out of range");
    ctx.send(from, Message::of(std::move(reply)));
    return;
  }
  reply.status = status_of(message.op_id, QueueOutcome::kOk);
  const std::size_t most = std::min<std::size_t>(std::max<std::uint32_t>(message.max, 1),
                                                 kMaxConsumerFetch);
  for (Offset offset = message.offset;
       offset < replica.hw && reply.messages.size() < most; ++offset) {
    const LogEntry& entry = replica.log.at(offset);
    QueueDelivery delivery;
    delivery.message_id = entry.message_id;
    delivery.key = entry.key;
    delivery.partition = message.partition;
    delivery.offset = entry.offset;
    reply.messages.push_back(std::move(delivery));
  }
  ctx.send(from, Message::of(std::move(reply)));
}

void LogNode::on_group_message(Context& ctx, NodeId from, const Message& message) {
  if (!coordinator_) {
    // Only n1 coordinates groups: send the consumer there.
    const QueueStatus redirect =
        status_of(0, QueueOutcome::kRedirect, false, {}, kControllerNode);
    if (const auto* m = message.as<GroupJoin>()) {
      GroupJoinReply reply;
      reply.status = redirect;
      reply.status.op_id = m->op_id;
      ctx.send(from, Message::of(std::move(reply)));
    } else if (const auto* m = message.as<GroupHeartbeat>()) {
      GroupHeartbeatReply reply;
      reply.status = redirect;
      reply.status.op_id = m->op_id;
      ctx.send(from, Message::of(std::move(reply)));
    } else if (const auto* m = message.as<OffsetCommit>()) {
      OffsetCommitReply reply;
      reply.status = redirect;
      reply.status.op_id = m->op_id;
      ctx.send(from, Message::of(std::move(reply)));
    }
    return;
  }
  if (const auto* m = message.as<GroupJoin>()) coordinator_->on_join(ctx, from, *m);
  if (const auto* m = message.as<GroupHeartbeat>()) coordinator_->on_heartbeat(ctx, from, *m);
  if (const auto* m = message.as<OffsetCommit>()) coordinator_->on_commit(ctx, from, *m);
}

}  // namespace capsim::log
