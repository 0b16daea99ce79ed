#include "sim/check/jsonl_reader.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/check/completion_order.h"
#include "sim/check/queue_field_readers.h"

namespace capsim {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kFields = {"index", "time", "process", "type",  "f",     "key",
                                          "value", "node", "error",   "final", "answer"};

// Every field a line may hold: ours, then those of queue operations.
const std::vector<std::string> kAllFields = [] {
  std::vector<std::string> all = kFields;
  all.insert(all.end(), queue_json_fields().begin(), queue_json_fields().end());
  return all;
}();

std::string json_kind(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_float: return "a floating-point number";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

// The deepest nesting of brackets outside strings: checked before parsing, because the parser
// recurses once per level.
int nesting_depth(std::string_view line) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// Finds where a line that parses as JSON but holds an unreadable number goes wrong: the DOM
// parser's exception carries no position, the event parser's error does.
class ErrorLocator : public nlohmann::json_sax<Json> {
 public:
  std::size_t position = 0;  // bytes read when the error was found, just past the token
  std::string token;         // the token that failed, such as "1e400"

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t at, const std::string& last_token,
                   const nlohmann::detail::exception&) override {
    position = at;
    token = last_token;
    return false;
  }
};

// The column (1-based) where the token that stopped the parse of `line` starts, and that token.
std::pair<int, std::string> locate_error(std::string_view line) {
  ErrorLocator locator;
  // The result is known to be false: only the position is wanted.
  static_cast<void>(Json::sax_parse(line.begin(), line.end(), &locator));
  const std::size_t start =
      locator.position >= locator.token.size() ? locator.position - locator.token.size() : 0;
  return {static_cast<int>(start) + 1, locator.token};
}

bool to_value(const Json& json, Value& value, std::string& error) {
  switch (json.type()) {
    case Json::value_t::null: value = Value(); return true;
    case Json::value_t::number_integer: value = Value(json.get<std::int64_t>()); return true;
    case Json::value_t::number_unsigned:
      if (json.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        error = "'value' holds an integer that does not fit in 64 bits";
        return false;
      }
      value = Value(json.get<std::int64_t>());
      return true;
    case Json::value_t::string: value = Value(json.get<std::string>()); return true;
    case Json::value_t::array: {
      Value::List items;
      for (const Json& item : json) {
        Value converted;
        if (!to_value(item, converted, error)) return false;
        items.push_back(std::move(converted));
      }
      value = Value(std::move(items));
      return true;
    }
    default:
      error = "'value' may hold only null, integers, strings and arrays, got " + json_kind(json);
      return false;
  }
}

bool get_unsigned(const Json& object, const char* field, bool required, std::uint64_t& out,
                  std::string& error) {
  auto it = object.find(field);
  if (it == object.end()) {
    if (required) error = std::string("missing field '") + field + "'";
    return !required;
  }
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
    error = std::string("'") + field + "' must be a non-negative integer, got " +
            (it->is_number() ? it->dump() : json_kind(*it));
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

bool get_string(const Json& object, const char* field, bool required,
                std::optional<std::string>& out, std::string& error) {
  auto it = object.find(field);
  if (it == object.end() || (!required && it->is_null())) {
    if (required) error = std::string("missing field '") + field + "'";
    return !required;
  }
  if (!it->is_string()) {
    error = std::string("'") + field + "' must be a string, got " + json_kind(*it);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// An optional boolean field; absent leaves `out` as it is.
bool get_bool(const Json& object, const char* field, bool& out, std::string& error) {
  auto it = object.find(field);
  if (it == object.end()) return true;
  if (!it->is_boolean()) {
    error = std::string("'") + field + "' must be true or false, got " + json_kind(*it);
    return false;
  }
  out = it->get<bool>();
  return true;
}

// Fills `event` from one parsed line, or sets `error`.
bool to_event(const Json& object, HistoryEvent& event, std::string& error) {
  if (!object.is_object()) {
    error = "expected a JSON object, got " + json_kind(object);
    return false;
  }
  for (const auto& [name, value] : object.items()) {
    if (std::find(kAllFields.begin(), kAllFields.end(), name) != kAllFields.end()) continue;
    error = "unknown field '" + name + "'";
    if (std::string hint = closest_match(name, kAllFields); !hint.empty()) {
      error += " (did you mean '" + hint + "'?)";
    }
    return false;
  }
  std::uint64_t index = 0;
  std::uint64_t time = 0;
  std::optional<std::string> type;
  std::optional<std::string> f;
  std::optional<std::string> node;
  std::optional<std::string> why;
  if (!get_unsigned(object, "index", false, index, error)) return false;
  if (!get_unsigned(object, "time", true, time, error)) return false;
  if (time > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    error = "'time' does not fit in 64-bit nanoseconds";
    return false;
  }
  if (!get_unsigned(object, "process", true, event.process, error)) return false;
  if (!get_string(object, "type", true, type, error)) return false;
  if (!parse_op_type(*type, event.type)) {
    error = "'type' must be \"invoke\", \"ok\", \"fail\" or \"info\", got \"" + *type + "\"";
    return false;
  }
  if (!get_string(object, "f", true, f, error)) return false;
  if (!get_string(object, "key", false, event.key, error)) return false;
  if (!get_string(object, "node", false, node, error)) return false;
  if (!get_string(object, "error", false, why, error)) return false;
  if (!get_bool(object, "final", event.final_read, error)) return false;
  if (!get_bool(object, "answer", event.answered, error)) return false;
  if (event.answered && event.type != OpType::kFail) {
    error = "'answer' marks a fail that answered the operation; this event is \"" + *type + "\"";
    return false;
  }
  if (auto it = object.find("value"); it != object.end()) {
    if (!to_value(*it, event.value, error)) return false;
  }
  if (!read_queue_fields_json(object, event, error)) return false;
  event.time = Time{static_cast<std::int64_t>(time)};
  event.f = *f;
  event.node = node.value_or("");
  event.error = why.value_or("");
  return true;
}

}  // namespace

JsonlHistoryReader::JsonlHistoryReader(Diagnostics& diagnostics)
    : diagnostics_(diagnostics), errors_before_(diagnostics.size()) {}

void JsonlHistoryReader::add_line(std::string_view line) {
  ++line_number_;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  if (nesting_depth(line) > kMaxJsonlDepth) {
    diagnostics_.error(SourcePos{line_number_, 0, ""},
                       "values nest deeper than " + std::to_string(kMaxJsonlDepth) + " levels");
    return;
  }
  // The JSON parser takes a NUL byte for the end of its input and would ignore the rest of
  // the line, unread and unchecked; JSON allows none outside strings, nor raw inside them.
  if (const std::size_t nul = line.find('\0'); nul != std::string_view::npos) {
    diagnostics_.error(SourcePos{line_number_, static_cast<int>(nul) + 1, ""},
                       "invalid JSON: a NUL byte");
    return;
  }
  Json object;
  try {
    object = Json::parse(line.begin(), line.end());
  } catch (const Json::parse_error& e) {
    diagnostics_.error(SourcePos{line_number_, static_cast<int>(e.byte), ""}, "invalid JSON");
    return;
  } catch (const Json::exception& e) {
    // Valid JSON that the parser cannot hold: a number past the range of a double (406).
    const auto [column, token] = locate_error(line);
    diagnostics_.error(SourcePos{line_number_, column, ""},
                       e.id == 406 ? "the number " + token + " is too large: beyond the range "
                                     "of a 64-bit floating-point number"
                                   : "cannot read this JSON: " + std::string(e.what()));
    return;
  }
  HistoryEvent event;
  std::string error;
  if (!to_event(object, event, error)) {
    diagnostics_.error(SourcePos{line_number_, 0, ""}, error);
    return;
  }
  if (std::optional<std::string> problem = order_.add(event, line_number_)) {
    diagnostics_.error(SourcePos{line_number_, 0, ""}, std::move(*problem));
    return;
  }
  sharing_.share(event);
  history_.add(std::move(event));
}

std::optional<History> JsonlHistoryReader::finish(HistoryReadStats* stats) {
  if (diagnostics_.size() != errors_before_) return std::nullopt;
  if (stats != nullptr) *stats = HistoryReadStats{history_.size(), 0};
  return std::move(history_);
}

std::optional<History> read_jsonl_history(std::string_view text, Diagnostics& diagnostics,
                                          HistoryReadStats* stats) {
  if (text.size() > kMaxJsonlBytes) {
    diagnostics.error(SourcePos{}, "the input is larger than " +
                                       std::to_string(kMaxJsonlBytes / (1024 * 1024)) + " MiB");
    return std::nullopt;
  }
  JsonlHistoryReader reader(diagnostics);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    reader.add_line(text.substr(start, end - start));
    start = end + 1;
  }
  return reader.finish(stats);
}

}  // namespace capsim
