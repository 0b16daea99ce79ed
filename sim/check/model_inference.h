// Choosing a linearizability model for a history file from the operations it holds, for
// `capsim check` when no model is given.
#pragma once

#include <optional>
#include <string>

#include "sim/history.h"

namespace capsim {

struct ModelChoice {
  std::string model;   // a name find_model() knows: "kv", "counter", ...
  std::string reason;  // why, in words: "operations read, write, cas on keys"
};

// The model the operations of `history` call for:
//   read / write / cas        "kv" when events carry keys or writes carry [key value] tuples,
//                             else "cas-register" with cas, "register" without;
//   add / read                "set" when some ok read returned a list, else "counter";
//   increment / add / read    "counter" (increment is the counter workload's add);
//   enqueue / dequeue         "fifo-queue";   acquire / release   "mutex";
//   get / put / append        "kv-append";    txn                 "multi-register".
// Returns nullopt with `error` when the operations fit none of these (or there are none).
std::optional<ModelChoice> infer_model(const History& history, std::string& error);

}  // namespace capsim
