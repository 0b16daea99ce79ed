// The fields that queue operations add to a history event (history.jsonl, sim/history.h).
//
// Producers and consumers of a message queue record their operations as ordinary history
// events, invoke then ok / fail / info, with these `f` names:
//   send      (or Jepsen's enqueue) one attempt to publish message `value` (its id, an integer
//             or a string, unique per logical message and kept across retries), to `queue`,
//             with the optional partition key `key` and the attempt number `attempt`. ok: the
//             broker acknowledged it; fail: it definitely refused it; info: unknown (a timeout).
//   receive   (or poll; Jepsen's dequeue) one consumer read from `queue`. The ok's `value` lists
//             the message ids delivered, in the order the consumer got them (a single id, as
//             Jepsen's dequeue writes it, is one message; null or [] is none), optionally with
//             the broker's `delivery_counts` and `redelivered` markers, one per id.
//   drain     a final read that empties `queue`: an ok lists what it took, and says the queue
//             was empty afterwards. See sim/check/delivery.h for when a drain is complete.
//   ack       (or commit) the consumer acknowledges, deletes or commits the message ids in
//             `value` (one id or a list); only an ok counts.
//   effect    the consumer's side effect for message `value` (one id): ok applied it, fail did
//             not, info may have.
//   dead-letter  the broker moved the ids in `value` to a dead-letter queue, for `reason`.
//   expire    the broker removed the ids in `value` by TTL or retention, without a DLQ.
// Only fields that were given are written, after `value`:
//   "queue":"orders"            the queue or topic ("" when the system has one unnamed queue)
//   "attempt":2                 send: the producer's attempt number for this message, from 1
//   "delivery_counts":[1,3]     receive/drain ok: how many times the broker says it has
//                               delivered each message, this delivery included
//   "redelivered":[false,true]  receive/drain ok: the broker's redelivered flag, per message
//   "reason":"delivery_limit"   dead-letter: why (rejected, expired, maxlen, delivery_limit,
//                               max_receive_count, ...)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace capsim {

struct QueueFields {
  std::string queue;
  std::uint32_t attempt = 0;  // 0: not given
  std::vector<std::uint32_t> delivery_counts;
  std::vector<bool> redelivered;
  std::string reason;

  // True when no field is given, so nothing is written.
  bool empty() const;
  // Appends the given fields to a JSON object being written: ,"queue":"orders","attempt":2...
  void append_json(std::string& out) const;

  friend bool operator==(const QueueFields& a, const QueueFields& b) = default;
};

}  // namespace capsim
