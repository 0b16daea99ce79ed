// The commands that change a broker's queues, and their text encoding on disk.
//
// Every change to the queue state is one command, applied in order by BrokerState
// (broker_state.h). A command carries the broker's clock reading at the moment it was accepted,
// so applying the same commands in the same order gives the same state anywhere: that is how a
// restarted broker rebuilds its queues from its disk, and how a replicated log (Raft) would
// keep several brokers equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/node.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim::broker {

enum class CommandKind : char {
  kPublish = 'P',  // store message `message_id` (with `key`) at the tail of `queue`
  kReceive = 'R',  // deliver up to `max` visible messages of `queue` to `consumer`
  kDrain = 'D',    // deliver every message still stored in `queue`, and delete them
  kAck = 'A',      // delete the deliveries named by `receipts`
  kNack = 'N',     // return them (`requeue`) or reject them (dead-letter, reason rejected)
};

struct Command {
  CommandKind kind = CommandKind::kPublish;
  Time at{0};         // the broker's clock when it accepted the command
  std::string queue;
  Value message_id;   // kPublish
  std::string key;    // kPublish
  std::uint32_t max = 0;        // kReceive
  NodeId consumer = kNoNode;    // kReceive
  bool auto_ack = false;        // kReceive: delete on delivery
  bool requeue = true;          // kNack
  std::vector<std::uint64_t> receipts;  // kAck, kNack
  std::uint64_t channel = 0;    // kReceive, kAck, kNack: the consumer's channel (0: none)
};

std::string encode_command(const Command& command);
// nullopt when `text` is not exactly one encoded command.
std::optional<Command> decode_command(std::string_view text);

}  // namespace capsim::broker
