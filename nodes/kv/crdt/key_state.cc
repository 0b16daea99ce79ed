#include "nodes/kv/crdt/key_state.h"

namespace capsim::crdt {

KeyType type_of(const KeyState& state) { return static_cast<KeyType>(state.index()); }

std::string_view type_name(KeyType type) {
  switch (type) {
    case KeyType::kGCounter:
      return "g-counter";
    case KeyType::kPnCounter:
      return "pn-counter";
    case KeyType::kOrSet:
      return "or-set";
    case KeyType::kLwwRegister:
      return "lww-register";
  }
  return "unknown";
}

Value observed_value(const KeyState& state) {
  if (const auto* counter = std::get_if<GCounter>(&state)) {
    return Value(static_cast<std::int64_t>(counter->total()));
  }
  if (const auto* counter = std::get_if<PnCounter>(&state)) return Value(counter->value());
  if (const auto* set = std::get_if<OrSet>(&state)) return Value(set->elements());
  return std::get<LwwRegister>(state).value();
}

bool merge_key(KeyState& mine, const KeyState& other) {
  if (mine.index() < other.index()) {
    mine = other;
    return true;
  }
  if (mine.index() > other.index()) return false;
  return std::visit(
      [&other](auto& crdt) {
        using Crdt = std::decay_t<decltype(crdt)>;
        return crdt.merge(std::get<Crdt>(other));
      },
      mine);
}

}  // namespace capsim::crdt
