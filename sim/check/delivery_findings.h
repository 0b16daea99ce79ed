// The delivery check's findings: every message of a ledger (sim/check/delivery_ledger.h) put in
// the classes of sim/check/delivery.h, and each queue's drain judged. delivery.cc turns them
// into verdicts, metrics and details; delivery_explanation.cc into words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/delivery.h"
#include "sim/check/delivery_ledger.h"

namespace capsim {

// A consumer process received `message` after `earlier`, which was first sent only after
// `message` was acknowledged (the order rule of delivery.h).
struct Reorder {
  std::uint32_t message = 0;           // a ledger index
  std::uint64_t received = 0;          // history index of the receive's ok
  std::uint32_t earlier = 0;           // the other message, a ledger index
  std::uint64_t earlier_received = 0;  // where the process received it
};

// How far a queue's drain went.
struct DrainState {
  std::size_t drains = 0;             // drain operations invoked
  std::vector<std::uint64_t> ok;      // invoke indexes of the drains that completed ok
  std::optional<std::uint64_t> unfinished;  // invoke of the first drain that ended info or
                                            // without an answer
  std::optional<std::uint64_t> last_ok_invoke;  // the latest invoke among the ok drains
  std::optional<std::uint64_t> finished;        // the latest completion among the ok drains

  bool is_complete() const { return !ok.empty() && !unfinished; }
};

struct DeliveryFindings {
  const History* history = nullptr;
  const DeliveryLedger* ledger = nullptr;
  DeliveryOptions options;
  std::vector<DrainState> drains;  // by queue index

  // Messages of each class, as ledger indexes in ledger order.
  std::vector<std::uint32_t> lost;
  std::vector<std::uint32_t> undrained;
  std::vector<std::uint32_t> recovered;
  std::vector<std::uint32_t> failed_delivered;
  std::vector<std::uint32_t> unexpected;
  std::vector<std::uint32_t> duplicated;
  std::vector<std::uint32_t> duplicate_effects;
  std::vector<std::uint32_t> effect_missing;
  std::vector<std::uint32_t> reordered;
  std::vector<Reorder> reorders;  // parallel to `reordered`: the first evidence for each
  std::vector<std::uint32_t> in_flight;

  std::uint64_t sends = 0;  // send attempts
  std::uint64_t retried = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t indefinite = 0;
  std::uint64_t failed = 0;
  std::uint64_t delivered = 0;
  std::uint64_t acknowledged_delivered = 0;
  std::uint64_t deliveries = 0;
  std::uint64_t extra_deliveries = 0;
  std::uint64_t redelivered = 0;
  std::uint64_t unseen = 0;
  std::uint64_t effects = 0;
  std::uint64_t effects_unknown = 0;
  std::uint64_t dead_lettered = 0;
  std::map<std::string, std::uint64_t> dead_lettered_by_reason;  // "" for none given
  std::uint64_t expired = 0;

  std::vector<std::uint64_t> deliveries_per_message;  // over delivered messages, sorted
  std::vector<Duration> delivery_latency;             // sorted
  std::vector<Duration> effect_latency;               // sorted

  // Whether message `m` counts as processed (delivery.h: processing).
  bool is_processed(const MessageRecord& m) const;
};

// Classifies every message of `ledger`, built from `history`.
DeliveryFindings find_delivery_classes(const History& history, const DeliveryLedger& ledger,
                                       const DeliveryOptions& options);

// The lines of the explanation: for each guarantee in options.guarantees whose verdict in
// `guarantees` is not pass, why, then up to three messages of each class behind it.
std::vector<std::string> explain_delivery(const DeliveryFindings& findings,
                                          const std::map<std::string, CheckVerdict>& guarantees);

// One message in words, for the explanation and for tests: "message 412 to orders, sent by
// process 7 (attempt 1 acknowledged by b1 at 10.203s)".
std::string describe_message(const DeliveryFindings& findings, std::uint32_t message);

}  // namespace capsim
