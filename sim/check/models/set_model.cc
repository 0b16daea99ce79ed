// set: a set of values, empty at first, grown by add x and observed whole by read. The state is
// the id of the sorted list of member ids. A read that returned nil saw the empty set (a store
// keeps no value for a key nothing was added to).
#include <algorithm>
#include <memory>

#include "sim/check/models/builtin_models.h"
#include "sim/check/models/ids.h"

namespace capsim::models {
namespace {

struct SetOp {
  bool is_add;
  bool known;
  std::uint32_t item;  // add: the member's value id; read: the id of the set returned
};

class SetMachine final : public ModelMachine {
 public:
  SetMachine(std::vector<SetOp> compiled, ValueIds values, SequenceIds sets)
      : compiled_(std::move(compiled)), values_(std::move(values)), sets_(std::move(sets)) {}

  ModelState initial_state() override { return 0; }

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    const SetOp& o = compiled_[op];
    if (!o.is_add) {
      next = state;
      return !o.known || state == o.item;
    }
    bool legal = true;
    if (memo_.find(state, op, legal, next)) return legal;
    std::vector<std::uint32_t> members = sets_.sequence(static_cast<std::uint32_t>(state));
    auto at = std::lower_bound(members.begin(), members.end(), o.item);
    if (at == members.end() || *at != o.item) members.insert(at, o.item);
    next = sets_.id_of(members);
    memo_.remember(state, op, true, next);
    return true;
  }

  bool is_read_only(std::uint32_t op) const override { return !compiled_[op].is_add; }
  bool constrains(std::uint32_t op) const override { return is_read_only(op); }

  std::string describe_state(ModelState state) const override {
    return "the set holds " + text(state);
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    return "it returned " + text(compiled_[op].item) + ", but the set holds " + text(state);
  }

 private:
  std::string text(std::uint64_t set) const {
    Value::List members;
    for (std::uint32_t id : sets_.sequence(static_cast<std::uint32_t>(set))) {
      members.push_back(values_.value(id));
    }
    std::sort(members.begin(), members.end());
    return shorten(Value(std::move(members)).to_text());
  }

  std::vector<SetOp> compiled_;
  ValueIds values_;
  SequenceIds sets_;
  TransitionMemo memo_;
};

class SetModel final : public Model {
 public:
  std::string_view name() const override { return "set"; }
  std::string_view summary() const override {
    return "add x and read of the whole set (a list of members, in any order)";
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    ValueIds values;
    SequenceIds sets;
    std::vector<SetOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      SetOp o{false, op.is_known(), 0};
      if (op.f == "add") {
        o.is_add = true;
        o.item = values.id_of(op.input);
      } else if (op.f == "read") {
        if (op.is_known() && !op.output.is_nil()) {
          if (!op.output.is_list()) {
            error = operation_error(op, "read must return a list, got " + op.output.to_text());
            return nullptr;
          }
          std::vector<std::uint32_t> members;
          for (const Value& member : op.output.list()) members.push_back(values.id_of(member));
          std::sort(members.begin(), members.end());
          members.erase(std::unique(members.begin(), members.end()), members.end());
          o.item = sets.id_of(members);
        }
      } else {
        error = unknown_f_error(op, name(), {"add", "read"});
        return nullptr;
      }
      compiled.push_back(o);
    }
    return std::make_unique<SetMachine>(std::move(compiled), std::move(values), std::move(sets));
  }
};

}  // namespace

const Model& set_model() {
  static const SetModel model;
  return model;
}

}  // namespace capsim::models
