// A history indexed for the checks that order operations by real time: the session guarantees
// and staleness.
//
// The checkers cannot see the order in which replicas applied updates. They use only what real
// time proves: operation A precedes operation B when A is known to have taken effect before B
// was invoked. A is known done at its ok completion; an update whose outcome is unknown (info,
// or never completed) is known done when an ok read first returned what it wrote, since that
// read could not see it before it took effect: its known-done point is that read's completion.
// An update with neither precedes nothing, since it may have taken effect at any time after
// its invoke. Two updates that overlap in time have no known order, and neither is older.
//
// Each key has a kind, from the operations on it:
//   register  read / write v / cas [expected new] (which writes `new`). Every write puts a value
//             not written before (the kv workload's contract), so the value a read returns names
//             the write it saw; nil names the initial state, older than every write. A value
//             written more than once to a key, or by no operation that may have happened, is
//             ambiguous: reads of it are not judged (nor nil, when some operation wrote nil).
//   set       add e / read (a list of elements; nil is the empty set). Elements are unique across
//             the run (the set workload's contract), so an element names the add that produced
//             it; an element added twice is ambiguous and proves no order.
//   counter   increment d (d a positive integer) / read (an integer; nil is 0). Increments are
//             alike, so only totals can be judged.
// A key whose operations mix these kinds, or whose reads return what its kind cannot hold, is
// not judged (`KeyInfo::why_not_judged` says why). Keys come from the events' `key`; operations
// without one act on a single register. Failed operations did not happen and are left out. So
// the checks built on this index are conservative: they report only what real-time order
// proves, and may miss anomalies that a replica's own update order would show.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/check/operation.h"
#include "sim/history.h"

namespace capsim {

bool is_read(const Operation& op);   // f == "read"
bool is_write(const Operation& op);  // f == "write" or "cas": an update of a register
bool is_add(const Operation& op);    // f == "add": an update of a set
bool is_increment(const Operation& op);  // f == "increment": an update of a counter
bool is_update(const Operation& op);     // any of the three

// The value a write or cas puts, inside `op`; null for other operations or a cas without
// [expected new].
const Value* written_value(const Operation& op);

// The value a write or cas puts, as text ("7"); "nil" when it puts none.
std::string written_text(const Operation& op);

// True when `a` completed ok before `b` was invoked. (HistoryIndex::known_before also uses
// what reads prove about updates of unknown outcome.)
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

enum class KeyKind { kRegister, kSet, kCounter, kNotJudged };

// "register", "set", "counter", "not judged".
std::string_view key_kind_name(KeyKind kind);

struct KeyInfo {
  KeyKind kind = KeyKind::kRegister;
  std::string why_not_judged;  // kNotJudged: why, e.g. "it mixes writes and adds"
};

// The elements of a set read (nil is the empty set); null when `read` holds no set.
const Value::List* set_elements(const Value& read);
// The count of a counter read (nil is 0); nullopt when `read` holds no count.
std::optional<std::int64_t> counter_value(const Value& read);

class HistoryIndex;

// {"k1": "it mixes writes and adds", ...}: the keys not judged, with why.
nlohmann::json keys_not_judged_json(const HistoryIndex& index);

// Why a check that judges reads found none to judge, as a sentence: no ok read at all, or none
// with `what_was_needed` ("a read had ... "), and the keys not judged with why.
std::string nothing_judged_reason(const HistoryIndex& index, const std::string& what_was_needed);

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

  // Positions of the updates of each key (writes and cas, adds, or increments, by its kind),
  // in invoke order.
  const std::map<std::string, std::vector<std::size_t>>& writes() const { return writes_; }

  // The kind of every key that has an operation.
  const std::map<std::string, KeyInfo>& key_kinds() const { return kinds_; }
  KeyKind kind_of(const std::string& key) const;

  // When the operation at `pos` is known to have taken effect (see above): the history index of
  // its ok completion, or of the completion of the first ok read that returned what it wrote;
  // nullopt when nothing proves it took effect.
  std::optional<std::uint64_t> done_index(std::size_t pos) const;
  // The same point as a time; nullopt likewise.
  std::optional<Time> done_time(std::size_t pos) const;
  // The ok read whose completion made the operation at `pos` known done, when its own outcome
  // is unknown; nullopt when it completed ok itself, or is not known done.
  std::optional<std::size_t> done_by_read(std::size_t pos) const;
  // True when the operation at `pos` is known to have taken effect before `b` was invoked.
  bool known_before(std::size_t pos, const Operation& b) const;

  // The add that produced `element` in set `key`: its position, or nullopt when no add of it
  // may have happened or more than one did.
  std::optional<std::size_t> adder_of(const std::string& key, const Value& element) const;

  // Positions of the ok reads of each key, in invoke order.
  const std::map<std::string, std::vector<std::size_t>>& reads() const { return reads_; }

  // What a read of register `key` returning `value` saw (kUnknown for keys of other kinds).
  ReadSource source_of(const std::string& key, const Value& value) const;
  // The same for an ok read in operations().
  ReadSource source_of_read(const Operation& read) const;

  // True when what a read saw through `older` is definitely older than the write `newer`
  // (a position in operations()): nil, or a write known done before `newer` was invoked.
  bool is_older(const ReadSource& older, std::size_t newer) const;

 private:
  static constexpr std::size_t kAmbiguous = static_cast<std::size_t>(-1);

  std::vector<Operation> operations_;
  std::map<std::uint64_t, std::vector<std::size_t>> sessions_;
  std::map<std::string, std::vector<std::size_t>> writes_;
  std::map<std::string, std::vector<std::size_t>> reads_;
  // key -> value -> the position of its writer, or kAmbiguous.
  std::map<std::string, std::map<Value, std::size_t>> writer_;
  // key -> element -> the position of its add, or kAmbiguous.
  std::map<std::string, std::map<Value, std::size_t>> adder_;
  std::map<std::string, KeyInfo> kinds_;
  // Per operation: the position of the operation whose completion makes it known done (itself
  // when ok, a read when its outcome is unknown), or kAmbiguous when none does.
  std::vector<std::size_t> done_by_;

  void classify_keys();
  void find_known_done();
};

}  // namespace capsim
