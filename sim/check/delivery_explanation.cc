// The delivery check's explanation in words: why each judged guarantee did not pass, and the
// messages behind it, each with its producer's attempts, its deliveries and their times.
#include <algorithm>
#include <set>

#include "sim/check/delivery_findings.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

constexpr std::size_t kShownPerClass = 3;
constexpr std::size_t kEventsShown = 8;
constexpr std::size_t kItemsShown = 4;  // attempts, deliveries or effects listed per message

std::string plural(std::uint64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "a, b and c", or the first kItemsShown and "N more".
std::string listed(std::vector<std::string> items) {
  if (items.size() > kItemsShown) {
    const std::size_t more = items.size() - kItemsShown;
    items.resize(kItemsShown);
    items.push_back(std::to_string(more) + " more");
  }
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return text;
}

// "[history event 12]" or "[history events 12, 14, ...]".
std::string event_list(std::vector<std::uint64_t> indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  std::string text = indices.size() == 1 ? "[history event " : "[history events ";
  for (std::size_t i = 0; i < indices.size() && i < kEventsShown; ++i) {
    text += (i == 0 ? "" : ", ") + std::to_string(indices[i]);
  }
  if (indices.size() > kEventsShown) text += ", ...";
  return text + "]";
}

class Words {
 public:
  explicit Words(const DeliveryFindings& f)
      : f_(f), events_(f.history->events()), ledger_(*f.ledger) {}

  const MessageRecord& record(std::uint32_t i) const { return ledger_.messages[i]; }

  std::string queue_name(std::uint32_t queue) const {
    const std::string& name = ledger_.queues[queue];
    return name.empty() ? "the queue" : name;
  }

  std::string time_of(std::uint64_t index) const { return format_seconds(events_[index].time); }

  // "message 412 to orders (key k3)".
  std::string message_name(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    std::string text = "message " + m.id->to_text();
    if (!m.is_sent()) return text;
    if (!ledger_.queues[m.queue].empty()) text += " to " + ledger_.queues[m.queue];
    const HistoryEvent& first = events_[m.attempts.front().invoke];
    if (first.key) text += " (key " + *first.key + ")";
    return text;
  }

  std::string attempt_words(const SendAttempt& a, bool with_process) const {
    std::string text = "attempt " + std::to_string(a.attempt);
    if (with_process) text += " by process " + std::to_string(events_[a.invoke].process);
    if (!a.completion) return text + " unanswered by the end (invoked at " + time_of(a.invoke) + ")";
    const HistoryEvent& done = events_[*a.completion];
    const std::string by = done.node.empty() ? "" : " by " + done.node;
    const std::string why = done.error.empty() ? "" : ": " + done.error;
    switch (a.outcome) {
      case OpType::kOk: return text + " acknowledged" + by + " at " + time_of(*a.completion);
      case OpType::kFail: return text + " refused" + by + " at " + time_of(*a.completion) + why;
      default: return text + " ended unknown (info) at " + time_of(*a.completion) + why;
    }
  }

  // "message 412 to orders, sent by process 7 (attempt 1 acknowledged by b1 at 10.203s)".
  std::string message_with_sends(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    if (!m.is_sent()) return message_name(i) + ", never sent";
    const std::uint64_t process = events_[m.attempts.front().invoke].process;
    const bool one_process = std::all_of(m.attempts.begin(), m.attempts.end(), [&](auto& a) {
      return events_[a.invoke].process == process;
    });
    std::vector<std::string> attempts;
    for (const SendAttempt& a : m.attempts) attempts.push_back(attempt_words(a, !one_process));
    std::string joined;
    for (std::size_t k = 0; k < attempts.size() && k < kItemsShown; ++k) {
      joined += (k == 0 ? "" : "; ") + attempts[k];
    }
    if (attempts.size() > kItemsShown) {
      joined += "; and " + std::to_string(attempts.size() - kItemsShown) + " more";
    }
    return message_name(i) + ", sent by " +
           (one_process ? "process " + std::to_string(process) : std::string("its producer")) +
           " (" + joined + ")";
  }

  std::string delivery_words(const Delivery& d) const {
    const HistoryEvent& done = events_[d.completion];
    std::string text = "to process " + std::to_string(done.process) + " at " +
                       time_of(d.completion);
    if (!done.node.empty()) text += " from " + done.node;
    if (d.drain) text += " by a drain";
    if (d.delivery_count != 0) {
      text += " (delivery count " + std::to_string(d.delivery_count) + ")";
    } else if (d.redelivered) {
      text += " (marked redelivered)";
    }
    return text;
  }

  std::string deliveries_words(const MessageRecord& m) const {
    std::vector<std::string> items;
    for (const Delivery& d : m.deliveries) items.push_back(delivery_words(d));
    return listed(items);
  }

  std::vector<std::uint64_t> send_events(const MessageRecord& m) const {
    std::vector<std::uint64_t> out;
    for (const SendAttempt& a : m.attempts) {
      out.push_back(a.invoke);
      if (a.completion) out.push_back(*a.completion);
    }
    return out;
  }

  std::vector<std::uint64_t> delivery_events(const MessageRecord& m) const {
    std::vector<std::uint64_t> out;
    for (const Delivery& d : m.deliveries) out.push_back(d.completion);
    return out;
  }

  // "3 drains of orders (processes 20, 21 and 22) finished by 28.000s".
  std::string drain_words(std::uint32_t queue) const {
    const DrainState& drain = f_.drains[queue];
    if (f_.options.assume_drained || drain.ok.empty()) {
      return "the end of the history is read as a complete drain of every queue";
    }
    std::vector<std::string> processes;
    std::set<std::uint64_t> seen;
    for (std::uint64_t invoke : drain.ok) {
      if (seen.insert(events_[invoke].process).second) {
        processes.push_back(std::to_string(events_[invoke].process));
      }
    }
    const std::string by = (processes.size() == 1 ? "process " : "processes ") + listed(processes);
    if (drain.ok.size() == 1) {
      return "the drain of " + queue_name(queue) + " by " + by + " finished at " +
             time_of(*drain.finished);
    }
    return std::to_string(drain.ok.size()) + " drains of " + queue_name(queue) + " (" + by +
           ") finished by " + time_of(*drain.finished);
  }

  // Why no complete drain judged acknowledged message `i`.
  std::string undrained_reason(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    const DrainState& drain = f_.drains[m.queue];
    const std::string queue = queue_name(m.queue);
    if (drain.drains == 0) return "the history has no drain of " + queue;
    if (drain.unfinished) {
      const std::uint64_t invoke = *drain.unfinished;
      return "the drain of " + queue + " by process " +
             std::to_string(events_[invoke].process) + " (invoked at " + time_of(invoke) +
             ") did not finish, so it may have taken messages no one saw";
    }
    if (drain.ok.empty()) return "every drain of " + queue + " failed";
    return "it was acknowledged after the last drain of " + queue + " began (at " +
           time_of(*drain.last_ok_invoke) + ")";
  }

  std::string lost(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    return message_with_sends(i) + ", was never delivered; " + drain_words(m.queue) + " " +
           event_list(send_events(m));
  }

  std::string undrained(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    return message_with_sends(i) + ", was never delivered, but " + undrained_reason(i) + " " +
           event_list(send_events(m));
  }

  std::string in_flight(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    return message_name(i) + " was delivered " + deliveries_words(m) +
           " but never acknowledged " + event_list(delivery_events(m));
  }

  std::string duplicated(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    return message_name(i) + " was delivered " + std::to_string(m.deliveries.size()) +
           " times: " + deliveries_words(m) + " " + event_list(delivery_events(m));
  }

  std::string duplicate_effect(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    std::vector<std::string> items;
    for (std::uint64_t e : m.effects) {
      items.push_back("by process " + std::to_string(events_[e].process) + " at " + time_of(e));
    }
    return "the effect of " + message_name(i) + " was applied " + std::to_string(m.effects.size()) +
           " times: " + listed(items) + " " + event_list(m.effects);
  }

  std::string effect_missing(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    std::string how;
    std::vector<std::uint64_t> shown = delivery_events(m);
    if (!m.acks.empty()) {
      how = "acknowledged by process " + std::to_string(events_[m.acks.front()].process) +
            " at " + time_of(m.acks.front());
      shown.push_back(m.acks.front());
    } else {
      how = "delivered " + deliveries_words(m);
    }
    return message_name(i) + " was processed (" + how + ") but no effect of it was recorded " +
           event_list(shown);
  }

  std::string failed_delivered(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    std::vector<std::uint64_t> shown = send_events(m);
    for (std::uint64_t e : delivery_events(m)) shown.push_back(e);
    return message_with_sends(i) + ", was delivered " + deliveries_words(m) +
           " although every send of it was refused " + event_list(shown);
  }

  std::string unexpected(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    if (m.deliveries.empty()) {
      return "the effect of " + message_name(i) + " was applied by process " +
             std::to_string(events_[m.effects.front()].process) + " at " +
             time_of(m.effects.front()) + ", but no send of it was ever invoked " +
             event_list(m.effects);
    }
    return message_name(i) + " was delivered " + deliveries_words(m) +
           ", but no send of it was ever invoked " + event_list(delivery_events(m));
  }

  std::string reordered(std::uint32_t i) const {
    const MessageRecord& m = record(i);
    const auto found = std::lower_bound(
        f_.reorders.begin(), f_.reorders.end(), i,
        [](const Reorder& r, std::uint32_t message) { return r.message < message; });
    const Reorder& r = *found;
    const MessageRecord& other = record(r.earlier);
    const std::uint64_t acked = *m.first_ack();
    const std::uint64_t other_sent = other.attempts.front().invoke;
    return "process " + std::to_string(events_[r.received].process) + " received " +
           message_name(i) + " at " + time_of(r.received) + " after message " +
           other.id->to_text() + " at " + time_of(r.earlier_received) + ", though " +
           m.id->to_text() + " was acknowledged at " + time_of(acked) + ", before " +
           other.id->to_text() + " was first sent at " + time_of(other_sent) + " " +
           event_list({acked, other_sent, r.earlier_received, r.received});
  }

 private:
  const DeliveryFindings& f_;
  const std::vector<HistoryEvent>& events_;
  const DeliveryLedger& ledger_;
};

using Describe = std::string (Words::*)(std::uint32_t) const;

struct Class {
  const std::vector<std::uint32_t>* members;
  Describe describe;
};

// The "why" of one guarantee's verdict, and the classes whose messages show it.
struct Reason {
  std::string line;
  std::vector<Class> classes;
};

// "; "-joined non-empty parts.
std::string joined_parts(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    text += (text.empty() ? "" : "; ") + part;
  }
  return text;
}

// Why loss cannot be judged: undrained and in-flight messages.
std::string incompleteness(const DeliveryFindings& f, const Words& words) {
  std::vector<std::string> parts;
  if (!f.undrained.empty()) {
    const bool one = f.undrained.size() == 1;
    parts.push_back(plural(f.undrained.size(), "acknowledged message was",
                           "acknowledged messages were") +
                    " never delivered, and no complete drain of " +
                    words.queue_name(f.ledger->messages[f.undrained.front()].queue) +
                    " came after, so " + (one ? "it" : "they") + " may still be queued (" +
                    words.undrained_reason(f.undrained.front()) + ")");
  }
  if (!f.in_flight.empty()) {
    const bool one = f.in_flight.size() == 1;
    parts.push_back(plural(f.in_flight.size(), "message was", "messages were") +
                    " received but never acknowledged by the end (in flight), so whether " +
                    (one ? "it" : "they") + " will be processed is unknown");
  }
  return joined_parts(parts);
}

Reason at_least_once(const DeliveryFindings& f, CheckVerdict verdict, const Words& words) {
  if (verdict == CheckVerdict::kNotApplicable) {
    return {"no send was acknowledged, so no message can be shown lost", {}};
  }
  if (verdict == CheckVerdict::kUnknown) {
    return {incompleteness(f, words),
            {{&f.undrained, &Words::undrained}, {&f.in_flight, &Words::in_flight}}};
  }
  const std::string fraction =
      format_percent(static_cast<double>(f.lost.size()) / static_cast<double>(f.acknowledged));
  const std::uint64_t unanswered = f.ledger->receives_unknown;
  return {std::to_string(f.lost.size()) + " of " +
              plural(f.acknowledged, "acknowledged message", "acknowledged messages") + " (" +
              fraction + ") " + (f.lost.size() == 1 ? "was" : "were") +
              " lost: acknowledged, never delivered, " +
              (f.options.assume_drained
                   ? "by the end of the history, which is read as a complete drain"
                   : "though a drain that began after the acknowledgement found the queue "
                     "empty") +
              (unanswered == 0 ? ""
                               : " (" + plural(unanswered, "receive", "receives") +
                                     " ended without an answer and may have taken some)"),
          {{&f.lost, &Words::lost}}};
}

Reason at_most_once(const DeliveryFindings& f, CheckVerdict verdict) {
  if (verdict == CheckVerdict::kNotApplicable) return {"no message was delivered", {}};
  std::vector<std::string> parts;
  if (!f.duplicated.empty()) {
    parts.push_back(plural(f.duplicated.size(), "message was", "messages were") +
                    " delivered more than once (" +
                    plural(f.extra_deliveries, "extra delivery", "extra deliveries") + ", " +
                    std::to_string(f.redelivered) + " marked by the broker as redeliveries)");
  }
  if (!f.duplicate_effects.empty()) {
    parts.push_back(plural(f.duplicate_effects.size(), "message had its", "messages had their") +
                    " effect applied more than once");
  }
  return {joined_parts(parts),
          {{&f.duplicated, &Words::duplicated}, {&f.duplicate_effects, &Words::duplicate_effect}}};
}

Reason exactly_once_effect(const DeliveryFindings& f, CheckVerdict verdict, const Words& words) {
  if (verdict == CheckVerdict::kNotApplicable) {
    return {f.ledger->records_effects
                ? "no send was acknowledged, so no effect can be shown missing"
                : "the history records no effects (f \"effect\"), so effects cannot be counted",
            {}};
  }
  if (verdict == CheckVerdict::kUnknown) {
    return {incompleteness(f, words),
            {{&f.undrained, &Words::undrained}, {&f.in_flight, &Words::in_flight}}};
  }
  std::vector<std::string> parts;
  if (!f.lost.empty()) {
    parts.push_back(plural(f.lost.size(), "acknowledged message was", "acknowledged messages were") +
                    " lost");
  }
  if (!f.duplicate_effects.empty()) {
    parts.push_back(plural(f.duplicate_effects.size(), "message had its", "messages had their") +
                    " effect applied more than once");
  }
  if (!f.effect_missing.empty()) {
    parts.push_back(plural(f.effect_missing.size(), "message was", "messages were") +
                    " processed without any effect recorded");
  }
  return {joined_parts(parts),
          {{&f.lost, &Words::lost},
           {&f.duplicate_effects, &Words::duplicate_effect},
           {&f.effect_missing, &Words::effect_missing}}};
}

Reason per_key_order(const DeliveryFindings& f, CheckVerdict verdict) {
  if (verdict == CheckVerdict::kNotApplicable) {
    return {"fewer than two acknowledged messages were delivered, so no order can be judged", {}};
  }
  return {plural(f.reordered.size(), "message was", "messages were") +
              " received by a consumer after a message of the same key that was first sent only "
              "after they were acknowledged",
          {{&f.reordered, &Words::reordered}}};
}

Reason no_phantoms(const DeliveryFindings& f, CheckVerdict verdict) {
  if (verdict == CheckVerdict::kNotApplicable) return {"no message was delivered", {}};
  std::vector<std::string> parts;
  if (!f.unexpected.empty()) {
    parts.push_back(plural(f.unexpected.size(), "message was", "messages were") +
                    " delivered (or its effect applied) though no send of it was ever invoked");
  }
  if (!f.failed_delivered.empty()) {
    parts.push_back(plural(f.failed_delivered.size(), "message was", "messages were") +
                    " delivered though every send of it was refused");
  }
  return {joined_parts(parts),
          {{&f.unexpected, &Words::unexpected},
           {&f.failed_delivered, &Words::failed_delivered}}};
}

}  // namespace

std::string describe_message(const DeliveryFindings& findings, std::uint32_t message) {
  return Words(findings).message_with_sends(message);
}

std::vector<std::string> explain_delivery(const DeliveryFindings& f,
                                          const std::map<std::string, CheckVerdict>& guarantees) {
  const Words words(f);
  std::vector<std::string> lines;
  std::set<const std::vector<std::uint32_t>*> shown;
  for (const std::string& name : f.options.guarantees) {
    const auto it = guarantees.find(name);
    if (it == guarantees.end() || it->second == CheckVerdict::kPass) continue;
    const CheckVerdict verdict = it->second;
    Reason reason;
    if (name == "at-least-once") reason = at_least_once(f, verdict, words);
    if (name == "at-most-once") reason = at_most_once(f, verdict);
    if (name == "exactly-once-effect") reason = exactly_once_effect(f, verdict, words);
    if (name == "per-key-order") reason = per_key_order(f, verdict);
    if (name == "no-phantoms") reason = no_phantoms(f, verdict);
    lines.push_back(name + ": " + std::string(check_verdict_name(verdict)) + ": " + reason.line +
                    ".");
    for (const Class& c : reason.classes) {
      if (!shown.insert(c.members).second) continue;
      for (std::size_t i = 0; i < c.members->size() && i < kShownPerClass; ++i) {
        lines.push_back((words.*c.describe)((*c.members)[i]) + ".");
      }
    }
  }
  return lines;
}

}  // namespace capsim
