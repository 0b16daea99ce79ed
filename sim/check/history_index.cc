#include "sim/check/history_index.h"

#include <nlohmann/json.hpp>

namespace capsim {

bool is_read(const Operation& op) { return op.f == "read"; }

bool is_write(const Operation& op) { return op.f == "write" || op.f == "cas"; }

const Value* written_value(const Operation& op) {
  if (op.f == "write") return &op.input;
  if (op.f == "cas" && op.input.is_list() && op.input.list().size() == 2) {
    return &op.input.list()[1];
  }
  return nullptr;
}

std::string written_text(const Operation& op) {
  const Value* value = written_value(op);
  return value ? value->to_text() : "nil";
}

bool precedes(const Operation& a, const Operation& b) {
  // History indices are the real-time order of events, finer than `time` when two events share
  // an instant.
  return a.outcome == OpType::kOk && a.complete_index && *a.complete_index < b.invoke_index;
}

std::string key_of(const Operation& op) { return op.key.value_or(""); }

std::string key_phrase(const Operation& op) { return op.key ? *op.key : "the register"; }

nlohmann::json operation_json(const Operation& op) {
  nlohmann::json out = nlohmann::json::object();
  out["index"] = op.invoke_index;
  out["complete_index"] =
      op.complete_index ? nlohmann::json(*op.complete_index) : nlohmann::json(nullptr);
  out["process"] = op.process;
  out["f"] = op.f;
  out["key"] = op.key ? nlohmann::json(*op.key) : nlohmann::json(nullptr);
  const Value* written = written_value(op);
  const Value& value = is_read(op) ? op.output : (written ? *written : op.input);
  out["value"] = nlohmann::json::parse(value.to_json());
  out["outcome"] = op.outcome == OpType::kOk ? "ok" : "unknown";
  out["invoke_ns"] = op.invoke_time.count();
  out["complete_ns"] =
      op.complete_time ? nlohmann::json(op.complete_time->count()) : nlohmann::json(nullptr);
  return out;
}

bool HistoryIndex::build(const History& history, std::string& error) {
  OperationList list;
  if (!collect_operations(history, list, error)) return false;
  operations_ = std::move(list.operations);
  sessions_.clear();
  writes_.clear();
  reads_.clear();
  writer_.clear();
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    const Operation& op = operations_[i];
    sessions_[op.process].push_back(i);
    const std::string key = key_of(op);
    if (is_read(op) && op.outcome == OpType::kOk) reads_[key].push_back(i);
    if (!is_write(op)) continue;
    writes_[key].push_back(i);
    const Value* value = written_value(op);
    if (!value) continue;
    // A second write of the same value makes every read of it ambiguous.
    auto [it, inserted] = writer_[key].emplace(*value, i);
    if (!inserted) it->second = kAmbiguous;
  }
  return true;
}

ReadSource HistoryIndex::source_of(const std::string& key, const Value& value) const {
  auto by_key = writer_.find(key);
  // nil is the initial state unless some operation wrote nil itself.
  const bool nil_written = by_key != writer_.end() && by_key->second.count(Value{}) > 0;
  if (value.is_nil()) {
    return nil_written ? ReadSource{} : ReadSource{ReadSource::Kind::kInitial, 0};
  }
  if (by_key == writer_.end()) return ReadSource{};
  auto found = by_key->second.find(value);
  if (found == by_key->second.end() || found->second == kAmbiguous) return ReadSource{};
  return ReadSource{ReadSource::Kind::kWrite, found->second};
}

ReadSource HistoryIndex::source_of_read(const Operation& read) const {
  return source_of(key_of(read), read.output);
}

bool HistoryIndex::is_older(const ReadSource& older, std::size_t newer) const {
  switch (older.kind) {
    case ReadSource::Kind::kInitial: return true;
    case ReadSource::Kind::kWrite: return precedes(operations_[older.write], operations_[newer]);
    case ReadSource::Kind::kUnknown: return false;
  }
  return false;
}

}  // namespace capsim
