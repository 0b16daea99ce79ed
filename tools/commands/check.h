// `capsim check FILE`: check one history file (our history.jsonl or a Jepsen EDN history) for
// linearizability, or a queue history for delivery (sim/check/delivery.h), and explain the
// verdict.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace capsim::tools {

struct CheckOptions {
  std::string path;                   // the history file, as the user wrote it
  std::optional<std::string> format;  // --format: "jsonl" or "edn"; default: from the extension
  std::optional<std::string> model;   // --model; default: chosen from the operations
  std::string timeout = "30s";        // --timeout: wall-time budget of the search
  bool json = false;                  // --json: one JSON object instead of text
  // --check: "linearizable" or "delivery"; default: delivery for a queue history (sends,
  // receives, polls or drains), linearizable otherwise, and linearizable whenever --model is
  // given.
  std::optional<std::string> check;
  std::optional<std::string> guarantees;  // --guarantees: what delivery's verdict judges, a,b
  bool drained = false;                   // --drained: the history ends with every queue drained
};

// Exit statuses of `capsim check`.
constexpr int kCheckValid = 0;
constexpr int kCheckInvalid = 1;
constexpr int kCheckBadInput = 2;
constexpr int kCheckUnknown = 3;

// Reads the history, chooses the model (saying which and why), runs the linearizability check
// and prints the verdict with its explanation to `out`; problems go to `err` as
// `FILE:LINE: error: TEXT` (or `capsim check: error: TEXT` for flags). Returns kCheckValid when
// the history is linearizable, kCheckInvalid when it is not, kCheckBadInput when the file or a
// flag is wrong or the model cannot take the operations, and kCheckUnknown when the budget ran
// out before a verdict (the output says so; it never guesses).
// With the delivery check: kCheckValid when its verdict is pass, kCheckInvalid on fail,
// kCheckUnknown on unknown or n/a (no verdict either way), kCheckBadInput on a malformed queue
// history or a bad --guarantees.
int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace capsim::tools
