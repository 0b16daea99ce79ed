// Reads a Jepsen history written in EDN into a History.
//
// The file holds one operation map per form ({:process 0, :type :invoke, :f :read, :value nil}),
// either one map after another (often one a line) or all inside a single vector or list.
// Keywords become strings without the colon (:ok -> type ok, :f :read -> "read", :x -> "x").
// Fields:
//   :type     required: :invoke, :ok, :fail or :info.
//   :process  required: a non-negative integer. Events of other processes (:nemesis, which
//             injects faults) are not client operations; they are skipped and counted.
//   :f        required: a keyword, symbol or string.
//   :value    optional (nil): nil, integers, strings, keywords and symbols (as strings), true
//             and false (as "true" and "false"), vectors, lists and sets (as lists), maps (as a
//             list of [key value] lists). Floating-point numbers are rejected.
//   :key      optional: a string, keyword, symbol or integer (as its decimal text).
//   :time     optional: integer nanoseconds; an event without one takes the time of the
//             client event before it (0 for the first). A completion's may not be earlier
//             than its invoke's.
//   :node     optional: a string, keyword or symbol.
//   :error    optional: any form, kept as text.
//   :queue, :attempt, :delivery-counts, :redelivered, :reason
//             optional: the fields of queue operations (sim/queue_fields.h; rules in
//             sim/check/queue_field_readers.h). Jepsen's total-queue histories (:enqueue,
//             :dequeue, :drain) need none of them.
// Other fields (:index among them) are ignored: events keep the file's order and are indexed
// from 0 in that order.
//
// Problems are reported as FILE:LINE:COL: error: TEXT; every bad operation in the file is
// reported (a syntax error stops at once). Tagged forms (#jepsen.history.Op{...}) are read as
// the form they tag.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sim/diagnostics.h"
#include "sim/history.h"

namespace capsim {

struct HistoryReadStats {
  std::size_t events = 0;   // client events read
  std::size_t skipped = 0;  // events of non-client processes (the nemesis)
};

// Parses `text`; diagnostics name the file given to `diagnostics`. Returns nullopt on any error.
std::optional<History> read_edn_history(std::string_view text, Diagnostics& diagnostics,
                                        HistoryReadStats* stats = nullptr);

}  // namespace capsim
