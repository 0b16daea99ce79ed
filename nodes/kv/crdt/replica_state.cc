#include "nodes/kv/crdt/replica_state.h"

#include "nodes/kv/common/kv_operations.h"
#include "sim/assert.h"

namespace capsim::crdt {

const KeyState* ReplicaState::find(const std::string& key) const {
  const auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

KeyState* ReplicaState::find(const std::string& key) {
  const auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

KeyState& ReplicaState::create(const std::string& key, KeyState state) {
  const auto [it, inserted] = keys_.emplace(key, std::move(state));
  CAPSIM_ASSERT(inserted);
  return it->second;
}

Value ReplicaState::read(const std::string& key) const {
  const KeyState* state = find(key);
  return state == nullptr ? Value() : observed_value(*state);
}

std::vector<std::string> ReplicaState::merge(const ReplicaState& other) {
  std::vector<std::string> changed;
  for (const auto& [key, theirs] : other.keys_) {
    const auto it = keys_.find(key);
    if (it == keys_.end()) {
      keys_.emplace(key, theirs);
      changed.push_back(key);
    } else if (merge_key(it->second, theirs)) {
      changed.push_back(key);
    }
  }
  return changed;
}

std::string ReplicaState::digest() const {
  // The same "key=value" rendering as every other kv protocol, so the convergence checker and
  // the scenarios compare like with like.
  kv::KvState values;
  for (const auto& [key, state] : keys_) values.put(key, observed_value(state));
  return values.digest();
}

}  // namespace capsim::crdt
