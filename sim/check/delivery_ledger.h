// What a queue history says about each message, gathered in one pass for the delivery check
// (sim/check/delivery.h): its producer's attempts, its deliveries, the acks and effects that
// name it, what the broker said of it; and each queue's drains.
//
// Records refer to history events by index and to message ids by pointer into the history's
// values, so the ledger must not outlive the History it was built from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/history.h"
#include "sim/value.h"

namespace capsim {

enum class QueueOp {
  kNone,        // not a queue operation
  kSend,        // send, enqueue
  kReceive,     // receive, poll, dequeue
  kDrain,       // drain
  kAck,         // ack, commit
  kEffect,      // effect
  kDeadLetter,  // dead-letter
  kExpire,      // expire
};

// The queue operation an `f` names.
QueueOp queue_op_of(std::string_view f);

struct SendAttempt {
  std::uint64_t invoke = 0;                 // history index of the invoke
  std::optional<std::uint64_t> completion;  // absent: no answer by the end
  OpType outcome = OpType::kInfo;           // kOk, kFail, or kInfo (also when unanswered)
  std::uint32_t attempt = 0;                // the producer's number, or its position from 1
};

struct Delivery {
  std::uint64_t invoke = 0;      // the receive's (or drain's) invoke
  std::uint64_t completion = 0;  // its ok, which lists the message
  bool drain = false;
  std::uint32_t delivery_count = 0;  // the broker's count; 0 when not given
  bool redelivered = false;          // the broker marked it: a count above 1 or the flag
};

// One message listed by an ok receive or drain: which message, and which of its deliveries.
struct Receipt {
  std::uint32_t message = 0;   // an index into DeliveryLedger::messages
  std::uint32_t delivery = 0;  // an index into that record's deliveries
};

struct MessageRecord {
  const Value* id = nullptr;  // into the history
  std::uint32_t queue = 0;    // index into DeliveryLedger::queues: of its first send, else of
                              // its first delivery
  std::uint32_t scope = 0;    // its order scope, (queue, key) of its first send: an index into
                              // DeliveryLedger::scopes
  std::vector<SendAttempt> attempts;
  std::vector<Delivery> deliveries;
  std::vector<std::uint64_t> acks;     // ok acks that name it (completion indexes)
  std::vector<std::uint64_t> effects;  // ok effects (completion indexes)
  std::uint32_t effects_unknown = 0;   // effects that ended info or unanswered
  std::optional<std::uint64_t> dead_lettered;  // the first ok dead-letter observation
  std::string dead_letter_reason;              // its reason ("" when it gave none)
  std::optional<std::uint64_t> expired;        // the first ok expire observation

  bool is_sent() const { return !attempts.empty(); }
  // The first ok attempt's completion index, or nullopt when no attempt was acknowledged.
  std::optional<std::uint64_t> first_ack() const;
  bool is_acknowledged() const { return first_ack().has_value(); }
  // Every attempt ended in a definite fail.
  bool is_failed() const;
};

struct DrainOp {
  std::uint64_t invoke = 0;
  std::optional<std::uint64_t> completion;
  OpType outcome = OpType::kInfo;  // kInfo also when unanswered
};

struct DeliveryLedger {
  std::vector<MessageRecord> messages;  // in the order their ids first appear
  std::vector<std::string> queues;      // queue names in order of appearance
  std::uint32_t scopes = 0;             // how many (queue, key) order scopes there are
  std::map<std::uint32_t, std::vector<DrainOp>> drains;  // by queue index
  std::vector<Receipt> receipts;  // every delivery, in history order (within a receive, its list's)
  bool uses_acks = false;        // some ack or commit was invoked
  bool records_effects = false;  // some effect was invoked
  std::uint64_t receives_unknown = 0;  // receives and drains that ended info or unanswered
  std::uint64_t queue_operations = 0;  // queue operations invoked
};

// Builds the ledger of `history`. Returns false with `error` ("event 12: ...") when the history
// is malformed: a completion without an open invoke or with another f than its invoke, an
// invoke while its process has one open, a message id that is neither an integer nor a string.
bool build_delivery_ledger(const History& history, DeliveryLedger& ledger, std::string& error);

}  // namespace capsim
