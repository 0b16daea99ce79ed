// What the Raft core tells the node it runs in (its host): results for the clients the host
// is waiting to answer, read barriers passed or failed, and changes of role, term or leader.
//
// Every call comes from inside a call the host made into the core (on_start, on_message,
// on_timer, submit, read_barrier), with the same Context, so the host may send replies through
// it at once. A host may query the core from a callback but must not call its mutating
// functions (submit, read_barrier) there.
#pragma once

#include <cstdint>

#include "nodes/common/raft/entry.h"
#include "nodes/common/raft/state_machine.h"
#include "sim/node.h"

namespace capsim::raft {

// Names one read barrier; chosen by the host, handed back by the core.
using BarrierId = std::uint64_t;

class Host {
 public:
  virtual ~Host() = default;
  // An entry this replica submitted as leader, in its current term, was applied (or was a copy
  // of a request applied earlier, whose result this is). In log order. A leader that steps down
  // first never makes this call for its waiting entries: whether they commit is for the next
  // leader to decide, so their clients should be left to time out.
  virtual void on_applied(Context& ctx, const Entry& entry, const Result& result) = 0;
  // Read barrier `id` passed: the state machine now reflects every write that completed before
  // the barrier was asked for, so a read served from it now is linearizable. In the order asked.
  virtual void on_barrier_passed(Context& ctx, BarrierId id) = 0;
  // Read barrier `id` will never pass: this replica stopped leading (leader() names the new
  // leader when known). In the order asked.
  virtual void on_barrier_failed(Context& ctx, BarrierId id) = 0;
  // The role, the term or the leader known changed (after the change; query the core).
  virtual void on_role_changed(Context& ctx) { (void)ctx; }
};

}  // namespace capsim::raft
