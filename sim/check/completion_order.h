// Each completion (ok, fail, info) in a history file must come no earlier than the invoke it
// completes: the readers check this as they go, so a file whose times run backwards is bad
// input at the completion's line rather than a history the checkers would misjudge.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sim/history.h"

namespace capsim {

class CompletionOrder {
 public:
  // Takes the next event of the file, read at `line`. Returns the problem, worded for the
  // completion's line, when `event` completes its process's open invoke at an earlier time.
  // Pairing itself (an invoke left open, a completion never invoked) is the checkers' business
  // and is not judged here.
  std::optional<std::string> add(const HistoryEvent& event, int line);

 private:
  struct OpenInvoke {
    Time time{0};
    int line = 0;
  };
  std::map<std::uint64_t, OpenInvoke> open_;  // by process
};

}  // namespace capsim
