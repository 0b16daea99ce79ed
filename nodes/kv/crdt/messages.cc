#include "nodes/kv/crdt/messages.h"

namespace capsim::crdt {

namespace {
// A trace line stays short however many keys the state holds and however large a set grows.
constexpr std::size_t kKeysShown = 4;
constexpr std::size_t kElementsShown = 5;

// "[1 2 3 4 5 +712 more]" for a large set, without listing it whole; the value otherwise.
std::string brief(const KeyState& state) {
  const auto* set = std::get_if<OrSet>(&state);
  if (set == nullptr) return observed_value(state).to_text();
  const std::size_t size = set->size();
  if (size <= kElementsShown) return Value(set->elements()).to_text();
  std::string text = "[";
  for (const Value& element : set->elements(kElementsShown)) text += element.to_text() + " ";
  return text + "+" + std::to_string(size - kElementsShown) + " more]";
}
}  // namespace

std::string Gossip::describe() const {
  const auto& keys = state->keys();
  std::string text = std::to_string(keys.size()) + (keys.size() == 1 ? " key" : " keys");
  std::size_t shown = 0;
  for (const auto& [key, key_state] : keys) {
    if (shown == kKeysShown) {
      text += " ...";
      break;
    }
    text += (shown == 0 ? ": " : " ") + key + "=" + brief(key_state);
    ++shown;
  }
  return text;
}

}  // namespace capsim::crdt
