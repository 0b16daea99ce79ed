// GCC 12 reports a false maybe-uninitialized inside std::variant<std::string> copies here.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Linearizability explanations name the operations that prove them: the read that showed a
// newer value, the failed operation that was the only writer of a value read, and every proof
// is sound (it never appears for a linearizable history). Also the check's evidence rule.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim/check/collection_explanation.h"
#include "sim/check/linearizability.h"
#include "sim/check/linearizability_check.h"
#include "sim/check/register_explanation.h"
#include "sim/check/violation_explanation.h"
#include "sim/rng.h"
#include "support/history_builder.h"

namespace capsim {
namespace {

using testing::HistoryBuilder;

Value cas_of(std::int64_t expected, std::int64_t next) {
  return Value(Value::List{Value(expected), Value(next)});
}

// `history` with the error of the event at `index` set to `error`.
History with_error(const History& history, std::uint64_t index, const std::string& error) {
  History out;
  for (HistoryEvent event : history.events()) {
    if (event.index == index) event.error = error;
    out.add(std::move(event));
  }
  return out;
}

TEST_CASE("linearizability explanation: a read behind a value another read saw quotes that read") {
  // The quorum-strict shape: write 17 completes, write 19 begins after it, a read sees 19, and
  // a later read returns 17. The proof quotes the read that saw 19, the write of 19 and the
  // write of 17, with indices, processes, values, times and outcomes.
  HistoryBuilder h;
  h.write(4, "k1", 17, 368, 375);
  h.write(4, "k1", 19, 424, 631);
  h.read(0, "k1", 19, 426, 434);
  h.read(1, "k1", 17, 564, 574);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("kv"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read on key k1 by process 1 returned 17 [event 5, 0.564s to 0.574s, ok] cannot be "
        "linearized. Before it began at 0.564s, the read on key k1 by process 0 returned 19 "
        "[event 3, 0.426s to 0.434s, ok]; 19 is written only by the write 19 on key k1 by process "
        "4 [event 2, 0.424s to 0.631s, ok], invoked after the only write of 17 (the write 17 on "
        "key k1 by process 4 [event 0, 0.368s to 0.375s, ok]) had completed. So 17 had been "
        "overwritten for good; yet it returned 17.");
  const CheckResult check = to_check_result(result);
  REQUIRE(check.explanation.size() == 8);
  CHECK(check.explanation[3] == "The operations that show it (history events):");
  CHECK(check.explanation[4] == "  event 0: write 17 on key k1 by process 4 (0.368s to 0.375s)");
  CHECK(check.explanation[5] == "  event 2: write 19 on key k1 by process 4 (0.424s to 0.631s)");
  CHECK(check.explanation[6] ==
        "  event 3: read on key k1 by process 0 returned 19 (0.426s to 0.434s)");
  CHECK(check.explanation[7] ==
        "  event 5: read on key k1 by process 1 returned 17 (0.564s to 0.574s)");
}

TEST_CASE("linearizability explanation: a value whose only writer was a failed cas") {
  // A cas that was reported failed (cas mismatch) is the only writer of 474, yet a read returns
  // 474: the explanation names the cas and the read, says a failed operation took effect, and
  // the JSON lists the cas as failed with its reason.
  HistoryBuilder h;
  h.write(1, "k1", 473, 10, 20);
  h.op(3, "cas", "k1", cas_of(473, 474), Value(), 30, 40, OpType::kFail);
  h.read(2, "k1", 474, 50, 60);
  const History history = with_error(h.history(), 3, "cas mismatch");
  const LinearizabilityResult result = check_linearizable(history, *find_model("kv"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation.ends_with(
      "The only operation that writes 474 before it completed is the cas [473 474] on key k1 by "
      "process 3 [event 2, 0.030s to 0.040s, reported failed (cas mismatch)]: the cas at event 2 "
      "reported fail but its value 474 was read at event 4, so a failed operation took effect."));
  const CheckResult check = to_check_result(result);
  CHECK(std::find(check.explanation.begin(), check.explanation.end(),
                  "  event 2: cas [473 474] on key k1 by process 3 (0.030s to 0.040s, reported "
                  "failed (cas mismatch))") != check.explanation.end());
  const auto json = nlohmann::json::parse(to_json(result));
  bool found = false;
  for (const auto& op : json["operations"]) {
    if (op["index"] != 2) continue;
    found = true;
    CHECK(op["outcome"] == "fail");
    CHECK(op["error"] == "cas mismatch");
  }
  CHECK(found);
}

TEST_CASE("linearizability explanation: writes of the value invoked only after the read") {
  // The read of 2 completed before any write of 2 began.
  HistoryBuilder h;
  h.read(0, "k1", 2, 10, 20);
  h.write(1, "k1", 2, 30, 40);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("kv"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation.ends_with(
      "Every operation that writes 2 was invoked after it completed, the first being the write 2 "
      "on key k1 by process 1 [event 2, 0.030s to 0.040s, ok]; yet it returned 2."));
}

TEST_CASE("linearizability explanation: a read that began after every write of the value") {
  // quorum-strict's seed 3: the write of 27 overlaps the write of 26, so the writers of 27 were
  // not invoked after 26 was written; but the read of 27 itself began after the write of 26 had
  // completed, which is enough: the proof quotes that read and the write of 26.
  HistoryBuilder h;
  h.write(5, "k1", 26, 582, 593);
  h.write(1, "k1", 27, 584, 788);
  h.read(2, "k1", 27, 594, 606);
  h.read(2, "k1", 26, 608, 617);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("kv"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read on key k1 by process 2 returned 26 [event 5, 0.608s to 0.617s, ok] cannot be "
        "linearized. Before it began at 0.608s, the read on key k1 by process 2 returned 27 "
        "[event 3, 0.594s to 0.606s, ok], and that read began after the only write of 26 (the "
        "write 26 on key k1 by process 5 [event 0, 0.582s to 0.593s, ok]) had completed. So 26 "
        "had been overwritten for good; yet it returned 26.");
}

TEST_CASE("linearizability explanation: without a short proof, the writes of the value") {
  // The only write of 1 timed out (it may have taken effect once, at any time): a read sees 1,
  // a write of 2 follows, and a later read sees 1 again. No short proof covers an unknown
  // writer, so the explanation follows the search, quoting the last change and every write of
  // the value read, the unknown one with its outcome.
  HistoryBuilder h;
  h.write(0, "k1", 1, 0, 100, OpType::kInfo);
  h.read(1, "k1", 1, 10, 20);
  h.write(2, "k1", 2, 30, 40);
  h.read(3, "k1", 1, 50, 60);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("kv"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read on key k1 by process 3 returned 1 [event 5, 0.050s to 0.060s, ok] cannot be "
        "linearized. The longest order that obeys the model and real time places 3 operations; "
        "after it the register holds 2, last changed by the write 2 on key k1 by process 2 "
        "[event 3, 0.030s to 0.040s, ok]. It cannot take effect next: it returned 1, but the "
        "register holds 2. 1 is written only by the write 1 on key k1 by process 0 [event 0, "
        "invoked at 0.000s, timed out at 0.100s: outcome unknown].");
  bool quoted = false;
  for (const Operation& op : result.operations) quoted = quoted || op.invoke_index == 0;
  CHECK(quoted);
}

Value set_of(std::initializer_list<Value> elements) { return Value(Value::List(elements)); }

TEST_CASE("linearizability explanation: a set read without an add that had completed") {
  // add 2 completed before the read began; the read lacks it. The proof quotes the add.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40).read(2, "k1", set_of({1}), 50, 60);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("set"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read on key k1 by process 2 returned [1] [event 4, 0.050s to 0.060s, ok] cannot be "
        "linearized. Before it began at 0.050s, the add 2 on key k1 by process 1 [event 2, 0.030s "
        "to 0.040s, ok] had completed. A set only grows, yet it returned [1], without 2.");
}

TEST_CASE("linearizability explanation: a long set read names every element it lacks") {
  // Twelve adds completed, the read holds nine of them: the words give the read by its size and
  // name the three missing elements, each with its add's event.
  HistoryBuilder h;
  for (std::int64_t e = 1; e <= 12; ++e) {
    h.add(static_cast<std::uint64_t>(e), "k1", e, static_cast<int>(e) * 10,
          static_cast<int>(e) * 10 + 5);
  }
  h.read(0, "k1", set_of({1, 2, 3, 5, 6, 7, 9, 10, 11}), 200, 210);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("set"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation.ends_with(
      "Before it began at 0.200s, the add 4 on key k1 by process 4 [event 6, 0.040s to 0.045s, "
      "ok] had completed, and so had 2 more adds of elements it lacks: 8 [event 14] and 12 "
      "[event 22]. A set only grows, yet it returned a set of 9 elements, without 4, 8 and 12."));
  CHECK(result.explanation.starts_with(
      "read on key k1 by process 0 returned a set of 9 elements [event 24,"));
}

TEST_CASE("linearizability explanation: a set read holding an element whose add failed") {
  // The only add of 3 was refused, yet a read holds 3: a failed operation took effect.
  HistoryBuilder h;
  h.fail(1, "add", "k1", Value(3), 10, 20, "no leader known", false);
  h.read(2, "k1", set_of({3}), 30, 40);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("set"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation.ends_with(
      "The only operation that adds 3 before it completed is the add 3 on key k1 by process 1 "
      "[event 0, 0.010s to 0.020s, reported failed (no leader known)]: the add at event 0 "
      "reported fail but its element 3 was read at event 2, so a failed operation took "
      "effect."));
  HistoryBuilder none;
  none.add(0, "k1", 1, 10, 20).read(2, "k1", set_of({1, 5}), 30, 40);
  CHECK(check_linearizable(none.history(), *find_model("set"))
            .explanation.ends_with(
                "No operation in the history adds 5; yet it returned a set holding 5."));
}

TEST_CASE("linearizability explanation: a counter read above every increment that may count") {
  // One increment ok, one refused: a read of 2 counts the refused one (or one twice).
  HistoryBuilder h;
  h.increment(0, "k1", 10, 20);
  h.fail(1, "increment", "k1", Value(1), 30, 40, "no primary known", false);
  h.read(2, "k1", 2, 50, 60);
  const LinearizabilityResult result = check_linearizable(h.history(), *find_model("counter"));
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation.ends_with(
      "1 addition summing to 1 was invoked before it completed (ok or of unknown outcome), the "
      "last being the increment 1 on key k1 by process 0 [event 0, 0.010s to 0.020s, ok]; yet "
      "it returned 2, so an addition reported failed took effect or one was counted twice (1 was "
      "reported failed before it completed, the first being the increment 1 on key k1 by process "
      "1 [event 2, 0.030s to 0.040s, reported failed (no primary known)])."));
}

// A random single-register history: processes run operations one after another at random
// times; reads return random values, so some histories are linearizable and some are not.
History random_register_history(Rng& rng) {
  HistoryBuilder h;
  std::int64_t next_value = 1;
  for (std::uint64_t process = 0; process < 3; ++process) {
    int at = static_cast<int>(rng.below(5));
    for (int i = 0; i < 4; ++i) {
      const int start = at + static_cast<int>(rng.below(4));
      const int end = start + 1 + static_cast<int>(rng.below(6));
      at = end;
      const std::uint64_t kind = rng.below(10);
      if (kind < 4) {
        h.write(process, "k", next_value++, start, end);
      } else if (kind < 8) {
        const std::int64_t seen = static_cast<std::int64_t>(rng.below(6));
        h.read(process, "k", seen == 0 ? Value() : Value(seen), start, end);
      } else {
        const OpType outcome = rng.below(2) == 0 ? OpType::kOk : OpType::kFail;
        const std::int64_t expected = 1 + static_cast<std::int64_t>(rng.below(5));
        h.op(process, "cas", "k", cas_of(expected, next_value), cas_of(expected, next_value), start,
             end, outcome);
        ++next_value;
      }
    }
  }
  return h.history();
}

TEST_CASE("linearizability explanation: a proof never appears for a linearizable history") {
  // Soundness against the exact search: for 3000 random histories, every operation for which a
  // short proof is found belongs to a history the search rejects.
  Rng rng(8);
  std::size_t proofs = 0, rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    const History history = random_register_history(rng);
    OperationList list;
    std::string error;
    REQUIRE(collect_operations(history, list, error));
    std::vector<Operation> failed;
    std::map<std::uint64_t, std::string> errors;
    collect_failed_operations(history, *find_model("cas-register"), std::nullopt, failed, errors);
    const bool linearizable =
        check_linearizable(history, *find_model("cas-register")).verdict == Verdict::kLinearizable;
    rejected += linearizable ? 0 : 1;
    for (std::uint32_t i = 0; i < list.operations.size(); ++i) {
      const Operation& op = list.operations[i];
      if (!op.is_known() || (op.f != "read" && op.f != "cas")) continue;
      const RegisterProof proof =
          prove_register_violation(list.operations, i, failed, errors, true);
      if (proof.text.empty()) continue;
      ++proofs;
      CAPTURE(round);
      CAPTURE(proof.text);
      CHECK_FALSE(linearizable);
    }
  }
  // The generator must exercise both sides, or the test shows nothing.
  CHECK(proofs > 100);
  CHECK(rejected > 100);
  CHECK(rejected < 3000);
}

// A random history of one set (adds of 1..6, some failed or timed out, reads of random subsets)
// or, with `counter`, of one counter (increments, reads of random counts).
History random_collection_history(Rng& rng, bool counter) {
  HistoryBuilder h;
  std::int64_t next_element = 1;
  for (std::uint64_t process = 0; process < 3; ++process) {
    int at = static_cast<int>(rng.below(5));
    for (int i = 0; i < 4; ++i) {
      const int start = at + static_cast<int>(rng.below(4));
      const int end = start + 1 + static_cast<int>(rng.below(6));
      at = end;
      if (rng.below(2) == 0) {
        const std::uint64_t fate = rng.below(6);
        const OpType outcome = fate == 0 ? OpType::kFail : fate == 1 ? OpType::kInfo : OpType::kOk;
        const Value input = counter ? Value(1) : Value(next_element++);
        h.op(process, counter ? "increment" : "add", "k", input, input, start, end, outcome);
      } else if (counter) {
        h.read(process, "k", Value(static_cast<std::int64_t>(rng.below(5))), start, end);
      } else {
        Value::List got;
        for (std::int64_t e = 1; e <= 6; ++e) {
          if (rng.below(2) == 0) got.emplace_back(e);
        }
        h.read(process, "k", got.empty() ? Value() : Value(got), start, end);
      }
    }
  }
  return h.history();
}

TEST_CASE("linearizability explanation: set and counter proofs never appear for a linearizable "
          "history") {
  // Soundness against the exact search, as for registers: 2000 random histories of each kind.
  for (const bool counter : {false, true}) {
    CAPTURE(counter);
    const Model& model = *find_model(counter ? "counter" : "set");
    Rng rng(counter ? 21 : 12);
    std::size_t proofs = 0, rejected = 0;
    for (int round = 0; round < 2000; ++round) {
      const History history = random_collection_history(rng, counter);
      OperationList list;
      std::string error;
      REQUIRE(collect_operations(history, list, error));
      std::vector<Operation> failed;
      std::map<std::uint64_t, std::string> errors;
      collect_failed_operations(history, model, std::nullopt, failed, errors);
      const bool linearizable = check_linearizable(history, model).verdict == Verdict::kLinearizable;
      rejected += linearizable ? 0 : 1;
      for (std::uint32_t i = 0; i < list.operations.size(); ++i) {
        if (!list.operations[i].is_known() || list.operations[i].f != "read") continue;
        const RegisterProof proof =
            counter ? prove_counter_violation(list.operations, i, failed, errors, true)
                    : prove_set_violation(list.operations, i, failed, errors, true);
        if (proof.text.empty()) continue;
        ++proofs;
        CAPTURE(round);
        CAPTURE(proof.text);
        CHECK_FALSE(linearizable);
      }
    }
    CHECK(proofs > 100);
    CHECK(rejected > 100);
    CHECK(rejected < 2000);
  }
}

TEST_CASE("linearizable check: evidence, and n/a when no operation constrains the order") {
  // Blind writes fit every order: the check judged nothing and says so; with a read it passes
  // on that read.
  HistoryBuilder writes;
  writes.write(0, "k1", 1, 10, 20).write(1, "k1", 2, 15, 25);
  const CheckResult blind =
      to_check_result(check_linearizable(writes.history(), *find_model("kv")));
  CHECK(blind.verdict == CheckVerdict::kNotApplicable);
  CHECK(blind.evidence ==
        "judged 0 operations whose results constrain the order; needs at least 1");
  CHECK(blind.explanation ==
        std::vector<std::string>{
            "No operation completed ok with a result that constrains the order (a read, a "
            "successful cas, a dequeue): every order fits such a history, so linearizability "
            "was not judged."});
  HistoryBuilder with_read = writes;
  with_read.read(2, "k1", 2, 30, 40);
  const CheckResult read =
      to_check_result(check_linearizable(with_read.history(), *find_model("kv")));
  CHECK(read.verdict == CheckVerdict::kPass);
  CHECK(read.evidence == "judged 1 operations whose results constrain the order; needs at least 1");
  CHECK(read.metrics.at("operations_constraining") == 1);
}

TEST_CASE("linearizable check: set and counter histories, with a violation and without") {
  // The set and counter workloads' models: a read missing an acknowledged add (a counter read
  // below an acknowledged increment) fails; reads that see everything pass.
  const auto set_of = [](std::initializer_list<Value> elements) {
    return Value(Value::List(elements));
  };
  SUBCASE("set") {
    HistoryBuilder ok;
    ok.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40).read(2, "k1", set_of({1, 2}), 50, 60);
    const CheckResult pass = to_check_result(check_linearizable(ok.history(), *find_model("set")));
    CHECK(pass.verdict == CheckVerdict::kPass);
    HistoryBuilder bad;
    bad.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40).read(2, "k1", set_of({1}), 50, 60);
    const CheckResult fail = to_check_result(check_linearizable(bad.history(), *find_model("set")));
    CHECK(fail.verdict == CheckVerdict::kFail);
    CHECK(fail.evidence ==
          "judged 1 operations whose results constrain the order; needs at least 1");
  }
  SUBCASE("counter") {
    HistoryBuilder ok;
    ok.increment(0, "k1", 10, 20).increment(1, "k1", 30, 40).read(2, "k1", 2, 50, 60);
    const CheckResult pass =
        to_check_result(check_linearizable(ok.history(), *find_model("counter")));
    CHECK(pass.verdict == CheckVerdict::kPass);
    HistoryBuilder bad;
    bad.increment(0, "k1", 10, 20).increment(1, "k1", 30, 40).read(2, "k1", 1, 50, 60);
    const CheckResult fail =
        to_check_result(check_linearizable(bad.history(), *find_model("counter")));
    CHECK(fail.verdict == CheckVerdict::kFail);
  }
}

}  // namespace
}  // namespace capsim
