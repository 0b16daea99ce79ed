#include "sim/client/call_messages.h"

namespace capsim {

std::string ServiceCall::describe() const {
  std::string text = "op " + std::to_string(op_id) + " call " + message_id.to_text() + " of " + queue;
  if (!key.empty()) text += " key " + key;
  if (attempt > 1) text += " attempt " + std::to_string(attempt);
  return text + " deadline " + format_seconds(deadline);
}

std::string ServiceReply::describe() const {
  return "op " + std::to_string(status.op_id) + status.describe();
}

}  // namespace capsim
