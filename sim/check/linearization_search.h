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
// One pruning beyond Lowe's: an ok read-only operation (one that never changes any state, such
// as a read) that may go next and is legal now is lifted at once, without trying alternatives.
// If any order works from here, the same order with this operation moved to the front works
// too: it changes nothing for the operations after it, and none of the open operations
// completed before it began. Concurrent reads, the bulk of most histories, then cost no
// branching. (A write of the value already held is not read-only: moved, it would change the
// states after it.)
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
  std::size_t cache_bytes = 0;        // the cache's size when the search ended or paused
  std::size_t cache_resets = 0;       // times the cache was emptied to stay within its limit
};

class LinearizationSearch {
 public:
  // `ops` is one group in invoke order, as given to the machine's Model::prepare; both must
  // outlive the search. The cache of configurations stays within `cache_limit_bytes`.
  LinearizationSearch(std::span<const Operation> ops, ModelMachine& machine,
                      std::size_t cache_limit_bytes = SearchCache::kDefaultLimitBytes);

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
    bool forcible;      // required and read-only: lifted without alternatives when legal
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
    bool forced;  // lifted without alternatives (see run())
  };

  void build_list(std::span<const Operation> ops);
  void lift(std::uint32_t call);
  void unlift(std::uint32_t call);
  std::uint32_t find_forced();
  void push(std::uint32_t call, ModelState next, bool forced);
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
  bool fresh_ = true;            // a configuration not yet scanned for a forced lift
  // The longest order seen: best_prefix[0, agree_) equals the current stack's operations, so a
  // new best copies only what changed.
  std::int64_t best_depth_ = -1;
  std::size_t agree_ = 0;
  SearchOutcome outcome_;
};

}  // namespace capsim
