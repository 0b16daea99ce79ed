// Operations: a history's invokes paired with their completions, the unit that checkers reason
// about.
//
// An invoke pairs with the next completion of the same process (a process has at most one
// operation open at a time). The completion decides what is known about the operation:
//   ok    it took effect between its invoke and its completion, and `output` is its result;
//   fail  it did not take effect: it is left out of the list;
//   info  (or no completion before the history ends) it may or may not have taken effect, at
//         any time after its invoke; its result is unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/history.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim {

struct Operation {
  std::uint64_t invoke_index = 0;               // history index of the invoke
  std::optional<std::uint64_t> complete_index;  // of the ok or info; absent: never completed
  OpType outcome = OpType::kInfo;               // kOk, or kInfo when the outcome is unknown
  std::uint64_t process = 0;
  std::string f;
  std::optional<std::string> key;  // the invoke's key (or the completion's, if only it has one)
  Value input;                     // the invoke's value: the argument
  Value output;                    // the ok's value: the result (nil when unknown)
  Time invoke_time{0};
  std::optional<Time> complete_time;

  // True when the operation certainly took effect before its completion.
  bool is_known() const { return outcome == OpType::kOk; }
};

struct OperationList {
  std::vector<Operation> operations;  // in invoke order
  std::size_t failed = 0;             // operations that completed with fail, left out
};

// Pairs the events of `history` into operations. Returns false, with `error` naming the event,
// when the history is malformed: a completion without an open invoke, a completion whose f
// differs from its invoke's, or an invoke while the same process still has one open.
bool collect_operations(const History& history, OperationList& list, std::string& error);

// A key given as a value: strings as they are, anything else as its text ("7", "[1 2]").
std::string key_text(const Value& key);

}  // namespace capsim
