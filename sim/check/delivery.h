// The delivery check: what happened to every message of a queue history (the operations of
// sim/queue_fields.h: send, receive, drain, ack, effect, dead-letter, expire), and which
// delivery guarantees held.
//
// Each message id gets three labels.
//   Producer outcome, over all its send attempts: acknowledged (some attempt ok), failed (every
//   attempt fail), indefinite (neither: some attempt info or unanswered at the end).
//   Fate: delivered (listed by at least one ok receive or drain); else dead-lettered or expired
//   (the broker said so: accounted, not lost); else, if acknowledged, lost when a complete drain
//   judged it, undrained when none did (it may still be queued); else unseen (indefinite or
//   failed, never delivered: no violation). A message delivered but never sent is unexpected
//   (a phantom).
//   Flags: recovered (indefinite, yet delivered: fine), failed-but-delivered (every send
//   refused, yet delivered: the producer was told no), duplicated (delivered more than once;
//   deliveries the broker marked, by a delivery count above 1 or a redelivered flag, are
//   counted as redelivered too), duplicate effect (two or more ok effects), effect missing
//   (processed, yet no effect was recorded; judged only when the history records effects),
//   in flight at end (received but never acknowledged, in a history that records acks),
//   reordered (below).
//
// Processing. In a history with ack (or commit) operations, a delivery counts as processed
// once an ok ack names the message, or when a drain took it; without any ack in the history
// (automatic acknowledgement, Jepsen's dequeue), receiving a message is processing it.
//
// The drain. A drain is an operation with f "drain" (Jepsen's :drain): its ok lists the
// messages it took and says its queue was then empty. The drain of a queue is complete when at
// least one drain of it completed ok and none ended info or without an answer (such a drain
// may have taken messages no one saw). An acknowledged, undelivered message is judged lost only
// when the drain of its queue is complete and some ok drain of it was invoked after the
// message's first acknowledgement (by history order); otherwise its loss is unknown
// (undrained), never lost. DeliveryOptions::assume_drained reads the end of the history as a
// complete drain of every queue, as Jepsen's total-queue does.
//
// Order. For each consumer process and each (queue, key) (messages without a key share their
// queue's order), a message m is reordered when the process first received it after first
// receiving some message whose first send attempt was invoked only after m was acknowledged:
// the producer's acknowledged order put m first, the consumer saw it later.
//
// Guarantees (each gets its own verdict; unknown and n/a as explained):
//   at-least-once        no acknowledged message lost. unknown while some are undrained or in
//                        flight; n/a without an acknowledged message.
//   at-most-once         no message delivered more than once and no duplicate effect; loss
//                        allowed. n/a without a delivery.
//   exactly-once-effect  no loss, no duplicate effect, no processed message without an effect.
//                        n/a when the history records no effects; unknown as at-least-once.
//   per-key-order        no reordered message. n/a with fewer than two acknowledged messages
//                        delivered.
//   no-phantoms          no unexpected message and no failed-but-delivered one. n/a without a
//                        delivery.
// The check's verdict joins the guarantees in DeliveryOptions::guarantees: fail if one fails,
// else unknown if one is unknown, else n/a if one is n/a, else pass. A history without any
// message is n/a, with the reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/history.h"

namespace capsim {

// The guarantee names, in the order they are listed.
const std::vector<std::string>& delivery_guarantees();

// The dead-letter reasons counted apart (dead_lettered_<reason>): the ones brokers report.
const std::vector<std::string>& dead_letter_reasons();
// The metric names of the dead-letter counts: one per reason, then dead_lettered_other.
std::vector<std::string> dead_lettered_metric_names();

struct DeliveryOptions {
  // The guarantees the check's verdict judges (each must be in delivery_guarantees()).
  std::vector<std::string> guarantees = {"at-least-once", "no-phantoms"};
  // The history ends with every queue drained (Jepsen's total-queue reading of a history with
  // no :drain): every acknowledged message is judged.
  bool assume_drained = false;
};

// True when `history` holds queue operations: a send, receive, poll or drain.
bool is_queue_history(const History& history);

// The check named "delivery".
//
// Metrics (counts of messages unless said otherwise):
//   messages, sends (send attempts), retried (messages sent more than once), acknowledged,
//   indefinite, failed, delivered, deliveries (all deliveries), lost, lost_fraction (of
//   acknowledged), undrained, unseen, recovered, failed_delivered, unexpected, duplicated,
//   extra_deliveries (deliveries beyond each message's first), redelivered (deliveries the broker
//   marked), effects (ok effects), duplicate_effects, effects_unknown (info or unanswered
//   effects), effect_missing, reordered, in_flight_at_end, dead_lettered, and per reason of
//   the first dead-letter that named a message dead_lettered_<reason> for each of
//   dead_letter_reasons() and dead_lettered_other (any other reason, or none given), expired,
//   receives_unknown (receives and drains that ended info or unanswered: they may have taken
//   messages no one saw), deliveries_per_message_p50 / _p99 / _max (over delivered messages),
//   delivery_latency_p50_ns / _p99_ns (first send attempt invoked -> first delivery completed)
//   and effect_latency_p50_ns / _p99_ns (-> first ok effect), present only when measured;
//   backlog_peak (the most messages accepted by the broker and not yet delivered at once,
//   sim/check/delivery_backlog.h), backlog_peak_at_ns (when) and backlog_drain_ns (from the
//   peak until the backlog is empty again; absent when it never empties).
//
// `guarantees` holds the verdict of every guarantee, judged or not. Explanation: for each judged
// guarantee that did not pass, a line saying why, then up to three messages of each class behind
// it in words, e.g. "message 412 to orders, sent by process 7 (attempt 1 acknowledged by b1 at
// 10.203s), was never delivered; 3 drains of orders (processes 20, 21, 22) finished by 28.000s
// [history events 40, 41]". details_json: {"guarantees": {name: verdict}, "lost": [...],
// "undrained", "duplicated", "duplicate_effects", "effect_missing", "failed_delivered",
// "unexpected", "reordered", "recovered", "in_flight": [...]}, each the first 100 messages as
// {"id", "queue", "key", "attempts": [{"attempt", "type", "invoke_index", "completion_index",
// "node", "time_ns"}], "deliveries": [{"process", "index", "node", "time_ns", "drain",
// "delivery_count", "redelivered"}], "effects": [index, ...]}.
//
// A malformed history (a completion without an invoke, a send whose value is not a message id)
// gives kUnknown, with the problem as the explanation and in `error`.
CheckResult check_delivery(const History& history, const DeliveryOptions& options = {});

// As check_delivery, and the problem with a malformed history ("event 12: ...") in `error`
// (empty when well formed), so `capsim check` can report it as bad input.
CheckResult check_delivery(const History& history, const DeliveryOptions& options,
                           std::string& error);

}  // namespace capsim
