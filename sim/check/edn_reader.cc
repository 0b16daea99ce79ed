#include "sim/check/edn_reader.h"

#include <algorithm>
#include <memory>
#include <set>

#include "sim/check/completion_order.h"
#include "sim/check/edn_parser.h"
#include "sim/check/queue_field_readers.h"

namespace capsim {
namespace {

using Kind = EdnNode::Kind;

SourcePos pos_of(const EdnNode& node) { return SourcePos{node.line, node.column, ""}; }

bool is_name(const EdnNode& node) {
  return node.kind == Kind::kKeyword || node.kind == Kind::kSymbol || node.kind == Kind::kString;
}

// Converts a form into a Value. Reports and returns false for forms a Value cannot hold.
bool to_value(const EdnNode& node, Value& value, Diagnostics& diagnostics) {
  switch (node.kind) {
    case Kind::kNil: value = Value(); return true;
    case Kind::kBoolean: value = Value(node.boolean ? "true" : "false"); return true;
    case Kind::kInteger: value = Value(node.integer); return true;
    case Kind::kString:
    case Kind::kCharacter:
    case Kind::kKeyword:
    case Kind::kSymbol: value = Value(node.text); return true;
    case Kind::kFloat:
      diagnostics.error(pos_of(node),
                        "floating-point values such as " + node.text + " are not supported");
      return false;
    case Kind::kList:
    case Kind::kVector:
    case Kind::kSet: {
      Value::List items;
      items.reserve(node.items.size());
      for (const EdnNode& item : node.items) {
        Value converted;
        if (!to_value(item, converted, diagnostics)) return false;
        items.push_back(std::move(converted));
      }
      value = Value(std::move(items));
      return true;
    }
    case Kind::kMap: {
      Value::List pairs;
      for (std::size_t i = 0; i + 1 < node.items.size(); i += 2) {
        Value key;
        Value item;
        if (!to_value(node.items[i], key, diagnostics)) return false;
        if (!to_value(node.items[i + 1], item, diagnostics)) return false;
        pairs.push_back(Value(Value::List{std::move(key), std::move(item)}));
      }
      value = Value(std::move(pairs));
      return true;
    }
  }
  return false;
}

// Fills `event` from one operation map. Returns false (having reported why) when the map is
// not a valid operation; sets `skip` for events of non-client processes.
bool to_event(const EdnNode& map, HistoryEvent& event, bool& skip, bool& timed,
              Diagnostics& diagnostics) {
  skip = false;
  timed = false;
  const EdnNode* type = nullptr;
  const EdnNode* process = nullptr;
  const EdnNode* f = nullptr;
  std::set<std::string> seen;
  for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
    if (map.items[i].kind != Kind::kKeyword) continue;
    const std::string& name = map.items[i].text;
    if (!seen.insert(name).second) {
      diagnostics.error(pos_of(map.items[i]), "duplicate key :" + name + " in an operation");
      return false;
    }
    if (name == "type") type = &map.items[i + 1];
    if (name == "process") process = &map.items[i + 1];
    if (name == "f") f = &map.items[i + 1];
  }
  const SourcePos where = pos_of(map);
  if (process == nullptr) {
    diagnostics.error(where, "operation has no :process");
    return false;
  }
  if (process->kind != Kind::kInteger && is_name(*process)) {
    skip = true;  // the nemesis, or another non-client actor: its fields are its own business
    return true;
  }
  bool ok = true;
  QueueFields queue;
  for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
    const EdnNode& key = map.items[i];
    const EdnNode& value = map.items[i + 1];
    if (key.kind != Kind::kKeyword) continue;
    const std::string& name = key.text;
    if (name == "value") {
      ok = to_value(value, event.value, diagnostics) && ok;
    } else if (name == "key") {
      if (value.kind == Kind::kInteger) {
        event.key = std::to_string(value.integer);
      } else if (is_name(value)) {
        event.key = value.text;
      } else {
        diagnostics.error(pos_of(value), ":key must be a string, keyword, symbol or integer, got " +
                                             value.describe());
        ok = false;
      }
    } else if (name == "time") {
      if (value.kind != Kind::kInteger || value.integer < 0) {
        diagnostics.error(
            pos_of(value),
            ":time must be a non-negative integer (nanoseconds), got " + value.describe());
        ok = false;
      } else {
        event.time = Time{value.integer};
        timed = true;
      }
    } else if (name == "node") {
      if (!is_name(value)) {
        diagnostics.error(pos_of(value),
                          ":node must be a string, keyword or symbol, got " + value.describe());
        ok = false;
      } else {
        event.node = value.text;
      }
    } else if (is_queue_field_edn(name)) {
      ok = read_queue_field_edn(name, value, queue, diagnostics) && ok;
    } else if (name == "error") {
      Value error;
      if (to_value(value, error, diagnostics)) {
        event.error = error.is_string() ? error.string() : error.to_text();
      } else {
        ok = false;
      }
    }
  }
  if (process->kind != Kind::kInteger) {
    diagnostics.error(pos_of(*process), ":process must be an integer, got " + process->describe());
    return false;
  }
  if (process->integer < 0) {
    diagnostics.error(pos_of(*process),
                      ":process must not be negative, got " + std::to_string(process->integer));
    return false;
  }
  event.process = static_cast<std::uint64_t>(process->integer);
  if (type == nullptr) {
    diagnostics.error(where, "operation has no :type");
    return false;
  }
  if (type->kind != Kind::kKeyword || !parse_op_type(type->text, event.type)) {
    diagnostics.error(pos_of(*type),
                      ":type must be :invoke, :ok, :fail or :info, got " + type->describe());
    return false;
  }
  if (f == nullptr) {
    diagnostics.error(where, "operation has no :f");
    return false;
  }
  if (!is_name(*f)) {
    diagnostics.error(pos_of(*f), ":f must be a keyword, symbol or string, got " + f->describe());
    return false;
  }
  event.f = f->text;
  if (std::optional<std::string> problem = queue_fields_problem(queue, event.value)) {
    diagnostics.error(where, *problem);
    return false;
  }
  if (!queue.empty()) event.queue = std::make_shared<const QueueFields>(std::move(queue));
  return ok;
}

// About how many operations `text` holds: every operation map has a :type (a nemesis event,
// skipped, or a :type inside a value makes it an overestimate, which costs only address space
// that is never touched), and no map with a :type, a :process and an :f is shorter than
// kShortestOperation bytes.
std::size_t estimated_events(std::string_view text) {
  constexpr std::size_t kShortestOperation = 24;  // {:type :ok :f :r :process 0}
  std::size_t count = 0;
  for (std::size_t at = text.find(":type"); at != std::string_view::npos;
       at = text.find(":type", at + 5)) {
    ++count;
  }
  return std::min(count, text.size() / kShortestOperation);
}

// Turns operation maps into events as the parser hands them over. Its problems wait in its own
// Diagnostics: a syntax error later in the file must be the only thing reported, as when the
// whole file is parsed first.
struct EventCollector {
  explicit EventCollector(const std::string& file) : problems(file) {}

  void take(const EdnNode& map) {
    if (map.kind != Kind::kMap) {
      problems.error(pos_of(map), "expected an operation map, got " + map.describe());
      return;
    }
    HistoryEvent event;
    bool skip = false;
    bool timed = false;
    if (!to_event(map, event, skip, timed, problems)) return;
    if (skip) {
      ++counts.skipped;
      return;
    }
    // Without a :time an event happened no earlier than the one before it: keeping that
    // order keeps every time in the history meaningful, in checkers and in history.jsonl.
    if (!timed) event.time = last_time;
    last_time = event.time;
    if (std::optional<std::string> problem = order.add(event, map.line)) {
      problems.error(pos_of(map), std::move(*problem));
      return;
    }
    ++counts.events;
    history.add(std::move(event));
  }

  History history;
  CompletionOrder order;
  Time last_time{0};
  HistoryReadStats counts;
  Diagnostics problems;
};

}  // namespace

std::optional<History> read_edn_history(std::string_view text, Diagnostics& diagnostics,
                                        HistoryReadStats* stats) {
  // One vector (or list) of maps, or maps one after another. The elements of a first vector
  // are taken as operations while they are read; should another form follow it, the file is
  // of the second kind after all, and the vector itself is the first bad operation.
  auto collector = std::make_unique<EventCollector>(diagnostics.file());
  collector->history.reserve(estimated_events(text));
  std::size_t forms = 0;
  bool first_is_sequence = false;
  SourcePos first_pos;
  std::string first_described;
  EdnVisitor visitor;
  visitor.element = [&](EdnNode&& element) { collector->take(element); };
  visitor.form = [&](EdnNode&& form) {
    ++forms;
    if (forms == 1 && (form.kind == Kind::kVector || form.kind == Kind::kList)) {
      first_is_sequence = true;
      first_pos = pos_of(form);
      first_described = form.describe();
      return;
    }
    if (forms == 2 && first_is_sequence) {
      collector = std::make_unique<EventCollector>(diagnostics.file());
      collector->problems.error(first_pos, "expected an operation map, got " + first_described);
    }
    collector->take(form);
  };
  if (!parse_edn_forms(text, diagnostics, visitor)) return std::nullopt;
  for (const Diagnostic& problem : collector->problems.errors()) {
    diagnostics.error(problem.pos, problem.message);
  }
  if (!collector->problems.empty()) return std::nullopt;
  if (stats != nullptr) *stats = collector->counts;
  return std::move(collector->history);
}

}  // namespace capsim
