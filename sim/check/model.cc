#include "sim/check/model.h"

#include <algorithm>
#include <array>

#include "sim/check/models/builtin_models.h"

namespace capsim {
namespace {

std::array<const Model*, 9> builtin_models() {
  return {
      &models::register_model(),   &models::cas_register_model(), &models::kv_model(),
      &models::kv_append_model(),  &models::counter_model(),      &models::set_model(),
      &models::fifo_queue_model(), &models::mutex_model(),        &models::multi_register_model()};
}

}  // namespace

const Model* find_model(std::string_view name) {
  for (const Model* model : builtin_models()) {
    if (model->name() == name) return model;
  }
  return nullptr;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const Model* model : builtin_models()) names.emplace_back(model->name());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace capsim
