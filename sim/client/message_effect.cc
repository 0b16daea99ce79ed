#include "sim/client/message_effect.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace capsim {

namespace {

std::string applied_key(const Value& id) { return "applied/" + id.to_json(); }

}  // namespace

bool is_poison(const ConsumeSpec& consume, const Value& id) {
  const std::vector<std::int64_t>& poison = consume.poison;
  return id.is_integer() && std::binary_search(poison.begin(), poison.end(), id.integer());
}

void record_effect(Context& ctx, std::uint64_t process, const Value& id,
                   std::shared_ptr<QueueFields> queue, const ConsumeSpec& consume,
                   HistoryRecorder& recorder) {
  HistoryEvent event;
  event.time = ctx.now();
  event.process = process;
  event.type = OpType::kInvoke;
  event.f = "effect";
  event.value = id;
  event.queue = std::move(queue);
  recorder.record(ctx.self(), event);
  if (is_poison(consume, id)) {
    event.type = OpType::kFail;
    event.error = "poison: processing failed";
    event.answered = true;
  } else if (consume.dedup && ctx.disk().get(applied_key(id))) {
    event.type = OpType::kFail;
    event.error = "duplicate: already applied";
    event.answered = true;
  } else {
    event.type = OpType::kOk;
    if (consume.dedup) {
      // The effect and the record of it are one step: both happen or neither does.
      ctx.disk().put(applied_key(id), "1");
      ctx.disk().sync();
    }
  }
  recorder.record(ctx.self(), std::move(event));
}

}  // namespace capsim
