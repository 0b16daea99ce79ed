// The built-in models. Each lives in its own file; the registry in model.cc lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/check/model.h"

namespace capsim::models {

const Model& register_model();        // read / write
const Model& cas_register_model();    // read / write / cas [expected new]
const Model& kv_model();              // a cas-register per key
const Model& kv_append_model();       // get / put / append of strings per key
const Model& counter_model();         // add n / read
const Model& set_model();             // add x / read of the whole set
const Model& fifo_queue_model();      // enqueue x / dequeue
const Model& mutex_model();           // acquire / release
const Model& multi_register_model();  // txn of [:r k v] and [:w k v] over several registers

// "event 12: TEXT": errors about one operation name its invoke event.
std::string operation_error(const Operation& op, std::string_view text);

// "event 12: model cas-register has no operation 'incr' (expected read, write or cas)".
std::string unknown_f_error(const Operation& op, std::string_view model,
                            const std::vector<std::string>& expected);

}  // namespace capsim::models
