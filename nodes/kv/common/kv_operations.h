// What every key-value operation does to one key's value, written once for all kv protocols.
//
// A protocol decides *where* and *when* an operation takes effect (on a primary, through a
// quorum, in a committed log entry); this file decides *what* it does. Every operation on a key
// is evaluated against that key's current value and yields either a reply with no change (read,
// failed cas), or the key's new value plus the reply (write, cas, add, increment). Logging the
// new value rather than the operation lets a replica replay a log without re-evaluating
// conditions, the way the primary-backup log stores a cas as the write it turned into.
//
// The operations (ClientRequest::f, value) of the workloads:
//   read                  returns the current value (nil if the key was never written)
//   write v               sets v
//   cas [expected new]    sets new if the value equals expected, else fails "cas mismatch"
//   add e                 set workload: adds element e to the set stored as a sorted list
//   increment d           counter workload: adds integer d to the count (nil counts as 0)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/value.h"

namespace capsim::kv {

struct Effect {
  bool ok = true;                  // false: the operation certainly did not take effect
  std::string error;               // !ok: why, in a few words ("cas mismatch")
  std::optional<Value> new_value;  // set when the key changes
  Value reply;                     // what an ok reply carries (a read: the value read)
};

// True for operations that never change state (reads), so a protocol can serve them apart.
bool is_read_only(std::string_view f);

// True if `f` is one of the operations above.
bool is_known_operation(std::string_view f);

// Evaluates operation `f` with `argument` on a key whose value is `current`.
Effect evaluate(std::string_view f, const Value& current, const Value& argument);

// A replica's key-value state with the digest convergence is judged on.
class KvState {
 public:
  // The value of `key`; nil if absent.
  const Value& get(const std::string& key) const;
  void put(const std::string& key, Value value);
  // Evaluates `f` on `key` and, when it changes the key, applies the change.
  Effect apply(std::string_view f, const std::string& key, const Value& argument);
  const std::map<std::string, Value>& entries() const { return values_; }
  // "k1=7;k2=[1 3]": equal on replicas whose states are equal.
  std::string digest() const;

 private:
  std::map<std::string, Value> values_;
};

}  // namespace capsim::kv
