#include "sim/check/delivery.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/check/delivery_backlog.h"
#include "sim/check/delivery_findings.h"
#include "sim/run_summary.h"

namespace capsim {
namespace {

using Json = nlohmann::json;
using enum CheckVerdict;

constexpr std::size_t kListedInDetails = 100;

// fail, else unknown, else n/a, else pass: how several verdicts join.
int severity(CheckVerdict verdict) {
  switch (verdict) {
    case kFail: return 3;
    case kUnknown: return 2;
    case kNotApplicable: return 1;
    case kPass: return 0;
  }
  return 2;
}

// The verdict of each guarantee (delivery.h).
std::map<std::string, CheckVerdict> judge_guarantees(const DeliveryFindings& f) {
  const DeliveryLedger& ledger = *f.ledger;
  const bool incomplete = !f.undrained.empty() || !f.in_flight.empty();
  const CheckVerdict completeness = incomplete ? kUnknown : kPass;
  const auto either = [](bool violated, CheckVerdict otherwise) {
    return violated ? kFail : otherwise;
  };
  std::map<std::string, CheckVerdict> out;
  out["at-least-once"] = f.acknowledged == 0 ? kNotApplicable : either(!f.lost.empty(), completeness);
  out["at-most-once"] = either(!f.duplicated.empty() || !f.duplicate_effects.empty(),
                               f.delivered == 0 ? kNotApplicable : kPass);
  out["exactly-once-effect"] =
      !ledger.records_effects
          ? kNotApplicable
          : either(!f.lost.empty() || !f.duplicate_effects.empty() || !f.effect_missing.empty(),
                   f.acknowledged == 0 ? kNotApplicable : completeness);
  out["per-key-order"] =
      either(!f.reordered.empty(), f.acknowledged_delivered < 2 ? kNotApplicable : kPass);
  out["no-phantoms"] = either(!f.unexpected.empty() || !f.failed_delivered.empty(),
                              f.delivered == 0 ? kNotApplicable : kPass);
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  }
  return text;
}

void fill_metrics(const DeliveryFindings& f, CheckResult& result) {
  const auto count = [](std::uint64_t n) { return static_cast<double>(n); };
  const std::size_t messages = f.ledger->messages.size();
  result.metrics = {
      {"messages", count(messages)},
      {"sends", count(f.sends)},
      {"retried", count(f.retried)},
      {"acknowledged", count(f.acknowledged)},
      {"indefinite", count(f.indefinite)},
      {"failed", count(f.failed)},
      {"delivered", count(f.delivered)},
      {"deliveries", count(f.deliveries)},
      {"lost", count(f.lost.size())},
      {"lost_fraction",
       f.acknowledged == 0 ? 0.0 : count(f.lost.size()) / count(f.acknowledged)},
      {"undrained", count(f.undrained.size())},
      {"unseen", count(f.unseen)},
      {"recovered", count(f.recovered.size())},
      {"failed_delivered", count(f.failed_delivered.size())},
      {"unexpected", count(f.unexpected.size())},
      {"duplicated", count(f.duplicated.size())},
      {"extra_deliveries", count(f.extra_deliveries)},
      {"redelivered", count(f.redelivered)},
      {"effects", count(f.effects)},
      {"duplicate_effects", count(f.duplicate_effects.size())},
      {"effects_unknown", count(f.effects_unknown)},
      {"effect_missing", count(f.effect_missing.size())},
      {"reordered", count(f.reordered.size())},
      {"in_flight_at_end", count(f.in_flight.size())},
      {"dead_lettered", count(f.dead_lettered)},
      {"expired", count(f.expired)},
      {"receives_unknown", count(f.ledger->receives_unknown)},
  };
  // Every reason's count, zero or not, so an expectation on one always has a measure.
  for (const std::string& name : dead_lettered_metric_names()) result.metrics[name] = 0;
  for (const auto& [reason, n] : f.dead_lettered_by_reason) {
    const auto& known = dead_letter_reasons();
    const bool named = std::find(known.begin(), known.end(), reason) != known.end();
    result.metrics[named ? "dead_lettered_" + reason : "dead_lettered_other"] += count(n);
  }
  if (!f.deliveries_per_message.empty()) {
    const auto& d = f.deliveries_per_message;
    result.metrics["deliveries_per_message_p50"] = count(d[nearest_rank_position(d.size(), 500)]);
    result.metrics["deliveries_per_message_p99"] = count(d[nearest_rank_position(d.size(), 990)]);
    result.metrics["deliveries_per_message_max"] = count(d.back());
  }
  const auto latency = [&](const std::vector<Duration>& sorted, const std::string& name) {
    if (sorted.empty()) return;
    result.metrics[name + "_p50_ns"] = static_cast<double>(nearest_rank(sorted, 50).count());
    result.metrics[name + "_p99_ns"] = static_cast<double>(nearest_rank(sorted, 99).count());
  };
  latency(f.delivery_latency, "delivery_latency");
  latency(f.effect_latency, "effect_latency");
  const Backlog backlog = measure_backlog(*f.history, *f.ledger);
  result.metrics["backlog_peak"] = count(backlog.peak);
  result.metrics["backlog_peak_at_ns"] = static_cast<double>(backlog.peak_at.count());
  if (backlog.drain) {
    result.metrics["backlog_drain_ns"] = static_cast<double>(backlog.drain->count());
  }
}

Json message_json(const DeliveryFindings& f, std::uint32_t index) {
  const std::vector<HistoryEvent>& events = f.history->events();
  const MessageRecord& m = f.ledger->messages[index];
  Json attempts = Json::array();
  for (const SendAttempt& a : m.attempts) {
    Json entry = {{"attempt", a.attempt},
                  {"type", std::string(op_type_name(a.outcome))},
                  {"invoke_index", a.invoke}};
    if (a.completion) {
      entry["completion_index"] = *a.completion;
      entry["node"] = events[*a.completion].node;
      entry["time_ns"] = events[*a.completion].time.count();
    } else {
      entry["time_ns"] = events[a.invoke].time.count();
    }
    attempts.push_back(std::move(entry));
  }
  Json deliveries = Json::array();
  for (const Delivery& d : m.deliveries) {
    const HistoryEvent& done = events[d.completion];
    Json entry = {{"process", done.process}, {"index", d.completion}, {"node", done.node},
                  {"time_ns", done.time.count()}, {"drain", d.drain},
                  {"redelivered", d.redelivered}};
    if (d.delivery_count != 0) entry["delivery_count"] = d.delivery_count;
    deliveries.push_back(std::move(entry));
  }
  Json out = {{"id", Json::parse(m.id->to_json())},
              {"queue", f.ledger->queues[m.queue]},
              {"attempts", attempts},
              {"deliveries", deliveries},
              {"effects", m.effects}};
  if (m.is_sent() && events[m.attempts.front().invoke].key) {
    out["key"] = *events[m.attempts.front().invoke].key;
  }
  return out;
}

std::string details_json(const DeliveryFindings& f,
                         const std::map<std::string, CheckVerdict>& guarantees) {
  Json verdicts = Json::object();
  for (const auto& [name, verdict] : guarantees) {
    verdicts[name] = std::string(check_verdict_name(verdict));
  }
  Json out = {{"guarantees", verdicts}};
  const std::pair<const char*, const std::vector<std::uint32_t>*> classes[] = {
      {"lost", &f.lost},
      {"undrained", &f.undrained},
      {"duplicated", &f.duplicated},
      {"duplicate_effects", &f.duplicate_effects},
      {"effect_missing", &f.effect_missing},
      {"failed_delivered", &f.failed_delivered},
      {"unexpected", &f.unexpected},
      {"reordered", &f.reordered},
      {"recovered", &f.recovered},
      {"in_flight", &f.in_flight},
  };
  for (const auto& [name, members] : classes) {
    Json list = Json::array();
    for (std::size_t i = 0; i < members->size() && i < kListedInDetails; ++i) {
      list.push_back(message_json(f, (*members)[i]));
    }
    out[name] = std::move(list);
  }
  return out.dump();
}

CheckResult unjudged(CheckVerdict verdict, std::string why) {
  CheckResult result;
  result.check = "delivery";
  result.verdict = verdict;
  result.explanation.push_back(std::move(why));
  result.evidence = "judged 0 messages; needs at least 1";
  return result;
}

}  // namespace

const std::vector<std::string>& delivery_guarantees() {
  static const std::vector<std::string> names = {"at-least-once", "at-most-once",
                                                 "exactly-once-effect", "per-key-order",
                                                 "no-phantoms"};
  return names;
}

const std::vector<std::string>& dead_letter_reasons() {
  static const std::vector<std::string> reasons = {"rejected", "delivery_limit",
                                                   "max_receive_count", "expired", "maxlen"};
  return reasons;
}

std::vector<std::string> dead_lettered_metric_names() {
  std::vector<std::string> names;
  for (const std::string& reason : dead_letter_reasons()) names.push_back("dead_lettered_" + reason);
  names.push_back("dead_lettered_other");
  return names;
}

bool is_queue_history(const History& history) {
  return std::any_of(history.events().begin(), history.events().end(),
                     [](const HistoryEvent& event) {
                       return event.f == "send" || event.f == "receive" || event.f == "poll" ||
                              event.f == "drain";
                     });
}

CheckResult check_delivery(const History& history, const DeliveryOptions& options) {
  std::string error;
  return check_delivery(history, options, error);
}

CheckResult check_delivery(const History& history, const DeliveryOptions& options,
                           std::string& error) {
  DeliveryLedger ledger;
  error.clear();
  if (!build_delivery_ledger(history, ledger, error)) {
    return unjudged(kUnknown, "The history is malformed: " + error + ".");
  }
  if (ledger.messages.empty()) {
    return unjudged(kNotApplicable,
                    ledger.queue_operations == 0
                        ? "The history has no queue operations (send, receive, drain, ack, "
                          "effect), so there is no message to judge."
                        : "The history's queue operations name no message: nothing was sent "
                          "or delivered, so there is nothing to judge.");
  }
  const DeliveryFindings findings = find_delivery_classes(history, ledger, options);
  CheckResult result;
  result.check = "delivery";
  result.guarantees = judge_guarantees(findings);
  result.verdict = kPass;
  for (const std::string& name : options.guarantees) {
    const auto it = result.guarantees.find(name);
    const CheckVerdict verdict = it == result.guarantees.end() ? kUnknown : it->second;
    if (severity(verdict) > severity(result.verdict)) result.verdict = verdict;
  }
  fill_metrics(findings, result);
  result.details_json = details_json(findings, result.guarantees);
  if (result.verdict != kPass) result.explanation = explain_delivery(findings, result.guarantees);
  result.evidence = "judged " + std::to_string(ledger.messages.size()) + " messages (" +
                    std::to_string(findings.acknowledged) + " acknowledged, " +
                    std::to_string(findings.delivered) + " delivered) for " +
                    joined(options.guarantees) + "; needs at least 1";
  return result;
}

}  // namespace capsim
