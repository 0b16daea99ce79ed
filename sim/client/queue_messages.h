// The messages between queue clients (producers, consumers) and any queue protocol: the
// contract every queue node meets, as kv_messages.h is for key-value nodes.
//
// Every request carries the client's op_id and its reply the same op_id. A reply's outcome is
//   kOk        done (published and acknowledged; messages delivered; acks applied)
//   kFail      certainly not done; `answered` as in kv_messages.h: a definite answer about the
//              request itself (an unknown queue, a fenced commit) counts as available, a
//              refusal (not the leader, no quorum, not enough in-sync replicas) does not
//   kRedirect  this node cannot serve it; `leader_hint` names the node that might
// A node that cannot tell whether a publish took effect does not answer; the client's timeout
// turns silence into an `info` in the history.
//
// Two ways to consume, one per protocol family:
//   broker (SQS, RabbitMQ)  QueueReceive takes up to `max` messages from a queue; each comes
//                           with a receipt the consumer acks (QueueAck), returns or rejects
//                           (QueueAck with Settle::kRequeue or kReject). The broker decides
//                           what an unacked message becomes:
//                           invisible until a visibility timeout, or held on the consumer's
//                           session until the session ends.
//   log (Kafka)             a consumer joins a group (GroupJoin) and is assigned partitions for
//                           one generation; it reads by offset (LogFetch) and stores how far it
//                           got (OffsetCommit), fenced by the generation; GroupHeartbeat keeps
//                           its membership, and a heartbeat answered with a newer generation
//                           tells it to join again.
// Message ids are the workload's (unique per logical message across the run and kept across a
// producer's retries), so the delivery check can follow each one from send to effect.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/node.h"
#include "sim/value.h"

namespace capsim {

enum class QueueOutcome { kOk, kFail, kRedirect };

// What every queue reply says besides its payload.
struct QueueStatus {
  std::uint64_t op_id = 0;
  QueueOutcome outcome = QueueOutcome::kOk;
  bool answered = false;         // kFail: a definite answer, not a refusal
  NodeId leader_hint = kNoNode;  // kRedirect (optionally kFail): who to ask instead
  std::string error;             // kFail: why, in a few words
  // " ok", " fail refused (no leader)", " redirect leader=2": the tail of a reply's trace line.
  std::string describe() const;
};

// A producer's attempt to publish one message.
struct QueuePublish {
  static constexpr std::string_view kKind = "queue.publish";
  std::uint64_t op_id = 0;
  std::string queue;             // queue or topic
  std::string key;               // partition or message-group key; "" for none
  Value message_id;              // the workload's id, the same on every attempt
  std::uint32_t attempt = 1;     // from 1
  // Idempotent producers (log): a producer id and a sequence number per (producer, partition),
  // the same on a retry. producer_id 0: not idempotent.
  std::uint64_t producer_id = 0;
  std::uint64_t sequence = 0;
  // Log: the partition the producer chose (from the key, as the protocol defines); -1 lets the
  // node choose.
  std::int64_t partition = -1;
  std::string describe() const;
};

struct QueuePublishReply {
  static constexpr std::string_view kKind = "queue.publish_reply";
  QueueStatus status;
  std::int64_t partition = -1;   // log: where it went; -1 otherwise
  std::int64_t offset = -1;      // log: its offset in the partition; -1 otherwise
  bool duplicate = false;        // the node recognised a retry of a message it already holds
  std::int64_t partitions = -1;  // log: how many partitions the topic has; -1 otherwise
  std::string describe() const;
};

// One message handed to a consumer.
struct QueueDelivery {
  Value message_id;
  std::string key;
  std::uint64_t receipt = 0;         // broker: what an ack names
  std::uint32_t delivery_count = 1;  // broker: this delivery included
  bool redelivered = false;          // broker: delivered before (RabbitMQ's flag)
  std::int64_t partition = -1;       // log
  std::int64_t offset = -1;          // log
  friend bool operator==(const QueueDelivery&, const QueueDelivery&) = default;
};

// A message the node removed from a queue without delivering it: moved to a dead-letter queue
// or dropped, for `reason` (rejected, expired, delivery_limit, max_receive_count, ...).
struct QueueRemoval {
  Value message_id;
  std::string reason;
  std::string moved_to;  // the dead-letter queue; "" when the message was dropped
  friend bool operator==(const QueueRemoval&, const QueueRemoval&) = default;
};

// Broker: take up to `max` messages from `queue`.
//   auto_ack  the node deletes each message as it delivers it (no receipt to ack; a delivery
//             the consumer never gets is gone)
//   drain     the final read of a run: take every message still stored, in flight or not,
//             and report in `removed` every message the queue ever lost without a delivery
struct QueueReceive {
  static constexpr std::string_view kKind = "queue.receive";
  std::uint64_t op_id = 0;
  std::string queue;
  std::uint32_t max = 1;
  bool auto_ack = false;
  bool drain = false;
  // The consumer's channel (one per consumer incarnation, never 0 for a consumer): a broker
  // that holds deliveries on the channel (RabbitMQ) returns them when the channel goes silent.
  std::uint64_t channel = 0;
  std::string describe() const;
};

struct QueueReceiveReply {
  static constexpr std::string_view kKind = "queue.receive_reply";
  QueueStatus status;
  std::vector<QueueDelivery> messages;  // kOk: possibly none
  std::vector<QueueRemoval> removed;    // kOk of a drain: in the order they were removed
  std::string describe() const;
};

// How a consumer settles the deliveries it names in a QueueAck.
enum class Settle {
  kAck,      // done: delete them
  kRequeue,  // a nack: return them to the queue, to be delivered again
  kReject,   // a reject: never deliver them again; the broker dead-letters them (rejected)
};

// Broker: settle the deliveries with these receipts; a receipt the broker no longer holds (its
// visibility timeout passed, the session ended) is ignored, and `stale` in the reply counts
// such receipts.
struct QueueAck {
  static constexpr std::string_view kKind = "queue.ack";
  std::uint64_t op_id = 0;
  std::string queue;
  std::vector<std::uint64_t> receipts;
  Settle settle = Settle::kAck;
  std::uint64_t channel = 0;  // as QueueReceive::channel
  std::string describe() const;
};

struct QueueAckReply {
  static constexpr std::string_view kKind = "queue.ack_reply";
  QueueStatus status;
  std::uint32_t stale = 0;
  std::vector<std::uint64_t> stale_receipts;  // which receipts were stale, in request order
  std::string describe() const;
};

// Log: join `group` for `topic`. The reply assigns partitions for a generation.
struct GroupJoin {
  static constexpr std::string_view kKind = "queue.group_join";
  std::uint64_t op_id = 0;
  std::string group;
  std::string topic;
  // The drain: do not join; answer with every partition of the topic and the group's committed
  // offset of each (Kafka's OffsetFetch), so the drain reads what the group has not consumed.
  bool offsets_only = false;
  std::string describe() const;
};

struct GroupJoinReply {
  static constexpr std::string_view kKind = "queue.group_join_reply";
  QueueStatus status;
  std::uint64_t generation = 0;
  std::vector<std::int64_t> partitions;  // assigned to this member, ascending
  std::vector<std::int64_t> committed;   // the group's committed offset of each, -1 for none
  std::string describe() const;
};

// Log: still here, in `generation`. kFail answered "rebalance" with a newer generation means
// join again; the member must stop committing for the old one.
struct GroupHeartbeat {
  static constexpr std::string_view kKind = "queue.group_heartbeat";
  std::uint64_t op_id = 0;
  std::string group;
  std::uint64_t generation = 0;
  std::string describe() const;
};

struct GroupHeartbeatReply {
  static constexpr std::string_view kKind = "queue.group_heartbeat_reply";
  QueueStatus status;
  std::uint64_t generation = 0;  // the group's current generation
  std::string describe() const;
};

// Log: read `partition` of `topic` from `offset`, at most `max` messages below the high
// watermark.
struct LogFetch {
  static constexpr std::string_view kKind = "queue.fetch";
  std::uint64_t op_id = 0;
  std::string topic;
  std::int64_t partition = 0;
  std::int64_t offset = 0;
  std::uint32_t max = 1;
  std::string describe() const;
};

struct LogFetchReply {
  static constexpr std::string_view kKind = "queue.fetch_reply";
  QueueStatus status;
  std::vector<QueueDelivery> messages;  // in offset order
  std::int64_t high_watermark = 0;
  std::string describe() const;
};

// Log: the group has consumed `partition` up to `offset` (the next offset to read), fenced by
// `generation`: a commit of an older generation is refused (kFail answered "fenced").
struct OffsetCommit {
  static constexpr std::string_view kKind = "queue.offset_commit";
  std::uint64_t op_id = 0;
  std::string group;
  std::string topic;
  std::uint64_t generation = 0;
  std::int64_t partition = 0;
  std::int64_t offset = 0;
  std::string describe() const;
};

struct OffsetCommitReply {
  static constexpr std::string_view kKind = "queue.offset_commit_reply";
  QueueStatus status;
  std::string describe() const;
};

}  // namespace capsim
