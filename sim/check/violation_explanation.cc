#include "sim/check/violation_explanation.h"

#include <algorithm>
#include <cctype>

#include "sim/assert.h"
#include "sim/check/collection_explanation.h"
#include "sim/check/register_explanation.h"

namespace capsim {
namespace {

// How many operations running alongside the unplaceable one are worth showing.
constexpr std::size_t kConcurrentShown = 8;

std::string capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// The last operation in the prefix whose step changed the state, or kNone.
constexpr std::uint32_t kNone = 0xffffffffU;
std::uint32_t last_state_change(ModelMachine& machine, const std::vector<std::uint32_t>& prefix) {
  ModelState state = machine.initial_state();
  std::uint32_t last = kNone;
  for (std::uint32_t op : prefix) {
    ModelState next = state;
    const bool legal = machine.step(state, op, next);
    CAPSIM_ASSERT(legal);
    if (next != state) last = op;
    state = next;
  }
  return last;
}

}  // namespace

std::string describe_operation(const Operation& op, bool show_input) {
  std::string text = op.f;
  if (show_input && !op.input.is_nil()) text += " " + op.input.to_text();
  if (op.key) text += " on key " + *op.key;
  return text + " by process " + std::to_string(op.process);
}

void describe_violation(std::span<const Operation> ops, ModelMachine& machine,
                        const SearchOutcome& outcome, const std::optional<std::string>& key,
                        bool has_times, std::span<const Operation> failed,
                        const std::map<std::uint64_t, std::string>& errors,
                        LinearizabilityResult& result) {
  const Operation& stuck = ops[outcome.stuck];
  result.key = key;
  result.unplaceable = stuck;
  result.state_after_prefix = machine.describe_state(outcome.best_state);
  result.linearized_prefix.clear();
  for (std::uint32_t op : outcome.best_prefix)
    result.linearized_prefix.push_back(ops[op].invoke_index);

  const std::uint32_t changer = last_state_change(machine, outcome.best_prefix);
  // The operation is quoted whole (history index, process, value, times, outcome) so that the
  // sentences after it can refer to it as "it".
  std::string text = quote_operation(stuck, has_times) + " cannot be linearized. ";
  const bool is_register =
      result.model == "register" || result.model == "cas-register" || result.model == "kv";
  RegisterProof proof;
  if (is_register) proof = prove_register_violation(ops, outcome.stuck, failed, errors, has_times);
  if (result.model == "set") {
    proof = prove_set_violation(ops, outcome.stuck, failed, errors, has_times);
  }
  if (result.model == "counter") {
    proof = prove_counter_violation(ops, outcome.stuck, failed, errors, has_times);
  }
  // Without a short proof, the search's order is all there is; a register's explanation still
  // quotes every write of the value the operation needed.
  RegisterProof writers;
  if (proof.text.empty() && is_register) {
    writers = quote_register_writers(ops, outcome.stuck, failed, errors, has_times);
  }
  const std::size_t placed = outcome.best_prefix.size();
  if (!proof.text.empty()) {
    text += proof.text;
  } else if (placed == 0) {
    text += "No operation can take effect before it, and at the start " + result.state_after_prefix;
  } else {
    text += "The longest order that obeys the model and real time places " +
            std::to_string(placed) + (placed == 1 ? " operation" : " operations") + "; after it " +
            result.state_after_prefix;
    if (changer != kNone) text += ", last changed by the " + quote_operation(ops[changer], has_times);
  }
  if (proof.text.empty()) {
    text += ". It cannot take effect next: " +
            machine.describe_mismatch(outcome.best_state, outcome.stuck) + ".";
    if (!writers.text.empty()) {
      text += " " + capitalized(writers.text);
    } else if (std::string cause = machine.describe_missing_cause(outcome.stuck); !cause.empty()) {
      text += " " + capitalized(cause) + ".";
    }
  }
  result.explanation = text;

  // The operations to show: the stuck one, the last change, and those overlapping the stuck
  // one in time (the nearest first), in invoke order.
  std::vector<std::uint32_t> shown{outcome.stuck};
  if (proof.text.empty() && changer != kNone) shown.push_back(changer);
  shown.insert(shown.end(), proof.quoted.begin(), proof.quoted.end());
  shown.insert(shown.end(), writers.quoted.begin(), writers.quoted.end());
  const std::uint64_t end = stuck.complete_index.value_or(UINT64_MAX);
  std::vector<std::uint32_t> overlapping;
  for (std::uint32_t i = 0; i < ops.size(); ++i) {
    const std::uint64_t other_end = ops[i].is_known() ? *ops[i].complete_index : UINT64_MAX;
    if (i != outcome.stuck && ops[i].invoke_index < end && other_end > stuck.invoke_index) {
      overlapping.push_back(i);
    }
  }
  auto distance = [&](std::uint32_t i) {
    const std::uint64_t a = ops[i].invoke_index;
    return a > stuck.invoke_index ? a - stuck.invoke_index : stuck.invoke_index - a;
  };
  std::stable_sort(overlapping.begin(), overlapping.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return distance(a) < distance(b); });
  if (overlapping.size() > kConcurrentShown) overlapping.resize(kConcurrentShown);
  shown.insert(shown.end(), overlapping.begin(), overlapping.end());
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  result.operations.clear();
  for (std::uint32_t i : shown) result.operations.push_back(ops[i]);
  result.failure_reasons.clear();
  std::vector<std::size_t> quoted_failed = proof.quoted_failed;
  quoted_failed.insert(quoted_failed.end(), writers.quoted_failed.begin(),
                       writers.quoted_failed.end());
  std::sort(quoted_failed.begin(), quoted_failed.end());
  quoted_failed.erase(std::unique(quoted_failed.begin(), quoted_failed.end()), quoted_failed.end());
  for (std::size_t i : quoted_failed) {
    result.operations.push_back(failed[i]);
    if (const auto it = errors.find(failed[i].invoke_index); it != errors.end()) {
      result.failure_reasons.insert(*it);
    }
  }
  std::stable_sort(
      result.operations.begin(), result.operations.end(),
      [](const Operation& a, const Operation& b) { return a.invoke_index < b.invoke_index; });
}

void collect_failed_operations(const History& history, const Model& model,
                               const std::optional<std::string>& key,
                               std::vector<Operation>& failed,
                               std::map<std::uint64_t, std::string>& errors) {
  failed.clear();
  errors.clear();
  std::map<std::uint64_t, const HistoryEvent*> open;  // process -> its invoke
  const std::vector<HistoryEvent>& events = history.events();
  for (const HistoryEvent& event : events) {
    if (event.type == OpType::kInvoke) {
      open[event.process] = &event;
      continue;
    }
    const auto it = open.find(event.process);
    if (it == open.end()) continue;
    const HistoryEvent& invoke = *it->second;
    open.erase(it);
    if (event.type != OpType::kFail || invoke.f != event.f) continue;
    Operation op;
    op.invoke_index = invoke.index;
    op.complete_index = event.index;
    op.outcome = OpType::kFail;
    op.process = invoke.process;
    op.f = invoke.f;
    op.key = invoke.key ? invoke.key : event.key;
    op.input = invoke.value;
    op.invoke_time = invoke.time;
    op.complete_time = event.time;
    std::string ignored;
    if (!model.extract_key(op, ignored) || op.key != key) continue;
    errors.emplace(op.invoke_index, event.error);
    failed.push_back(std::move(op));
  }
}

}  // namespace capsim
