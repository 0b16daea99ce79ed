// A simulated client process running a workload (kv, set or counter; see workload.h).
//
// It keeps one operation in flight at a time: invoke, send the request to a node chosen by the
// route, then record ok / fail on the reply or info when the timeout fires first (the outcome is
// then unknown). A fail keeps the reply's word on whether it was an answer or a refusal.
// After an info it continues as a new process id (old id + number of clients), as Jepsen does,
// because the old process may still have an operation taking effect.
// Operations start as a Poisson stream with mean gap clients / rate, but never before the
// previous one completed.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/client/workload.h"
#include "sim/history.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

class KvClient final : public Node {
 public:
  // Requires: workload, recorder outlive the client. No operation starts at or after
  // `stop_invoking_at` (the start of the workload's quiet period). `start` gives its first
  // process and op id (client_start.h).
  KvClient(std::uint32_t index, std::uint32_t cluster_size, const WorkloadSpec& spec,
           Time stop_invoking_at, Workload& workload, HistoryRecorder& recorder,
           ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct InFlight {
    std::uint64_t op_id = 0;
    KvOperation op;
    NodeId target = kNoNode;
    int redirects = 0;
  };

  void schedule_next(Context& ctx);
  void invoke(Context& ctx);
  // `answered`: a fail the node gave as a definite answer (ClientReply::answered); a fail the
  // client makes up itself (a redirect it will not follow) is a refusal.
  void complete(Context& ctx, OpType type, Value value, NodeId node, std::string error,
                bool answered = false);
  NodeId choose_target(Context& ctx);
  void send_request(Context& ctx);
  HistoryEvent event_for(Context& ctx, OpType type, Value value, NodeId node,
                         std::string error) const;

  std::uint32_t index_;
  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  Workload& workload_;
  HistoryRecorder& recorder_;
  Time stop_invoking_at_;
  std::uint64_t process_;
  std::uint64_t next_op_id_;
  std::optional<InFlight> in_flight_;
  NodeId believed_leader_;
  Time next_invoke_at_{0};
  std::map<std::string, Value> observed_;  // last value seen per key
};

}  // namespace capsim
