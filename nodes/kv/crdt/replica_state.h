// Everything one replica holds: key -> KeyState, in key order. This is what gossip ships and
// merges, what the disk stores (one disk entry per key), and what state_digest() summarizes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nodes/kv/crdt/key_state.h"
#include "sim/value.h"

namespace capsim::crdt {

class ReplicaState {
 public:
  // nullptr if the key was never touched here.
  const KeyState* find(const std::string& key) const;
  KeyState* find(const std::string& key);
  // Creates `key` with `state`. Requires: the key is absent.
  KeyState& create(const std::string& key, KeyState state);
  // What a read of `key` returns: nil for an absent key.
  Value read(const std::string& key) const;

  // Merges every key of `other` into this state. Returns the keys that changed, in order.
  std::vector<std::string> merge(const ReplicaState& other);

  // "k1=5;k2=[1 3];k3=7": observable values only, in key order, so replicas whose tags differ
  // but whose values agree have equal digests.
  std::string digest() const;

  const std::map<std::string, KeyState>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }
  friend bool operator==(const ReplicaState&, const ReplicaState&) = default;

 private:
  std::map<std::string, KeyState> keys_;
};

}  // namespace capsim::crdt
