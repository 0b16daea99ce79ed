#include "sim/check/models/builtin_models.h"

#include "sim/diagnostics.h"

namespace capsim::models {

std::string operation_error(const Operation& op, std::string_view text) {
  return "event " + std::to_string(op.invoke_index) + ": " + std::string(text);
}

std::string unknown_f_error(const Operation& op, std::string_view model,
                            const std::vector<std::string>& expected) {
  return operation_error(op, "model " + std::string(model) + " has no operation '" + op.f +
                                 "' (expected " + join_choices(expected) + ")");
}

}  // namespace capsim::models
