#include "sim/history.h"

namespace capsim {

std::string_view op_type_name(OpType type) {
  switch (type) {
    case OpType::kInvoke: return "invoke";
    case OpType::kOk: return "ok";
    case OpType::kFail: return "fail";
    case OpType::kInfo: return "info";
  }
  return "info";
}

bool parse_op_type(std::string_view name, OpType& type) {
  for (OpType candidate : {OpType::kInvoke, OpType::kOk, OpType::kFail, OpType::kInfo}) {
    if (op_type_name(candidate) == name) {
      type = candidate;
      return true;
    }
  }
  return false;
}

std::string HistoryEvent::to_json() const {
  std::string out = "{\"index\":" + std::to_string(index) + ",\"time\":" +
                    std::to_string(time.count()) + ",\"process\":" + std::to_string(process) +
                    ",\"type\":\"" + std::string(op_type_name(type)) + "\",\"f\":";
  append_json_string(out, f);
  if (key) {
    out += ",\"key\":";
    append_json_string(out, *key);
  }
  out += ",\"value\":" + value.to_json();
  if (queue) queue->append_json(out);
  if (!node.empty()) {
    out += ",\"node\":";
    append_json_string(out, node);
  }
  if (!error.empty()) {
    out += ",\"error\":";
    append_json_string(out, error);
  }
  if (answered) out += ",\"answer\":true";
  if (final_read) out += ",\"final\":true";
  return out + "}";
}

std::uint64_t History::add(HistoryEvent event) {
  event.index = events_.size();
  events_.push_back(std::move(event));
  return events_.back().index;
}

std::string History::to_jsonl() const {
  std::string out;
  for (const auto& event : events_) out += event.to_json() + "\n";
  return out;
}

}  // namespace capsim
