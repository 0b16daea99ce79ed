#include "sim/check/linearizability.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "sim/check/linearization_search.h"
#include "sim/check/violation_explanation.h"

namespace capsim {
namespace {

LinearizabilityResult unknown(LinearizabilityResult result, std::string error) {
  result.verdict = Verdict::kUnknown;
  result.explanation = "The history could not be checked: " + error + ".";
  result.error = std::move(error);
  return result;
}

bool history_has_times(const History& history) {
  for (const HistoryEvent& event : history.events()) {
    if (event.time != Time{0}) return true;
  }
  return false;
}

// The first slice of steps each key's search gets; later rounds double it.
constexpr std::uint64_t kFirstSlice = 1 << 14;
constexpr std::uint64_t kLastSlice = std::uint64_t{1} << 40;  // no overflow, ever

// Memory for the searches' caches, shared among the keys searched side by side.
constexpr std::size_t kTotalCacheBytes = std::size_t{1024} * 1024 * 1024;
constexpr std::size_t kMinCacheBytes = std::size_t{16} * 1024 * 1024;

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Where one key's operations lie after sort_by_key(): [begin, end).
struct KeyRange {
  std::size_t begin;
  std::size_t end;
};

// Orders `ops` by key (no key first, then keys in their string order), keeping invoke order
// within a key, and returns each key's range. The operations are moved within the vector, by
// following the cycles of the permutation, so no second copy of them is ever made.
std::vector<KeyRange> sort_by_key(std::vector<Operation>& ops) {
  std::vector<std::uint32_t> order(ops.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (ops[a].key != ops[b].key) return ops[a].key < ops[b].key;
    return a < b;
  });
  // ops[i] is to receive ops[order[i]]; an entry is set to its own index once placed.
  for (std::uint32_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Operation first = std::move(ops[start]);
    std::uint32_t to = start;
    while (order[to] != start) {
      const std::uint32_t from = order[to];
      ops[to] = std::move(ops[from]);
      order[to] = to;
      to = from;
    }
    ops[to] = std::move(first);
    order[to] = to;
  }
  std::vector<KeyRange> ranges;
  for (std::size_t begin = 0; begin < ops.size();) {
    std::size_t end = begin + 1;
    while (end < ops.size() && ops[end].key == ops[begin].key) ++end;
    ranges.push_back(KeyRange{begin, end});
    begin = end;
  }
  return ranges;
}

// One key's search, with the machine it steps.
struct KeySearch {
  std::span<const Operation> ops;
  std::unique_ptr<ModelMachine> machine;
  std::unique_ptr<LinearizationSearch> search;  // null once the key is done
};

// Ends the check at the search of `ended`, which stopped or found a violation; `running` holds
// the searches not finished yet, whose states count too.
LinearizabilityResult end_check(const History& history, const Model& model, bool has_times,
                                const KeySearch& ended, const std::vector<KeySearch>& running,
                                LinearizabilityResult& result) {
  const SearchOutcome& outcome = ended.search->outcome();
  result.states_explored += outcome.states_explored;
  for (const KeySearch& search : running) {
    if (search.search) result.states_explored += search.search->outcome().states_explored;
  }
  if (outcome.status == SearchOutcome::Status::kStopped) {
    result.verdict = Verdict::kUnknown;
    result.explanation = "The check was stopped before it reached a verdict, after exploring " +
                         plural(result.states_explored, "state") + ".";
    return std::move(result);
  }
  result.verdict = Verdict::kNotLinearizable;
  const std::optional<std::string>& key = ended.ops.front().key;
  std::vector<Operation> failed;
  std::map<std::uint64_t, std::string> errors;
  collect_failed_operations(history, model, key, failed, errors);
  describe_violation(ended.ops, *ended.machine, outcome, key, has_times, failed, errors, result);
  return std::move(result);
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kLinearizable: return "linearizable";
    case Verdict::kNotLinearizable: return "not linearizable";
    case Verdict::kUnknown: return "unknown";
  }
  return "unknown";
}

LinearizabilityResult check_linearizable(const History& history, const Model& model,
                                         const std::function<bool()>& should_stop) {
  LinearizabilityResult result;
  result.model = std::string(model.name());

  OperationList list;
  std::string error;
  if (!collect_operations(history, list, error)) return unknown(std::move(result), error);
  result.operations_checked = list.operations.size();
  for (Operation& op : list.operations) {
    if (!model.extract_key(op, error)) return unknown(std::move(result), error);
  }
  // Group by key, in place: each key's operations side by side, keys in their sorted order
  // (which fixes the order in which keys are searched, and so which violation is reported
  // when several keys have one), each key's operations in invoke order.
  std::vector<Operation>& ops = list.operations;
  const std::vector<KeyRange> keys = sort_by_key(ops);

  // Every key gets a machine and a search; the searches run in rounds, each key a slice of
  // steps per round, the slice doubling every round. One hard key thus cannot hide a violation
  // in another: the checker stops at the first key that fails, having spent at most about twice
  // that key's effort on each of the others. Slices count steps, not time, so the verdict and
  // the violation reported are the same on every run.
  //
  // The first round is taken key by key as each key is prepared, and a key whose search ends
  // in it (most keys, in a large history) gives its memory back at once: only the keys still
  // searching after their first slice hold a machine and a cache. Every key is still prepared
  // before any verdict is given, since a key the model cannot take makes the history
  // uncheckable, and the evidence counts every key.
  const std::size_t cache_bytes =
      std::max(kMinCacheBytes, kTotalCacheBytes / std::max<std::size_t>(1, keys.size()));
  std::vector<KeySearch> running;
  std::optional<KeySearch> ended;  // the key whose search ended the check in the first round
  std::uint64_t states_explored = 0;  // of the searches already finished
  for (const KeyRange& range : keys) {
    const std::span<const Operation> key_ops(ops.data() + range.begin, range.end - range.begin);
    std::unique_ptr<ModelMachine> machine = model.prepare(key_ops, error);
    if (!machine) return unknown(std::move(result), error);
    for (std::uint32_t i = 0; i < key_ops.size(); ++i) {
      if (key_ops[i].is_known() && machine->constrains(i)) ++result.operations_constraining;
    }
    if (ended) continue;  // the check ends after this round: only the counts are still wanted
    KeySearch search{key_ops, std::move(machine), nullptr};
    search.search = std::make_unique<LinearizationSearch>(key_ops, *search.machine, cache_bytes);
    result.searches_held_max = std::max(result.searches_held_max, running.size() + 1);
    const SearchOutcome::Status status = search.search->run(kFirstSlice, should_stop);
    if (status == SearchOutcome::Status::kRunning) {
      running.push_back(std::move(search));
    } else if (status == SearchOutcome::Status::kLinearizable) {
      states_explored += search.search->outcome().states_explored;
    } else {
      ended = std::move(search);
    }
  }
  result.keys_checked = keys.size();
  result.states_explored = states_explored;
  const bool has_times = history_has_times(history);
  if (ended) return end_check(history, model, has_times, *ended, running, result);
  for (std::uint64_t slice = std::min(kFirstSlice * 2, kLastSlice); !running.empty();
       slice = std::min(slice * 2, kLastSlice)) {
    for (KeySearch& search : running) {
      const SearchOutcome::Status status = search.search->run(slice, should_stop);
      if (status == SearchOutcome::Status::kRunning) continue;
      if (status == SearchOutcome::Status::kLinearizable) {
        result.states_explored += search.search->outcome().states_explored;
        search = KeySearch{};  // done: its memory goes back now
        continue;
      }
      KeySearch stopped = std::move(search);
      search = KeySearch{};
      return end_check(history, model, has_times, stopped, running, result);
    }
    std::erase_if(running, [](const KeySearch& search) { return !search.search; });
  }
  result.verdict = Verdict::kLinearizable;
  result.explanation = "All " + plural(result.operations_checked, "operation") +
                       (keys.size() > 1 ? " on " + plural(keys.size(), "key") : "") +
                       " can be ordered so that each takes effect between its invoke and its "
                       "completion and the " +
                       result.model + " model accepts every result.";
  return result;
}

}  // namespace capsim
