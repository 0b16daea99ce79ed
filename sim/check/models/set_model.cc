// set: a set of values, empty at first, grown by add x and observed whole by read. The state is
// the id of the sorted list of member ids. A read that returned nil saw the empty set (a store
// keeps no value for a key nothing was added to).
#include <algorithm>
#include <iterator>
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
    const std::size_t size = sets_.sequence(static_cast<std::uint32_t>(state)).size();
    if (size > kWholeSetShown) return "the set holds " + std::to_string(size) + " elements";
    return "the set holds " + text(state);
  }

  // A long set cut short would hide the one element that matters, so the words name the
  // difference: what the read lacks and what it holds that the set does not.
  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    const Value::List read = members(compiled_[op].item);
    const Value::List held = members(state);
    Value::List lacking, extra;
    std::set_difference(held.begin(), held.end(), read.begin(), read.end(),
                        std::back_inserter(lacking));
    std::set_difference(read.begin(), read.end(), held.begin(), held.end(),
                        std::back_inserter(extra));
    std::string words = "it returned " + text(compiled_[op].item);
    if (!lacking.empty()) words += ", without " + element_list(lacking) + ", which the set holds";
    if (!extra.empty()) {
      words += std::string(lacking.empty() ? ", " : ", and ") + "with " + element_list(extra) +
               ", which the set does not hold";
    }
    return words;
  }

 private:
  // How many elements a set in words shows before it is given as a count, and how many
  // elements of a difference are named before "and N more".
  static constexpr std::size_t kWholeSetShown = 8;
  static constexpr std::size_t kElementsNamed = 50;

  Value::List members(std::uint64_t set) const {
    Value::List list;
    for (std::uint32_t id : sets_.sequence(static_cast<std::uint32_t>(set))) {
      list.push_back(values_.value(id));
    }
    std::sort(list.begin(), list.end());
    return list;
  }

  // "[1 3]", or "a set of 57 elements" when longer than kWholeSetShown.
  std::string text(std::uint64_t set) const {
    Value::List list = members(set);
    if (list.size() > kWholeSetShown) return "a set of " + std::to_string(list.size()) + " elements";
    return shorten(Value(std::move(list)).to_text());
  }

  // "2", "2 and 5", "2, 5 and 9", or past kElementsNamed "2, 5, ... and 7 more".
  static std::string element_list(const Value::List& elements) {
    std::string words;
    const std::size_t named = std::min(elements.size(), kElementsNamed);
    for (std::size_t i = 0; i < named; ++i) {
      const bool last = i + 1 == named && named == elements.size();
      words += (i == 0 ? "" : last ? " and " : ", ") + shorten(elements[i].to_text());
    }
    if (named < elements.size()) {
      words += " and " + std::to_string(elements.size() - named) + " more";
    }
    return words;
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
