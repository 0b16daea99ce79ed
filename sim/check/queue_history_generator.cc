#include "sim/check/queue_history_generator.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/assert.h"
#include "sim/queue_fields.h"

namespace capsim {
namespace {

class Writer {
 public:
  Writer(Rng& rng, History& history) : rng_(rng), history_(history) {}

  // One operation, its invoke (carrying `input`) then its completion (carrying `output`), a few
  // microseconds apart.
  void op(std::uint64_t process, const char* f, Value input, Value output, OpType outcome,
          std::shared_ptr<const QueueFields> fields, std::shared_ptr<const QueueFields> done,
          std::optional<std::string> key = std::nullopt) {
    HistoryEvent event;
    event.process = process;
    event.f = f;
    event.key = std::move(key);
    event.node = "b1";
    event.queue = std::move(fields);
    event.value = std::move(input);
    emit(event);
    event.type = outcome;
    event.queue = std::move(done);
    event.value = std::move(output);
    if (outcome == OpType::kInfo) event.error = "timeout";
    emit(std::move(event));
  }

 private:
  void emit(HistoryEvent event) {
    now_ += kMicrosecond * rng_.between(1, 100);
    event.time = now_;
    history_.add(std::move(event));
  }

  Rng& rng_;
  History& history_;
  Time now_{0};
};

// The queue fields the generated events carry, one shared copy each.
class Fields {
 public:
  const std::shared_ptr<const QueueFields>& queue() { return queue_; }
  const std::shared_ptr<const QueueFields>& attempt(std::uint32_t n) {
    while (attempts_.size() <= n) {
      QueueFields f = *queue_;
      f.attempt = static_cast<std::uint32_t>(attempts_.size());
      attempts_.push_back(std::make_shared<const QueueFields>(std::move(f)));
    }
    return attempts_[n];
  }
  // A receive's ok listing `count` messages, each delivered for the second time.
  const std::shared_ptr<const QueueFields>& redelivered(std::size_t count) {
    if (redelivered_.size() <= count) redelivered_.resize(count + 1);
    if (!redelivered_[count]) {
      QueueFields f = *queue_;
      f.delivery_counts.assign(count, 2);
      redelivered_[count] = std::make_shared<const QueueFields>(std::move(f));
    }
    return redelivered_[count];
  }

 private:
  std::shared_ptr<const QueueFields> queue_ =
      std::make_shared<const QueueFields>(QueueFields{"orders", 0, {}, {}, ""});
  std::vector<std::shared_ptr<const QueueFields>> attempts_;
  std::vector<std::shared_ptr<const QueueFields>> redelivered_;
};

}  // namespace

History generate_queue_history(Rng& rng, const QueueHistorySpec& spec) {
  CAPSIM_ASSERT(spec.messages > 0 && spec.keys > 0 && spec.producers > 0 && spec.consumers > 0 &&
                spec.batch > 0);
  History history;
  Writer writer(rng, history);
  Fields fields;
  std::vector<std::uint64_t> producers(spec.producers);
  for (std::size_t p = 0; p < spec.producers; ++p) producers[p] = p;
  const std::uint64_t first_consumer = spec.producers;
  const std::uint64_t drainer = spec.producers + spec.consumers;
  std::uint64_t next_process = drainer + 1;  // for producers retired after a timeout
  for (std::size_t first = 1; first <= spec.messages; first += spec.batch) {
    Value::List batch;
    for (std::size_t id = first; id < first + spec.batch && id <= spec.messages; ++id) {
      const Value message(static_cast<std::int64_t>(id));
      const std::string key = "k" + std::to_string(id % spec.keys);
      std::uint64_t& producer = producers[id % spec.producers];
      for (std::uint32_t attempt = 1;; ++attempt) {
        const bool times_out = rng.chance(spec.info_per_mille, 1000);
        writer.op(producer, "send", message, message, times_out ? OpType::kInfo : OpType::kOk,
                  fields.attempt(attempt), fields.attempt(attempt), key);
        if (!times_out) break;
        producer = next_process++;  // a process whose operation timed out retires
      }
      batch.push_back(message);
    }
    const std::size_t round = first / spec.batch;
    const std::uint64_t consumer = first_consumer + round % spec.consumers;
    writer.op(consumer, "receive", Value(), Value(batch), OpType::kOk, fields.queue(),
              fields.queue());
    for (const Value& message : batch) {
      writer.op(consumer, "effect", message, message, OpType::kOk, fields.queue(), fields.queue());
    }
    writer.op(consumer, "ack", Value(batch), Value(batch), OpType::kOk, fields.queue(),
              fields.queue());
    if (rng.chance(spec.redeliver_per_mille, 1000)) {
      // Redelivered to the next consumer, which has applied these effects before (its dedup
      // table says so) and only acks them again.
      const std::uint64_t other = first_consumer + (round + 1) % spec.consumers;
      writer.op(other, "receive", Value(), Value(batch), OpType::kOk, fields.queue(),
                fields.redelivered(batch.size()));
      writer.op(other, "ack", Value(batch), Value(batch), OpType::kOk, fields.queue(),
                fields.queue());
    }
  }
  writer.op(drainer, "drain", Value(), Value(Value::List{}), OpType::kOk, fields.queue(),
            fields.queue());
  return history;
}

}  // namespace capsim
