// The history of client operations: every invoke and its completion (ok, fail or info), in the
// order they happened. Checkers read it; they never steer a run.
//
// One event a line in history.jsonl:
//   {"index":0,"time":1500000,"process":3,"type":"invoke","f":"write","key":"k1","value":7}
//   {"index":9,"time":1730000,"process":3,"type":"ok","f":"write","key":"k1","value":7,"node":"n2"}
// `time` is virtual nanoseconds. `info` means the outcome is unknown (a timeout): the operation
// may or may not have taken effect. After an info the client continues as a new process.
// A `fail` is either an answer or a refusal (ClientReply, sim/client/kv_messages.h): a fail that
// is a definite answer about the operation (cas mismatch, unsupported operation) carries
// "answer":true; a refusal (no leader, no quorum, not the primary, a redirect that could not be
// followed) carries nothing more. Histories from elsewhere have no such marker, so their fails
// read as refusals.
// The final reads of a run with workload.final_reads carry "final":true, invoke and completion.
// Queue operations (send, receive, drain, ack, effect, ...) may carry the fields of
// sim/queue_fields.h: "queue", "attempt", "delivery_counts", "redelivered", "reason".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/queue_fields.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim {

enum class OpType { kInvoke, kOk, kFail, kInfo };

std::string_view op_type_name(OpType type);  // "invoke", "ok", "fail", "info"
bool parse_op_type(std::string_view name, OpType& type);

struct HistoryEvent {
  std::uint64_t index = 0;    // position in the history, from 0
  Time time{0};               // virtual time of the event
  std::uint64_t process = 0;  // the logical client process
  OpType type = OpType::kInvoke;
  std::string f;              // "read", "write", "cas", "add", ...
  std::optional<std::string> key;  // absent for single-register histories
  Value value;                // invoke: the argument; ok: the result
  std::string node;           // the node that answered or was asked ("" if none)
  std::string error;          // why it failed or is unknown ("timeout", "not primary", ...)
  // A fail only: the node answered the operation itself with a definite no ("cas mismatch"),
  // rather than refusing to serve it. Written as "answer":true, and only when true.
  bool answered = false;
  // One of the run's final reads (sim/final_reads.h), invoked once the faults were over and the
  // replicas had settled. Written as "final":true, and only when true.
  bool final_read = false;
  // Queue operations only (sim/queue_fields.h); null for every other event, and when none of
  // its fields is given. Shared and immutable, so events that carry the same fields (every send
  // to one queue) can hold one copy.
  std::shared_ptr<const QueueFields> queue;

  // One JSON object, no newline.
  std::string to_json() const;
};

class History {
 public:
  // Appends an event, assigning its index. Returns that index.
  std::uint64_t add(HistoryEvent event);
  // Makes room for `events` events in all, so that a reader that can tell their number need
  // not grow the list (and hold it twice while it moves).
  void reserve(std::size_t events) { events_.reserve(events); }
  const std::vector<HistoryEvent>& events() const { return events_; }
  std::size_t size() const { return events_.size(); }
  // The whole history as JSON Lines.
  std::string to_jsonl() const;

 private:
  std::vector<HistoryEvent> events_;
};

}  // namespace capsim
