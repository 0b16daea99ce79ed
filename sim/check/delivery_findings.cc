#include "sim/check/delivery_findings.h"

#include <algorithm>
#include <unordered_map>

namespace capsim {
namespace {

std::vector<DrainState> judge_drains(const History& history, const DeliveryLedger& ledger) {
  std::vector<DrainState> states(ledger.queues.size());
  const std::vector<HistoryEvent>& events = history.events();
  for (const auto& [queue, drains] : ledger.drains) {
    DrainState& state = states[queue];
    state.drains = drains.size();
    for (const DrainOp& drain : drains) {
      if (drain.outcome == OpType::kOk) {
        state.ok.push_back(drain.invoke);
        state.last_ok_invoke = std::max(state.last_ok_invoke.value_or(0), drain.invoke);
        const std::uint64_t done = *drain.completion;
        if (!state.finished || events[done].time > events[*state.finished].time) {
          state.finished = done;
        }
      } else if (drain.outcome == OpType::kInfo && !state.unfinished) {
        state.unfinished = drain.invoke;  // info, or never answered
      }
    }
  }
  return states;
}

// What one consumer process has established in one order scope: the latest first-send invoke
// among the messages it has received there, and which message that was.
struct OrderMark {
  std::uint64_t latest_invoke = 0;
  std::uint32_t message = 0;
  std::uint64_t received = 0;
};

struct ProcessScope {
  std::uint64_t process = 0;
  std::uint32_t scope = 0;
  friend bool operator==(const ProcessScope&, const ProcessScope&) = default;
};

struct ProcessScopeHash {
  std::size_t operator()(const ProcessScope& p) const {
    return std::hash<std::uint64_t>{}(p.process * 0x9E3779B97F4A7C15ull ^ p.scope);
  }
};

// The order rule of delivery.h over every receipt, in history order: the first evidence of each
// reordered message, sorted by message.
std::vector<Reorder> find_reorders(const History& history, const DeliveryLedger& ledger) {
  const std::vector<HistoryEvent>& events = history.events();
  std::unordered_map<ProcessScope, OrderMark, ProcessScopeHash> marks;  // lookups only
  std::vector<Reorder> found;
  std::vector<bool> reordered(ledger.messages.size(), false);
  for (const Receipt& receipt : ledger.receipts) {
    const MessageRecord& m = ledger.messages[receipt.message];
    if (!m.is_sent()) continue;
    const std::uint64_t received = m.deliveries[receipt.delivery].completion;
    const std::uint64_t process = events[received].process;
    const bool seen_before = std::any_of(
        m.deliveries.begin(), m.deliveries.begin() + receipt.delivery,
        [&](const Delivery& d) { return events[d.completion].process == process; });
    if (seen_before) continue;  // only a process's first receipt of a message counts
    const auto [it, first] = marks.try_emplace(ProcessScope{process, m.scope});
    OrderMark& mark = it->second;
    const std::uint64_t sent = m.attempts.front().invoke;
    if (!first && !reordered[receipt.message]) {
      const std::optional<std::uint64_t> acked = m.first_ack();
      if (acked && *acked < mark.latest_invoke) {
        reordered[receipt.message] = true;
        found.push_back({receipt.message, received, mark.message, mark.received});
      }
    }
    if (first || sent > mark.latest_invoke) mark = OrderMark{sent, receipt.message, received};
  }
  std::sort(found.begin(), found.end(),
            [](const Reorder& a, const Reorder& b) { return a.message < b.message; });
  return found;
}

// The record's first delivery completion, and its first ok effect.
Time first_delivery_time(const std::vector<HistoryEvent>& events, const MessageRecord& m) {
  return events[m.deliveries.front().completion].time;
}

}  // namespace

bool DeliveryFindings::is_processed(const MessageRecord& m) const {
  if (m.deliveries.empty()) return false;
  if (!ledger->uses_acks || !m.acks.empty()) return true;
  return std::any_of(m.deliveries.begin(), m.deliveries.end(),
                     [](const Delivery& d) { return d.drain; });
}

DeliveryFindings find_delivery_classes(const History& history, const DeliveryLedger& ledger,
                                       const DeliveryOptions& options) {
  DeliveryFindings f;
  f.history = &history;
  f.ledger = &ledger;
  f.options = options;
  f.drains = judge_drains(history, ledger);
  const std::vector<HistoryEvent>& events = history.events();
  for (std::uint32_t i = 0; i < ledger.messages.size(); ++i) {
    const MessageRecord& m = ledger.messages[i];
    const bool delivered = !m.deliveries.empty();
    const std::optional<std::uint64_t> acked = m.first_ack();
    f.sends += m.attempts.size();
    if (m.attempts.size() > 1) ++f.retried;
    if (delivered) {
      ++f.delivered;
      f.deliveries += m.deliveries.size();
      f.extra_deliveries += m.deliveries.size() - 1;
      f.deliveries_per_message.push_back(m.deliveries.size());
      for (const Delivery& d : m.deliveries) f.redelivered += d.redelivered ? 1 : 0;
      if (m.deliveries.size() > 1) f.duplicated.push_back(i);
    }
    f.effects += m.effects.size();
    f.effects_unknown += m.effects_unknown;
    if (m.effects.size() > 1) f.duplicate_effects.push_back(i);
    if (m.dead_lettered) {
      ++f.dead_lettered;
      ++f.dead_lettered_by_reason[m.dead_letter_reason];
    }
    if (m.expired) ++f.expired;
    if (!m.is_sent()) {
      if (delivered || !m.effects.empty()) f.unexpected.push_back(i);
      continue;
    }
    if (acked) {
      ++f.acknowledged;
      if (delivered) ++f.acknowledged_delivered;
    } else if (m.is_failed()) {
      ++f.failed;
    } else {
      ++f.indefinite;
    }
    const Time sent = events[m.attempts.front().invoke].time;
    if (delivered) {
      f.delivery_latency.push_back(first_delivery_time(events, m) - sent);
      if (!acked && m.is_failed()) f.failed_delivered.push_back(i);
      if (!acked && !m.is_failed()) f.recovered.push_back(i);
    }
    if (!m.effects.empty()) f.effect_latency.push_back(events[m.effects.front()].time - sent);
    const bool processed = f.is_processed(m);
    if (ledger.records_effects && processed && m.effects.empty() && m.effects_unknown == 0) {
      f.effect_missing.push_back(i);
    }
    if (delivered && !processed && !m.dead_lettered && !m.expired) f.in_flight.push_back(i);
    if (delivered || m.dead_lettered || m.expired) continue;
    if (!acked) {
      ++f.unseen;
      continue;
    }
    const DrainState& drain = f.drains[m.queue];
    const bool judged =
        options.assume_drained || (drain.is_complete() && *acked < *drain.last_ok_invoke);
    (judged ? f.lost : f.undrained).push_back(i);
  }
  f.reorders = find_reorders(history, ledger);
  for (const Reorder& r : f.reorders) f.reordered.push_back(r.message);
  std::sort(f.deliveries_per_message.begin(), f.deliveries_per_message.end());
  std::sort(f.delivery_latency.begin(), f.delivery_latency.end());
  std::sort(f.effect_latency.begin(), f.effect_latency.end());
  return f;
}

}  // namespace capsim
