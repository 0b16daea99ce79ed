// The delivery check against known answers from elsewhere and against a second, deliberately
// simple implementation: Jepsen's total-queue examples (read from EDN, with their published
// results), the EDN drain form, and a brute-force differential test on random small histories.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check/check_test_support.h"
#include "sim/check/delivery.h"
#include "sim/queue_fields.h"
#include "sim/rng.h"

using namespace capsim;
using capsim::testing::edn_history;

namespace {

DeliveryOptions drained() {
  DeliveryOptions options;
  options.assume_drained = true;
  return options;
}

// Jepsen's checker_test.clj, total-queue-test "sane": 1 is never acknowledged, 2 is; both
// dequeued. Published: valid, recovered {1}, attempt-count 2, acknowledged-count 1, ok-count 2,
// nothing lost, unexpected or duplicated.
constexpr const char* kSane =
    "[{:process 1 :type :invoke :f :enqueue :value 1}\n"
    " {:process 2 :type :invoke :f :enqueue :value 2}\n"
    " {:process 2 :type :ok :f :enqueue :value 2}\n"
    " {:process 3 :type :invoke :f :dequeue :value 1}\n"
    " {:process 3 :type :ok :f :dequeue :value 1}\n"
    " {:process 3 :type :invoke :f :dequeue :value 2}\n"
    " {:process 3 :type :ok :f :dequeue :value 2}]";

// total-queue-test "pathological". Published: invalid, lost {:enqueued}, unexpected {:wtf},
// duplicated {:dup}, recovered {}, acknowledged-count 2, attempt-count 3, ok-count 1.
constexpr const char* kPathological =
    "[{:process 1 :type :invoke :f :enqueue :value :hung}\n"
    " {:process 2 :type :invoke :f :enqueue :value :enqueued}\n"
    " {:process 2 :type :ok :f :enqueue :value :enqueued}\n"
    " {:process 3 :type :invoke :f :enqueue :value :dup}\n"
    " {:process 3 :type :ok :f :enqueue :value :dup}\n"
    " {:process 4 :type :invoke :f :dequeue :value nil}\n"
    " {:process 5 :type :invoke :f :dequeue :value nil}\n"
    " {:process 5 :type :ok :f :dequeue :value :wtf}\n"
    " {:process 6 :type :invoke :f :dequeue :value nil}\n"
    " {:process 6 :type :ok :f :dequeue :value :dup}\n"
    " {:process 7 :type :invoke :f :dequeue :value nil}\n"
    " {:process 7 :type :ok :f :dequeue :value :dup}]";

}  // namespace

TEST_CASE("delivery: Jepsen total-queue, empty: nothing to judge is n/a, not valid") {
  // Jepsen calls the empty history valid; we refuse to pass a check that judged nothing.
  const CheckResult result = check_delivery(edn_history("[]"), drained());
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("delivery: Jepsen total-queue, sane: valid, 1 recovered") {
  // The same counts as Jepsen's, drain assumed or not (every acknowledged message was seen).
  for (const DeliveryOptions& options : {DeliveryOptions{}, drained()}) {
    const CheckResult result = check_delivery(edn_history(kSane), options);
    CHECK(result.verdict == CheckVerdict::kPass);
    CHECK(result.metrics.at("sends") == 2);         // attempt-count
    CHECK(result.metrics.at("acknowledged") == 1);  // acknowledged-count
    CHECK(result.metrics.at("delivered") == 2);     // ok-count
    CHECK(result.metrics.at("recovered") == 1);
    CHECK(result.metrics.at("lost") == 0);
    CHECK(result.metrics.at("unexpected") == 0);
    CHECK(result.metrics.at("duplicated") == 0);
  }
}

TEST_CASE("delivery: Jepsen total-queue, pathological: lost, unexpected and duplicated") {
  // Read as Jepsen reads it (the end of the history is the drain), every class agrees with the
  // published result; our verdict on at-most-once fails too, where Jepsen's ignores duplicates.
  DeliveryOptions options = drained();
  options.guarantees = {"at-least-once", "no-phantoms", "at-most-once"};
  const CheckResult result = check_delivery(edn_history(kPathological), options);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.guarantees.at("at-least-once") == CheckVerdict::kFail);
  CHECK(result.guarantees.at("no-phantoms") == CheckVerdict::kFail);
  CHECK(result.guarantees.at("at-most-once") == CheckVerdict::kFail);
  CHECK(result.metrics.at("sends") == 3);
  CHECK(result.metrics.at("acknowledged") == 2);
  CHECK(result.metrics.at("lost") == 1);
  CHECK(result.metrics.at("unexpected") == 1);
  CHECK(result.metrics.at("duplicated") == 1);
  CHECK(result.metrics.at("recovered") == 0);
  CHECK(result.metrics.at("unseen") == 1);            // :hung
  CHECK(result.metrics.at("receives_unknown") == 1);  // process 4's dequeue never answered
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details.at("lost")[0].at("id") == "enqueued");
  CHECK(details.at("unexpected")[0].at("id") == "wtf");
  CHECK(details.at("duplicated")[0].at("id") == "dup");
  CHECK(result.explanation.at(0) ==
        "at-least-once: fail: 1 of 2 acknowledged messages (50.0%) was lost: acknowledged, "
        "never delivered, by the end of the history, which is read as a complete drain (1 "
        "receive ended without an answer and may have taken some).");
}

TEST_CASE("delivery: Jepsen total-queue, pathological without a drain: loss unknown") {
  // The history has no :drain, so :enqueued may still be queued: unknown, never lost; the
  // phantom :wtf still fails no-phantoms, so the verdict fails.
  const CheckResult result = check_delivery(edn_history(kPathological));
  CHECK(result.guarantees.at("at-least-once") == CheckVerdict::kUnknown);
  CHECK(result.metrics.at("lost") == 0);
  CHECK(result.metrics.at("undrained") == 1);
  CHECK(result.verdict == CheckVerdict::kFail);
}

TEST_CASE("delivery: Jepsen's :drain judges loss; a crashed drain leaves it unknown") {
  // Jepsen's RabbitMQ test ends with each client draining; 3 was acknowledged and neither
  // dequeued nor drained.
  const std::string sends =
      "{:process 0 :type :invoke :f :enqueue :value 1 :time 1}\n"
      "{:process 0 :type :ok :f :enqueue :value 1 :time 2}\n"
      "{:process 0 :type :invoke :f :enqueue :value 2 :time 3}\n"
      "{:process 0 :type :ok :f :enqueue :value 2 :time 4}\n"
      "{:process 0 :type :invoke :f :enqueue :value 3 :time 5}\n"
      "{:process 0 :type :ok :f :enqueue :value 3 :time 6}\n"
      "{:process 1 :type :invoke :f :dequeue :value nil :time 7}\n"
      "{:process 1 :type :ok :f :dequeue :value 1 :time 8}\n";
  const CheckResult complete = check_delivery(edn_history(
      sends + "{:process 2 :type :invoke :f :drain :value nil :time 9}\n"
              "{:process 2 :type :ok :f :drain :value [2] :time 10}\n"));
  CHECK(complete.verdict == CheckVerdict::kFail);
  CHECK(complete.metrics.at("lost") == 1);
  CHECK(complete.metrics.at("delivered") == 2);
  const CheckResult crashed = check_delivery(edn_history(
      sends + "{:process 2 :type :invoke :f :drain :value nil :time 9}\n"
              "{:process 3 :type :invoke :f :drain :value nil :time 9}\n"
              "{:process 2 :type :ok :f :drain :value [2] :time 10}\n"
              "{:process 3 :type :info :f :drain :value nil :time 11}\n"));
  CHECK(crashed.verdict == CheckVerdict::kUnknown);
  CHECK(crashed.metrics.at("lost") == 0);
  CHECK(crashed.metrics.at("undrained") == 1);
}

namespace {

// ---- The differential test ----------------------------------------------------------------
//
// Random small histories: a few producers, consumers and a drainer, each doing one operation
// at a time, over a small pool of ids (so retries, duplicates and phantoms happen), two queues
// and two keys. The reference below recomputes every count by brute force, straight from the
// definitions in delivery.h, with none of the checker's data structures.

Value random_ids(Rng& rng, int pool, int most) {
  Value::List ids;
  const auto n = static_cast<int>(rng.below(static_cast<std::uint64_t>(most) + 1));
  for (int i = 0; i < n; ++i) ids.push_back(Value(static_cast<std::int64_t>(rng.below(pool) + 1)));
  return Value(std::move(ids));
}

std::shared_ptr<const QueueFields> fields(const std::string& queue) {
  if (queue.empty()) return nullptr;
  QueueFields f;
  f.queue = queue;
  return std::make_shared<const QueueFields>(f);
}

History random_history(Rng& rng) {
  constexpr int kPool = 6;
  const std::vector<std::string> queues = {"", "q2"};
  const std::vector<std::string> keys = {"a", "b"};
  const std::vector<std::string> fs = {"send", "send", "send", "receive", "receive", "drain",
                                       "ack", "effect", "effect", "dead-letter", "expire"};
  struct Open {
    HistoryEvent invoke;
    bool open = false;
  };
  std::vector<Open> processes(5);
  History history;
  const int steps = 10 + static_cast<int>(rng.below(30));
  for (int step = 0; step < steps; ++step) {
    const std::uint64_t p = rng.below(processes.size());
    Open& slot = processes[p];
    if (!slot.open) {
      HistoryEvent e;
      e.time = Time{step};
      e.process = p;
      e.type = OpType::kInvoke;
      e.f = fs[rng.below(fs.size())];
      e.queue = fields(queues[rng.below(queues.size())]);
      if (e.f == "send" || e.f == "effect") {
        e.value = Value(static_cast<std::int64_t>(rng.below(kPool) + 1));
        if (e.f == "send" && rng.chance(1, 2)) e.key = keys[rng.below(keys.size())];
      }
      if (e.f == "ack" || e.f == "dead-letter" || e.f == "expire") {
        e.value = random_ids(rng, kPool, 2);
      }
      if (e.f == "dead-letter") {
        // A known reason, none, or one no broker of capsim's gives.
        const std::vector<std::string> reasons = {"rejected", "delivery_limit", "expired", "",
                                                  "max_receive_count", "maxlen", "quarantined"};
        QueueFields with_reason = e.queue ? *e.queue : QueueFields{};
        with_reason.reason = reasons[rng.below(reasons.size())];
        e.queue = std::make_shared<const QueueFields>(with_reason);
      }
      slot.invoke = e;
      slot.open = true;
      history.add(std::move(e));
      continue;
    }
    HistoryEvent done = slot.invoke;
    done.time = Time{step};
    const std::uint64_t roll = rng.below(10);
    done.type = roll < 6 ? OpType::kOk : roll < 8 ? OpType::kFail : OpType::kInfo;
    if (done.type == OpType::kOk && (done.f == "receive" || done.f == "drain")) {
      done.value = random_ids(rng, kPool + 1, 3);  // id 7 is never sent: a phantom
      if (rng.chance(1, 3) && !done.value.list().empty()) {
        QueueFields f = done.queue ? *done.queue : QueueFields{};
        for (std::size_t i = 0; i < done.value.list().size(); ++i) {
          f.delivery_counts.push_back(static_cast<std::uint32_t>(rng.below(3) + 1));
        }
        done.queue = std::make_shared<const QueueFields>(f);
      }
    }
    slot.open = false;
    history.add(std::move(done));
  }
  return history;
}

// The reference: every count of delivery.h by brute force.
struct Counts {
  std::map<std::string, double> values;
};

std::vector<Value> ids_of(const Value& value) {
  if (value.is_nil()) return {};
  if (value.is_list()) return value.list();
  return {value};
}

std::string queue_name(const HistoryEvent& e) { return e.queue ? e.queue->queue : ""; }

Counts reference(const History& history, bool assume_drained) {
  const std::vector<HistoryEvent>& ev = history.events();
  // Pair each invoke with the next event of its process (the generator never nests).
  struct Op {
    std::size_t invoke;
    std::optional<std::size_t> done;
    OpType outcome = OpType::kInfo;  // also when never answered
    OpType type() const { return outcome; }
  };
  std::vector<Op> ops;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].type != OpType::kInvoke) continue;
    Op op{i, std::nullopt};
    for (std::size_t j = i + 1; j < ev.size(); ++j) {
      if (ev[j].process == ev[i].process) {
        op.done = j;
        op.outcome = ev[j].type;
        break;
      }
    }
    ops.push_back(op);
  }
  auto is = [&](const Op& op, const char* f) { return ev[op.invoke].f == f; };
  bool uses_acks = false;
  bool records_effects = false;
  std::set<Value> all;
  for (const Op& op : ops) {
    uses_acks = uses_acks || is(op, "ack");
    records_effects = records_effects || is(op, "effect");
    if (is(op, "send") || is(op, "effect")) all.insert(ev[op.invoke].value);
    if (op.type() == OpType::kOk && op.done) {
      for (const Value& id : ids_of(ev[*op.done].value)) all.insert(id);
    }
  }
  Counts c;
  auto add = [&](const char* name, double n = 1) { c.values[name] += n; };
  for (const char* name :
       {"messages", "sends", "acknowledged", "indefinite", "failed", "delivered", "deliveries",
        "lost", "undrained", "unseen", "recovered", "failed_delivered", "unexpected",
        "duplicated", "redelivered", "effects", "duplicate_effects", "effects_unknown",
        "effect_missing", "reordered", "in_flight_at_end", "dead_lettered", "expired",
        "receives_unknown", "dead_lettered_rejected", "dead_lettered_delivery_limit",
        "dead_lettered_max_receive_count", "dead_lettered_expired", "dead_lettered_maxlen",
        "dead_lettered_other"}) {
    c.values[name] = 0;
  }
  // Per message facts.
  struct Facts {
    std::vector<const Op*> sends;
    std::vector<std::pair<std::size_t, bool>> deliveries;  // (completion, drain)
    bool consumer_acked = false, dead = false, expired = false;
    std::optional<std::size_t> dead_at;  // the first ok dead-letter's completion
    std::string dead_reason;             // its reason
    int effects = 0, effects_unknown = 0;
  };
  std::map<Value, Facts> facts;
  for (const Value& id : all) facts[id];
  for (const Op& op : ops) {
    const HistoryEvent& inv = ev[op.invoke];
    if ((is(op, "receive") || is(op, "drain")) && op.type() == OpType::kInfo) {
      add("receives_unknown");
    }
    if (is(op, "send")) facts[inv.value].sends.push_back(&op);
    if (is(op, "effect")) {
      if (op.type() == OpType::kOk) ++facts[inv.value].effects;
      if (op.type() == OpType::kInfo) ++facts[inv.value].effects_unknown;
    }
    if (op.type() != OpType::kOk || !op.done) continue;
    const HistoryEvent& done = ev[*op.done];
    const std::vector<Value> listed = ids_of(done.value.is_nil() ? inv.value : done.value);
    for (std::size_t k = 0; k < listed.size(); ++k) {
      Facts& f = facts[listed[k]];
      if (is(op, "receive") || is(op, "drain")) {
        f.deliveries.push_back({*op.done, is(op, "drain")});
        if (done.queue && k < done.queue->delivery_counts.size() &&
            done.queue->delivery_counts[k] > 1) {
          add("redelivered");
        }
      }
      if (is(op, "ack")) f.consumer_acked = true;
      if (is(op, "dead-letter")) {
        f.dead = true;
        if (!f.dead_at || *op.done < *f.dead_at) {
          f.dead_at = op.done;
          f.dead_reason = done.queue ? done.queue->reason : "";
        }
      }
      if (is(op, "expire")) f.expired = true;
    }
  }
  auto first_ack = [&](const Facts& f) {
    std::optional<std::size_t> best;
    for (const Op* s : f.sends) {
      if (s->type() == OpType::kOk && (!best || *s->done < *best)) best = s->done;
    }
    return best;
  };
  auto first_invoke = [&](const Facts& f) { return f.sends.front()->invoke; };
  // Drains per queue.
  auto drain_judges = [&](const std::string& queue, std::size_t acked) {
    if (assume_drained) return true;
    bool any_ok = false, unfinished = false, after = false;
    for (const Op& op : ops) {
      if (!is(op, "drain") || queue_name(ev[op.invoke]) != queue) continue;
      if (op.type() == OpType::kOk) {
        any_ok = true;
        after = after || op.invoke > acked;
      }
      if (op.type() == OpType::kInfo) unfinished = true;
    }
    return any_ok && !unfinished && after;
  };
  for (auto& [id, f] : facts) {
    add("messages");
    add("sends", static_cast<double>(f.sends.size()));
    const bool delivered = !f.deliveries.empty();
    add("deliveries", static_cast<double>(f.deliveries.size()));
    if (delivered) add("delivered");
    if (f.deliveries.size() > 1) add("duplicated");
    add("effects", f.effects);
    add("effects_unknown", f.effects_unknown);
    if (f.effects > 1) add("duplicate_effects");
    if (f.dead) {
      add("dead_lettered");
      const std::set<std::string> known = {"rejected", "delivery_limit", "max_receive_count",
                                           "expired", "maxlen"};
      add(known.count(f.dead_reason) ? ("dead_lettered_" + f.dead_reason).c_str()
                                     : "dead_lettered_other");
    }
    if (f.expired) add("expired");
    if (f.sends.empty()) {
      if (delivered || f.effects > 0) add("unexpected");
      continue;
    }
    const std::optional<std::size_t> acked = first_ack(f);
    const bool failed = std::all_of(f.sends.begin(), f.sends.end(), [](const Op* s) {
      return s->type() == OpType::kFail;
    });
    add(acked ? "acknowledged" : failed ? "failed" : "indefinite");
    if (delivered && !acked) add(failed ? "failed_delivered" : "recovered");
    const bool by_drain = std::any_of(f.deliveries.begin(), f.deliveries.end(),
                                      [](const auto& d) { return d.second; });
    const bool processed = delivered && (!uses_acks || f.consumer_acked || by_drain);
    if (records_effects && processed && f.effects == 0 && f.effects_unknown == 0) {
      add("effect_missing");
    }
    if (delivered && !processed && !f.dead && !f.expired) add("in_flight_at_end");
    if (delivered || f.dead || f.expired) continue;
    if (!acked) {
      add("unseen");
      continue;
    }
    add(drain_judges(queue_name(ev[first_invoke(f)]), *acked) ? "lost" : "undrained");
  }
  // Reordering: each process's first receipts, in history order; m is late when an earlier one
  // of the same (queue, key) was first sent after m's first acknowledgement.
  std::map<std::uint64_t, std::vector<Value>> firsts;
  for (std::size_t j = 0; j < ev.size(); ++j) {
    const HistoryEvent& e = ev[j];
    if (e.type != OpType::kOk || (e.f != "receive" && e.f != "drain")) continue;
    for (const Value& id : ids_of(e.value)) {
      std::vector<Value>& seen = firsts[e.process];
      if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
    }
  }
  std::set<Value> late;
  auto scope = [&](const Facts& f) {
    const HistoryEvent& first = ev[first_invoke(f)];
    return std::make_pair(queue_name(first), first.key);
  };
  for (const auto& [process, seen] : firsts) {
    for (std::size_t j = 0; j < seen.size(); ++j) {
      const Facts& m = facts[seen[j]];
      if (m.sends.empty() || !first_ack(m)) continue;
      for (std::size_t i = 0; i < j; ++i) {
        const Facts& other = facts[seen[i]];
        if (other.sends.empty() || scope(other) != scope(m)) continue;
        if (*first_ack(m) < first_invoke(other)) late.insert(seen[j]);
      }
    }
  }
  c.values["reordered"] = static_cast<double>(late.size());
  return c;
}

}  // namespace

TEST_CASE("delivery: agrees with a brute-force reference on random small histories") {
  // 3,000 histories of 10 to 40 events; every count the reference computes must match, with
  // and without the drain assumed. The first disagreement prints its history.
  Rng rng(20240611);
  int compared = 0;
  for (int round = 0; round < 3000; ++round) {
    const History history = random_history(rng);
    const bool assume = rng.chance(1, 4);
    DeliveryOptions options;
    options.assume_drained = assume;
    const CheckResult result = check_delivery(history, options);
    if (result.metrics.empty()) continue;  // no message at all: n/a, nothing to compare
    const Counts expected = reference(history, assume);
    for (const auto& [name, value] : expected.values) {
      INFO("round " << round << ", metric " << name << "\n" << history.to_jsonl());
      REQUIRE(result.metrics.count(name) == 1);
      REQUIRE(result.metrics.at(name) == value);
    }
    ++compared;
  }
  CHECK(compared > 2500);
}
