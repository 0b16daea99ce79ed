// Builds a queue history by hand (the operations of sim/queue_fields.h), each operation given by
// its start and end in milliseconds, for the delivery check's tests. Events are put in time
// order; events at the same instant keep the order in which they were given.
//
//   QueueHistoryBuilder q;
//   q.send(1, 412, 10, 20);                        // acknowledged by b1 at 20ms
//   q.send(2, 413, 10, 30, OpType::kInfo);         // timed out
//   q.receive(5, {412}, 40, 50);                   // delivered to process 5
//   q.drain(9, {}, 900, 910);                      // the queue found empty
//   History history = q.history();
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/history.h"
#include "sim/queue_fields.h"
#include "sim/value.h"

namespace capsim::testing {

class QueueHistoryBuilder {
 public:
  // Where the next operations go, and the node that answers them.
  QueueHistoryBuilder& on_queue(std::string queue) {
    queue_ = std::move(queue);
    return *this;
  }
  QueueHistoryBuilder& answered_by(std::string node) {
    node_ = std::move(node);
    return *this;
  }

  // One attempt to send `id` (partition key `key`), completing in `type` at end_ms; pending at
  // the end when end_ms is absent. `attempt` 0 leaves the field out.
  QueueHistoryBuilder& send(std::uint64_t process, Value id, int start_ms,
                            std::optional<int> end_ms, OpType type = OpType::kOk,
                            std::optional<std::string> key = std::nullopt,
                            std::uint32_t attempt = 0) {
    QueueFields fields;
    fields.attempt = attempt;
    op(process, "send", std::move(key), id, id, start_ms, end_ms, type, fields, fields);
    if (type == OpType::kFail) events_.back().error = "refused";
    return *this;
  }

  // A receive (f "receive") that delivered `ids` in order, or ended in `type`.
  QueueHistoryBuilder& receive(std::uint64_t process, Value::List ids, int start_ms,
                               std::optional<int> end_ms, OpType type = OpType::kOk,
                               std::vector<std::uint32_t> delivery_counts = {},
                               std::vector<bool> redelivered = {}) {
    QueueFields done;
    done.delivery_counts = std::move(delivery_counts);
    done.redelivered = std::move(redelivered);
    return op(process, "receive", std::nullopt, Value(), Value(std::move(ids)), start_ms, end_ms,
              type, QueueFields{}, done);
  }
  QueueHistoryBuilder& drain(std::uint64_t process, Value::List ids, int start_ms,
                             std::optional<int> end_ms, OpType type = OpType::kOk) {
    return op(process, "drain", std::nullopt, Value(), Value(std::move(ids)), start_ms, end_ms,
              type, QueueFields{}, QueueFields{});
  }
  QueueHistoryBuilder& ack(std::uint64_t process, Value::List ids, int start_ms, int end_ms,
                           OpType type = OpType::kOk) {
    const Value value(std::move(ids));
    return op(process, "ack", std::nullopt, value, value, start_ms, end_ms, type, QueueFields{},
              QueueFields{});
  }
  QueueHistoryBuilder& effect(std::uint64_t process, Value id, int start_ms,
                              std::optional<int> end_ms, OpType type = OpType::kOk) {
    return op(process, "effect", std::nullopt, id, id, start_ms, end_ms, type, QueueFields{},
              QueueFields{});
  }
  QueueHistoryBuilder& dead_letter(std::uint64_t process, Value::List ids, int start_ms,
                                   int end_ms, std::string reason) {
    QueueFields fields;
    fields.reason = std::move(reason);
    const Value value(std::move(ids));
    return op(process, "dead-letter", std::nullopt, value, value, start_ms, end_ms, OpType::kOk,
              fields, fields);
  }
  QueueHistoryBuilder& expire(std::uint64_t process, Value::List ids, int start_ms, int end_ms) {
    const Value value(std::move(ids));
    return op(process, "expire", std::nullopt, value, value, start_ms, end_ms, OpType::kOk,
              QueueFields{}, QueueFields{});
  }
  // Any other operation (a kv read, say), ok.
  QueueHistoryBuilder& other(std::uint64_t process, std::string f, Value value, int start_ms,
                             int end_ms) {
    return op(process, std::move(f), std::string("k1"), value, value, start_ms, end_ms,
              OpType::kOk, QueueFields{}, QueueFields{});
  }

  History history() const {
    std::vector<HistoryEvent> sorted = events_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const HistoryEvent& a, const HistoryEvent& b) { return a.time < b.time; });
    History history;
    for (HistoryEvent& event : sorted) history.add(std::move(event));
    return history;
  }

 private:
  static Time ms(int value) { return Time{std::int64_t{value} * 1'000'000}; }

  std::shared_ptr<const QueueFields> fields_with_queue(QueueFields fields) const {
    fields.queue = queue_;
    if (fields.empty()) return nullptr;
    return std::make_shared<const QueueFields>(std::move(fields));
  }

  QueueHistoryBuilder& op(std::uint64_t process, std::string f, std::optional<std::string> key,
                          Value input, Value output, int start_ms, std::optional<int> end_ms,
                          OpType type, QueueFields invoke_fields, QueueFields done_fields) {
    HistoryEvent invoke;
    invoke.time = ms(start_ms);
    invoke.process = process;
    invoke.type = OpType::kInvoke;
    invoke.f = std::move(f);
    invoke.key = std::move(key);
    invoke.value = input;
    invoke.node = node_;
    invoke.queue = fields_with_queue(std::move(invoke_fields));
    events_.push_back(invoke);
    if (!end_ms) return *this;
    HistoryEvent done = invoke;
    done.time = ms(*end_ms);
    done.type = type;
    done.value = type == OpType::kOk ? std::move(output) : std::move(input);
    if (type != OpType::kOk) done_fields = QueueFields{};
    done.queue = fields_with_queue(std::move(done_fields));
    if (type == OpType::kInfo) done.error = "timeout";
    events_.push_back(std::move(done));
    return *this;
  }

  std::string queue_;
  std::string node_ = "b1";
  std::vector<HistoryEvent> events_;
};

}  // namespace capsim::testing
