#include "sim/check/delivery_ledger.h"

#include <unordered_map>

namespace capsim {

QueueOp queue_op_of(std::string_view f) {
  if (f == "send" || f == "enqueue") return QueueOp::kSend;
  if (f == "receive" || f == "poll" || f == "dequeue") return QueueOp::kReceive;
  if (f == "drain") return QueueOp::kDrain;
  if (f == "ack" || f == "commit") return QueueOp::kAck;
  if (f == "effect") return QueueOp::kEffect;
  if (f == "dead-letter") return QueueOp::kDeadLetter;
  if (f == "expire") return QueueOp::kExpire;
  return QueueOp::kNone;
}

std::optional<std::uint64_t> MessageRecord::first_ack() const {
  std::optional<std::uint64_t> first;
  for (const SendAttempt& attempt : attempts) {
    if (attempt.outcome != OpType::kOk) continue;
    if (!first || *attempt.completion < *first) first = attempt.completion;
  }
  return first;
}

bool MessageRecord::is_failed() const {
  if (attempts.empty()) return false;
  for (const SendAttempt& attempt : attempts) {
    if (attempt.outcome != OpType::kFail) return false;
  }
  return true;
}

namespace {

// An invoke waiting for its completion.
struct OpenOp {
  std::uint64_t invoke = 0;
  QueueOp op = QueueOp::kNone;
  std::uint32_t target = 0;  // send, effect: the message; drain: the queue
  std::size_t position = 0;  // send: the attempt; drain: the drain of its queue
};

bool is_message_id(const Value& value) { return value.is_integer() || value.is_string(); }

// How many messages a value names: a list's length, one for a single id, none for nil.
std::size_t message_count(const Value& value) {
  if (value.is_nil()) return 0;
  return value.is_list() ? value.list().size() : 1;
}

class LedgerBuilder {
 public:
  LedgerBuilder(const History& history, DeliveryLedger& ledger)
      : events_(history.events()), ledger_(ledger) {}

  bool run(std::string& error) {
    for (const HistoryEvent& event : events_) {
      const bool ok = event.type == OpType::kInvoke ? on_invoke(event, error)
                                                    : on_completion(event, error);
      if (!ok) return false;
    }
    // Operations still open when the history ends: their outcome is unknown. (Only counts are
    // taken here, so the unordered iteration cannot leak into the result.)
    for (const auto& [process, open] : open_) {
      if (open.op == QueueOp::kReceive || open.op == QueueOp::kDrain) ++ledger_.receives_unknown;
      if (open.op == QueueOp::kEffect) ++ledger_.messages[open.target].effects_unknown;
    }
    return true;
  }

 private:
  bool on_invoke(const HistoryEvent& event, std::string& error) {
    if (const auto it = open_.find(event.process); it != open_.end()) {
      error = "event " + std::to_string(event.index) + ": process " +
              std::to_string(event.process) + " invokes " + event.f + " while its " +
              events_[it->second.invoke].f + " invoked at event " +
              std::to_string(it->second.invoke) + " is still open";
      return false;
    }
    OpenOp open{event.index, queue_op_of(event.f), 0, 0};
    if (open.op != QueueOp::kNone) ++ledger_.queue_operations;
    switch (open.op) {
      case QueueOp::kSend: {
        if (!check_id(event, event.value, "a send's value", error)) return false;
        open.target = message_for(event.value, queue_of(event));
        MessageRecord& record = ledger_.messages[open.target];
        if (record.attempts.empty()) {
          record.queue = queue_of(event);
          record.scope = scope_of(record.queue, event.key);
        }
        const std::uint32_t given = event.queue ? event.queue->attempt : 0;
        record.attempts.push_back(
            {event.index, std::nullopt, OpType::kInfo,
             given != 0 ? given : static_cast<std::uint32_t>(record.attempts.size() + 1)});
        open.position = record.attempts.size() - 1;
        break;
      }
      case QueueOp::kEffect:
        if (!check_id(event, event.value, "an effect's value", error)) return false;
        ledger_.records_effects = true;
        open.target = message_for(event.value, queue_of(event));
        break;
      case QueueOp::kAck: ledger_.uses_acks = true; break;
      case QueueOp::kDrain: {
        open.target = queue_of(event);
        std::vector<DrainOp>& drains = ledger_.drains[open.target];
        drains.push_back({event.index, std::nullopt, OpType::kInfo});
        open.position = drains.size() - 1;
        break;
      }
      default: break;
    }
    open_.emplace(event.process, open);
    return true;
  }

  bool on_completion(const HistoryEvent& event, std::string& error) {
    const auto it = open_.find(event.process);
    if (it == open_.end()) {
      error = "event " + std::to_string(event.index) + ": " + event.f + " completes (" +
              std::string(op_type_name(event.type)) + ") for process " +
              std::to_string(event.process) + ", which has no operation open";
      return false;
    }
    const OpenOp open = it->second;
    open_.erase(it);
    const HistoryEvent& invoke = events_[open.invoke];
    if (invoke.f != event.f) {
      error = "event " + std::to_string(event.index) + ": process " +
              std::to_string(event.process) + "'s " + invoke.f + " (invoked at event " +
              std::to_string(open.invoke) + ") completes as " + event.f;
      return false;
    }
    const bool ok = event.type == OpType::kOk;
    switch (open.op) {
      case QueueOp::kSend: {
        SendAttempt& attempt = ledger_.messages[open.target].attempts[open.position];
        attempt.completion = event.index;
        attempt.outcome = event.type;
        return true;
      }
      case QueueOp::kEffect: {
        MessageRecord& record = ledger_.messages[open.target];
        if (ok) record.effects.push_back(event.index);
        if (event.type == OpType::kInfo) ++record.effects_unknown;
        return true;
      }
      case QueueOp::kDrain: {
        DrainOp& drain = ledger_.drains[open.target][open.position];
        drain.completion = event.index;
        drain.outcome = event.type;
        [[fallthrough]];
      }
      case QueueOp::kReceive:
        if (event.type == OpType::kInfo) ++ledger_.receives_unknown;
        return !ok || deliver(invoke, event, open.op == QueueOp::kDrain, error);
      case QueueOp::kAck:
      case QueueOp::kDeadLetter:
      case QueueOp::kExpire:
        return !ok || observe(open.op, event.value.is_nil() ? invoke : event, event.index,
                              reason_of(invoke, event), error);
      case QueueOp::kNone: return true;
    }
    return true;
  }

  // The messages an ok receive or drain lists, delivered in list order.
  bool deliver(const HistoryEvent& invoke, const HistoryEvent& done, bool drain,
               std::string& error) {
    const std::size_t count = message_count(done.value);
    for (std::size_t i = 0; i < count; ++i) {
      const Value& id = done.value.is_list() ? done.value.list()[i] : done.value;
      if (!check_id(done, id, "a receive's value", error)) return false;
      Delivery delivery{invoke.index, done.index, drain, 0, false};
      if (done.queue && i < done.queue->delivery_counts.size()) {
        delivery.delivery_count = done.queue->delivery_counts[i];
      }
      const bool flagged = done.queue && i < done.queue->redelivered.size() &&
                           done.queue->redelivered[i];
      delivery.redelivered = flagged || delivery.delivery_count > 1;
      const std::uint32_t message = message_for(id, queue_of(named_queue(invoke, done)));
      std::vector<Delivery>& deliveries = ledger_.messages[message].deliveries;
      ledger_.receipts.push_back({message, static_cast<std::uint32_t>(deliveries.size())});
      deliveries.push_back(delivery);
    }
    return true;
  }

  // An ok ack, dead-letter or expire naming the messages in `named`'s value.
  bool observe(QueueOp op, const HistoryEvent& named, std::uint64_t completion,
               const std::string& reason, std::string& error) {
    const Value& value = named.value;
    const std::size_t count = message_count(value);
    for (std::size_t i = 0; i < count; ++i) {
      const Value& id = value.is_list() ? value.list()[i] : value;
      if (!check_id(named, id, "the value of " + named.f, error)) return false;
      MessageRecord& record = ledger_.messages[message_for(id, queue_of(named))];
      if (op == QueueOp::kAck) record.acks.push_back(completion);
      if (op == QueueOp::kDeadLetter && !record.dead_lettered) {
        record.dead_lettered = completion;
        record.dead_letter_reason = reason;
      }
      if (op == QueueOp::kExpire && !record.expired) record.expired = completion;
    }
    return true;
  }

  bool check_id(const HistoryEvent& event, const Value& id, const std::string& what,
                std::string& error) const {
    if (is_message_id(id)) return true;
    error = "event " + std::to_string(event.index) + ": " + what + " must name message ids " +
            "(integers or strings), got " + id.to_text();
    return false;
  }

  // A dead-letter's reason: the completion's, else the invoke's; "" when neither gives one.
  static std::string reason_of(const HistoryEvent& invoke, const HistoryEvent& done) {
    if (done.queue && !done.queue->reason.empty()) return done.queue->reason;
    return invoke.queue ? invoke.queue->reason : std::string{};
  }

  // The event of an operation that names its queue: the invoke, unless only the completion does.
  static const HistoryEvent& named_queue(const HistoryEvent& invoke, const HistoryEvent& done) {
    const bool invoke_names = invoke.queue && !invoke.queue->queue.empty();
    return invoke_names || !done.queue ? invoke : done;
  }

  std::uint32_t queue_of(const HistoryEvent& event) {
    const std::string& name = event.queue ? event.queue->queue : kUnnamed;
    const auto [it, added] =
        queue_index_.try_emplace(name, static_cast<std::uint32_t>(ledger_.queues.size()));
    if (added) {
      ledger_.queues.push_back(name);
      scope_index_.emplace_back();
    }
    return it->second;
  }

  // The order scope of (queue, key); messages without a key share their queue's.
  std::uint32_t scope_of(std::uint32_t queue, const std::optional<std::string>& key) {
    auto& scopes = scope_index_[queue];
    const std::string name = key ? "k" + *key : std::string();
    const auto [it, added] = scopes.try_emplace(name, ledger_.scopes);
    if (added) ++ledger_.scopes;
    return it->second;
  }

  // The record of message `id`, added (in queue `queue`) when it is new.
  std::uint32_t message_for(const Value& id, std::uint32_t queue) {
    const auto next = static_cast<std::uint32_t>(ledger_.messages.size());
    const bool added = id.is_integer() ? integer_ids_.try_emplace(id.integer(), next).second
                                       : string_ids_.try_emplace(id.string(), next).second;
    if (!added) {
      return id.is_integer() ? integer_ids_.at(id.integer()) : string_ids_.at(id.string());
    }
    MessageRecord record;
    record.id = &id;
    record.queue = queue;
    record.scope = scope_of(queue, std::nullopt);
    ledger_.messages.push_back(std::move(record));
    return next;
  }

  inline static const std::string kUnnamed;

  const std::vector<HistoryEvent>& events_;
  DeliveryLedger& ledger_;
  // Lookups only; nothing iterates them in a way that reaches the result.
  std::unordered_map<std::uint64_t, OpenOp> open_;  // by process
  std::unordered_map<std::int64_t, std::uint32_t> integer_ids_;
  std::unordered_map<std::string_view, std::uint32_t> string_ids_;  // views into the history
  std::unordered_map<std::string, std::uint32_t> queue_index_;
  std::vector<std::unordered_map<std::string, std::uint32_t>> scope_index_;  // per queue
};

}  // namespace

bool build_delivery_ledger(const History& history, DeliveryLedger& ledger, std::string& error) {
  ledger = DeliveryLedger{};
  return LedgerBuilder(history, ledger).run(error);
}

}  // namespace capsim
