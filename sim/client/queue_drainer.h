// The drain of a queue workload (sim/queue_times.h says when): the actor that empties every
// queue at the end of the run, so the delivery check can tell a lost message from one still
// queued (sim/check/delivery.h, "The drain").
//
// At its start it invokes one `drain` of each workload queue, all at once, each under its own
// process (first free process + the queue's position), at the first node that is up; a
// redirect is followed (not with route fixed), at most once per node. A drain asks the node for
// every message still stored, in flight or not (QueueReceive with drain), and its ok lists
// them with the broker's delivery counts, which says the queue was then empty. The node's
// reply also lists what the queue removed without a delivery; for each reason the drainer
// records one more operation (invoke and ok at once, each under a fresh process):
// `dead-letter` with that `reason` and the ids (moved to the dead-letter queue, or dropped),
// or `expire` for messages that expired with no dead-letter queue to take them. This is how the
// broker's own decisions reach the history: the broker never writes it. A drain unanswered
// after the workload's timeout is recorded as info (the drain is then incomplete).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/client/final_reader.h"
#include "sim/client/history_recorder.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

class QueueDrainer final : public Node {
 public:
  // Requires: spec, host and recorder outlive the drainer.
  QueueDrainer(std::uint32_t cluster_size, const WorkloadSpec& spec, const FinalReadHost& host,
               HistoryRecorder& recorder);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Drain {
    std::uint64_t process = 0;
    std::string queue;
    NodeId target = kNoNode;
    std::uint32_t redirects = 0;
    bool open = true;
  };

  void send(Context& ctx, std::size_t position);
  void complete(Context& ctx, std::size_t position, OpType type, const QueueReceiveReply* reply,
                NodeId node, std::string error, bool answered = false);
  void record_removals(Context& ctx, const std::string& queue,
                       const std::vector<QueueRemoval>& removed);

  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const FinalReadHost& host_;
  HistoryRecorder& recorder_;
  std::vector<Drain> drains_;  // op_id = position + 1
  std::uint64_t next_process_ = 0;  // for the dead-letter and expire observations
};

}  // namespace capsim
