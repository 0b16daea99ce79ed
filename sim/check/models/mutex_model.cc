// mutex: a lock that is free or held. acquire takes a free lock, release frees a held one; who
// holds it is not tracked (as in Knossos's mutex model).
#include <memory>

#include "sim/check/models/builtin_models.h"

namespace capsim::models {
namespace {

class MutexMachine final : public ModelMachine {
 public:
  explicit MutexMachine(std::vector<bool> acquires) : acquires_(std::move(acquires)) {}

  ModelState initial_state() override { return 0; }  // free

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    const bool acquire = acquires_[op];
    next = acquire ? 1 : 0;
    return state == (acquire ? 0U : 1U);
  }

  bool is_read_only(std::uint32_t) const override { return false; }

  std::string describe_state(ModelState state) const override {
    return state != 0 ? "the lock is held" : "the lock is free";
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    if (acquires_[op]) return "it acquired the lock, but the lock is already held";
    return state != 0 ? "it cannot take effect" : "it released the lock, but the lock is free";
  }

 private:
  std::vector<bool> acquires_;
};

class MutexModel final : public Model {
 public:
  std::string_view name() const override { return "mutex"; }
  std::string_view summary() const override { return "acquire and release of one lock"; }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    std::vector<bool> acquires;
    acquires.reserve(ops.size());
    for (const Operation& op : ops) {
      if (op.f != "acquire" && op.f != "release") {
        error = unknown_f_error(op, name(), {"acquire", "release"});
        return nullptr;
      }
      acquires.push_back(op.f == "acquire");
    }
    return std::make_unique<MutexMachine>(std::move(acquires));
  }
};

}  // namespace

const Model& mutex_model() {
  static const MutexModel model;
  return model;
}

}  // namespace capsim::models
