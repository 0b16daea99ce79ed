// The linearizability checker: can every operation of a history be given one instant between its
// invoke and its completion such that, taken in that order, the operations obey a sequential
// model (a register, a key-value store, a queue, ...)?
//
// How operations are treated (see operation.h): ok operations must be placed; fail operations
// are dropped; info operations and those never completed may be placed anywhere after their
// invoke, or nowhere. Real-time order is the order of events in the history.
//
// Operations that carry a key are checked per key (linearizability is compositional), which
// turns one large search into many small ones; kv's [key value] tuples count as keys.
//
// The answer is exact: kUnknown only when the search was stopped or the history is malformed,
// never a guess.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/model.h"
#include "sim/check/operation.h"
#include "sim/history.h"

namespace capsim {

enum class Verdict { kLinearizable, kNotLinearizable, kUnknown };

// "linearizable", "not linearizable", "unknown".
std::string_view verdict_name(Verdict verdict);

struct LinearizabilityResult {
  Verdict verdict = Verdict::kUnknown;
  std::string model;

  // When not linearizable:
  std::optional<std::string> key;  // the key whose operations fail, when checked per key
  // The operation that no order can place: the ok operation that, after the longest valid
  // order, must take effect next (it completes before any other open one) and cannot.
  std::optional<Operation> unplaceable;
  // The longest order of that key's operations that obeys the model and real time, as the
  // history indices of their invokes; and the model's state after it, in words.
  std::vector<std::uint64_t> linearized_prefix;
  std::string state_after_prefix;
  // The operations that show the problem: the unplaceable one, the last one in the prefix that
  // changed the state, and those running at the same time as the unplaceable one.
  // Operations that completed with fail appear here (outcome kFail) when the explanation rests
  // on them, with their reasons in `failure_reasons` by invoke index.
  std::vector<Operation> operations;
  std::map<std::uint64_t, std::string> failure_reasons;

  // Always set: the verdict in plain words, e.g. "read by process 4 returned 3 [event 4,
  // 12.250s to 12.301s, ok] cannot be linearized. ...", quoting the operations it rests on.
  std::string explanation;
  // Set when the history could not be checked (malformed, or operations the model rejects).
  std::string error;

  std::uint64_t states_explored = 0;
  std::size_t keys_checked = 0;        // groups searched (1 when not split)
  std::size_t operations_checked = 0;  // operations paired (fail ones excluded)
  // Of those, completed ok and able to contradict an order (ModelMachine::constrains): reads,
  // successful cas, dequeues. With none, every order fits and a pass would rest on nothing.
  std::size_t operations_constraining = 0;
  // The most keys whose search (machine, cache, lists) was held in memory at once: a key
  // whose search ends in the first round is let go before the next key is prepared, so this
  // is 1 when every key's search ends in its first slice, however many keys there are.
  std::size_t searches_held_max = 0;
};

// Checks `history` against `model`. `should_stop`, when set, is polled every few thousand steps;
// when it returns true the result is kUnknown. (Timeouts are the caller's: sim/ reads no clock.)
LinearizabilityResult check_linearizable(const History& history, const Model& model,
                                         const std::function<bool()>& should_stop = {});

// The result as one JSON object (no newline), for summary.json and reports:
// {"checker":"linearizability","model":"cas-register","verdict":"not linearizable",
//  "key":"k1","explanation":"...","unplaceable":{...},"operations":[...],
//  "prefix":{"length":17,"last":[...]},"states_explored":123,...}
std::string to_json(const LinearizabilityResult& result);

}  // namespace capsim
