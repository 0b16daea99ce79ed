#include "sim/check/queue_field_readers.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace capsim {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint32_t>::max();

// How many messages an event's value names: a list's length, one for a single id, none for nil.
std::size_t message_count(const Value& value) {
  if (value.is_nil()) return 0;
  return value.is_list() ? value.list().size() : 1;
}

bool json_count(const Json& json, std::uint32_t& out) {
  if (!json.is_number_integer() && !json.is_number_unsigned()) return false;
  if (json.is_number_integer() && json.get<std::int64_t>() < 1) return false;
  const std::uint64_t value = json.get<std::uint64_t>();
  if (value < 1 || value > kMaxCount) return false;
  out = static_cast<std::uint32_t>(value);
  return true;
}

bool edn_count(const EdnNode& node, std::uint32_t& out) {
  if (node.kind != EdnNode::Kind::kInteger || node.integer < 1 ||
      static_cast<std::uint64_t>(node.integer) > kMaxCount) {
    return false;
  }
  out = static_cast<std::uint32_t>(node.integer);
  return true;
}

bool is_edn_name(const EdnNode& node) {
  return node.kind == EdnNode::Kind::kString || node.kind == EdnNode::Kind::kKeyword ||
         node.kind == EdnNode::Kind::kSymbol;
}

}  // namespace

const std::vector<std::string>& queue_json_fields() {
  static const std::vector<std::string> fields = {"queue", "attempt", "delivery_counts",
                                                  "redelivered", "reason"};
  return fields;
}

bool read_queue_fields_json(const Json& object, HistoryEvent& event, std::string& error) {
  QueueFields fields;
  for (const char* name : {"queue", "reason"}) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) continue;
    if (!it->is_string()) {
      error = std::string("'") + name + "' must be a string";
      return false;
    }
    (std::string_view(name) == "queue" ? fields.queue : fields.reason) = it->get<std::string>();
  }
  if (const auto it = object.find("attempt"); it != object.end()) {
    if (!json_count(*it, fields.attempt)) {
      error = "'attempt' must be an integer from 1 to " + std::to_string(kMaxCount) + ", got " +
              it->dump();
      return false;
    }
  }
  if (const auto it = object.find("delivery_counts"); it != object.end()) {
    bool ok = it->is_array();
    for (std::size_t i = 0; ok && i < it->size(); ++i) {
      std::uint32_t count = 0;
      ok = json_count((*it)[i], count);
      fields.delivery_counts.push_back(count);
    }
    if (!ok) {
      error = "'delivery_counts' must be an array of integers from 1 to " +
              std::to_string(kMaxCount);
      return false;
    }
  }
  if (const auto it = object.find("redelivered"); it != object.end()) {
    bool ok = it->is_array();
    for (std::size_t i = 0; ok && i < it->size(); ++i) {
      ok = (*it)[i].is_boolean();
      if (ok) fields.redelivered.push_back((*it)[i].get<bool>());
    }
    if (!ok) {
      error = "'redelivered' must be an array of true and false";
      return false;
    }
  }
  if (std::optional<std::string> problem = queue_fields_problem(fields, event.value)) {
    error = *problem;
    return false;
  }
  if (!fields.empty()) event.queue = std::make_shared<const QueueFields>(std::move(fields));
  return true;
}

bool is_queue_field_edn(std::string_view name) {
  return name == "queue" || name == "attempt" || name == "delivery-counts" ||
         name == "redelivered" || name == "reason";
}

bool read_queue_field_edn(std::string_view name, const EdnNode& value, QueueFields& fields,
                          Diagnostics& diagnostics) {
  const SourcePos where{value.line, value.column, ""};
  const std::string field = ":" + std::string(name);
  if (name == "queue" || name == "reason") {
    if (value.kind == EdnNode::Kind::kNil) return true;
    if (!is_edn_name(value)) {
      diagnostics.error(where, field + " must be a string, keyword or symbol, got " +
                                   value.describe());
      return false;
    }
    (name == "queue" ? fields.queue : fields.reason) = value.text;
    return true;
  }
  if (name == "attempt") {
    if (edn_count(value, fields.attempt)) return true;
    diagnostics.error(where, ":attempt must be an integer from 1 to " + std::to_string(kMaxCount) +
                                 ", got " + value.describe());
    return false;
  }
  const bool counts = name == "delivery-counts";
  bool ok = value.kind == EdnNode::Kind::kVector || value.kind == EdnNode::Kind::kList;
  for (std::size_t i = 0; ok && i < value.items.size(); ++i) {
    const EdnNode& item = value.items[i];
    if (counts) {
      std::uint32_t count = 0;
      ok = edn_count(item, count);
      fields.delivery_counts.push_back(count);
    } else {
      ok = item.kind == EdnNode::Kind::kBoolean;
      fields.redelivered.push_back(item.boolean);
    }
  }
  if (ok) return true;
  diagnostics.error(where, counts ? ":delivery-counts must be a vector of integers from 1 to " +
                                        std::to_string(kMaxCount)
                                  : std::string(":redelivered must be a vector of true and false"));
  return false;
}

std::optional<std::string> queue_fields_problem(const QueueFields& fields, const Value& value) {
  const std::size_t messages = message_count(value);
  const auto mismatch = [&](const char* name, std::size_t entries) -> std::optional<std::string> {
    if (entries == 0 || entries == messages) return std::nullopt;
    return std::string("'") + name + "' has " + std::to_string(entries) +
           (entries == 1 ? " entry" : " entries") + " but the value names " +
           std::to_string(messages) + (messages == 1 ? " message" : " messages") +
           ": give one per message";
  };
  if (auto problem = mismatch("delivery_counts", fields.delivery_counts.size())) return problem;
  return mismatch("redelivered", fields.redelivered.size());
}

void QueueFieldSharing::share(HistoryEvent& event) {
  if (!event.queue) return;
  for (const std::shared_ptr<const QueueFields>& recent : recent_) {
    if (recent && *recent == *event.queue) {
      event.queue = recent;
      return;
    }
  }
  recent_[next_] = event.queue;
  next_ = (next_ + 1) % recent_.size();
}

}  // namespace capsim
