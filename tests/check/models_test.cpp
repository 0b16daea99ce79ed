#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/check/model.h"

namespace capsim {
namespace {

// An operation for a model: known (ok) with its output, or unknown (info) when `known` is false.
Operation op(std::string f, Value input, Value output = {}, bool known = true) {
  static std::uint64_t next_index = 0;
  Operation o;
  o.f = std::move(f);
  o.input = std::move(input);
  o.output = std::move(output);
  o.outcome = known ? OpType::kOk : OpType::kInfo;
  o.invoke_index = next_index;
  o.complete_index = next_index + 1;
  next_index += 2;
  return o;
}

Operation unknown_op(std::string f, Value input) {
  return op(std::move(f), std::move(input), {}, false);
}

// A model's machine over a fixed list of operations, run in the order a test gives.
class Spec {
 public:
  Spec(std::string_view model, std::vector<Operation> ops) : ops_(std::move(ops)) {
    const Model* found = find_model(model);
    REQUIRE(found != nullptr);
    std::string error;
    machine_ = found->prepare(ops_, error);
    INFO(error);
    REQUIRE(machine_ != nullptr);
  }

  // Whether the operations at `order`, applied from the initial state, are all legal.
  bool accepts(const std::vector<std::uint32_t>& order) {
    state_ = machine_->initial_state();
    for (std::uint32_t i : order) {
      ModelState next = 0;
      if (!machine_->step(state_, i, next)) return false;
      state_ = next;
    }
    return true;
  }

  ModelMachine& machine() { return *machine_; }
  ModelState state() const { return state_; }

 private:
  std::vector<Operation> ops_;
  std::unique_ptr<ModelMachine> machine_;
  ModelState state_ = 0;
};

std::string prepare_error(std::string_view model, std::vector<Operation> ops) {
  std::string error;
  CHECK(find_model(model)->prepare(ops, error) == nullptr);
  return error;
}

TEST_CASE("models: the registry lists every model by name") {
  // Scenarios and the command line name models; the names are part of the interface.
  CHECK(model_names() == std::vector<std::string>{"cas-register", "counter", "fifo-queue", "kv",
                                                  "kv-append", "multi-register", "mutex",
                                                  "register", "set"});
  for (const std::string& name : model_names()) CHECK(find_model(name)->name() == name);
  CHECK(find_model("cas_register") == nullptr);
}

TEST_CASE("cas-register: reads see the last write, nil before the first") {
  // The register's basic rules: nil at first, a write replaces, a read returns what is held.
  Spec spec("cas-register",
            {op("read", {}, Value()), op("write", 5), op("read", {}, 5), op("read", {}, 3)});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK_FALSE(spec.accepts({1, 0}));
  CHECK_FALSE(spec.accepts({1, 3}));
  CHECK(spec.machine().describe_state(spec.machine().initial_state()) == "the register holds nil");
  spec.accepts({1});
  CHECK(spec.machine().describe_mismatch(spec.state(), 3) ==
        "it returned 3, but the register holds 5");
}

TEST_CASE("cas-register: cas succeeds exactly when the register holds the expected value") {
  // An ok cas must have found its expected value; an unknown cas may happen only the same way.
  Spec spec("cas-register", {op("write", 1), op("cas", Value::List{1, 2}), op("read", {}, 2),
                             unknown_op("cas", Value::List{7, 8}), unknown_op("read", {})});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK_FALSE(spec.accepts({1}));
  CHECK_FALSE(spec.accepts({0, 3}));
  CHECK(spec.machine().describe_mismatch(spec.machine().initial_state(), 1) ==
        "it expected 1, but the register holds nil");
  CHECK(spec.machine().is_read_only(4));
  CHECK_FALSE(spec.machine().is_read_only(3));
}

TEST_CASE("cas-register: a read of a value nobody wrote has a cause that rules it out") {
  // The explanation can say more than "wrong order" when no write could have produced the value.
  Spec spec("cas-register", {op("write", 1), op("read", {}, 9), op("read", {}, 1)});
  CHECK(spec.machine().describe_missing_cause(1) ==
        "no operation that writes 9 was invoked before it completed");
  CHECK(spec.machine().describe_missing_cause(2) == "");
}

TEST_CASE("register and cas-register: operations they do not know are named in the error") {
  // A history meant for another model is refused with the event and the choices.
  CHECK(prepare_error("register", {op("cas", Value::List{1, 2})})
            .ends_with(": model register has no operation 'cas' (expected read or write)"));
  CHECK(
      prepare_error("cas-register", {op("cas", 7)}).ends_with(": cas needs [expected new], got 7"));
}

TEST_CASE("kv: the key comes from the operation or from a [key value] tuple") {
  // Jepsen's independent checker wraps values as [key value]; kv unwraps them.
  const Model& kv = *find_model("kv");
  Operation tuple = op("read", Value::List{"k1", Value()}, Value::List{"k1", 3});
  std::string error;
  REQUIRE(kv.extract_key(tuple, error));
  CHECK(tuple.key == std::optional<std::string>("k1"));
  CHECK(tuple.input.is_nil());
  CHECK(tuple.output == Value(3));
  Operation cas = op("cas", Value::List{Value::List{1, 2}});
  cas.key = "k2";
  REQUIRE(kv.extract_key(cas, error));
  CHECK(cas.input == Value(Value::List{Value::List{1, 2}}));  // keyed already: untouched
  Operation bare = op("write", 4);
  CHECK_FALSE(kv.extract_key(bare, error));
  CHECK(error.ends_with(": model kv needs a key or a [key value] tuple, got 4"));
}

TEST_CASE("kv-append: get returns the concatenation of appends since the last put") {
  // Strings per key, "" when absent; the tree of pieces must compare exactly.
  Spec spec("kv-append",
            {op("get", {}, ""), op("append", "ab"), op("append", "c"), op("get", {}, "abc"),
             op("put", "x"), op("get", {}, "x"), op("get", {}, "abd"), op("append", "")});
  CHECK(spec.accepts({0, 1, 2, 3, 4, 5}));
  CHECK(spec.accepts({1, 7, 2, 3}));
  CHECK_FALSE(spec.accepts({2, 1, 3}));
  CHECK_FALSE(spec.accepts({1, 2, 6}));
  spec.accepts({1, 2});
  CHECK(spec.machine().describe_state(spec.state()) == "the value is \"abc\"");
  CHECK(spec.machine().describe_mismatch(spec.state(), 6) ==
        "it returned \"abd\", but the value is \"abc\"");
  CHECK(prepare_error("kv-append", {op("append", 3)}).ends_with(": append needs a string, got 3"));
}

TEST_CASE("counter: reads return the sum of the adds before them") {
  // add n / read, with unknown adds free to count or not (the checker decides which).
  Spec spec("counter", {op("add", 2), op("add", -5), op("read", {}, -3), op("read", {}, 2)});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK(spec.accepts({0, 3, 1, 2}));
  CHECK_FALSE(spec.accepts({0, 2}));
  CHECK(spec.machine().describe_mismatch(0, 2) == "it returned -3, but the counter is 0");
}

TEST_CASE("counter: increment is add, and a nil read is a count of 0") {
  // The counter workload increments, and reads nil from a key never incremented.
  Spec spec("counter", {op("read", {}, Value()), op("increment", 3), op("read", {}, 3),
                        op("read", {}, Value())});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK_FALSE(spec.accepts({1, 3}));
  CHECK(spec.machine().describe_mismatch(3, 3) == "it returned 0, but the counter is 3");
}

TEST_CASE("set: a nil read is the empty set") {
  // The set workload reads nil from a key nothing was added to.
  Spec spec("set", {op("read", {}, Value()), op("add", 1), op("read", {}, Value())});
  CHECK(spec.accepts({0, 1}));
  CHECK_FALSE(spec.accepts({1, 2}));
}

TEST_CASE("set: a read returns the whole set, in any order, without duplicates") {
  // The set is compared as a set: [2 1 1] is the set {1, 2}.
  Spec spec("set", {op("add", 1), op("add", 2), op("read", {}, Value::List{2, 1, 1}),
                    op("read", {}, Value::List{1})});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK(spec.accepts({1, 0, 0, 2}));
  CHECK_FALSE(spec.accepts({0, 1, 3}));
  spec.accepts({1, 0});
  CHECK(spec.machine().describe_state(spec.state()) == "the set holds [1 2]");
}

TEST_CASE("fifo-queue: dequeues return the oldest value, nil only when empty") {
  // First in, first out; an unknown dequeue removes the front if there is one.
  Spec spec("fifo-queue",
            {op("enqueue", 1), op("enqueue", 2), op("dequeue", {}, 1), op("dequeue", {}, 2),
             op("dequeue", {}, Value()), unknown_op("dequeue", {})});
  CHECK(spec.accepts({0, 1, 2, 3, 4}));
  CHECK_FALSE(spec.accepts({0, 1, 3}));
  CHECK_FALSE(spec.accepts({0, 4}));
  CHECK(spec.accepts({0, 1, 5, 3}));
  CHECK_FALSE(spec.accepts({5}));
  spec.accepts({0, 1});
  CHECK(spec.machine().describe_state(spec.state()) == "the queue holds [1 2] (front first)");
  CHECK(spec.machine().describe_mismatch(spec.state(), 3) == "it dequeued 2, but the front is 1");
}

TEST_CASE("mutex: acquire needs a free lock and release a held one") {
  // Knossos's mutex: who holds the lock is not tracked.
  Spec spec("mutex", {op("acquire", {}), op("release", {}), op("acquire", {})});
  CHECK(spec.accepts({0, 1, 2}));
  CHECK_FALSE(spec.accepts({0, 2}));
  CHECK_FALSE(spec.accepts({1}));
  CHECK(spec.machine().describe_mismatch(1, 2) ==
        "it acquired the lock, but the lock is already held");
}

TEST_CASE("multi-register: a transaction's reads see the registers and its own writes") {
  // Registers start at 0; micro-operations apply in order inside the transaction.
  const Value write_then_read(
      Value::List{Value::List{"w", "x", 1}, Value::List{"r", "x", 1}, Value::List{"r", "y", 0}});
  const Value read_both(Value::List{Value::List{"read", "x", 1}, Value::List{"read", "y", 0}});
  const Value stale(Value::List{Value::List{"r", "x", 0}});
  Spec spec("multi-register", {op("txn", write_then_read, write_then_read),
                               op("txn", read_both, read_both), op("txn", stale, stale)});
  CHECK(spec.accepts({2, 0, 1}));
  CHECK_FALSE(spec.accepts({0, 2}));
  spec.accepts({0});
  CHECK(spec.machine().describe_state(spec.state()) == "the registers hold x=1, y=0");
  CHECK(spec.machine().describe_mismatch(spec.state(), 2) ==
        "its read of x returned 0, but x holds 1");
  CHECK(spec.machine().is_read_only(1));
  CHECK(prepare_error("multi-register", {op("txn", Value::List{Value::List{"inc", "x", 1}},
                                            Value::List{Value::List{"inc", "x", 1}})})
            .ends_with(": txn micro-operation must be [r key value] or [w key value], got "
                       "[\"inc\" \"x\" 1]"));
}

TEST_CASE("set: a mismatch names the elements that differ, not a list cut short") {
  // Twelve elements in the set, a read of ten of them plus one the set does not hold: the words
  // name 11 and 12 as missing and 99 as extra, and give the sets by size.
  std::vector<Operation> ops;
  for (std::int64_t e = 1; e <= 12; ++e) ops.push_back(op("add", e));
  ops.push_back(op("read", {}, Value::List{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99}));
  std::vector<std::uint32_t> adds;
  for (std::uint32_t i = 0; i < 12; ++i) adds.push_back(i);
  Spec spec("set", ops);
  CHECK(spec.accepts(adds));
  CHECK(spec.machine().describe_state(spec.state()) == "the set holds 12 elements");
  CHECK(spec.machine().describe_mismatch(spec.state(), 12) ==
        "it returned a set of 11 elements, without 11 and 12, which the set holds, and with 99, "
        "which the set does not hold");
}

}  // namespace
}  // namespace capsim
