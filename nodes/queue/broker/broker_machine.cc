#include "nodes/queue/broker/broker_machine.h"

#include <algorithm>
#include <utility>

#include "nodes/common/value_codec.h"
#include "sim/assert.h"

namespace capsim::broker {
namespace {

// The outcome as text in the shared codec's fields (nodes/common/value_codec.h), kept in the
// Result as one string value:
//   applied(0|1); count: (id value, key bytes, receipt; count; redelivered(0|1);)...
//   count: receipt;...   then two lists of removals, count: (id value, reason, moved_to)...
void put_removals(const std::vector<QueueRemoval>& removals, std::string& out) {
  codec::put_number(removals.size(), ':', out);
  for (const QueueRemoval& r : removals) {
    codec::put_value(r.message_id, out);
    codec::put_bytes(r.reason, out);
    codec::put_bytes(r.moved_to, out);
  }
}

bool read_removals(std::string_view text, std::size_t& pos, std::vector<QueueRemoval>& out) {
  std::uint64_t count = 0;
  if (!codec::read_count(text, pos, ':', count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    QueueRemoval r;
    if (!codec::read_value(text, pos, r.message_id) || !codec::read_bytes(text, pos, r.reason) ||
        !codec::read_bytes(text, pos, r.moved_to)) {
      return false;
    }
    out.push_back(std::move(r));
  }
  return true;
}

bool read_outcome(std::string_view text, CommandOutcome& outcome) {
  std::size_t pos = 0;
  std::uint64_t a = 0;
  std::uint64_t count = 0;
  if (!codec::read_number(text, pos, ';', a)) return false;
  outcome.applied = a == 1;
  if (!codec::read_count(text, pos, ':', count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    QueueDelivery d;
    std::uint64_t receipt = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t redelivered = 0;
    if (!codec::read_value(text, pos, d.message_id) || !codec::read_bytes(text, pos, d.key) ||
        !codec::read_number(text, pos, ';', receipt) ||
        !codec::read_number(text, pos, ';', deliveries) ||
        !codec::read_number(text, pos, ';', redelivered)) {
      return false;
    }
    d.receipt = receipt;
    d.delivery_count = static_cast<std::uint32_t>(deliveries);
    d.redelivered = redelivered == 1;
    outcome.delivered.push_back(std::move(d));
  }
  if (!codec::read_count(text, pos, ':', count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t receipt = 0;
    if (!codec::read_number(text, pos, ';', receipt)) return false;
    outcome.stale.push_back(receipt);
  }
  return read_removals(text, pos, outcome.removed) && read_removals(text, pos, outcome.removals) &&
         pos == text.size();
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
  std::string out;
  codec::put_number(outcome.applied ? 1 : 0, ';', out);
  codec::put_number(outcome.delivered.size(), ':', out);
  for (const QueueDelivery& d : outcome.delivered) {
    codec::put_value(d.message_id, out);
    codec::put_bytes(d.key, out);
    codec::put_number(d.receipt, ';', out);
    codec::put_number(d.delivery_count, ';', out);
    codec::put_number(d.redelivered ? 1 : 0, ';', out);
  }
  codec::put_number(outcome.stale.size(), ':', out);
  for (const std::uint64_t receipt : outcome.stale) codec::put_number(receipt, ';', out);
  put_removals(outcome.removed, out);
  put_removals(outcome.removals, out);
  return Value(std::move(out));
}

CommandOutcome outcome_of(const Value& value) {
  CommandOutcome outcome;
  const bool readable = value.is_string() && read_outcome(value.string(), outcome);
  CAPSIM_ASSERT(readable);
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
