// A producer of the queue workload in `mode: call`: instead of publishing to a queue it calls
// one of the consumer services (service.h) directly and waits for the answer, as a
// synchronous request/response client does.
//
// Calls arrive as the producers' Poisson stream (message_source.h), whatever the earlier calls
// are doing: the work comes from outside (users, upstream requests), so a slow or absent
// service does not slow the arrivals; it makes the calls fail. The services are taken in turn,
// one per attempt, starting with the caller's own index (a round-robin load balancer).
//
// Each attempt is one history operation `send` (value: the message id; key, queue, attempt, as
// a producer records it; node: the service called), ok when the service answered that it
// processed the message, an answered fail when its processing failed (a poison message), info
// when no answer came within the workload's timeout: the service may still have done the work.
// An unanswered attempt is retried under the workload's retry policy, with the same id, up to
// max_attempts; an answered fail is not. No new call starts at or after publish_stop and no
// retry at or after retry_stop (sim/queue_times.h).
//
// Several calls are under way at once, and the history allows one open operation per
// process, so each attempt runs under a process of its own: one freed by an earlier attempt's
// ok or fail, or a new one (the caller's index plus a multiple of the client count, so the
// history still tells the caller's operations apart from every other client's). A process
// whose attempt ended as info is not used again, as for every client.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/client/message_source.h"
#include "sim/node.h"
#include "sim/queue_times.h"
#include "sim/scenario.h"

namespace capsim {

class Caller final : public Node {
 public:
  // Requires: spec, times, ids and recorder outlive the caller; index < spec.queue.producers;
  // spec.queue.consumers >= 1.
  Caller(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
         const QueueTimes& times, MessageIds& ids, HistoryRecorder& recorder, ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Call {
    std::int64_t id = 0;
    std::string queue;
    std::string key;  // "" for none
    std::uint32_t attempt = 0;
    std::uint64_t process = 0;  // of the attempt in flight
    NodeId service = kNoNode;
    Time deadline{0};
  };

  void schedule_next(Context& ctx);
  void start_call(Context& ctx);
  void attempt(Context& ctx, Call call);
  // Ends the attempt `op_id` (in flight); then retries it or lets it go.
  void complete(Context& ctx, std::uint64_t op_id, OpType type, std::string error,
                bool answered);
  void record(Context& ctx, const Call& call, OpType type, std::string error, bool answered);
  std::uint64_t take_process();
  // Arms `name` to fire at `at`, or cancels it when there is nothing to wait for.
  void arm(Context& ctx, std::string_view name, std::optional<Time> at);
  void arm_timeout(Context& ctx);
  void arm_retry(Context& ctx);

  std::uint32_t index_;
  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const QueueTimes& times_;
  MessageIds& ids_;
  HistoryRecorder& recorder_;
  std::uint64_t next_fresh_process_;
  std::vector<std::uint64_t> free_processes_;  // reused last in, first out
  std::uint64_t next_op_id_;
  std::uint32_t next_service_;
  Time next_start_at_{0};
  std::map<std::uint64_t, Call> in_flight_;              // by op id
  std::set<std::pair<Time, std::uint64_t>> deadlines_;   // (deadline, op id) of in_flight_
  std::multimap<Time, Call> retries_;                    // waiting for their retry, by when
};

}  // namespace capsim
