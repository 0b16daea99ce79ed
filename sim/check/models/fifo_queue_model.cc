// fifo-queue: a first-in first-out queue, empty at first. enqueue x adds at the back; dequeue
// takes the front and returns it (an ok dequeue that returns nil found the queue empty). The
// state is the id of the queue's contents, front first.
#include <memory>

#include "sim/check/models/builtin_models.h"
#include "sim/check/models/ids.h"

namespace capsim::models {
namespace {

struct QueueOp {
  bool is_enqueue;
  bool known;
  std::uint32_t item;  // enqueue: the value's id; dequeue: the id of the value returned
};

class QueueMachine final : public ModelMachine {
 public:
  QueueMachine(std::vector<QueueOp> compiled, ValueIds values)
      : compiled_(std::move(compiled)), values_(std::move(values)) {}

  ModelState initial_state() override { return 0; }

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    bool legal = true;
    if (memo_.find(state, op, legal, next)) return legal;
    const QueueOp& o = compiled_[op];
    std::vector<std::uint32_t> items = queues_.sequence(static_cast<std::uint32_t>(state));
    next = state;
    if (o.is_enqueue) {
      items.push_back(o.item);
      next = queues_.id_of(items);
    } else if (o.known && o.item == 0) {
      legal = items.empty();  // nil: it found the queue empty
    } else if (items.empty() || (o.known && items.front() != o.item)) {
      legal = false;
    } else {
      items.erase(items.begin());
      next = queues_.id_of(items);
    }
    memo_.remember(state, op, legal, next);
    return legal;
  }

  bool is_read_only(std::uint32_t) const override { return false; }

  std::string describe_state(ModelState state) const override {
    if (queues_.sequence(static_cast<std::uint32_t>(state)).empty()) return "the queue is empty";
    return "the queue holds " + text(state) + " (front first)";
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    const QueueOp& o = compiled_[op];
    if (o.known && o.item == 0) return "it found the queue empty, but " + describe_state(state);
    if (queues_.sequence(static_cast<std::uint32_t>(state)).empty()) {
      return "it dequeued " + shorten(values_.value(o.item).to_text()) + ", but the queue is empty";
    }
    return "it dequeued " + shorten(values_.value(o.item).to_text()) + ", but the front is " +
           shorten(values_.value(queues_.sequence(static_cast<std::uint32_t>(state)).front())
                       .to_text());
  }

 private:
  std::string text(std::uint64_t queue) const {
    Value::List items;
    for (std::uint32_t id : queues_.sequence(static_cast<std::uint32_t>(queue))) {
      items.push_back(values_.value(id));
    }
    return shorten(Value(std::move(items)).to_text());
  }

  std::vector<QueueOp> compiled_;
  ValueIds values_;
  SequenceIds queues_;
  TransitionMemo memo_;
};

class FifoQueueModel final : public Model {
 public:
  std::string_view name() const override { return "fifo-queue"; }
  std::string_view summary() const override {
    return "enqueue x and dequeue (returns the front; nil when empty) of a FIFO queue";
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    ValueIds values;
    std::vector<QueueOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      QueueOp o{false, op.is_known(), 0};
      if (op.f == "enqueue") {
        if (op.input.is_nil()) {
          error = operation_error(op, "enqueue needs a value, got nil");
          return nullptr;
        }
        o.is_enqueue = true;
        o.item = values.id_of(op.input);
      } else if (op.f == "dequeue") {
        o.item = values.id_of(op.output);
      } else {
        error = unknown_f_error(op, name(), {"enqueue", "dequeue"});
        return nullptr;
      }
      compiled.push_back(o);
    }
    return std::make_unique<QueueMachine>(std::move(compiled), std::move(values));
  }
};

}  // namespace

const Model& fifo_queue_model() {
  static const FifoQueueModel model;
  return model;
}

}  // namespace capsim::models
