// The search at the heart of the linearizability checker, for one group of operations (one key).
//
// It follows Wing & Gong's algorithm with Lowe's improvements: the invokes and completions sit in
// one list in history order; the search walks it from the front, trying to linearize ("lift")
// each operation whose invoke comes before the first completion still in the list, since any
// such operation may take effect next. When an operation is legal in the model's current state
// it is lifted (its invoke and completion leave the list) and the walk restarts; when the walk
// meets a completion first, no open operation can go next, so the search undoes the last lift
// and tries the operation after it. A cache of (set of lifted operations, state) pairs skips
// configurations reached before.
//
// Operations with an unknown outcome have no completion in the list: they may be lifted at any
// point after their invoke, or never. The search succeeds once every ok operation is lifted.
//
// A search can run in slices (a budget of steps at a time), so that the checker can share its
// effort among keys and stop at the first key that fails, however hard the others are.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/check/model.h"
#include "sim/check/operation.h"
#include "sim/check/search_cache.h"

namespace capsim {

struct SearchOutcome {
  enum class Status { kRunning, kLinearizable, kNotLinearizable, kStopped };
  Status status = Status::kRunning;
  // When not linearizable: the longest order found that obeys the model and real time (op
  // positions in the span searched), the state after it, and the operation that could not
  // follow it (the open ok operation that completes first).
  std::vector<std::uint32_t> best_prefix;
  ModelState best_state = 0;
  std::uint32_t stuck = 0;
  std::uint64_t states_explored = 0;  // distinct (set, state) pairs reached
  std::uint64_t steps = 0;            // operations tried plus lifts undone
  std::size_t cache_bytes = 0;
};

class LinearizationSearch {
 public:
  // `ops` is one group in invoke order, as given to the machine's Model::prepare; both must
  // outlive the search.
  LinearizationSearch(std::span<const Operation> ops, ModelMachine& machine);

  // Runs at most `steps` more steps (or until done). `should_stop`, when set, is polled every
  // few thousand steps; if it returns true the search ends with kStopped. Returns the status:
  // kRunning when the budget ran out first.
  SearchOutcome::Status run(std::uint64_t steps, const std::function<bool()>& should_stop);

  const SearchOutcome& outcome() const { return outcome_; }

 private:
  struct Active {
    std::uint32_t op;   // position in the span
    std::uint32_t bit;  // its bit in the LinearizedSet
    bool required;      // completed ok: must be linearized
  };
  // The list of invokes and completions, with Knuth's dancing links: a removed entry keeps its
  // own links, so undoing removals in reverse order puts it back where it was.
  struct EntryList {
    std::vector<std::uint32_t> next;
    std::vector<std::uint32_t> prev;
    std::vector<std::uint32_t> slot;   // the active operation the entry belongs to
    std::vector<std::uint32_t> match;  // an invoke's completion entry, or kNone
    std::vector<bool> is_call;
    std::uint32_t head = 0;  // the sentinel; the list is circular through it
  };
  struct Frame {
    std::uint32_t call;
    ModelState state_before;
  };

  void build_list(std::span<const Operation> ops);
  void lift(std::uint32_t call);
  void unlift(std::uint32_t call);
  void record_best();
  SearchOutcome::Status finish(SearchOutcome::Status status);

  ModelMachine& machine_;
  std::vector<Active> active_;
  EntryList list_;
  LinearizedSet linearized_;
  SearchCache cache_;
  std::vector<Frame> stack_;
  ModelState state_;
  std::uint32_t remaining_ = 0;  // required operations not yet lifted
  std::uint32_t cursor_ = 0;     // the entry to try next
  // The longest order seen: best_prefix[0, agree_) equals the current stack's operations, so a
  // new best copies only what changed.
  std::int64_t best_depth_ = -1;
  std::size_t agree_ = 0;
  SearchOutcome outcome_;
};

// Runs a whole search in one go.
SearchOutcome search_linearization(std::span<const Operation> ops, ModelMachine& machine,
                                   const std::function<bool()>& should_stop);

}  // namespace capsim
