#include "sim/client/kv_messages.h"

namespace capsim {

std::string ClientRequest::describe() const {
  std::string text = "op " + std::to_string(op_id) + " " + f + " " + key;
  if (!value.is_nil()) text += " " + value.to_text();
  return text;
}

std::string ClientReply::describe() const {
  std::string text = "op " + std::to_string(op_id);
  switch (outcome) {
    case Outcome::kOk: text += " ok"; break;
    case Outcome::kFail: text += answered ? " fail answered" : " fail refused"; break;
    case Outcome::kRedirect: text += " redirect"; break;
  }
  if (!value.is_nil()) text += " " + value.to_text();
  if (leader_hint != kNoNode) text += " leader=" + std::to_string(leader_hint);
  if (!error.empty()) text += " (" + error + ")";
  return text;
}

}  // namespace capsim
