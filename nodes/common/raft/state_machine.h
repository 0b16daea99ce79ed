// The state machine a Raft group replicates, as the core sees it: something that applies
// committed commands in log order and answers each with a result.
//
// Every replica applies the same entries in the same order, so apply() must be a pure function
// of the state and the command: no clock, no randomness, no node identity. The core calls it
// once per committed entry that is neither a no-op nor a copy of a request already applied
// (see Consensus in consensus.h), and keeps each client's latest result so that a copy is
// answered with the first one's result without being applied again.
#pragma once

#include <string>

#include "nodes/common/raft/entry.h"
#include "sim/value.h"

namespace capsim::raft {

// What applying a command answered: the host turns it into its client's reply.
struct Result {
  bool ok = true;     // false: the command was judged and certainly did not take effect
  std::string error;  // !ok: why, in a few words ("cas mismatch")
  Value value;        // what an ok answer carries (a read: the value read); nil if nothing
  friend bool operator==(const Result&, const Result&) = default;
};

class StateMachine {
 public:
  virtual ~StateMachine() = default;
  // Applies `entry.command`. Called in log order, once per applied entry index; the entry's
  // index, term and client are given for state machines that keep them.
  virtual Result apply(const Entry& entry) = 0;
  // Forgets everything applied: the core is about to apply the log again from index 1 (after
  // it lost committed entries, which only a replica without sync_disk can).
  virtual void reset() = 0;
};

}  // namespace capsim::raft
