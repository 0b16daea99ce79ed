// The broker's queues as the state machine of a Raft group (replication raft): each committed
// entry holds one broker Command (commands.h), which every replica applies to its own
// BrokerState in log order.
//
// The core keeps each client's latest Result so that a request the network repeated is answered
// from it without being applied again; that is why the Result carries everything the broker's
// reply needs (what was delivered, which receipts were stale, what was removed, and for a drain
// the queue's whole removal record), encoded as a Value (outcome_value / outcome_of), and not
// only a success flag.
//
// Commands carry the leader's clock reading (Command::at), never the applying replica's, so the
// visibility deadlines, ttl expiries and receipts are the same on every replica. latest_at() is
// the latest reading applied, which a new leader whose clock is behind its predecessor's uses to
// keep the readings of the log from going backwards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nodes/common/raft/state_machine.h"
#include "nodes/queue/broker/broker_state.h"

namespace capsim::broker {

// What one applied command answers, as the reply to its client needs it.
struct CommandOutcome {
  bool applied = false;                  // false: unknown queue
  std::vector<QueueDelivery> delivered;  // receive, drain
  std::vector<std::uint64_t> stale;      // ack, nack
  std::vector<QueueRemoval> removed;     // removed by this command without a delivery
  std::vector<QueueRemoval> removals;    // drain: everything the queue ever removed
  friend bool operator==(const CommandOutcome&, const CommandOutcome&) = default;
};

Value outcome_value(const CommandOutcome& outcome);
// Requires: `value` was made by outcome_value().
CommandOutcome outcome_of(const Value& value);

// "publish orders 17 @1.2s", "receive orders max 10 @..." for trace lines (raft::DescribeCommand).
std::string describe_broker_command(std::string_view bytes);

class BrokerMachine final : public raft::StateMachine {
 public:
  explicit BrokerMachine(const Config& config) : config_(config), state_(config) {}

  raft::Result apply(const raft::Entry& entry) override;
  void reset() override;

  // Applies `command` directly (replication none, where no log orders the commands).
  CommandResult apply_command(const Command& command);

  const BrokerState& state() const { return state_; }
  Time latest_at() const { return latest_at_; }

 private:
  Config config_;
  BrokerState state_;
  Time latest_at_{0};
};

}  // namespace capsim::broker
