#include "sim/check/linearizability.h"

#include <algorithm>
#include <map>

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

  // Group by key; the ordered map fixes the order in which keys are searched, and so which
  // violation is reported when several keys have one.
  std::map<std::optional<std::string>, std::vector<Operation>> groups;
  for (Operation& op : list.operations) {
    if (!model.extract_key(op, error)) return unknown(std::move(result), error);
    groups[op.key].push_back(std::move(op));
  }
  list.operations = {};  // moved into the groups; the husks need not stay

  // Every key gets a machine and a search; then the searches run in rounds, each key a slice of
  // steps per round, the slice doubling every round. One hard key thus cannot hide a violation
  // in another: the checker stops at the first key that fails, having spent at most about twice
  // that key's effort on each of the others. Slices count steps, not time, so the verdict and
  // the violation reported are the same on every run.
  struct Group {
    const std::optional<std::string>* key;
    const std::vector<Operation>* ops;
    std::unique_ptr<ModelMachine> machine;
    std::unique_ptr<LinearizationSearch> search;
  };
  std::vector<Group> running;
  for (const auto& [key, ops] : groups) {
    std::unique_ptr<ModelMachine> machine = model.prepare(ops, error);
    if (!machine) return unknown(std::move(result), error);
    for (std::uint32_t i = 0; i < ops.size(); ++i) {
      if (ops[i].is_known() && machine->constrains(i)) ++result.operations_constraining;
    }
    auto search = std::make_unique<LinearizationSearch>(
        ops, *machine, std::max(kMinCacheBytes, kTotalCacheBytes / groups.size()));
    running.push_back(Group{&key, &ops, std::move(machine), std::move(search)});
  }
  result.keys_checked = running.size();
  const bool has_times = history_has_times(history);
  // States explored by searches still running are counted when the check ends early.
  auto count_unfinished = [&] {
    for (const Group& group : running) {
      if (group.search) result.states_explored += group.search->outcome().states_explored;
    }
  };
  for (std::uint64_t slice = kFirstSlice; !running.empty();
       slice = std::min(slice * 2, kLastSlice)) {
    for (Group& group : running) {
      const SearchOutcome::Status status = group.search->run(slice, should_stop);
      if (status == SearchOutcome::Status::kRunning) continue;
      const std::unique_ptr<LinearizationSearch> search = std::move(group.search);
      const SearchOutcome& outcome = search->outcome();
      result.states_explored += outcome.states_explored;
      if (status == SearchOutcome::Status::kStopped) {
        count_unfinished();
        result.verdict = Verdict::kUnknown;
        result.explanation = "The check was stopped before it reached a verdict, after exploring " +
                             plural(result.states_explored, "state") + ".";
        return result;
      }
      if (status == SearchOutcome::Status::kNotLinearizable) {
        count_unfinished();
        result.verdict = Verdict::kNotLinearizable;
        std::vector<Operation> failed;
        std::map<std::uint64_t, std::string> errors;
        collect_failed_operations(history, model, *group.key, failed, errors);
        describe_violation(*group.ops, *group.machine, outcome, *group.key, has_times, failed,
                           errors, result);
        return result;
      }
    }
    std::erase_if(running, [](const Group& group) { return !group.search; });
  }
  result.verdict = Verdict::kLinearizable;
  result.explanation = "All " + plural(result.operations_checked, "operation") +
                       (groups.size() > 1 ? " on " + plural(groups.size(), "key") : "") +
                       " can be ordered so that each takes effect between its invoke and its "
                       "completion and the " +
                       result.model + " model accepts every result.";
  return result;
}

}  // namespace capsim
