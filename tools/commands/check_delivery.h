// The delivery half of `capsim check FILE` (tools/commands/check.h): a queue history judged by
// check_delivery (sim/check/delivery.h), printed as text or JSON.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "sim/check/delivery.h"
#include "sim/check/edn_reader.h"
#include "sim/history.h"
#include "tools/commands/check.h"

namespace capsim::tools {

// The options --guarantees and --drained ask for. Returns nullopt after writing
// `capsim check: error: ...` to `err` when --guarantees names an unknown guarantee.
std::optional<DeliveryOptions> delivery_options(const CheckOptions& options, std::ostream& err);

// Runs the delivery check and prints it; `how` says how the check was chosen. A malformed
// history leaves the problem ("event N: ...") in `error` and prints nothing. Returns the exit
// status of check_command.
int run_delivery_check(const CheckOptions& options, const DeliveryOptions& delivery,
                       const History& history, const HistoryReadStats& stats,
                       const std::string& how, std::ostream& out, std::string& error);

}  // namespace capsim::tools
