#include "sim/queue_fields.h"

#include "sim/value.h"

namespace capsim {

bool QueueFields::empty() const {
  return queue.empty() && attempt == 0 && delivery_counts.empty() && redelivered.empty() &&
         reason.empty();
}

void QueueFields::append_json(std::string& out) const {
  if (!queue.empty()) {
    out += ",\"queue\":";
    append_json_string(out, queue);
  }
  if (attempt != 0) out += ",\"attempt\":" + std::to_string(attempt);
  if (!delivery_counts.empty()) {
    out += ",\"delivery_counts\":[";
    for (std::size_t i = 0; i < delivery_counts.size(); ++i) {
      out += (i == 0 ? "" : ",") + std::to_string(delivery_counts[i]);
    }
    out += "]";
  }
  if (!redelivered.empty()) {
    out += ",\"redelivered\":[";
    for (std::size_t i = 0; i < redelivered.size(); ++i) {
      out += (i == 0 ? "" : ",");
      out += redelivered[i] ? "true" : "false";
    }
    out += "]";
  }
  if (!reason.empty()) {
    out += ",\"reason\":";
    append_json_string(out, reason);
  }
}

}  // namespace capsim
