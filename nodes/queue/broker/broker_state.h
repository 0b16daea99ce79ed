// The broker's queues as a deterministic state machine: commands (commands.h) applied in order.
//
// Each queue keeps its messages in publish order. A message is
//   visible   stored and not in flight: the next receive may deliver it;
//   in flight received under a receipt and hidden until its deadline: `visibility_timeout`
//             after that receive (SQS's visibility timeout), or with delivery channel
//             (RabbitMQ) `channel_timeout` after the receiving channel last sent a command.
//             An ack of the receipt before then deletes the message; a nack returns it at
//             once. Once the deadline has passed the receipt is stale (an ack of it changes
//             nothing) and the message is visible again, in its old place.
// With delivery channel a channel silent past channel_timeout is closed: when it speaks again
// its old deliveries are returned first, so a late command cannot take them back; and a
// receive gives a channel at most `prefetch` unacked deliveries (0: no limit).
// Every delivery counts (delivery_count, RabbitMQ's x-delivery-count, SQS's
// ApproximateReceiveCount; `redelivered` once it is above 1). With max_deliveries M > 0, a
// message delivered M times is dead-lettered instead of being returned: when it is nacked
// (reason delivery_limit) or when its visibility timeout passes (reason max_receive_count).
// A nack without requeue dead-letters it at once (rejected). With a ttl, a message still
// visible ttl after its publish expires as a receive reaches it (reason expired), so an expired
// message is never delivered; the ttl applies to `ttl_queues` (default: every queue but the
// dead-letter queue). Dead-lettering moves the message to the end of the dead-letter
// queue, which has no ttl and no limit, or drops it when there is none (a message already in
// the dead-letter queue is dropped too, so there are no cycles). Each queue remembers every
// message it removed without a delivery (QueueRemoval), which a drain reports.
//
// With fifo (SQS FIFO queues) the message key is the message group: a receive skips every
// group that has a message in flight (a stale receipt does not count: that message is visible
// again, in its place at the head of its group), so the messages of one group are delivered in
// publish order, a redelivery included, one batch at a time; and a publish of a message id
// that the queue took within dedup_window before is accepted but not stored again (SQS's
// deduplication interval, counted from the first publish). Keyless messages form one group.
//
// Invariants (checked by the tests): a receipt names at most one message, and a message has at
// most one live receipt; delivery counts never decrease; a message id stays in one place per
// copy (a retried publish is a second copy, unless fifo deduplicates it).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nodes/queue/broker/commands.h"
#include "nodes/queue/broker/options.h"
#include "sim/client/queue_messages.h"

namespace capsim::broker {

// What applying one command did.
struct CommandResult {
  bool applied = false;                  // false: the queue does not exist (nothing changed)
  std::vector<QueueDelivery> delivered;  // kReceive, kDrain: in queue order
  std::vector<QueueRemoval> removed;     // removed by this command without a delivery
  std::vector<std::uint64_t> stale;      // kAck, kNack: receipts that were no longer live
  bool duplicate = false;                // kPublish, fifo: the id was taken within the window
  // Whether the command did anything worth keeping: a receive or drain that delivered and
  // removed nothing, or an ack whose receipts were all stale, did not (what it may have
  // touched, a receipt gone stale, follows from time alone, so replaying the commands that
  // did change something rebuilds the same behaviour).
  bool changed = false;
};

class BrokerState {
 public:
  explicit BrokerState(const Config& config);

  bool has_queue(const std::string& queue) const { return queues_.count(queue) != 0; }
  CommandResult apply(const Command& command);

  // Every removal `queue` has made (what a drain reports), in order. Requires: has_queue.
  const std::vector<QueueRemoval>& removals(const std::string& queue) const;
  // Messages stored in `queue`, in flight or not. Requires: has_queue.
  std::size_t depth(const std::string& queue) const;
  // A text digest of every queue's content, equal for equal states.
  std::string digest() const;

 private:
  struct Stored {
    Value id;
    std::string key;
    Time published{0};
    std::uint32_t delivery_count = 0;
    std::uint64_t receipt = 0;  // 0: not in flight
    Time visible_at{0};         // in flight: when the receipt goes stale (delivery visibility)
    std::uint64_t channel = 0;  // in flight, delivery channel: the channel holding it
  };
  struct Queue {
    std::map<std::uint64_t, Stored> messages;  // by sequence number: publish order
    std::vector<QueueRemoval> removals;
    bool dead_letter = false;
    bool ttl = false;  // the ttl applies to this queue
    // fifo: the ids published within the dedup window (by Value::to_json()), with when, and
    // the same in publish order, so that the expired ones are forgotten oldest first.
    std::map<std::string, Time> recent_ids;
    std::deque<std::pair<Time, std::string>> recent_order;
  };
  struct Location {
    std::string queue;
    std::uint64_t sequence = 0;
  };

  void publish(Queue& queue, const Command& command, CommandResult& result);
  void receive(Queue& queue, const std::string& name, const Command& command,
               CommandResult& result);
  // fifo: the message groups (keys) with a message in flight whose receipt is live at `now`.
  std::set<std::string> groups_in_flight(const Queue& queue, Time now) const;
  // When the receipt of in-flight `message` goes stale.
  Time deadline(const Stored& message) const;
  // Delivery channel: the command's channel speaks at command.at. A channel that was silent
  // past channel_timeout is closed first (its deliveries returned). Returns true when the
  // channel holds live deliveries, whose deadlines this moves.
  bool hear_channel(const Command& command, CommandResult& result);
  // Live deliveries `channel` holds at `now`.
  std::uint32_t held_by(std::uint64_t channel, Time now) const;
  void drain(Queue& queue, const std::string& name, const Command& command,
             CommandResult& result);
  void settle(const Command& command, CommandResult& result);
  // Brings an in-flight message whose receipt went stale at `now` back to visible, or
  // dead-letters it if it reached the limit. Returns false when it was removed.
  bool expire_receipt(Queue& queue, std::uint64_t sequence, Time now, CommandResult& result);
  // True when the message has outlived the ttl at `now` (it is then removed).
  bool expire_ttl(Queue& queue, std::uint64_t sequence, Time now, CommandResult& result);
  QueueDelivery deliver(Stored& message, const Command& command, std::uint64_t sequence,
                        const std::string& name);
  void dead_letter(Queue& queue, std::uint64_t sequence, std::string reason, Time now,
                   CommandResult& result);

  Config config_;
  std::map<std::string, Queue> queues_;
  std::map<std::uint64_t, Location> receipts_;  // live receipts
  std::map<std::uint64_t, Time> channel_heard_;  // delivery channel: when each last spoke
  std::uint64_t next_sequence_ = 1;
  std::uint64_t next_receipt_ = 1;
};

}  // namespace capsim::broker
