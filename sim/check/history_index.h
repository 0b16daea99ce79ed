// A key-value history indexed for the checks that order writes by real time: the session
// guarantees and staleness.
//
// The checkers cannot see the order in which replicas applied writes. They use only what real
// time proves: operation A precedes operation B when A completed ok before B was invoked (A's
// completion comes earlier in the history than B's invoke). A write that precedes another is
// definitely older; two writes that overlap in time have no known order, and neither is older.
// A write whose outcome is unknown (info, or never completed) precedes nothing, since it may
// have taken effect at any time after its invoke.
//
// Every write puts a value not written before (the kv workload's contract), so the value a read
// returns names the write it saw; nil names the initial state, older than every write. A value
// written more than once to a key, or never written by an operation that may have happened, is
// ambiguous: reads of it are not judged. So the checks built on this index are conservative:
// they report only what real-time order proves, and may miss anomalies that a replica's own
// write order would show.
//
// Operations: "read" (ok value: the value read), "write" (value v) and "cas" (value
// [expected new], which writes `new`). Keys come from the events' `key`; operations without
// one act on a single register. Failed operations did not happen and are left out. A read of
// nil on a key to which some operation wrote nil is ambiguous too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/check/operation.h"
#include "sim/history.h"

namespace capsim {

bool is_read(const Operation& op);   // f == "read"
bool is_write(const Operation& op);  // f == "write" or "cas"

// The value a write or cas puts, inside `op`; null for other operations or a cas without
// [expected new].
const Value* written_value(const Operation& op);

// The value a write or cas puts, as text ("7"); "nil" when it puts none.
std::string written_text(const Operation& op);

// True when `a` completed ok before `b` was invoked.
bool precedes(const Operation& a, const Operation& b);

// The key as the index files it: the event's key, or "" for a single register.
std::string key_of(const Operation& op);

// The key in prose: "k1", or "the register" when the operation has none.
std::string key_phrase(const Operation& op);

// One operation as JSON for details: {"index", "complete_index" (null if none), "process", "f",
// "key" (null if none), "value", "outcome" ("ok" or "unknown"), "invoke_ns", "complete_ns"}.
// `value` is what a read returned or what a write put.
nlohmann::json operation_json(const Operation& op);

// What a read's value refers to.
struct ReadSource {
  enum class Kind {
    kInitial,  // nil: nothing written yet
    kWrite,    // the one write that put this value: `write`
    kUnknown,  // ambiguous, or written by nothing that may have happened
  };
  Kind kind = Kind::kUnknown;
  std::size_t write = 0;  // position in HistoryIndex::operations(), when kWrite
};

class HistoryIndex {
 public:
  // Indexes `history`. Returns false, with `error` naming the event, when it is malformed (see
  // collect_operations).
  bool build(const History& history, std::string& error);

  // Every operation that did or may have taken effect, in invoke order.
  const std::vector<Operation>& operations() const { return operations_; }

  // Positions in operations() of the operations of each process, in order. One process is one
  // session: it runs one operation at a time (a client takes a new process after an unknown
  // outcome, so a session's only unknown operation is its last).
  const std::map<std::uint64_t, std::vector<std::size_t>>& sessions() const { return sessions_; }

  // Positions of the writes (and cas) to each key, in invoke order.
  const std::map<std::string, std::vector<std::size_t>>& writes() const { return writes_; }

  // Positions of the ok reads of each key, in invoke order.
  const std::map<std::string, std::vector<std::size_t>>& reads() const { return reads_; }

  // What a read of `key` returning `value` saw.
  ReadSource source_of(const std::string& key, const Value& value) const;
  // The same for an ok read in operations().
  ReadSource source_of_read(const Operation& read) const;

  // True when what a read saw through `older` is definitely older than the write `newer`
  // (a position in operations()): nil, or a write that precedes it.
  bool is_older(const ReadSource& older, std::size_t newer) const;

 private:
  static constexpr std::size_t kAmbiguous = static_cast<std::size_t>(-1);

  std::vector<Operation> operations_;
  std::map<std::uint64_t, std::vector<std::size_t>> sessions_;
  std::map<std::string, std::vector<std::size_t>> writes_;
  std::map<std::string, std::vector<std::size_t>> reads_;
  // key -> value -> the position of its writer, or kAmbiguous.
  std::map<std::string, std::map<Value, std::size_t>> writer_;
};

}  // namespace capsim
