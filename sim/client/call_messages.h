// The messages of the queue workload's `mode: call`: a producer calls a consumer service
// directly and waits for its answer, instead of publishing through a queue protocol. They pass
// between clients only (no node sees them), so they are not part of the queue contract
// (queue_messages.h), though the answer reuses its status.
#pragma once

#include <cstdint>
#include <string>

#include "sim/client/queue_messages.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim {

// One attempt of a caller to have message `message_id` processed.
struct ServiceCall {
  static constexpr std::string_view kKind = "call.request";
  std::uint64_t op_id = 0;
  std::string queue;          // the workload queue the message belongs to (for the history)
  std::string key;            // "" for none
  Value message_id;           // the workload's id, the same on every attempt
  std::uint32_t attempt = 1;  // from 1
  // When the caller stops waiting, on the caller's clock (deadline propagation: a service
  // does not start work whose caller has already given up).
  Time deadline{0};
  std::string describe() const;
};

// The service's answer, sent when processing ended: ok (the effect is applied, or with dedup
// was applied before) or an answered fail (processing failed: a poison message).
struct ServiceReply {
  static constexpr std::string_view kKind = "call.reply";
  QueueStatus status;
  std::string describe() const;
};

}  // namespace capsim
