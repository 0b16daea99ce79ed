#include "sim/client/queue_messages.h"

namespace capsim {

namespace {

std::string ids_of(const std::vector<QueueDelivery>& messages) {
  std::string text = "[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) text += " ";
    text += messages[i].message_id.to_text();
    if (messages[i].offset >= 0) text += "@" + std::to_string(messages[i].offset);
    if (messages[i].delivery_count > 1) text += "#" + std::to_string(messages[i].delivery_count);
  }
  return text + "]";
}

std::string numbers(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += " ";
    text += std::to_string(values[i]);
  }
  return text + "]";
}

std::string op(std::uint64_t op_id) { return "op " + std::to_string(op_id); }

}  // namespace

std::string QueueStatus::describe() const {
  std::string text;
  switch (outcome) {
    case QueueOutcome::kOk: text = " ok"; break;
    case QueueOutcome::kFail: text = answered ? " fail answered" : " fail refused"; break;
    case QueueOutcome::kRedirect: text = " redirect"; break;
  }
  if (leader_hint != kNoNode) text += " leader=" + std::to_string(leader_hint);
  if (!error.empty()) text += " (" + error + ")";
  return text;
}

std::string QueuePublish::describe() const {
  std::string text = op(op_id) + " publish " + message_id.to_text() + " to " + queue;
  if (!key.empty()) text += " key " + key;
  if (partition >= 0) text += " p" + std::to_string(partition);
  if (attempt > 1) text += " attempt " + std::to_string(attempt);
  if (producer_id != 0) {
    text += " pid " + std::to_string(producer_id) + " seq " + std::to_string(sequence);
  }
  return text;
}

std::string QueuePublishReply::describe() const {
  std::string text = op(status.op_id) + status.describe();
  if (partition >= 0) text += " p" + std::to_string(partition) + "@" + std::to_string(offset);
  if (duplicate) text += " duplicate";
  return text;
}

std::string QueueReceive::describe() const {
  return op(op_id) + (drain ? " drain " : " receive ") + std::to_string(max) + " from " + queue +
         (auto_ack ? " auto-ack" : "");
}

std::string QueueReceiveReply::describe() const {
  std::string text = op(status.op_id) + status.describe();
  if (status.outcome == QueueOutcome::kOk) text += " " + ids_of(messages);
  if (!removed.empty()) text += " removed " + std::to_string(removed.size());
  return text;
}

std::string QueueAck::describe() const {
  const char* verb = settle == Settle::kAck       ? " ack"
                     : settle == Settle::kRequeue ? " nack"
                                                  : " reject";
  std::string text = op(op_id) + verb + " " + queue + " [";
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    if (i > 0) text += " ";
    text += std::to_string(receipts[i]);
  }
  return text + "]";
}

std::string QueueAckReply::describe() const {
  std::string text = op(status.op_id) + status.describe();
  if (stale > 0) text += " stale " + std::to_string(stale);
  return text;
}

std::string GroupJoin::describe() const {
  return op(op_id) + (offsets_only ? " offsets of " : " join ") + group + " for " + topic;
}

std::string GroupJoinReply::describe() const {
  std::string text = op(status.op_id) + status.describe();
  if (status.outcome == QueueOutcome::kOk) {
    text += " generation " + std::to_string(generation) + " partitions " + numbers(partitions) +
            " committed " + numbers(committed);
  }
  return text;
}

std::string GroupHeartbeat::describe() const {
  return op(op_id) + " heartbeat " + group + " generation " + std::to_string(generation);
}

std::string GroupHeartbeatReply::describe() const {
  return op(status.op_id) + status.describe() + " generation " + std::to_string(generation);
}

std::string LogFetch::describe() const {
  return op(op_id) + " fetch " + topic + " p" + std::to_string(partition) + " from " +
         std::to_string(offset) + " max " + std::to_string(max);
}

std::string LogFetchReply::describe() const {
  std::string text = op(status.op_id) + status.describe();
  if (status.outcome == QueueOutcome::kOk) {
    text += " " + ids_of(messages) + " hw " + std::to_string(high_watermark);
  }
  return text;
}

std::string OffsetCommit::describe() const {
  return op(op_id) + " commit " + group + " " + topic + " p" + std::to_string(partition) +
         " offset " + std::to_string(offset) + " generation " + std::to_string(generation);
}

std::string OffsetCommitReply::describe() const { return op(status.op_id) + status.describe(); }

}  // namespace capsim
