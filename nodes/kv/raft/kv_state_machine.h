// The key-value state a Raft group of the key-value store replicates: applies each committed
// KvCommand to a KvState (nodes/kv/common/kv_operations.h decides what each operation does).
#pragma once

#include <string>

#include "nodes/common/raft/state_machine.h"
#include "nodes/kv/common/kv_operations.h"

namespace capsim::raft {

class KvStateMachine final : public StateMachine {
 public:
  // Evaluates the entry's operation on its key: ok with what it returns (a read: the value), or
  // a definite fail with the reason ("cas mismatch").
  Result apply(const Entry& entry) override;
  void reset() override { state_ = kv::KvState(); }

  const kv::KvState& state() const { return state_; }

 private:
  kv::KvState state_;
};

}  // namespace capsim::raft
