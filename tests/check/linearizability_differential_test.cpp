#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/check/linearizability.h"
#include "sim/rng.h"

namespace capsim {
namespace {

// The differential test: small random histories checked by the real checker and by a brute
// force written here, which tries every order of the operations that respects real time. The
// brute force pairs events itself, and for registers it also brings its own semantics, so that
// a mistake shared by the checker and the models does not cancel out.

// ---- Random histories ----

Value pick(Rng& rng, const std::vector<Value>& choices) {
  return choices[rng.below(choices.size())];
}

struct RandomOp {
  std::string f;
  Value input;
  Value output;  // the result, should it complete ok
};

using OpMaker = std::function<RandomOp(Rng&)>;

RandomOp register_op(Rng& rng, bool with_cas) {
  const std::vector<Value> values{Value(), 1, 2, 3};
  switch (rng.below(with_cas ? 3 : 2)) {
    case 0: return {"read", Value(), pick(rng, values)};
    case 1: {
      const Value v = rng.between(1, 3);
      return {"write", v, v};
    }
    default: {
      const Value cas(Value::List{pick(rng, values), Value(rng.between(1, 3))});
      return {"cas", cas, cas};
    }
  }
}

RandomOp counter_op(Rng& rng) {
  if (rng.chance(1, 2)) return {"read", Value(), Value(rng.between(0, 4))};
  const Value n = rng.between(1, 2);
  return {"add", n, n};
}

RandomOp set_op(Rng& rng) {
  if (rng.chance(1, 2)) {
    Value::List members;
    for (int x = 1; x <= 3; ++x) {
      if (rng.chance(1, 2)) members.emplace_back(static_cast<std::int64_t>(x));
    }
    if (members.size() > 1 && rng.chance(1, 2)) std::swap(members.front(), members.back());
    return {"read", Value(), Value(std::move(members))};
  }
  const Value x = rng.between(1, 3);
  return {"add", x, x};
}

RandomOp queue_op(Rng& rng) {
  if (rng.chance(1, 2)) return {"dequeue", Value(), pick(rng, {Value(), 1, 2, 3})};
  const Value x = rng.between(1, 3);
  return {"enqueue", x, x};
}

RandomOp mutex_op(Rng& rng) { return {rng.chance(1, 2) ? "acquire" : "release", Value(), Value()}; }

RandomOp append_op(Rng& rng) {
  switch (rng.below(3)) {
    case 0: return {"get", Value(), pick(rng, {"", "a", "b", "ab", "ba", "aa", "bab"})};
    case 1: {
      const Value s = pick(rng, {"a", "b"});
      return {"append", s, s};
    }
    default: {
      const Value s = pick(rng, {"a", "b"});
      return {"put", s, s};
    }
  }
}

RandomOp txn_op(Rng& rng) {
  Value::List invoke;
  Value::List done;
  const std::uint64_t count = 1 + rng.below(2);
  for (std::uint64_t i = 0; i < count; ++i) {
    const Value key = pick(rng, {"x", "y"});
    if (rng.chance(1, 2)) {
      invoke.push_back(Value(Value::List{"r", key, Value()}));
      done.push_back(Value(Value::List{"r", key, Value(rng.between(0, 2))}));
    } else {
      const Value write(Value::List{"w", key, Value(rng.between(0, 2))});
      invoke.push_back(write);
      done.push_back(write);
    }
  }
  return {"txn", Value(std::move(invoke)), Value(std::move(done))};
}

// 2-4 processes run 4-8 operations in a random interleaving. Completions are mostly ok, some
// fail or info (the process then retires, as in Jepsen), and a few never come.
History random_history(Rng& rng, const OpMaker& make, bool keyed) {
  const std::uint64_t processes = 2 + rng.below(3);
  const std::uint64_t total = 4 + rng.below(5);
  std::vector<std::uint64_t> id(processes);
  for (std::uint64_t p = 0; p < processes; ++p) id[p] = p;
  std::vector<std::optional<RandomOp>> open(processes);
  std::vector<std::optional<std::string>> open_key(processes);
  History history;
  std::uint64_t started = 0;
  auto emit = [&](std::uint64_t p, OpType type, const Value& value) {
    HistoryEvent event;
    event.process = id[p];
    event.type = type;
    event.f = open[p]->f;
    event.key = open_key[p];
    event.value = value;
    history.add(std::move(event));
  };
  while (true) {
    bool any_open = false;
    for (const auto& op : open) any_open = any_open || op.has_value();
    if (started == total && !any_open) break;
    if (started == total && rng.chance(1, 8)) break;  // the rest never complete
    const std::uint64_t p = rng.below(processes);
    if (!open[p]) {
      if (started == total) continue;
      ++started;
      open[p] = make(rng);
      open_key[p] = keyed ? std::optional<std::string>(rng.chance(1, 2) ? "a" : "b") : std::nullopt;
      emit(p, OpType::kInvoke, open[p]->input);
      continue;
    }
    const std::uint64_t roll = rng.below(10);
    if (roll < 7) {
      emit(p, OpType::kOk, open[p]->output);
    } else if (roll < 8) {
      emit(p, OpType::kFail, open[p]->input);
    } else {
      emit(p, OpType::kInfo, open[p]->input);
      id[p] += processes;
    }
    open[p].reset();
  }
  return history;
}

// ---- The brute force ----

struct PlainOp {
  std::size_t invoke = 0;
  std::optional<std::size_t> complete;  // set for ok operations only
  Operation op;
};

// Pairs events by process on its own; failed operations are dropped.
std::vector<PlainOp> pair_events(const History& history) {
  std::vector<PlainOp> ops;
  std::map<std::uint64_t, std::size_t> open;
  std::vector<bool> failed;
  for (const HistoryEvent& event : history.events()) {
    if (event.type == OpType::kInvoke) {
      open[event.process] = ops.size();
      PlainOp plain;
      plain.invoke = event.index;
      plain.op.invoke_index = event.index;
      plain.op.f = event.f;
      plain.op.key = event.key;
      plain.op.input = event.value;
      ops.push_back(plain);
      failed.push_back(false);
      continue;
    }
    const std::size_t i = open.at(event.process);
    open.erase(event.process);
    if (event.type == OpType::kFail) failed[i] = true;
    if (event.type == OpType::kOk) {
      ops[i].complete = event.index;
      ops[i].op.complete_index = event.index;
      ops[i].op.outcome = OpType::kOk;
      ops[i].op.output = event.value;
    }
  }
  std::vector<PlainOp> kept;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!failed[i]) kept.push_back(ops[i]);
  }
  return kept;
}

// Tries every order that respects real time: an operation may go next unless an unplaced ok
// operation completed before it was invoked. Unknown outcomes may be left out. `step` applies
// operation i to the state or says it cannot happen there.
template <typename State, typename Step>
bool brute_force(const std::vector<PlainOp>& ops, const State& state, std::vector<bool>& placed,
                 const Step& step) {
  bool done = true;
  for (std::size_t i = 0; i < ops.size(); ++i) done = done && (placed[i] || !ops[i].complete);
  if (done) return true;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (placed[i]) continue;
    bool may_go = true;
    for (std::size_t j = 0; j < ops.size(); ++j) {
      if (j != i && !placed[j] && ops[j].complete && *ops[j].complete < ops[i].invoke)
        may_go = false;
    }
    State next = state;
    if (!may_go || !step(next, i)) continue;
    placed[i] = true;
    if (brute_force(ops, next, placed, step)) return true;
    placed[i] = false;
  }
  return false;
}

// Registers (one per key), with semantics written out here independently of the models.
bool brute_force_registers(const std::vector<PlainOp>& ops) {
  using Registers = std::map<std::string, Value>;
  std::vector<bool> placed(ops.size(), false);
  return brute_force(ops, Registers{}, placed, [&](Registers& registers, std::size_t i) {
    const Operation& op = ops[i].op;
    Value& value = registers[op.key.value_or("")];
    if (op.f == "read") return !ops[i].complete || op.output == value;
    if (op.f == "write") {
      value = op.input;
      return true;
    }
    if (!(value == op.input.list()[0])) return false;
    value = op.input.list()[1];
    return true;
  });
}

// Any model, through its machine (one group: no keys).
bool brute_force_model(const std::vector<PlainOp>& ops, const Model& model) {
  std::vector<Operation> plain;
  for (const PlainOp& op : ops) plain.push_back(op.op);
  std::string error;
  std::unique_ptr<ModelMachine> machine = model.prepare(plain, error);
  REQUIRE(machine != nullptr);
  std::vector<bool> placed(ops.size(), false);
  return brute_force(ops, machine->initial_state(), placed, [&](ModelState& state, std::size_t i) {
    ModelState next = 0;
    if (!machine->step(state, static_cast<std::uint32_t>(i), next)) return false;
    state = next;
    return true;
  });
}

struct Case {
  const char* model;
  OpMaker make;
  bool keyed = false;
  bool own_semantics = false;  // registers: the brute force brings its own rules
};

TEST_CASE("linearizability: agrees with a brute-force search on thousands of small histories") {
  // For every model, random histories with overlaps, failures, info and pending operations; the
  // checker's verdict must equal the brute force's on each one, and both verdicts must occur.
  const std::vector<Case> cases = {
      {"cas-register", [](Rng& rng) { return register_op(rng, true); }, false, true},
      {"register", [](Rng& rng) { return register_op(rng, false); }, false, true},
      {"kv", [](Rng& rng) { return register_op(rng, true); }, true, true},
      {"counter", counter_op},
      {"set", set_op},
      {"fifo-queue", queue_op},
      {"mutex", mutex_op},
      {"kv-append", append_op},
      {"multi-register", txn_op},
  };
  constexpr int kHistoriesPerModel = 600;
  for (const Case& c : cases) {
    CAPTURE(c.model);
    const Model& model = *find_model(c.model);
    Rng rng = rng_for(2024, c.model);
    int linearizable = 0;
    for (int n = 0; n < kHistoriesPerModel; ++n) {
      const History history = random_history(rng, c.make, c.keyed);
      const std::vector<PlainOp> ops = pair_events(history);
      const bool expected =
          c.own_semantics ? brute_force_registers(ops) : brute_force_model(ops, model);
      if (c.model == std::string("cas-register")) CHECK(expected == brute_force_model(ops, model));
      const LinearizabilityResult result = check_linearizable(history, model);
      INFO(history.to_jsonl());
      INFO(result.explanation);
      REQUIRE(result.verdict != Verdict::kUnknown);
      CHECK((result.verdict == Verdict::kLinearizable) == expected);
      linearizable += expected ? 1 : 0;
    }
    CHECK(linearizable > kHistoriesPerModel / 20);
    CHECK(linearizable < kHistoriesPerModel * 19 / 20);
  }
}

}  // namespace
}  // namespace capsim
