// register, cas-register and kv: one register holding a value (nil before the first write).
// The state is the id of the value held, so a step is a comparison or two.
#include <memory>

#include "sim/check/models/builtin_models.h"
#include "sim/check/models/ids.h"

namespace capsim::models {
namespace {

enum class RegisterOpKind : std::uint8_t { kRead, kWrite, kCas };

struct RegisterOp {
  RegisterOpKind kind;
  bool known;       // completed ok: a read's result is known
  std::uint32_t a;  // read: the value returned; write: the value written; cas: expected
  std::uint32_t b;  // cas: the new value
};

class RegisterMachine final : public ModelMachine {
 public:
  RegisterMachine(std::span<const Operation> ops, std::vector<RegisterOp> compiled, ValueIds values)
      : ops_(ops), compiled_(std::move(compiled)), values_(std::move(values)) {}

  ModelState initial_state() override { return 0; }  // nil

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    const RegisterOp& o = compiled_[op];
    switch (o.kind) {
      case RegisterOpKind::kRead: next = state; return !o.known || state == o.a;
      case RegisterOpKind::kWrite: next = o.a; return true;
      case RegisterOpKind::kCas:
        // A cas that found another value has no effect, the same as never happening, which
        // the checker already covers for unknown outcomes; so only the success is a step.
        next = o.b;
        return state == o.a;
    }
    return false;
  }

  bool is_read_only(std::uint32_t op) const override {
    return compiled_[op].kind == RegisterOpKind::kRead;
  }

  bool constrains(std::uint32_t op) const override {
    return compiled_[op].kind != RegisterOpKind::kWrite;
  }

  std::string describe_state(ModelState state) const override {
    return "the register holds " + text(state);
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    const RegisterOp& o = compiled_[op];
    if (o.kind == RegisterOpKind::kRead) {
      return "it returned " + text(o.a) + ", but the register holds " + text(state);
    }
    if (o.kind == RegisterOpKind::kCas) {
      return "it expected " + text(o.a) + ", but the register holds " + text(state);
    }
    return "it cannot take effect";
  }

  std::string describe_missing_cause(std::uint32_t op) const override {
    const RegisterOp& o = compiled_[op];
    const bool needs_value =
        o.kind == RegisterOpKind::kCas || (o.kind == RegisterOpKind::kRead && o.known);
    if (!needs_value || o.a == 0) return "";
    const std::uint64_t deadline = ops_[op].complete_index.value_or(UINT64_MAX);
    for (std::size_t i = 0; i < compiled_.size(); ++i) {
      const RegisterOp& w = compiled_[i];
      const bool writes = (w.kind == RegisterOpKind::kWrite && w.a == o.a) ||
                          (w.kind == RegisterOpKind::kCas && w.b == o.a);
      if (writes && i != op && ops_[i].invoke_index < deadline) return "";
    }
    return "no operation that writes " + text(o.a) + " was invoked before it completed";
  }

 private:
  std::string text(std::uint64_t id) const {
    return shorten(values_.value(static_cast<std::uint32_t>(id)).to_text());
  }

  std::span<const Operation> ops_;
  std::vector<RegisterOp> compiled_;
  ValueIds values_;
};

class RegisterModel : public Model {
 public:
  RegisterModel(std::string_view name, std::string_view summary, bool has_cas, bool keyed)
      : name_(name), summary_(summary), has_cas_(has_cas), keyed_(keyed) {}

  std::string_view name() const override { return name_; }
  std::string_view summary() const override { return summary_; }

  bool extract_key(Operation& op, std::string& error) const override {
    if (!keyed_ || op.key) return true;
    // Jepsen's independent keys: the value is a [key value] tuple, in the invoke and the ok.
    if (!op.input.is_list() || op.input.list().size() != 2) {
      error = operation_error(
          op, "model " + name_ + " needs a key or a [key value] tuple, got " + op.input.to_text());
      return false;
    }
    op.key = key_text(op.input.list()[0]);
    Value input = op.input.list()[1];
    op.input = std::move(input);
    if (op.output.is_list() && op.output.list().size() == 2) {
      Value output = op.output.list()[1];
      op.output = std::move(output);
    }
    return true;
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    ValueIds values;
    std::vector<RegisterOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      RegisterOp o{RegisterOpKind::kRead, op.is_known(), 0, 0};
      if (op.f == "read") {
        o.a = values.id_of(op.output);
      } else if (op.f == "write") {
        o.kind = RegisterOpKind::kWrite;
        o.a = values.id_of(op.input);
      } else if (op.f == "cas" && has_cas_) {
        if (!op.input.is_list() || op.input.list().size() != 2) {
          error = operation_error(op, "cas needs [expected new], got " + op.input.to_text());
          return nullptr;
        }
        o.kind = RegisterOpKind::kCas;
        o.a = values.id_of(op.input.list()[0]);
        o.b = values.id_of(op.input.list()[1]);
      } else {
        error = unknown_f_error(op, name_,
                                has_cas_ ? std::vector<std::string>{"read", "write", "cas"}
                                         : std::vector<std::string>{"read", "write"});
        return nullptr;
      }
      compiled.push_back(o);
    }
    return std::make_unique<RegisterMachine>(ops, std::move(compiled), std::move(values));
  }

 private:
  std::string name_;
  std::string summary_;
  bool has_cas_;
  bool keyed_;
};

}  // namespace

const Model& register_model() {
  static const RegisterModel model("register", "read and write of one register (nil at first)",
                                   /*has_cas=*/false, /*keyed=*/false);
  return model;
}

const Model& cas_register_model() {
  static const RegisterModel model(
      "cas-register", "read, write and cas [expected new] of one register (nil at first)",
      /*has_cas=*/true, /*keyed=*/false);
  return model;
}

const Model& kv_model() {
  static const RegisterModel model(
      "kv", "a cas-register per key; the key is the operation's key or a [key value] tuple",
      /*has_cas=*/true, /*keyed=*/true);
  return model;
}

}  // namespace capsim::models
