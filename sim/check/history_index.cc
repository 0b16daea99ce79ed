#include "sim/check/history_index.h"

#include <nlohmann/json.hpp>

namespace capsim {

bool is_read(const Operation& op) { return op.f == "read"; }

bool is_write(const Operation& op) { return op.f == "write" || op.f == "cas"; }

bool is_add(const Operation& op) { return op.f == "add"; }

bool is_increment(const Operation& op) { return op.f == "increment"; }

bool is_update(const Operation& op) { return is_write(op) || is_add(op) || is_increment(op); }

std::string_view key_kind_name(KeyKind kind) {
  switch (kind) {
    case KeyKind::kRegister: return "register";
    case KeyKind::kSet: return "set";
    case KeyKind::kCounter: return "counter";
    case KeyKind::kNotJudged: return "not judged";
  }
  return "not judged";
}

const Value::List* set_elements(const Value& read) {
  static const Value::List kEmpty;
  if (read.is_nil()) return &kEmpty;
  return read.is_list() ? &read.list() : nullptr;
}

std::optional<std::int64_t> counter_value(const Value& read) {
  if (read.is_nil()) return 0;
  if (read.is_integer()) return read.integer();
  return std::nullopt;
}

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

nlohmann::json keys_not_judged_json(const HistoryIndex& index) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, info] : index.key_kinds()) {
    if (info.kind == KeyKind::kNotJudged) out[key] = info.why_not_judged;
  }
  return out;
}

std::string nothing_judged_reason(const HistoryIndex& index, const std::string& what_was_needed) {
  std::string why = index.reads().empty()
                        ? "No read completed ok, so there was nothing to judge"
                        : "None of the ok reads had " + what_was_needed;
  std::size_t not_judged = 0;
  for (const auto& [key, info] : index.key_kinds()) {
    if (info.kind != KeyKind::kNotJudged) continue;
    if (not_judged++ < 3) {
      why += std::string(not_judged == 1 ? "; " : ", ") + "key " +
             (key.empty() ? std::string("(none)") : key) + " is not judged: " +
             info.why_not_judged;
    }
  }
  if (not_judged > 3) why += ", and " + std::to_string(not_judged - 3) + " more keys";
  return why + ".";
}

bool HistoryIndex::build(const History& history, std::string& error) {
  OperationList list;
  if (!collect_operations(history, list, error)) return false;
  operations_ = std::move(list.operations);
  sessions_.clear();
  writes_.clear();
  reads_.clear();
  writer_.clear();
  adder_.clear();
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    const Operation& op = operations_[i];
    sessions_[op.process].push_back(i);
    const std::string key = key_of(op);
    if (is_read(op) && op.outcome == OpType::kOk) reads_[key].push_back(i);
    if (!is_update(op)) continue;
    writes_[key].push_back(i);
    // A second write (add) of the same value makes every read of it ambiguous.
    if (is_add(op)) {
      auto [it, inserted] = adder_[key].emplace(op.input, i);
      if (!inserted) it->second = kAmbiguous;
      continue;
    }
    const Value* value = written_value(op);
    if (!value) continue;
    auto [it, inserted] = writer_[key].emplace(*value, i);
    if (!inserted) it->second = kAmbiguous;
  }
  classify_keys();
  find_known_done();
  return true;
}

void HistoryIndex::classify_keys() {
  kinds_.clear();
  std::map<std::string, std::map<std::string, std::size_t>> updates;  // key -> f -> how many
  for (const Operation& op : operations_) {
    const std::string key = key_of(op);
    KeyInfo& info = kinds_[key];
    if (is_update(op)) ++updates[key][op.f == "cas" ? "write" : op.f];
    if (is_increment(op) && !(op.input.is_integer() && op.input.integer() > 0) &&
        info.why_not_judged.empty()) {
      info.why_not_judged = "an increment by " + op.input.to_text() +
                            " is not a positive whole number, so the counter is not increment-only";
    }
  }
  for (auto& [key, info] : kinds_) {
    const auto& fs = updates[key];
    if (fs.size() > 1) {
      std::string names;
      for (const auto& [f, count] : fs) names += (names.empty() ? "" : " and ") + f + "s";
      info = KeyInfo{KeyKind::kNotJudged, "it mixes " + names};
      continue;
    }
    if (fs.count("add")) {
      info.kind = KeyKind::kSet;
    } else if (fs.count("increment")) {
      info.kind = KeyKind::kCounter;
    } else if (fs.empty()) {
      // Only reads: a kind that holds what they returned (nothing can be stale or missed).
      info.kind = KeyKind::kRegister;
      auto reads = reads_.find(key);
      if (reads != reads_.end() && !reads->second.empty()) {
        const Value& first = operations_[reads->second.front()].output;
        if (first.is_list()) info.kind = KeyKind::kSet;
        if (first.is_integer()) info.kind = KeyKind::kCounter;
      }
    }
    if (!info.why_not_judged.empty()) {
      info.kind = KeyKind::kNotJudged;
      continue;
    }
    auto reads = reads_.find(key);
    if (reads == reads_.end() || info.kind == KeyKind::kRegister) continue;
    for (std::size_t r : reads->second) {
      const Value& got = operations_[r].output;
      const bool fits = info.kind == KeyKind::kSet ? set_elements(got) != nullptr
                                                   : counter_value(got).has_value();
      if (fits) continue;
      info = KeyInfo{KeyKind::kNotJudged, "a read (history event " +
                                              std::to_string(operations_[r].invoke_index) +
                                              ") returned " + got.to_text() + ", not a " +
                                              std::string(key_kind_name(info.kind))};
      break;
    }
  }
}

void HistoryIndex::find_known_done() {
  done_by_.assign(operations_.size(), kAmbiguous);
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    if (operations_[i].outcome == OpType::kOk) done_by_[i] = i;
  }
  // An update of unknown outcome is known done once some ok read returned what it wrote.
  const auto saw = [&](std::size_t update, std::size_t read) {
    if (update == kAmbiguous || operations_[update].outcome == OpType::kOk) return;
    std::size_t& by = done_by_[update];
    if (by == kAmbiguous ||
        *operations_[read].complete_index < *operations_[by].complete_index) {
      by = read;
    }
  };
  for (const auto& [key, reads] : reads_) {
    const KeyKind kind = kind_of(key);
    for (std::size_t r : reads) {
      const Operation& read = operations_[r];
      if (kind == KeyKind::kRegister) {
        const ReadSource source = source_of_read(read);
        if (source.kind == ReadSource::Kind::kWrite) saw(source.write, r);
      } else if (kind == KeyKind::kSet) {
        for (const Value& element : *set_elements(read.output)) {
          if (auto add = adder_of(key, element)) saw(*add, r);
        }
      }
    }
  }
}

KeyKind HistoryIndex::kind_of(const std::string& key) const {
  auto it = kinds_.find(key);
  return it == kinds_.end() ? KeyKind::kRegister : it->second.kind;
}

std::optional<std::uint64_t> HistoryIndex::done_index(std::size_t pos) const {
  if (done_by_[pos] == kAmbiguous) return std::nullopt;
  return operations_[done_by_[pos]].complete_index;
}

std::optional<Time> HistoryIndex::done_time(std::size_t pos) const {
  if (done_by_[pos] == kAmbiguous) return std::nullopt;
  return operations_[done_by_[pos]].complete_time;
}

std::optional<std::size_t> HistoryIndex::done_by_read(std::size_t pos) const {
  if (done_by_[pos] == kAmbiguous || done_by_[pos] == pos) return std::nullopt;
  return done_by_[pos];
}

bool HistoryIndex::known_before(std::size_t pos, const Operation& b) const {
  // History indices are the real-time order of events, finer than `time` when two events share
  // an instant.
  const std::optional<std::uint64_t> done = done_index(pos);
  return done && *done < b.invoke_index;
}

std::optional<std::size_t> HistoryIndex::adder_of(const std::string& key,
                                                  const Value& element) const {
  auto by_key = adder_.find(key);
  if (by_key == adder_.end()) return std::nullopt;
  auto found = by_key->second.find(element);
  if (found == by_key->second.end() || found->second == kAmbiguous) return std::nullopt;
  return found->second;
}

ReadSource HistoryIndex::source_of(const std::string& key, const Value& value) const {
  if (kind_of(key) != KeyKind::kRegister) return ReadSource{};
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
    case ReadSource::Kind::kWrite: return known_before(older.write, operations_[newer]);
    case ReadSource::Kind::kUnknown: return false;
  }
  return false;
}

}  // namespace capsim
