// Sequential specifications for the linearizability checker.
//
// A Model names a data type ("cas-register", "kv-append", ...). For one group of operations it
// prepares a ModelMachine, which compiles the operations once and then answers, as fast as it
// can, "may operation i take effect in state s, and what state follows?". States are compact:
// a 64-bit number that is either the state itself (a register's value id, a counter) or an id
// the machine hands out for a larger state (a set, a queue, a string). Two equal numbers always
// mean equal states, so the checker can cache (operations done, state) pairs; two different
// numbers may still mean equal states, which only costs the cache a hit.
//
// Operations whose outcome is unknown (info or never completed) are stepped as if they took
// effect; the checker itself covers the case that they never did.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/operation.h"

namespace capsim {

using ModelState = std::uint64_t;

class ModelMachine {
 public:
  virtual ~ModelMachine() = default;

  virtual ModelState initial_state() = 0;

  // True when operation `op` (a position in the span given to Model::prepare) may take effect
  // in `state`; then `next` is the state after it.
  virtual bool step(ModelState state, std::uint32_t op, ModelState& next) = 0;

  // True when `op` leaves every state as it is (a read; not a write, even of the value held).
  // With an unknown outcome such an operation constrains nothing and the checker leaves it out;
  // with a known one the checker may place it as soon as it is legal, without branching.
  virtual bool is_read_only(std::uint32_t op) const = 0;

  // True when `op`, completed ok, can contradict an order: its result or its success says what
  // the state was (a read, a successful cas, a dequeue). A blind write or an add cannot, so a
  // history of only those is linearizable whatever the system did: the check's evidence counts
  // only operations for which this is true. By default every operation counts.
  virtual bool constrains(std::uint32_t /*op*/) const { return true; }

  // The state in words, for explanations: "the register holds 5".
  virtual std::string describe_state(ModelState state) const = 0;

  // Why `op` cannot take effect in `state`, in words: "it returned 3, but the register holds 5".
  // Requires: step(state, op, ...) is false.
  virtual std::string describe_mismatch(ModelState state, std::uint32_t op) const = 0;

  // A fact about the whole group that rules `op` out in every order, or "" when there is none
  // to tell: "no write of 3 was invoked before it completed".
  virtual std::string describe_missing_cause(std::uint32_t /*op*/) const { return ""; }
};

class Model {
 public:
  virtual ~Model() = default;

  virtual std::string_view name() const = 0;
  // One line for listings: "read, write and cas [expected new] on one register".
  virtual std::string_view summary() const = 0;

  // Gives the operation a key when it carries one inside its value (kv's [key value] tuples),
  // unwrapping input and output. Returns false with `error` when the operation needs a key and
  // has none. Operations with keys are checked per key.
  virtual bool extract_key(Operation& /*op*/, std::string& /*error*/) const { return true; }

  // Compiles `ops` (one key's operations, in invoke order; they must outlive the machine).
  // Returns nullptr with `error` naming the first operation the model cannot take
  // ("event 12: cas needs [expected new], got 7").
  virtual std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                                std::string& error) const = 0;
};

// The built-in model called `name`, or nullptr.
const Model* find_model(std::string_view name);

// The names of the built-in models, sorted.
std::vector<std::string> model_names();

}  // namespace capsim
