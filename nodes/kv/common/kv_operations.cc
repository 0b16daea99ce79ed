#include "nodes/kv/common/kv_operations.h"

#include <algorithm>

namespace capsim::kv {
namespace {

Effect failure(std::string why) {
  Effect effect;
  effect.ok = false;
  effect.error = std::move(why);
  return effect;
}

Effect change(Value new_value, Value reply) {
  Effect effect;
  effect.new_value = std::move(new_value);
  effect.reply = std::move(reply);
  return effect;
}

// The set stored under a key, as a sorted list without duplicates; nil is the empty set.
Effect add_element(const Value& current, const Value& element) {
  if (!current.is_nil() && !current.is_list()) {
    return failure("add on a key that does not hold a set (" + current.to_text() + ")");
  }
  Value::List members = current.is_list() ? current.list() : Value::List{};
  const auto at = std::lower_bound(members.begin(), members.end(), element);
  if (at == members.end() || *at != element) members.insert(at, element);
  return change(Value(std::move(members)), element);
}

Effect increment(const Value& current, const Value& delta) {
  if (!delta.is_integer()) return failure("increment needs an integer, got " + delta.to_text());
  if (!current.is_nil() && !current.is_integer()) {
    return failure("increment on a key that does not hold a count (" + current.to_text() + ")");
  }
  const std::int64_t count = current.is_integer() ? current.integer() : 0;
  return change(Value(count + delta.integer()), delta);
}

}  // namespace

bool is_read_only(std::string_view f) { return f == "read"; }

bool is_known_operation(std::string_view f) {
  return f == "read" || f == "write" || f == "cas" || f == "add" || f == "increment";
}

Effect evaluate(std::string_view f, const Value& current, const Value& argument) {
  if (f == "read") {
    Effect effect;
    effect.reply = current;
    return effect;
  }
  if (f == "write") return change(argument, argument);
  if (f == "cas") {
    if (!argument.is_list() || argument.list().size() != 2) {
      return failure("cas needs [expected new]");
    }
    if (current != argument.list()[0]) return failure("cas mismatch");
    return change(argument.list()[1], argument);
  }
  if (f == "add") return add_element(current, argument);
  if (f == "increment") return increment(current, argument);
  return failure("unknown operation '" + std::string(f) + "'");
}

const Value& KvState::get(const std::string& key) const {
  static const Value kNil;
  const auto it = values_.find(key);
  return it == values_.end() ? kNil : it->second;
}

void KvState::put(const std::string& key, Value value) { values_[key] = std::move(value); }

Effect KvState::apply(std::string_view f, const std::string& key, const Value& argument) {
  Effect effect = evaluate(f, get(key), argument);
  if (effect.new_value) put(key, *effect.new_value);
  return effect;
}

std::string KvState::digest() const {
  std::string digest;
  for (const auto& [key, value] : values_) {
    if (!digest.empty()) digest += ';';
    digest += key + "=" + value.to_text();
  }
  return digest;
}

}  // namespace capsim::kv
