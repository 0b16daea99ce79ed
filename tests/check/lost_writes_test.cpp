// The lost-writes check on hand-built histories: what counts as lost, as unexpected, and when
// the check has nothing to judge.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim/check/lost_writes.h"
#include "support/history_builder.h"

using namespace capsim;
using capsim::testing::HistoryBuilder;

namespace {
Value set_of(std::initializer_list<Value> elements) { return Value(Value::List(elements)); }
}  // namespace

TEST_CASE("lost-writes: every acknowledged add in the final reads passes") {
  // Nothing is missing, so the verdict is pass with no explanation and zero lost.
  // Two acked adds, both held by the final reads of both nodes.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40);
  h.final_read(10, "k1", set_of({1, 2}), 900, 910, "n1");
  h.final_read(11, "k1", set_of({1, 2}), 900, 912, "n2");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.check == "lost-writes");
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("acknowledged") == 2);
  CHECK(result.metrics.at("lost") == 0);
  CHECK(result.metrics.at("lost_fraction") == 0);
  CHECK(result.metrics.at("final_reads") == 2);
  CHECK(result.explanation.empty());
}

TEST_CASE("lost-writes: an acknowledged add missing from a final read is lost, in words") {
  // Element 2 was acked by n1 at 40ms; the final read from n2 (redirected to n3) misses it, the
  // one from n1 holds it: lost, but not everywhere.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40).add(0, "k1", 3, 50, 60);
  h.final_read(10, "k1", set_of({1, 2, 3}), 900, 910, "n1");
  h.final_read(11, "k1", set_of({1, 3}), 900, 915, "n2", "n3");
  const History history = h.history();
  const CheckResult result = check_lost_writes(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("acknowledged") == 3);
  CHECK(result.metrics.at("lost") == 1);
  CHECK(result.metrics.at("lost_everywhere") == 0);
  CHECK(result.metrics.at("lost_fraction") == doctest::Approx(1.0 / 3));
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "1 of 3 acknowledged adds (33.3%) are missing from the final reads: the system answered "
        "ok and later lost them.");
  CHECK(result.explanation[1] ==
        "element 2 was added to k1 by process 1 and acknowledged by n1 at 0.040s, but the final "
        "read of k1 from n2 (answered by n3) does not hold it [history events 2, 3; final read 9].");
  const auto details = nlohmann::json::parse(result.details_json);
  REQUIRE(details.at("lost").size() == 1);
  CHECK(details.at("lost")[0].at("element") == 2);
  CHECK(details.at("lost")[0].at("missing_from")[0].at("answered_by") == "n3");
  CHECK(details.at("sets").at("k1").at("lost") == 1);
}

TEST_CASE("lost-writes: an add missing from every final read is lost everywhere") {
  // Key k1 reads as empty (nil) on both nodes, so its acked add is missing from both reads.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20).add(0, "k2", 2, 30, 40);
  h.final_read(10, "k1", Value(), 900, 910, "n1");  // nil: the empty set
  h.final_read(11, "k1", Value(), 900, 910, "n2");
  h.final_read(12, "k2", set_of({2}), 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("lost") == 1);
  CHECK(result.metrics.at("lost_everywhere") == 1);
  CHECK(result.explanation.at(1).find("final reads of k1 from n1 and n2 do not hold it") !=
        std::string::npos);
}

TEST_CASE("lost-writes: adds acknowledged after a final read began are not judged by it") {
  // The add of 2 completes after the final read started: missing from it is no loss, and with
  // no later final read it is not counted as acknowledged either.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 890, 905);
  h.final_read(10, "k1", set_of({1}), 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("acknowledged") == 1);
}

TEST_CASE("lost-writes: unexpected elements are split into recovered, refused, never attempted") {
  // 2's add timed out (it may have happened), 3's add failed, 4 was never added; none counts
  // as lost, but 4 is over-counted (no add produced it), so the check fails.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20);
  h.add(1, "k1", 2, 30, 530, OpType::kInfo);
  h.add(2, "k1", 3, 40, 50, OpType::kFail);
  h.final_read(10, "k1", set_of({1, 2, 3, 4}), 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("over_counted") == 1);
  CHECK(result.metrics.at("unknown") == 1);
  CHECK(result.metrics.at("unexpected") == 3);
  CHECK(result.metrics.at("recovered") == 1);
  CHECK(result.metrics.at("failed_present") == 1);
  CHECK(result.metrics.at("never_attempted") == 1);
  const auto details = nlohmann::json::parse(result.details_json);
  REQUIRE(details.at("unexpected").size() == 3);
  CHECK(details.at("unexpected")[0].at("why") == "recovered");
  CHECK(details.at("unexpected")[1].at("why") == "failed");
  CHECK(details.at("unexpected")[2].at("why") == "never attempted");
  // The refused add that took effect is named with the final read that holds its element.
  CHECK(result.explanation.back() ==
        "element 3 of set k1 is in the final read from n1 [history event 7], but its add by "
        "process 2 [history event 3] was reported failed at 0.050s: a failed operation took "
        "effect.");
}

TEST_CASE("lost-writes: a counter below its acknowledged increments lost some") {
  // Four acked increments and one of unknown outcome; the final reads count 3 and 5.
  HistoryBuilder h;
  for (int i = 0; i < 4; ++i) h.increment(0, "k1", 10 * i, 10 * i + 5);
  h.increment(1, "k1", 100, 600, OpType::kInfo);
  h.final_read(10, "k1", 3, 900, 910, "n2");
  h.final_read(11, "k1", 5, 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("acknowledged") == 4);
  CHECK(result.metrics.at("lost") == 1);
  CHECK(result.metrics.at("unknown") == 1);
  CHECK(result.metrics.at("recovered") == 1);
  CHECK(result.metrics.at("never_attempted") == 0);
  REQUIRE(result.explanation.size() >= 2);
  CHECK(result.explanation[0] ==
        "1 of 4 acknowledged increments (25.0%) are missing from the final reads: the system "
        "answered ok and later lost them.");
  CHECK(result.explanation[1] ==
        "the final read of counter k1 from n2 at 0.900s counted 3, but 4 increments had been "
        "acknowledged before it began (the last by process 0 at 0.035s, history event 6): 1 "
        "acknowledged increment is lost [history event 12].");
}

TEST_CASE("lost-writes: a counter above acknowledged and unknown increments is over-counted") {
  // Regression: one acked and one unknown increment cannot make 4. One is recovered; two are
  // counted although no operation made them (a duplicated request applied twice), and the check
  // fails on them, quoting the final read. It used to pass.
  HistoryBuilder h;
  h.increment(0, "k1", 10, 20).increment(1, "k1", 30, 530, OpType::kInfo);
  h.final_read(10, "k1", 4, 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("lost") == 0);
  CHECK(result.metrics.at("recovered") == 1);
  CHECK(result.metrics.at("never_attempted") == 2);
  CHECK(result.metrics.at("over_counted") == 2);
  CHECK(result.metrics.at("unexpected") == 3);
  CHECK(result.evidence == "judged 1 acknowledged writes against 1 final read; needs at least 1");
  CHECK(result.explanation ==
        std::vector<std::string>{
            "2 increments in the final reads are over-counted: no add or increment, "
            "acknowledged, refused or of unknown outcome, accounts for them (was a request "
            "applied twice, or a value invented?).",
            "the final read of counter k1 from n1 at 0.900s counted 4, but all the increments "
            "invoked before it ended add up to 2 (1 acknowledged before it began, 0 acknowledged "
            "while it ran, 1 with an unknown outcome, 0 refused): 2 increments are over-counted, "
            "counted although no operation made them [history event 5].",
            "3 increments in the final reads were never acknowledged: 1 recovered (the outcome "
            "was unknown, so they may have taken effect), 0 refused, 2 never attempted."});
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details.at("counters").at("k1").at("over_counted") == 2);
  CHECK(details.at("counters").at("k1").at("final_reads")[0].at("over_counted") == 2);
}

TEST_CASE("lost-writes: a counter that reaches its increments exactly is not over-counted") {
  // Increments by 2 and 3 (amounts are summed), one acked, one unknown: a count of 5 is fine.
  HistoryBuilder h;
  h.op(0, "increment", "k1", 2, 2, 10, 20);
  h.op(1, "increment", "k1", 3, 3, 30, 530, OpType::kInfo);
  h.final_read(10, "k1", 5, 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("acknowledged") == 2);
  CHECK(result.metrics.at("recovered") == 3);
  CHECK(result.metrics.at("over_counted") == 0);
  CHECK(result.explanation.empty());
}

TEST_CASE("lost-writes: a refused increment that was counted is reported, not over-counted") {
  // The refused increment may account for the extra count; the fail contract is the
  // linearizable check's to judge, so lost-writes passes and reports it as failed_present.
  HistoryBuilder h;
  h.increment(0, "k1", 10, 20).increment(1, "k1", 30, 40, OpType::kFail);
  h.final_read(10, "k1", 2, 900, 910, "n1");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.metrics.at("failed_present") == 1);
  CHECK(result.metrics.at("over_counted") == 0);
}

TEST_CASE("lost-writes: set elements no add produced are over-counted, each named") {
  // Elements 7 and 8 were never added; 7 is in both final reads, 8 in one. Both are named,
  // with the reads that hold them.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20);
  h.final_read(10, "k1", set_of({1, 7, 8}), 900, 910, "n1");
  h.final_read(11, "k1", set_of({1, 7}), 900, 912, "n2");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(result.metrics.at("lost") == 0);
  CHECK(result.metrics.at("over_counted") == 2);
  REQUIRE(result.explanation.size() == 3);
  CHECK(result.explanation[0] ==
        "2 elements in the final reads are over-counted: no add or increment, acknowledged, "
        "refused or of unknown outcome, accounts for them (was a request applied twice, or a "
        "value invented?).");
  CHECK(result.explanation[1] ==
        "elements 7 and 8 of set k1 are in the final reads from n1 and n2, but no add of them was "
        "ever invoked: over-counted, held although no operation produced them [history events "
        "4, 5].");
}

TEST_CASE("lost-writes: evidence counts the acknowledged writes judged by a final read") {
  // A clean set history passes on its evidence; a history whose only add was acknowledged after
  // the final read began judged nothing and is n/a with the reason.
  HistoryBuilder clean;
  clean.add(0, "k1", 1, 10, 20).add(1, "k1", 2, 30, 40);
  clean.final_read(10, "k1", set_of({1, 2}), 900, 910, "n1");
  const CheckResult pass = check_lost_writes(clean.history());
  CHECK(pass.verdict == CheckVerdict::kPass);
  CHECK(pass.evidence == "judged 2 acknowledged writes against 1 final read; needs at least 1");

  HistoryBuilder late;
  late.add(0, "k1", 1, 890, 905);
  late.final_read(10, "k1", set_of({1}), 900, 910, "n1");
  const CheckResult none = check_lost_writes(late.history());
  CHECK(none.verdict == CheckVerdict::kNotApplicable);
  CHECK(none.evidence == "judged 0 acknowledged writes against 1 final read; needs at least 1");
  CHECK(none.explanation ==
        std::vector<std::string>{"No add or increment was acknowledged before a final read "
                                 "began, so no final read can show an acknowledged write lost."});
}

TEST_CASE("lost-writes: nothing to judge gives n/a with the reason") {
  // Without final reads, or with only kv operations, the explanation says why nothing was judged.
  SUBCASE("no final reads") {
    HistoryBuilder h;
    h.add(0, "k1", 1, 10, 20).read(1, "k1", set_of({1}), 30, 40);
    const CheckResult result = check_lost_writes(h.history());
    CHECK(result.verdict == CheckVerdict::kNotApplicable);
    CHECK(result.explanation ==
          std::vector<std::string>{"The history has no final reads, so nothing tells what the "
                                   "system kept: run the scenario with workload.final_reads: "
                                   "true."});
    CHECK(result.evidence ==
          "judged 0 acknowledged writes against 0 final reads; needs at least 1");
  }
  SUBCASE("a kv workload") {
    HistoryBuilder h;
    h.op(0, "write", "k1", 1, 1, 10, 20);
    h.final_read(10, "k1", 1, 900, 910, "n1");
    const CheckResult result = check_lost_writes(h.history());
    CHECK(result.verdict == CheckVerdict::kNotApplicable);
    REQUIRE(result.explanation.size() == 1);
    CHECK(result.explanation[0].find("a kv workload") != std::string::npos);
  }
}

TEST_CASE("lost-writes: when no final read was answered the verdict is unknown") {
  // One final read timed out and one failed: nothing tells what the system kept.
  HistoryBuilder h;
  h.add(0, "k1", 1, 10, 20);
  h.final_read_unanswered(10, "k1", 900, 1400, OpType::kInfo, "n1");
  h.final_read_unanswered(11, "k1", 900, 905, OpType::kFail, "n2");
  const CheckResult result = check_lost_writes(h.history());
  CHECK(result.verdict == CheckVerdict::kUnknown);
  CHECK(result.explanation ==
        std::vector<std::string>{"None of the 2 final reads of the sets and counters was "
                                 "answered, so nothing tells what the system kept."});
}
