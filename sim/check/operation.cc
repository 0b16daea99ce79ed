#include "sim/check/operation.h"

#include <map>

namespace capsim {

bool collect_operations(const History& history, OperationList& list, std::string& error) {
  list = OperationList{};
  // Open operations by process: the position in `pending` of the invoke. An ordered map keeps
  // the outcome independent of hashing.
  std::map<std::uint64_t, std::size_t> open;
  std::vector<Operation> pending;
  std::vector<bool> dropped;
  pending.reserve(history.size() / 2 + 1);
  dropped.reserve(history.size() / 2 + 1);
  for (const HistoryEvent& event : history.events()) {
    auto where = [&] { return "event " + std::to_string(event.index) + ": "; };
    if (event.type == OpType::kInvoke) {
      if (auto it = open.find(event.process); it != open.end()) {
        error = where() + "process " + std::to_string(event.process) +
                " invoked an operation while its " + pending[it->second].f + " from event " +
                std::to_string(pending[it->second].invoke_index) + " is still open";
        return false;
      }
      Operation op;
      op.invoke_index = event.index;
      op.process = event.process;
      op.f = event.f;
      op.key = event.key;
      op.input = event.value;
      op.invoke_time = event.time;
      open.emplace(event.process, pending.size());
      pending.push_back(std::move(op));
      dropped.push_back(false);
      continue;
    }
    auto it = open.find(event.process);
    if (it == open.end()) {
      error = where() + "process " + std::to_string(event.process) + " completed a " + event.f +
              " (" + std::string(op_type_name(event.type)) + ") that it never invoked";
      return false;
    }
    Operation& op = pending[it->second];
    if (op.f != event.f) {
      error = where() + "process " + std::to_string(event.process) + " invoked " + op.f +
              " at event " + std::to_string(op.invoke_index) + " but completed " + event.f;
      return false;
    }
    op.complete_index = event.index;
    op.complete_time = event.time;
    if (!op.key && event.key) op.key = event.key;
    if (event.type == OpType::kOk) {
      op.outcome = OpType::kOk;
      op.output = event.value;
    } else if (event.type == OpType::kFail) {
      dropped[it->second] = true;
      ++list.failed;
    }
    open.erase(it);
  }
  // The fails leave the list in place: a second vector of operations would double the memory
  // that a large history needs here.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (dropped[i]) continue;
    if (kept != i) pending[kept] = std::move(pending[i]);
    ++kept;
  }
  pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(kept), pending.end());
  list.operations = std::move(pending);
  return true;
}

std::string key_text(const Value& key) {
  if (key.is_string()) return key.string();
  return key.to_text();
}

}  // namespace capsim
