// The JSON form of a linearizability result. nlohmann_json builds it, so strings are escaped
// and the field order is fixed (nlohmann::ordered_json keeps insertion order).
#include <map>

#include <nlohmann/json.hpp>

#include "sim/check/linearizability.h"

namespace capsim {
namespace {

using Json = nlohmann::ordered_json;

// How many of the prefix's last operations the JSON lists; the whole prefix can be long.
constexpr std::size_t kPrefixShown = 20;

Json value_json(const Value& value) {
  if (value.is_nil()) return nullptr;
  if (value.is_integer()) return value.integer();
  if (value.is_string()) return value.string();
  Json list = Json::array();
  for (const Value& item : value.list()) list.push_back(value_json(item));
  return list;
}

// `reasons`: why operations failed, by invoke index (a failed one is shown when the
// explanation rests on it).
Json operation_json(const Operation& op, const std::map<std::uint64_t, std::string>& reasons = {}) {
  Json json;
  json["index"] = op.invoke_index;
  json["complete_index"] = op.complete_index ? Json(*op.complete_index) : Json(nullptr);
  json["process"] = op.process;
  json["f"] = op.f;
  if (op.key) json["key"] = *op.key;
  json["input"] = value_json(op.input);
  json["outcome"] = !op.complete_index            ? "pending"
                    : op.is_known()               ? "ok"
                    : op.outcome == OpType::kFail ? "fail"
                                                  : "info";
  if (const auto it = reasons.find(op.invoke_index); it != reasons.end() && !it->second.empty()) {
    json["error"] = it->second;
  }
  if (op.is_known()) json["output"] = value_json(op.output);
  json["invoke_time"] = op.invoke_time.count();
  json["complete_time"] = op.complete_time ? Json(op.complete_time->count()) : Json(nullptr);
  return json;
}

}  // namespace

std::string to_json(const LinearizabilityResult& result) {
  Json json;
  json["checker"] = "linearizability";
  json["model"] = result.model;
  json["verdict"] = std::string(verdict_name(result.verdict));
  json["explanation"] = result.explanation;
  if (!result.error.empty()) json["error"] = result.error;
  if (result.verdict == Verdict::kNotLinearizable) {
    json["key"] = result.key ? Json(*result.key) : Json(nullptr);
    json["unplaceable"] = result.unplaceable ? operation_json(*result.unplaceable) : Json(nullptr);
    json["state_after_prefix"] = result.state_after_prefix;
    const auto& prefix = result.linearized_prefix;
    Json last = Json::array();
    for (std::size_t i = prefix.size() > kPrefixShown ? prefix.size() - kPrefixShown : 0;
         i < prefix.size(); ++i) {
      last.push_back(prefix[i]);
    }
    json["prefix"] = {{"length", prefix.size()}, {"last", last}};
    Json ops = Json::array();
    for (const Operation& op : result.operations) {
      ops.push_back(operation_json(op, result.failure_reasons));
    }
    json["operations"] = ops;
  }
  json["states_explored"] = result.states_explored;
  json["keys_checked"] = result.keys_checked;
  json["operations_checked"] = result.operations_checked;
  json["operations_constraining"] = result.operations_constraining;
  return json.dump();
}

}  // namespace capsim
