// A consumer of the queue workload in `mode: call`: a service that producers (caller.h) call
// directly. It takes the calls in arrival order, one at a time, processes each for a draw of
// `consume.process` and answers: ok once the effect is applied (or, with dedup, was applied
// before), an answered fail "poison: processing failed" for a poison message. Calls that
// arrive while it works wait in its queue; a crash loses that queue and the call in hand.
//
// A call whose deadline has passed when its turn comes is dropped unanswered (a trace note
// says so): its caller has given up, so the work would be wasted (deadline propagation, as gRPC
// does it). The deadline is on the caller's clock, so skew between the two clocks moves it.
//
// History, under the service's process, as a broker consumer records it:
//   receive  invoke and ok together when a call's processing starts (value: the one id); no
//            delivery_counts or redelivered fields: no broker counts deliveries here
//   effect   when processing ends (message_effect.h), before the answer is sent
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "sim/client/call_messages.h"
#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

class Service final : public Node {
 public:
  // Requires: spec and recorder outlive the service.
  Service(const WorkloadSpec& spec, HistoryRecorder& recorder, ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Pending {
    NodeId caller = kNoNode;
    ServiceCall call;
  };

  // Starts the next call still worth doing, if the service is free.
  void start_next(Context& ctx);
  void finish(Context& ctx);
  void record_receive(Context& ctx, const ServiceCall& call);

  const WorkloadSpec& spec_;
  HistoryRecorder& recorder_;
  std::uint64_t process_;
  std::deque<Pending> waiting_;
  std::optional<Pending> current_;
};

}  // namespace capsim
