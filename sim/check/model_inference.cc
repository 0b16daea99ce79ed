#include "sim/check/model_inference.h"

#include <algorithm>
#include <set>
#include <vector>

namespace capsim {
namespace {

// The models that have a fixed set of operations, with those operations.
struct Family {
  const char* model;
  std::set<std::string> operations;
};

const std::vector<Family>& families() {
  static const std::vector<Family> list = {
      {"fifo-queue", {"enqueue", "dequeue"}},
      {"mutex", {"acquire", "release"}},
      {"kv-append", {"get", "put", "append"}},
      {"multi-register", {"txn"}},
  };
  return list;
}

bool is_subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Jepsen's independent keys: every write's value is a [key value] tuple.
bool writes_carry_tuples(const History& history) {
  bool any = false;
  for (const HistoryEvent& event : history.events()) {
    if (event.type != OpType::kInvoke || event.f != "write") continue;
    if (!event.value.is_list() || event.value.list().size() != 2) return false;
    any = true;
  }
  return any;
}

bool some_read_returned_a_list(const History& history) {
  return std::any_of(history.events().begin(), history.events().end(), [](const HistoryEvent& e) {
    return e.type == OpType::kOk && e.f == "read" && e.value.is_list();
  });
}

}  // namespace

std::optional<ModelChoice> infer_model(const History& history, std::string& error) {
  std::set<std::string> operations;
  bool has_keys = false;
  for (const HistoryEvent& event : history.events()) {
    operations.insert(event.f);
    has_keys = has_keys || event.key.has_value();
  }
  if (operations.empty()) {
    error = "the history has no operations to choose a model from";
    return std::nullopt;
  }
  const std::string ops = joined(operations);
  if (is_subset(operations, {"read", "write", "cas"})) {
    if (has_keys) return ModelChoice{"kv", "operations " + ops + " on keys"};
    if (writes_carry_tuples(history)) {
      return ModelChoice{"kv", "operations " + ops + " with [key value] tuples"};
    }
    const bool has_cas = operations.count("cas") > 0;
    return ModelChoice{has_cas ? "cas-register" : "register", "operations " + ops + " without keys"};
  }
  if (is_subset(operations, {"read", "add"}) && some_read_returned_a_list(history)) {
    return ModelChoice{"set", "operations " + ops + ", reads return lists"};
  }
  if (is_subset(operations, {"read", "add", "increment"})) {
    return ModelChoice{"counter", "operations " + ops + ", reads return counts"};
  }
  for (const Family& family : families()) {
    if (is_subset(operations, family.operations)) {
      return ModelChoice{family.model, "operations " + ops};
    }
  }
  error = "cannot tell which model the operations " + ops + " call for";
  return std::nullopt;
}

}  // namespace capsim
