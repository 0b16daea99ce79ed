// counter: an integer starting at 0, changed by add n and observed by read. The state is the
// count itself (two's complement in the 64-bit state). `increment n` is another name for
// `add n` (the counter workload's), and a read that returned nil saw a count never changed,
// so it reads 0 (a store keeps no value for a key that was never incremented).
#include <memory>

#include "sim/check/models/builtin_models.h"

namespace capsim::models {
namespace {

struct CounterOp {
  bool is_add;
  bool known;
  std::uint64_t amount;  // add: the amount; read: the count returned
};

class CounterMachine final : public ModelMachine {
 public:
  explicit CounterMachine(std::vector<CounterOp> compiled) : compiled_(std::move(compiled)) {}

  ModelState initial_state() override { return 0; }

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    const CounterOp& o = compiled_[op];
    if (o.is_add) {
      // Unsigned arithmetic wraps like the two's complement sum, with no undefined overflow.
      next = state + o.amount;
      return true;
    }
    next = state;
    return !o.known || state == o.amount;
  }

  bool is_read_only(std::uint32_t op) const override { return !compiled_[op].is_add; }
  bool constrains(std::uint32_t op) const override { return is_read_only(op); }

  std::string describe_state(ModelState state) const override {
    return "the counter is " + std::to_string(static_cast<std::int64_t>(state));
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    return "it returned " + std::to_string(static_cast<std::int64_t>(compiled_[op].amount)) +
           ", but the counter is " + std::to_string(static_cast<std::int64_t>(state));
  }

 private:
  std::vector<CounterOp> compiled_;
};

class CounterModel final : public Model {
 public:
  std::string_view name() const override { return "counter"; }
  std::string_view summary() const override {
    return "add n (or increment n) and read of a counter starting at 0";
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    std::vector<CounterOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      CounterOp o{false, op.is_known(), 0};
      if (op.f == "add" || op.f == "increment") {
        if (!op.input.is_integer()) {
          error = operation_error(op, op.f + " needs an integer, got " + op.input.to_text());
          return nullptr;
        }
        o.is_add = true;
        o.amount = static_cast<std::uint64_t>(op.input.integer());
      } else if (op.f == "read") {
        if (op.is_known() && !op.output.is_nil()) {
          if (!op.output.is_integer()) {
            error = operation_error(op, "read must return an integer, got " + op.output.to_text());
            return nullptr;
          }
          o.amount = static_cast<std::uint64_t>(op.output.integer());
        }
      } else {
        error = unknown_f_error(op, name(), {"add", "increment", "read"});
        return nullptr;
      }
      compiled.push_back(o);
    }
    return std::make_unique<CounterMachine>(std::move(compiled));
  }
};

}  // namespace

const Model& counter_model() {
  static const CounterModel model;
  return model;
}

}  // namespace capsim::models
