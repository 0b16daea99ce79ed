// A consumer of the queue workload: it receives batches from the workload's queues in turn,
// processes each message and acknowledges them as the ack policy says (sim/scenario.h,
// AckPolicy). Every step is a history operation, one at a time, under the consumer's process:
//   receive  invoke, then ok (value: the ids delivered, with the broker's delivery_counts and
//            redelivered flags), fail or info; an empty receive waits poll_interval
//   effect   one per message processed, at the moment its processing ends (invoke and
//            completion together: the effect is one atomic write elsewhere). ok: applied;
//            fail "poison: processing failed" for a poison message (its effect never
//            happens); with dedup, fail "duplicate: already applied" when this consumer's disk
//            already lists the id (the effect is not applied again, so the delivery check
//            counts no duplicate effect, and the message still counts as processed once acked)
//   ack      with before-process: the whole batch before processing; with after-process: the
//            processed messages of the batch after the last one (ok lists the ids whose
//            receipts were still live; every receipt stale: fail "stale receipt"); none with
//            auto (the broker deleted them as it delivered them)
//   nack     after-process only, on_poison requeue: the poison messages of the batch are
//            returned to the queue, to be delivered again; not a delivery-check operation,
//            recorded for availability and the reader
//   reject   after-process only, on_poison reject: the same messages are rejected instead,
//            and the broker dead-letters them (reason rejected) or drops them
// Processing one message takes a draw of `process` from the consumer's stream. With dedup the
// applied id is written to the consumer's disk and synced in the same step as the effect, so
// it survives a crash of the consumer (the idempotent-consumer pattern, with the table local
// to the consumer: a redelivery to another consumer is applied again).
// An info moves the consumer to a new process, as for every client. Its requests name a
// channel, one per incarnation (the first process + 1), kept across infos: a broker with
// delivery channel holds unacked deliveries on it. A crash of the consumer loses the batch in
// hand; its receipts go stale after the broker's visibility timeout, or once its channel has
// been silent for channel_timeout, and the messages come back. No receive starts at or after consume_stop (sim/queue_times.h); a batch in
// hand is finished.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/queue_times.h"
#include "sim/scenario.h"

namespace capsim {

class Consumer final : public Node {
 public:
  // Requires: spec, times and recorder outlive the consumer; index counts consumers from 0.
  Consumer(std::uint32_t index, std::uint32_t client_index, std::uint32_t cluster_size,
           const WorkloadSpec& spec, const QueueTimes& times, HistoryRecorder& recorder,
           ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  // What the consumer waits for.
  enum class Step {
    kIdle,        // nothing: the poll timer is set, or it has stopped
    kReceiving,   // a receive's reply
    kAcking,      // an ack's reply (before or after processing)
    kProcessing,  // the process timer of batch_[position_]
    kSettlingPoison,  // the reply to a nack or reject of the batch's poison messages
  };

  void poll(Context& ctx);
  void on_receive_reply(Context& ctx, NodeId from, const QueueReceiveReply& reply);
  void on_ack_reply(Context& ctx, NodeId from, const QueueAckReply& reply);
  void after_batch_received(Context& ctx);
  void process_next(Context& ctx);
  void finish_processing(Context& ctx);
  void after_ack(Context& ctx);
  // Sends the request of the current step to `target_`.
  void send_current(Context& ctx);
  // Ends the current step's operation; an info also moves to a new process.
  void record(Context& ctx, OpType type, Value value, NodeId node, std::string error,
              bool answered, std::shared_ptr<QueueFields> extra = {});
  void on_step_timeout(Context& ctx);
  void invoke(Context& ctx, const std::string& f, Value value);
  void record_effect(Context& ctx, const QueueDelivery& message);
  std::shared_ptr<QueueFields> fields(const std::string& queue) const;
  bool is_poison(const Value& id) const;

  std::uint32_t index_;
  std::uint32_t client_index_;
  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const QueueTimes& times_;
  HistoryRecorder& recorder_;
  std::uint64_t process_;
  std::uint64_t channel_;  // this incarnation's channel (QueueReceive::channel)
  std::uint64_t next_op_id_;
  NodeId believed_leader_ = 0;
  std::size_t next_queue_ = 0;

  Step step_ = Step::kIdle;
  std::uint64_t op_id_ = 0;       // of the request in flight
  std::string f_;                 // its history name
  NodeId target_ = kNoNode;
  std::uint32_t redirects_ = 0;
  std::string queue_;             // of the batch in hand
  std::vector<QueueDelivery> batch_;
  std::size_t position_ = 0;
  std::vector<QueueDelivery> to_ack_;   // this step's receipts
  std::vector<QueueDelivery> poisoned_;  // after-process: to nack or reject
};

}  // namespace capsim
