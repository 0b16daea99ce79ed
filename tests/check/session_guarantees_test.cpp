#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/check/kv_history_generator.h"
#include "sim/check/operation.h"
#include "sim/check/session_guarantees.h"
#include "sim/rng.h"
#include "support/history_builder.h"
#include "support/old_reads.h"

using namespace capsim;

namespace {

using Ops = testing::HistoryBuilder;

using testing::brute_known_before;
using testing::brute_source;
using testing::with_old_reads;

// True when what `read` saw (brute_source) is definitely older than the write `newer`.
bool brute_older(const std::vector<Operation>& ops, long source, const Operation& newer) {
  if (source == -1) return true;
  if (source == -2) return false;
  return brute_known_before(ops, static_cast<std::size_t>(source), newer);
}

bool is_ok_read(const Operation& op) { return op.f == "read" && op.outcome == OpType::kOk; }
bool is_a_write(const Operation& op) { return op.f == "write" || op.f == "cas"; }

// Violations of each guarantee counted straight from the definitions in session_guarantees.h,
// comparing every pair (and triple) of operations.
std::array<std::uint64_t, 4> brute_violations(const std::vector<Operation>& ops) {
  std::array<std::uint64_t, 4> counts{};
  std::vector<long> source(ops.size(), -2);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (is_ok_read(ops[i])) source[i] = brute_source(ops, ops[i]);
  }
  for (std::size_t r = 0; r < ops.size(); ++r) {
    if (!is_ok_read(ops[r])) continue;
    bool ryw = false;
    bool mr = false;
    bool mw = false;
    for (std::size_t e = 0; e < r; ++e) {
      const Operation& earlier = ops[e];
      if (earlier.process != ops[r].process || earlier.key != ops[r].key) continue;
      if (is_a_write(earlier) && earlier.outcome == OpType::kOk &&
          brute_older(ops, source[r], earlier)) {
        ryw = true;
      }
      if (is_ok_read(earlier) && source[e] >= 0 &&
          brute_older(ops, source[r], ops[static_cast<std::size_t>(source[e])])) {
        mr = true;
      }
    }
    for (std::size_t a = 0; a < ops.size() && source[r] >= 0; ++a) {
      if (!is_ok_read(ops[a]) || source[a] < 0 || ops[a].key != ops[r].key) continue;
      const Operation& early = ops[static_cast<std::size_t>(source[r])];
      const Operation& late = ops[static_cast<std::size_t>(source[a])];
      if (early.process == late.process && early.invoke_index < late.invoke_index &&
          brute_known_before(ops, static_cast<std::size_t>(source[r]), late) &&
          *ops[a].complete_index < ops[r].invoke_index) {
        mw = true;
      }
    }
    counts[0] += ryw;
    counts[1] += mr;
    counts[2] += mw;
  }
  // Writes-follow-reads: one per write and key.
  for (std::size_t w = 0; w < ops.size(); ++w) {
    if (!is_a_write(ops[w])) continue;
    std::map<std::string, bool> broken;
    for (std::size_t v = 0; v < w; ++v) {
      if (ops[v].process != ops[w].process || !is_ok_read(ops[v]) || source[v] < 0) continue;
      const Operation& dependency = ops[static_cast<std::size_t>(source[v])];
      for (std::size_t seen = 0; seen < ops.size(); ++seen) {
        if (source[seen] != static_cast<long>(w)) continue;
        for (std::size_t stale = 0; stale < ops.size(); ++stale) {
          if (is_ok_read(ops[stale]) && ops[stale].key == ops[v].key &&
              ops[stale].invoke_index > *ops[seen].complete_index &&
              brute_older(ops, source[stale], dependency)) {
            broken[ops[v].key.value_or("")] = true;
          }
        }
      }
    }
    counts[3] += broken.size();
  }
  return counts;
}

double metric(const CheckResult& result, const std::string& name) {
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

}  // namespace

TEST_CASE("session: a history that keeps every guarantee passes") {
  // Two sessions write and read in real-time order and always see the newest value.
  const History history = Ops{}
                              .write(1, "k1", 5, 100, 200)
                              .read(1, "k1", 5, 300, 400)
                              .write(2, "k1", 7, 500, 600)
                              .read(2, "k1", 7, 700, 800)
                              .read(1, "k1", 7, 900, 1000)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.check == "session");
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.explanation.empty());
  CHECK(metric(result, "violations") == 0);
  CHECK(metric(result, "sessions") == 2);
}

TEST_CASE("session: reading an older value after one's own write breaks read-your-writes") {
  // The older write of 5 completed before process 3's write of 7 began, so reading 5 afterwards
  // is proved stale; the sentence names the three operations in words.
  const History history = Ops{}
                              .write(1, "k1", 5, 1000, 1900)
                              .write(3, "k1", 7, 2000, 2100)
                              .read(3, "k1", 5, 2300, 2400)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "read_your_writes_violations") == 1);
  CHECK(metric(result, "violations") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "1 session-guarantee violation over 2 sessions: read-your-writes 1, monotonic-reads 0, "
        "monotonic-writes 0, writes-follow-reads 0.");
  CHECK(result.explanation[1] ==
        "read-your-writes: process 3 wrote 7 to k1 (ok at 2.100s), then read k1 at 2.300s and "
        "got 5, an older value (write of 5 by process 1 completed at 1.900s, before the write of "
        "7 began at 2.000s) "
        "[history events 2, 4, 0]");
  const auto details = nlohmann::json::parse(result.details_json);
  const auto& shown = details["guarantees"]["read-your-writes"]["shown"][0]["operations"];
  REQUIRE(shown.size() == 3);
  CHECK(shown[1]["f"] == "read");
  CHECK(shown[1]["value"] == 5);
  CHECK(shown[1]["invoke_ns"] == 2'300'000'000);
}

TEST_CASE("session: reading nil after one's own write breaks read-your-writes") {
  // nil is the state before any write, older than every write.
  const History history =
      Ops{}.write(3, "k1", 7, 100, 200).read(3, "k1", Value{}, 300, 400).history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "read-your-writes: process 3 wrote 7 to k1 (ok at 0.200s), then read k1 at 0.300s and "
        "got nil, as if nothing had been written [history events 0, 2]");
}

TEST_CASE("session: a concurrent write is not definitely older, so reading it is allowed") {
  // The write of 5 overlaps the write of 7: a replica may order it last, so reading 5 after
  // writing 7 proves nothing.
  const History history = Ops{}
                              .write(1, "k1", 5, 1000, 2050)
                              .write(3, "k1", 7, 2000, 2100)
                              .read(3, "k1", 5, 2300, 2400)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "read_your_writes_violations") == 0);
}

TEST_CASE("session: a cas counts as a write of its new value") {
  // Process 2 sets k1 from 5 to 7 by cas, then reads the 5 it replaced.
  const History history = Ops{}
                              .write(1, "k1", 5, 100, 200)
                              .op(2, "cas", "k1", Value::List{5, 7}, Value::List{5, 7}, 300, 400)
                              .read(2, "k1", 5, 500, 600)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  REQUIRE(result.explanation.size() >= 2);
  CHECK(result.explanation[1] ==
        "read-your-writes: process 2 set k1 from 5 to 7 by cas (ok at 0.400s), then read k1 at "
        "0.500s and got 5, an older value (write of 5 by process 1 completed at 0.200s, before "
        "the write of 7 began at 0.300s) [history events 2, 4, 0]");
}

TEST_CASE("session: going back to an older value breaks monotonic reads") {
  // Process 2 reads 7 and then 5, whose write completed before the write of 7 began. (The
  // writes come from two sessions, so monotonic writes is not at stake.)
  const History history = Ops{}
                              .write(1, "k1", 5, 100, 200)
                              .write(9, "k1", 7, 300, 400)
                              .read(2, "k1", 7, 500, 600)
                              .read(2, "k1", 5, 700, 800)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "monotonic_reads_violations") == 1);
  CHECK(metric(result, "read_your_writes_violations") == 0);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "monotonic-reads: process 2 read 7 from k1 at 0.500s, then read k1 at 0.700s and got 5, "
        "an older value (write of 5 by process 1 completed at 0.200s, before the write of 7 began "
        "at 0.300s) "
        "[history events 4, 6, 0]");
}

TEST_CASE("session: nil after a value breaks monotonic reads") {
  // Once a session has seen a written value, nil means it went back before every write.
  const History history = Ops{}
                              .write(1, "k1", 5, 100, 200)
                              .read(2, "k1", 5, 300, 400)
                              .read(2, "k1", Value{}, 500, 600)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(metric(result, "monotonic_reads_violations") == 1);
}

TEST_CASE("session: writes of unknown outcome and failed writes prove no order") {
  // The write of 5 timed out (info), so it may have taken effect after the write of 7; the
  // write of 9 failed, so a read of 9 is of a value nobody wrote and is not judged; a pending
  // write of 11 behaves like the info one.
  const History history = Ops{}
                              .write(1, "k1", 5, 100, 200, OpType::kInfo)
                              .write(4, "k1", 9, 100, 150, OpType::kFail)
                              .write(5, "k1", 11, 120, std::nullopt)
                              .write(2, "k1", 7, 300, 400)
                              .read(3, "k1", 7, 500, 600)
                              .read(3, "k1", 5, 700, 800)
                              .read(3, "k1", 9, 900, 1000)
                              .read(3, "k1", 11, 1100, 1200)
                              .read(3, "k1", 7, 1300, 1400)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "violations") == 0);
}

TEST_CASE("session: seeing a session's writes out of order breaks monotonic writes") {
  // Process 1 writes 5 then 7; process 2 sees 7, and a read that begins after that one ended
  // sees 5 again.
  const History history = Ops{}
                              .write(1, "k1", 5, 1000, 1100)
                              .write(1, "k1", 7, 1200, 1300)
                              .read(2, "k1", 7, 1700, 1750)
                              .read(4, "k1", 5, 2000, 2050)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "monotonic_writes_violations") == 1);
  CHECK(metric(result, "monotonic_reads_violations") == 0);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "monotonic-writes: process 1 wrote 5 to k1 (ok at 1.100s), then wrote 7 to k1 (invoked "
        "at 1.200s); process 2 read 7 from k1 at 1.700s (done at 1.750s), yet process 4 read k1 "
        "at 2.000s and got the earlier 5 [history events 0, 2, 4, 6]");
}

TEST_CASE("session: overlapping reads may see a session's writes in either order") {
  // The read of 5 begins before the read of 7 ends, so no real-time order separates them.
  const History history = Ops{}
                              .write(1, "k1", 5, 1000, 1100)
                              .write(1, "k1", 7, 1200, 1300)
                              .read(2, "k1", 7, 1700, 1750)
                              .read(4, "k1", 5, 1740, 1800)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(metric(result, "monotonic_writes_violations") == 0);
  // No read had anything it could be held to, so the check judged nothing.
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("session: a write seen without the value read before it breaks writes-follow-reads") {
  // Process 1 reads 5 from k1 and then writes 9 to k2. Process 2 sees 9; afterwards process 3
  // reads k1 and gets 3, whose write completed before the write of 5 began.
  const History history = Ops{}
                              .write(7, "k1", 3, 100, 500)
                              .write(8, "k1", 5, 600, 700)
                              .read(1, "k1", 5, 1000, 1100)
                              .write(1, "k2", 9, 1200, 1300)
                              .read(2, "k2", 9, 1600, 1650)
                              .read(3, "k1", 3, 2000, 2050)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "writes_follow_reads_violations") == 1);
  CHECK(metric(result, "violations") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "writes-follow-reads: process 1 read 5 from k1 at 1.000s, then wrote 9 to k2 (invoked "
        "at 1.200s); process 2 read 9 from k2 at 1.600s (done at 1.650s), yet process 3 read k1 "
        "at 2.000s and got 3, an older value (write of 3 by process 7 completed at 0.500s, before "
        "the write of 5 began at 0.600s) [history events 4, 6, 8, 10, 0]");
}

TEST_CASE("session: a stale read that overlaps the read of the dependent write is allowed") {
  // The read of k1 begins before the read of 9 completes, so it may have happened first.
  const History history = Ops{}
                              .write(7, "k1", 3, 100, 500)
                              .write(8, "k1", 5, 600, 700)
                              .read(1, "k1", 5, 1000, 1100)
                              .write(1, "k2", 9, 1200, 1300)
                              .read(2, "k2", 9, 1600, 1650)
                              .read(3, "k1", 3, 1640, 2050)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(metric(result, "writes_follow_reads_violations") == 0);
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("session: a history without reads has nothing to judge") {
  // Writes alone cannot violate a session guarantee.
  const History history = Ops{}.write(1, "k1", 5, 100, 200).history();
  CHECK(check_session_guarantees(history).verdict == CheckVerdict::kNotApplicable);
}

TEST_CASE("session: a malformed history is reported, not judged") {
  // A completion without an invoke makes the history unreadable as operations.
  History history;
  HistoryEvent done;
  done.process = 1;
  done.type = OpType::kOk;
  done.f = "read";
  history.add(done);
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kUnknown);
  REQUIRE(result.explanation.size() == 1);
  CHECK(result.explanation[0] ==
        "The history could not be checked: event 0: process 1 completed a read (ok) that it "
        "never invoked.");
}

TEST_CASE("session: histories of a linearizable store keep every guarantee") {
  // A linearizable store keeps all four guarantees, so on its histories (with cas, timeouts and
  // many overlapping processes) the conservative checks must find nothing.
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Rng rng(seed);
    KvHistorySpec spec;
    spec.operations = 2000;
    spec.keys = 3;
    spec.processes = 8;
    spec.info_per_mille = 50;
    const CheckResult result = check_session_guarantees(generate_kv_history(rng, spec));
    CAPTURE(seed);
    CHECK(result.verdict == CheckVerdict::kPass);
    CHECK(metric(result, "violations") == 0);
  }
}

TEST_CASE("session: the checks agree with brute-force definitions on stale histories") {
  // Reads of old versions are planted in linearizable histories; each guarantee is then checked
  // again by comparing every pair of operations, and the counts must match.
  std::array<std::uint64_t, 4> totals{};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    KvHistorySpec spec;
    spec.operations = 250;
    spec.keys = 2;
    spec.processes = 5;
    spec.info_per_mille = 60;
    const History history = with_old_reads(generate_kv_history(rng, spec), rng);
    OperationList list;
    std::string error;
    REQUIRE(collect_operations(history, list, error));
    const std::array<std::uint64_t, 4> expected = brute_violations(list.operations);
    const CheckResult result = check_session_guarantees(history);
    CAPTURE(seed);
    CHECK(metric(result, "read_your_writes_violations") == static_cast<double>(expected[0]));
    CHECK(metric(result, "monotonic_reads_violations") == static_cast<double>(expected[1]));
    CHECK(metric(result, "monotonic_writes_violations") == static_cast<double>(expected[2]));
    CHECK(metric(result, "writes_follow_reads_violations") == static_cast<double>(expected[3]));
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] += expected[i];
  }
  for (std::uint64_t total : totals) CHECK(total > 0);  // every guarantee was put to the test
}
