// Reading the queue fields of a history event (sim/queue_fields.h) for the two history readers:
// history.jsonl writes them "queue", "attempt", "delivery_counts", "redelivered", "reason";
// Jepsen's EDN :queue, :attempt, :delivery-counts, :redelivered, :reason.
//
// Rules, the same in both formats: queue and reason are strings (EDN: also keywords and
// symbols); attempt is an integer from 1 to 2^32-1; delivery_counts is a list of integers from
// 1 to 2^32-1 and redelivered a list of booleans, each with one entry per message the event's
// value names (a list of ids, or one id), so they belong on a receive's or drain's ok.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/check/edn_parser.h"
#include "sim/diagnostics.h"
#include "sim/history.h"

namespace capsim {

// The field names history.jsonl may use for them.
const std::vector<std::string>& queue_json_fields();

// Reads the queue fields of one JSON Lines object into `event.queue` (left null when there are
// none). Requires: event.value is already read. Returns false with `error` on a bad field.
bool read_queue_fields_json(const nlohmann::json& object, HistoryEvent& event,
                            std::string& error);

// True when `name` (an EDN keyword without its colon) is a queue field.
bool is_queue_field_edn(std::string_view name);

// Reads one queue field of an EDN operation map into `fields`; reports a bad value at its
// position and returns false. Requires: is_queue_field_edn(name).
bool read_queue_field_edn(std::string_view name, const EdnNode& value, QueueFields& fields,
                          Diagnostics& diagnostics);

// The per-message lists of `fields` must match `value` (a list of ids, or one id): the problem
// in words, or nullopt. EDN and JSON readers call it once the whole event is read.
std::optional<std::string> queue_fields_problem(const QueueFields& fields, const Value& value);

// Lets events that carry the same queue fields as one of the last few (every send to one
// queue, every receive from it) share one copy, so a long history holds few of them.
class QueueFieldSharing {
 public:
  void share(HistoryEvent& event);

 private:
  std::array<std::shared_ptr<const QueueFields>, 8> recent_;
  std::size_t next_ = 0;
};

}  // namespace capsim
