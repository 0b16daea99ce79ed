#include "nodes/queue/broker/broker_state.h"

#include <algorithm>
#include <limits>

#include "sim/assert.h"

namespace capsim::broker {

BrokerState::BrokerState(const Config& config) : config_(config) {
  const std::vector<std::string>& ttl = config_.ttl_queues;
  for (const std::string& name : config_.all_queues()) {
    Queue& queue = queues_[name];
    queue.dead_letter = name == config_.dead_letter_queue;
    queue.ttl = ttl.empty() ? !queue.dead_letter
                            : std::find(ttl.begin(), ttl.end(), name) != ttl.end();
  }
}

const std::vector<QueueRemoval>& BrokerState::removals(const std::string& queue) const {
  return queues_.at(queue).removals;
}

std::size_t BrokerState::depth(const std::string& queue) const {
  return queues_.at(queue).messages.size();
}

CommandResult BrokerState::apply(const Command& command) {
  CommandResult result;
  const auto it = queues_.find(command.queue);
  if (it == queues_.end()) return result;
  result.applied = true;
  Queue& queue = it->second;
  const bool moved_deadlines = hear_channel(command, result);
  switch (command.kind) {
    case CommandKind::kPublish: publish(queue, command, result); break;
    case CommandKind::kReceive: receive(queue, it->first, command, result); break;
    case CommandKind::kDrain: drain(queue, it->first, command, result); break;
    case CommandKind::kAck:
    case CommandKind::kNack: settle(command, result); break;
  }
  result.changed = (command.kind == CommandKind::kPublish && !result.duplicate) ||
                   moved_deadlines || !result.delivered.empty() ||
                   !result.removed.empty() || result.stale.size() < command.receipts.size();
  return result;
}

void BrokerState::publish(Queue& queue, const Command& command, CommandResult& result) {
  if (config_.fifo) {
    // Commands are applied in the order of their clock readings, so the oldest ids leave
    // the window first.
    while (!queue.recent_order.empty() &&
           command.at - queue.recent_order.front().first >= config_.dedup_window) {
      queue.recent_ids.erase(queue.recent_order.front().second);
      queue.recent_order.pop_front();
    }
    std::string id = command.message_id.to_json();
    if (queue.recent_ids.count(id) != 0) {
      result.duplicate = true;
      return;
    }
    queue.recent_ids.emplace(id, command.at);
    queue.recent_order.emplace_back(command.at, std::move(id));
  }
  Stored message;
  message.id = command.message_id;
  message.key = command.key;
  message.published = command.at;
  queue.messages.emplace(next_sequence_++, std::move(message));
}

std::set<std::string> BrokerState::groups_in_flight(const Queue& queue, Time now) const {
  std::set<std::string> groups;
  for (const auto& [sequence, message] : queue.messages) {
    if (message.receipt != 0 && now < deadline(message)) groups.insert(message.key);
  }
  return groups;
}

Time BrokerState::deadline(const Stored& message) const {
  if (config_.delivery == Delivery::kVisibility) return message.visible_at;
  const auto heard = channel_heard_.find(message.channel);
  const Time last = heard == channel_heard_.end() ? message.visible_at
                                                  : std::max(heard->second, message.visible_at);
  return last + config_.channel_timeout;
}

std::uint32_t BrokerState::held_by(std::uint64_t channel, Time now) const {
  std::uint32_t held = 0;
  for (const auto& [receipt, location] : receipts_) {
    const Stored& message = queues_.at(location.queue).messages.at(location.sequence);
    if (message.channel == channel && now < deadline(message)) ++held;
  }
  return held;
}

bool BrokerState::hear_channel(const Command& command, CommandResult& result) {
  if (config_.delivery != Delivery::kChannel || command.channel == 0) return false;
  if (command.kind != CommandKind::kReceive && command.kind != CommandKind::kAck &&
      command.kind != CommandKind::kNack) {
    return false;
  }
  const auto heard = channel_heard_.find(command.channel);
  if (heard != channel_heard_.end() && command.at >= heard->second + config_.channel_timeout) {
    // Closed while it was silent: what it held went back to the queue at that moment.
    std::vector<Location> held;
    for (const auto& [receipt, location] : receipts_) {
      const Stored& message = queues_.at(location.queue).messages.at(location.sequence);
      if (message.channel == command.channel) held.push_back(location);
    }
    // Each expiry touches only its own message, so the other locations stay valid.
    for (const Location& location : held) {
      expire_receipt(queues_.at(location.queue), location.sequence, command.at, result);
    }
  }
  const bool holds = held_by(command.channel, command.at) > 0;
  channel_heard_[command.channel] = command.at;
  return holds;
}

void BrokerState::receive(Queue& queue, const std::string& name, const Command& command,
                          CommandResult& result) {
  const std::set<std::string> blocked =
      config_.fifo ? groups_in_flight(queue, command.at) : std::set<std::string>{};
  std::uint32_t max = command.max;
  if (config_.delivery == Delivery::kChannel && config_.prefetch > 0 && !command.auto_ack) {
    const std::uint32_t held = held_by(command.channel, command.at);
    max = std::min(max, held >= config_.prefetch ? 0 : config_.prefetch - held);
  }
  auto it = queue.messages.begin();
  while (it != queue.messages.end() && result.delivered.size() < max) {
    const std::uint64_t sequence = it->first;
    ++it;  // the message may be removed below; `it` stays valid
    Stored& message = queue.messages.at(sequence);
    if (blocked.count(message.key) != 0) continue;  // fifo: its group waits for an ack
    if (message.receipt != 0) {
      if (command.at < deadline(message)) continue;  // in flight
      if (!expire_receipt(queue, sequence, command.at, result)) continue;
    }
    if (expire_ttl(queue, sequence, command.at, result)) continue;
    result.delivered.push_back(deliver(queue.messages.at(sequence), command, sequence, name));
    if (command.auto_ack) queue.messages.erase(sequence);
  }
}

void BrokerState::drain(Queue& queue, const std::string& name, const Command& command,
                        CommandResult& result) {
  auto it = queue.messages.begin();
  while (it != queue.messages.end()) {
    const std::uint64_t sequence = it->first;
    ++it;
    Stored& message = queue.messages.at(sequence);
    if (message.receipt != 0 && command.at >= deadline(message) &&
        !expire_receipt(queue, sequence, command.at, result)) {
      continue;
    }
    if (message.receipt == 0 && expire_ttl(queue, sequence, command.at, result)) continue;
    Stored& kept = queue.messages.at(sequence);
    if (kept.receipt != 0) receipts_.erase(kept.receipt);
    kept.receipt = 0;
    result.delivered.push_back(deliver(kept, command, sequence, name));
    queue.messages.erase(sequence);
  }
}

QueueDelivery BrokerState::deliver(Stored& message, const Command& command,
                                   std::uint64_t sequence, const std::string& name) {
  ++message.delivery_count;
  QueueDelivery delivery;
  delivery.message_id = message.id;
  delivery.key = message.key;
  delivery.delivery_count = message.delivery_count;
  delivery.redelivered = message.delivery_count > 1;
  if (command.kind == CommandKind::kReceive && !command.auto_ack) {
    message.receipt = next_receipt_++;
    message.visible_at = config_.delivery == Delivery::kVisibility
                             ? command.at + config_.visibility_timeout
                             : command.at;
    message.channel = command.channel;
    receipts_[message.receipt] = Location{name, sequence};
    delivery.receipt = message.receipt;
  }
  return delivery;
}

bool BrokerState::expire_receipt(Queue& queue, std::uint64_t sequence, Time now,
                                 CommandResult& result) {
  Stored& message = queue.messages.at(sequence);
  receipts_.erase(message.receipt);
  message.receipt = 0;
  if (!queue.dead_letter && config_.max_deliveries > 0 &&
      message.delivery_count >= config_.max_deliveries) {
    dead_letter(queue, sequence, "max_receive_count", now, result);
    return false;
  }
  return true;
}

bool BrokerState::expire_ttl(Queue& queue, std::uint64_t sequence, Time now,
                             CommandResult& result) {
  if (!queue.ttl || config_.ttl <= Duration{0}) return false;
  if (now < queue.messages.at(sequence).published + config_.ttl) return false;
  dead_letter(queue, sequence, "expired", now, result);
  return true;
}

void BrokerState::settle(const Command& command, CommandResult& result) {
  for (const std::uint64_t receipt : command.receipts) {
    const auto found = receipts_.find(receipt);
    if (found == receipts_.end() || found->second.queue != command.queue) {
      result.stale.push_back(receipt);
      continue;
    }
    const std::uint64_t sequence = found->second.sequence;
    Queue& queue = queues_.at(command.queue);
    Stored& message = queue.messages.at(sequence);
    if (command.at >= deadline(message)) {
      // Too late: the message is visible again; the receipt no longer names a delivery.
      result.stale.push_back(receipt);
      expire_receipt(queue, sequence, command.at, result);
      continue;
    }
    receipts_.erase(found);
    message.receipt = 0;
    if (command.kind == CommandKind::kAck) {
      queue.messages.erase(sequence);
    } else if (!command.requeue) {
      dead_letter(queue, sequence, "rejected", command.at, result);
    } else if (!queue.dead_letter && config_.max_deliveries > 0 &&
               message.delivery_count >= config_.max_deliveries) {
      dead_letter(queue, sequence, "delivery_limit", command.at, result);
    }
  }
}

void BrokerState::dead_letter(Queue& queue, std::uint64_t sequence, std::string reason,
                              Time now, CommandResult& result) {
  const auto it = queue.messages.find(sequence);
  CAPSIM_ASSERT(it != queue.messages.end());
  Stored message = std::move(it->second);
  queue.messages.erase(it);
  if (message.receipt != 0) receipts_.erase(message.receipt);
  QueueRemoval removal;
  removal.message_id = message.id;
  removal.reason = std::move(reason);
  if (!queue.dead_letter && !config_.dead_letter_queue.empty()) {
    removal.moved_to = config_.dead_letter_queue;
    Stored moved;
    moved.id = message.id;
    moved.key = message.key;
    moved.published = now;
    queues_.at(config_.dead_letter_queue).messages.emplace(next_sequence_++, std::move(moved));
  }
  queue.removals.push_back(removal);
  result.removed.push_back(std::move(removal));
}

std::string BrokerState::digest() const {
  std::string text;
  for (const auto& [name, queue] : queues_) {
    text += name + "[";
    for (const auto& [sequence, message] : queue.messages) {
      text += message.id.to_text() + "#" + std::to_string(message.delivery_count) + " ";
    }
    text += "] removed " + std::to_string(queue.removals.size()) + "; ";
  }
  return text;
}

}  // namespace capsim::broker
