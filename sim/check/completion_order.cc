#include "sim/check/completion_order.h"

namespace capsim {

std::optional<std::string> CompletionOrder::add(const HistoryEvent& event, int line) {
  if (event.type == OpType::kInvoke) {
    open_[event.process] = OpenInvoke{event.time, line};
    return std::nullopt;
  }
  const auto it = open_.find(event.process);
  if (it == open_.end()) return std::nullopt;
  const OpenInvoke invoke = it->second;
  open_.erase(it);
  if (event.time >= invoke.time) return std::nullopt;
  return "process " + std::to_string(event.process) + "'s " + event.f + " completes (" +
         std::string(op_type_name(event.type)) + ") at time " +
         std::to_string(event.time.count()) + ", before its invoke at time " +
         std::to_string(invoke.time.count()) + " on line " + std::to_string(invoke.line) +
         ": an operation cannot end before it starts";
}

}  // namespace capsim
