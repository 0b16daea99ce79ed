// For property tests of the read checkers: a history mutated so that some reads return old
// values, and brute-force answers to compare the checkers with.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/operation.h"
#include "sim/history.h"
#include "sim/rng.h"
#include "sim/value.h"

namespace capsim::testing {

// A store that serves old versions: about one ok read in three gets instead a value written to
// its key by an operation invoked before the read (or nil).
inline History with_old_reads(const History& history, Rng& rng) {
  OperationList list;
  std::string error;
  REQUIRE(collect_operations(history, list, error));
  std::vector<HistoryEvent> events = history.events();
  std::map<std::string, std::vector<Value>> written;  // key -> values, in invoke order
  for (const Operation& op : list.operations) {
    const std::string key = op.key.value_or("");
    if (op.f == "write") written[key].push_back(op.input);
    if (op.f == "cas") written[key].push_back(op.input.list()[1]);
    if (op.f != "read" || op.outcome != OpType::kOk || !rng.chance(1, 3)) continue;
    const std::vector<Value>& candidates = written[key];
    const std::uint64_t pick = rng.below(candidates.size() + 1);
    events[*op.complete_index].value = pick == candidates.size() ? Value{} : candidates[pick];
  }
  History mutated;
  for (HistoryEvent& event : events) mutated.add(std::move(event));
  return mutated;
}

// The write that put what `read` returned, found by brute force: -1 for nil, -2 when unknown.
inline long brute_source(const std::vector<Operation>& ops, const Operation& read) {
  if (read.output.is_nil()) return -1;
  long found = -2;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operation& w = ops[i];
    if (w.key != read.key || (w.f != "write" && w.f != "cas")) continue;
    const Value v = w.f == "write" ? w.input : w.input.list()[1];
    if (v != read.output) continue;
    if (found != -2) return -2;
    found = static_cast<long>(i);
  }
  return found;
}

// True when `a` completed ok before `b` was invoked: `b` must see `a` or something newer.
inline bool brute_precedes(const Operation& a, const Operation& b) {
  return a.outcome == OpType::kOk && *a.complete_index < b.invoke_index;
}

// The operation whose completion makes the one at `pos` known to have taken effect, by brute
// force: itself when ok, or for a write of unknown outcome the earliest-completing ok read that
// returned its value (and named it); null when neither.
inline const Operation* brute_done_by(const std::vector<Operation>& ops, std::size_t pos) {
  if (ops[pos].outcome == OpType::kOk) return &ops[pos];
  const Operation* done = nullptr;
  for (const Operation& read : ops) {
    if (read.f != "read" || read.outcome != OpType::kOk) continue;
    if (brute_source(ops, read) != static_cast<long>(pos)) continue;
    if (!done || *read.complete_index < *done->complete_index) done = &read;
  }
  return done;
}

inline std::optional<std::uint64_t> brute_done_index(const std::vector<Operation>& ops,
                                                     std::size_t pos) {
  const Operation* by = brute_done_by(ops, pos);
  return by ? by->complete_index : std::nullopt;
}

// True when the operation at `pos` is known to have taken effect before `b` was invoked.
inline bool brute_known_before(const std::vector<Operation>& ops, std::size_t pos,
                               const Operation& b) {
  const std::optional<std::uint64_t> done = brute_done_index(ops, pos);
  return done && *done < b.invoke_index;
}

}  // namespace capsim::testing
