#include "nodes/queue/broker/broker_machine.h"

#include <algorithm>
#include <utility>

#include "sim/assert.h"

namespace capsim::broker {
namespace {

// Layout: [applied, [delivery...], [stale...], [removal...], [removal...]] with
//   delivery = [id, key, receipt, count, redelivered]   removal = [id, reason, moved_to]
Value delivery_value(const QueueDelivery& d) {
  return Value(Value::List{d.message_id, Value(d.key), Value(static_cast<std::int64_t>(d.receipt)),
                           Value(static_cast<std::int64_t>(d.delivery_count)),
                           Value(d.redelivered ? 1 : 0)});
}

QueueDelivery delivery_of(const Value& value) {
  const Value::List& f = value.list();
  QueueDelivery d;
  d.message_id = f.at(0);
  d.key = f.at(1).string();
  d.receipt = static_cast<std::uint64_t>(f.at(2).integer());
  d.delivery_count = static_cast<std::uint32_t>(f.at(3).integer());
  d.redelivered = f.at(4).integer() != 0;
  return d;
}

Value removal_value(const QueueRemoval& r) {
  return Value(Value::List{r.message_id, Value(r.reason), Value(r.moved_to)});
}

QueueRemoval removal_of(const Value& value) {
  const Value::List& f = value.list();
  QueueRemoval r;
  r.message_id = f.at(0);
  r.reason = f.at(1).string();
  r.moved_to = f.at(2).string();
  return r;
}

Value removals_value(const std::vector<QueueRemoval>& removals) {
  Value::List list;
  for (const QueueRemoval& r : removals) list.push_back(removal_value(r));
  return Value(std::move(list));
}

std::vector<QueueRemoval> removals_of(const Value& value) {
  std::vector<QueueRemoval> removals;
  for (const Value& r : value.list()) removals.push_back(removal_of(r));
  return removals;
}

std::string kind_name(CommandKind kind) {
  switch (kind) {
    case CommandKind::kPublish: return "publish";
    case CommandKind::kReceive: return "receive";
    case CommandKind::kDrain: return "drain";
    case CommandKind::kAck: return "ack";
    case CommandKind::kNack: return "nack";
  }
  return "?";
}

}  // namespace

Value outcome_value(const CommandOutcome& outcome) {
  Value::List delivered;
  for (const QueueDelivery& d : outcome.delivered) delivered.push_back(delivery_value(d));
  Value::List stale;
  for (const std::uint64_t receipt : outcome.stale) {
    stale.push_back(Value(static_cast<std::int64_t>(receipt)));
  }
  return Value(Value::List{Value(outcome.applied ? 1 : 0), Value(std::move(delivered)),
                           Value(std::move(stale)), removals_value(outcome.removed),
                           removals_value(outcome.removals)});
}

CommandOutcome outcome_of(const Value& value) {
  CAPSIM_ASSERT(value.is_list() && value.list().size() == 5);
  const Value::List& f = value.list();
  CommandOutcome outcome;
  outcome.applied = f[0].integer() != 0;
  for (const Value& d : f[1].list()) outcome.delivered.push_back(delivery_of(d));
  for (const Value& s : f[2].list()) outcome.stale.push_back(static_cast<std::uint64_t>(s.integer()));
  outcome.removed = removals_of(f[3]);
  outcome.removals = removals_of(f[4]);
  return outcome;
}

std::string describe_broker_command(std::string_view bytes) {
  const std::optional<Command> command = decode_command(bytes);
  if (!command) return "unreadable broker command";
  std::string text = kind_name(command->kind) + " " + command->queue;
  if (command->kind == CommandKind::kPublish) text += " " + command->message_id.to_text();
  if (command->kind == CommandKind::kReceive) text += " max " + std::to_string(command->max);
  if (command->kind == CommandKind::kAck || command->kind == CommandKind::kNack) {
    text += " " + std::to_string(command->receipts.size()) + " receipts";
  }
  return text;
}

CommandResult BrokerMachine::apply_command(const Command& command) {
  latest_at_ = std::max(latest_at_, command.at);
  return state_.apply(command);
}

raft::Result BrokerMachine::apply(const raft::Entry& entry) {
  // Only a leader's encode_command() writes entries, and the disk keeps them whole.
  const std::optional<Command> command = decode_command(entry.command);
  CAPSIM_ASSERT(command.has_value());
  CommandResult result = apply_command(*command);
  CommandOutcome outcome;
  outcome.applied = result.applied;
  outcome.delivered = std::move(result.delivered);
  outcome.stale = std::move(result.stale);
  outcome.removed = std::move(result.removed);
  if (command->kind == CommandKind::kDrain && result.applied) {
    outcome.removals = state_.removals(command->queue);
  }
  raft::Result answer;
  answer.value = outcome_value(outcome);
  return answer;
}

void BrokerMachine::reset() {
  state_ = BrokerState(config_);
  latest_at_ = Time{0};
}

}  // namespace capsim::broker
