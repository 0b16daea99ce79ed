// Reads our history.jsonl (see sim/history.h) into a History: one JSON object a line,
//   {"index":0,"time":1500000,"process":3,"type":"invoke","f":"write","key":"k1","value":7}
// with fields index (optional, informational), time (required, integer nanoseconds), process
// (required, non-negative integer), type (required: "invoke", "ok", "fail" or "info"), f
// (required string), key (optional string), value (optional: null, integers, strings and arrays
// of them), node and error (optional strings), final (optional boolean: one of the run's final
// reads) and answer (optional boolean, on a fail only: the fail was a definite answer, not a
// refusal), and the fields of queue operations (sim/queue_fields.h; rules in
// sim/check/queue_field_readers.h): queue, attempt, delivery_counts, redelivered, reason.
// Blank lines are skipped. Events keep the file's order and are indexed from 0 in
// that order. A completion whose time is earlier than the invoke it completes (the same
// process's open one) is an error at the completion's line.
//
// Problems are reported as FILE:LINE: error: TEXT (FILE:LINE:COL for JSON syntax errors), every
// bad line at once. Lines may nest arrays at most kMaxJsonlDepth deep.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "sim/check/completion_order.h"
#include "sim/check/edn_reader.h"
#include "sim/check/queue_field_readers.h"
#include "sim/diagnostics.h"
#include "sim/history.h"

namespace capsim {

constexpr std::size_t kMaxJsonlBytes = std::size_t{1024} * 1024 * 1024;
constexpr int kMaxJsonlDepth = 64;

// Parses `text`; diagnostics name the file given to `diagnostics`. Returns nullopt on any error.
std::optional<History> read_jsonl_history(std::string_view text, Diagnostics& diagnostics,
                                          HistoryReadStats* stats = nullptr);

// The same reading a line at a time, so that a file need not be held in memory beside its
// history (read_history_file streams with it).
class JsonlHistoryReader {
 public:
  // Problems go to `diagnostics`, which must outlive the reader.
  explicit JsonlHistoryReader(Diagnostics& diagnostics);

  // The next line of the file, without its '\n'.
  void add_line(std::string_view line);

  // The history read, or nullopt when any line was reported. Call once, after the last line.
  std::optional<History> finish(HistoryReadStats* stats = nullptr);

 private:
  Diagnostics& diagnostics_;
  std::size_t errors_before_;
  int line_number_ = 0;
  History history_;
  CompletionOrder order_;
  QueueFieldSharing sharing_;
};

}  // namespace capsim
