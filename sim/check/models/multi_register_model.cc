// multi-register: several registers (0 at first, as in Knossos's multi-register tests) read and
// written together by transactions: `:txn` with a list of micro-operations [:r k v] and
// [:w k v] (also spelled :read and :write) applied in order. An ok transaction's completion
// value holds what its reads returned; for one with an unknown outcome only its writes matter.
// The state is the id of the list of register values, one per key in order of first appearance.
#include <memory>

#include "sim/check/models/builtin_models.h"
#include "sim/check/models/ids.h"

namespace capsim::models {
namespace {

struct MicroOp {
  bool is_write;
  std::uint32_t key;    // register slot
  std::uint32_t value;  // value id
};

struct TxnOp {
  std::vector<MicroOp> micro_ops;
  bool writes = false;
};

class MultiRegisterMachine final : public ModelMachine {
 public:
  MultiRegisterMachine(std::vector<TxnOp> compiled, ValueIds keys, ValueIds values)
      : compiled_(std::move(compiled)), keys_(std::move(keys)), values_(std::move(values)) {
    initial_ =
        registers_.id_of(std::vector<std::uint32_t>(keys_.size() - 1, values_.id_of(Value(0))));
  }

  ModelState initial_state() override { return initial_; }

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    bool legal = true;
    if (memo_.find(state, op, legal, next)) return legal;
    std::vector<std::uint32_t> registers = registers_.sequence(static_cast<std::uint32_t>(state));
    for (const MicroOp& micro : compiled_[op].micro_ops) {
      if (micro.is_write) {
        registers[micro.key] = micro.value;
      } else if (registers[micro.key] != micro.value) {
        legal = false;
        break;
      }
    }
    next = legal ? registers_.id_of(registers) : state;
    memo_.remember(state, op, legal, next);
    return legal;
  }

  bool is_read_only(std::uint32_t op) const override { return !compiled_[op].writes; }

  std::string describe_state(ModelState state) const override {
    const auto& registers = registers_.sequence(static_cast<std::uint32_t>(state));
    std::string text = "the registers hold ";
    for (std::size_t k = 0; k < registers.size(); ++k) {
      if (k != 0) text += ", ";
      text += key_text(keys_.value(static_cast<std::uint32_t>(k + 1))) + "=" +
              shorten(values_.value(registers[k]).to_text());
    }
    return text;
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    std::vector<std::uint32_t> registers = registers_.sequence(static_cast<std::uint32_t>(state));
    for (const MicroOp& micro : compiled_[op].micro_ops) {
      if (micro.is_write) {
        registers[micro.key] = micro.value;
      } else if (registers[micro.key] != micro.value) {
        const std::string key = key_text(keys_.value(micro.key + 1));
        return "its read of " + key + " returned " + shorten(values_.value(micro.value).to_text()) +
               ", but " + key + " holds " + shorten(values_.value(registers[micro.key]).to_text());
      }
    }
    return "it cannot take effect";
  }

 private:
  std::vector<TxnOp> compiled_;
  ValueIds keys_;  // slot k holds the key with id k + 1 (id 0 is nil, never a key)
  ValueIds values_;
  SequenceIds registers_;
  TransitionMemo memo_;
  ModelState initial_ = 0;
};

bool compile_txn(const Operation& op, ValueIds& keys, ValueIds& values, TxnOp& txn,
                 std::string& error) {
  // An ok transaction's reads are in its completion; otherwise only the invoke's writes count.
  const Value& micro_ops = op.is_known() ? op.output : op.input;
  if (!micro_ops.is_list()) {
    error = operation_error(op, "txn needs a list of [f key value], got " + micro_ops.to_text());
    return false;
  }
  for (const Value& micro : micro_ops.list()) {
    const bool well_formed = micro.is_list() && micro.list().size() == 3 &&
                             micro.list()[0].is_string() && !micro.list()[1].is_nil();
    const std::string f = well_formed ? micro.list()[0].string() : "";
    const bool is_write = f == "w" || f == "write";
    if (!is_write && f != "r" && f != "read") {
      error = operation_error(
          op, "txn micro-operation must be [r key value] or [w key value], got " + micro.to_text());
      return false;
    }
    if (!is_write && !op.is_known()) continue;
    // Slot = key id - 1, since id 0 is nil.
    const std::uint32_t key = keys.id_of(micro.list()[1]) - 1;
    txn.micro_ops.push_back(MicroOp{is_write, key, values.id_of(micro.list()[2])});
    txn.writes = txn.writes || is_write;
  }
  return true;
}

class MultiRegisterModel final : public Model {
 public:
  std::string_view name() const override { return "multi-register"; }
  std::string_view summary() const override {
    return "txn of [r key value] and [w key value] over several registers (0 at first)";
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    ValueIds keys;
    ValueIds values;
    std::vector<TxnOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      if (op.f != "txn") {
        error = unknown_f_error(op, name(), {"txn"});
        return nullptr;
      }
      TxnOp txn;
      if (!compile_txn(op, keys, values, txn, error)) return nullptr;
      compiled.push_back(std::move(txn));
    }
    return std::make_unique<MultiRegisterMachine>(std::move(compiled), std::move(keys),
                                                  std::move(values));
  }
};

}  // namespace

const Model& multi_register_model() {
  static const MultiRegisterModel model;
  return model;
}

}  // namespace capsim::models
