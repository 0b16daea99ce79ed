// A producer of the queue workload: it publishes messages 1, 2, 3, ... (ids shared by every
// producer of the run, so each is unique) one at a time, as a Poisson stream with mean gap
// producers / rate, never before the previous message is settled.
//
// Each attempt to publish is one history operation `send` (value: the message id; key, queue,
// attempt), ok when the broker acknowledged it, fail when it refused it, info when no answer
// came within the timeout. A refused or unanswered attempt is retried under the workload's
// retry policy (retry_backoff.h), with the same id, up to max_attempts; an answered fail (an
// unknown queue) is not. After an info the producer continues as a new process (old process +
// number of clients), as every client does. A redirect is followed, at most once per node,
// within the same attempt. No new message starts at or after publish_stop, and no attempt at
// or after retry_stop (sim/queue_times.h): a message whose retry would come later is left with
// the outcome of its last attempt. With retry.idempotent every attempt carries the producer id
// and the message's partition and sequence number (producer_sequences.h), so a log protocol
// stores a retried message once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/client/message_source.h"
#include "sim/client/producer_sequences.h"
#include "sim/node.h"
#include "sim/queue_times.h"
#include "sim/scenario.h"

namespace capsim {

class Producer final : public Node {
 public:
  // Requires: spec, times, ids and recorder outlive the producer; index < spec.queue.producers.
  Producer(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
           const QueueTimes& times, MessageIds& ids, HistoryRecorder& recorder,
           ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Outgoing {
    std::int64_t id = 0;
    std::string queue;
    std::string key;  // "" for none
    std::uint32_t attempt = 0;
    std::uint64_t op_id = 0;     // of the attempt in flight; 0 between attempts
    NodeId target = kNoNode;
    std::uint32_t redirects = 0;
    // Idempotent producers only: fixed at the first attempt, repeated by every retry.
    std::int64_t partition = -1;
    std::uint64_t sequence = 0;
  };

  void schedule_next(Context& ctx);
  void start_message(Context& ctx);
  void attempt(Context& ctx);
  void send_publish(Context& ctx);
  // Records the attempt's completion; then retries or moves on. `retry`: the outcome allows one.
  void complete(Context& ctx, OpType type, NodeId node, std::string error, bool answered,
                bool retry);
  HistoryEvent event_for(Context& ctx, OpType type, NodeId node, std::string error) const;

  std::uint32_t index_;
  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const QueueTimes& times_;
  MessageIds& ids_;
  HistoryRecorder& recorder_;
  std::uint64_t process_;
  std::uint64_t next_op_id_;
  NodeId believed_leader_ = 0;
  Time next_start_at_{0};
  std::optional<Outgoing> outgoing_;
  std::optional<ProducerSequences> sequences_;  // retry.idempotent only
};

}  // namespace capsim
