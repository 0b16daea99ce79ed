// A consumer's side effect for one message, shared by the broker and the log consumers: an
// `effect` invoke, then ok (applied), or an answered fail for a poison message or, with `dedup`,
// a message already applied. With dedup the applied id and the effect are written to the
// consumer's disk in one synced step, so a crash leaves both or neither.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/client/kv_client.h"
#include "sim/node.h"
#include "sim/queue_fields.h"
#include "sim/scenario.h"
#include "sim/value.h"

namespace capsim {

// True if the scenario names `id` as a poison message. Requires: consume.poison is sorted.
bool is_poison(const ConsumeSpec& consume, const Value& id);

// Records the effect of message `id` for `process` (see above).
void record_effect(Context& ctx, std::uint64_t process, const Value& id,
                   std::shared_ptr<QueueFields> queue, const ConsumeSpec& consume,
                   HistoryRecorder& recorder);

}  // namespace capsim
