// For property tests of the read checkers on sets and counters: random histories of a store
// that answers reads with a random part of what was updated, so that some reads are fresh and
// some miss acknowledged updates, with timeouts (an unknown outcome ends a process: the client
// takes a new one) and refusals.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/history.h"
#include "sim/rng.h"
#include "sim/value.h"
#include "support/history_builder.h"

namespace capsim::testing {

enum class CollectionKind { kSet, kCounter };

struct CollectionHistorySpec {
  CollectionKind kind = CollectionKind::kSet;
  int processes = 4;
  int operations = 120;
  int keys = 2;
};

inline History random_collection_history(Rng& rng, const CollectionHistorySpec& spec) {
  struct Planned {
    std::uint64_t process;
    bool update;
    std::string key;
    std::int64_t element;  // set: the element added
    int start;
    std::optional<int> end;
    OpType type;
  };
  std::vector<Planned> planned;
  std::vector<int> clock(static_cast<std::size_t>(spec.processes), 0);
  std::vector<std::uint64_t> id(static_cast<std::size_t>(spec.processes));
  for (int p = 0; p < spec.processes; ++p) id[static_cast<std::size_t>(p)] = static_cast<std::uint64_t>(p);
  std::int64_t next_element = 0;
  for (int i = 0; i < spec.operations; ++i) {
    const auto p = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(spec.processes)));
    Planned op;
    op.process = id[p];
    op.update = rng.chance(3, 5);
    op.key = "k" + std::to_string(rng.below(static_cast<std::uint64_t>(spec.keys)) + 1);
    op.element = op.update ? ++next_element : 0;
    op.start = clock[p] + static_cast<int>(rng.below(20));
    const std::uint64_t fate = rng.below(20);
    op.type = !op.update || fate >= 3 ? OpType::kOk : (fate == 0 ? OpType::kFail : OpType::kInfo);
    op.end = op.start + 1 + static_cast<int>(rng.below(40));
    if (op.type == OpType::kInfo && rng.chance(1, 3)) op.end.reset();  // never answered
    clock[p] = op.end.value_or(op.start) + 1;
    if (op.type == OpType::kInfo) id[p] += static_cast<std::uint64_t>(spec.processes);
    planned.push_back(op);
  }
  HistoryBuilder history;
  for (const Planned& op : planned) {
    if (op.update) {
      if (spec.kind == CollectionKind::kSet) {
        history.op(op.process, "add", op.key, op.element, op.element, op.start, op.end, op.type);
      } else {
        history.op(op.process, "increment", op.key, 1, 1, op.start, op.end, op.type);
      }
      continue;
    }
    // What the store returns: each update of the key that may have happened (not refused,
    // invoked before the read ends) with probability 3/4.
    std::vector<std::int64_t> elements;
    std::int64_t count = 0;
    for (const Planned& update : planned) {
      if (!update.update || update.key != op.key || update.type == OpType::kFail) continue;
      if (update.start >= *op.end || !rng.chance(3, 4)) continue;
      elements.push_back(update.element);
      ++count;
    }
    Value::List list;
    for (std::int64_t e : elements) list.emplace_back(e);
    Value got = spec.kind == CollectionKind::kSet ? Value(std::move(list)) : Value(count);
    if (spec.kind == CollectionKind::kSet && elements.empty() && rng.chance(1, 2)) got = Value();
    history.op(op.process, "read", op.key, Value(), got, op.start, op.end, OpType::kOk);
  }
  return history.history();
}

}  // namespace capsim::testing
