// Session guarantees and staleness on sets and counters: hand-built histories with known
// verdicts, and agreement with brute-force definitions on random histories.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "sim/check/operation.h"
#include "sim/check/session_guarantees.h"
#include "sim/check/staleness.h"
#include "sim/rng.h"
#include "sim/run_summary.h"
#include "support/collection_histories.h"
#include "support/history_builder.h"

using namespace capsim;

namespace {

using Ops = testing::HistoryBuilder;
using testing::CollectionKind;

double metric(const CheckResult& result, const std::string& name) {
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

Value set_of(std::initializer_list<std::int64_t> elements) {
  Value::List list;
  for (std::int64_t e : elements) list.emplace_back(e);
  return Value(list);
}

// ---- brute-force definitions (session_guarantees.h, staleness.h), pair by pair ----

bool ok_read(const Operation& op) { return op.f == "read" && op.outcome == OpType::kOk; }

std::set<Value> held(const Operation& read) {
  std::set<Value> out;
  if (read.output.is_list()) out.insert(read.output.list().begin(), read.output.list().end());
  return out;
}

// When the add at `a` is known done: its ok completion, or the earliest completion of an ok
// read holding its element.
std::optional<std::uint64_t> add_done(const std::vector<Operation>& ops, const Operation& a) {
  if (a.outcome == OpType::kOk) return a.complete_index;
  std::optional<std::uint64_t> done;
  for (const Operation& r : ops) {
    if (ok_read(r) && r.key == a.key && held(r).count(a.input) &&
        (!done || *r.complete_index < *done)) {
      done = r.complete_index;
    }
  }
  return done;
}

std::optional<Time> add_done_time(const std::vector<Operation>& ops, const Operation& a) {
  if (a.outcome == OpType::kOk) return a.complete_time;
  std::optional<Operation> first;
  for (const Operation& r : ops) {
    if (ok_read(r) && r.key == a.key && held(r).count(a.input) &&
        (!first || *r.complete_index < *first->complete_index)) {
      first = r;
    }
  }
  return first ? first->complete_time : std::nullopt;
}

// Violating reads per guarantee on a set history.
std::array<std::uint64_t, 4> brute_set_sessions(const std::vector<Operation>& ops) {
  std::array<std::uint64_t, 4> counts{};
  for (std::size_t r = 0; r < ops.size(); ++r) {
    if (!ok_read(ops[r])) continue;
    const std::set<Value> got = held(ops[r]);
    bool ryw = false, mr = false, mw = false, wfr = false;
    for (std::size_t e = 0; e < r; ++e) {
      const Operation& earlier = ops[e];
      if (earlier.process != ops[r].process || earlier.key != ops[r].key) continue;
      if (earlier.f == "add" && earlier.outcome == OpType::kOk && !got.count(earlier.input)) {
        ryw = true;
      }
      if (ok_read(earlier)) {
        for (const Value& x : held(earlier)) mr = mr || !got.count(x);
      }
    }
    // Monotonic writes: an element of the read added by a session after an earlier add of that
    // session to the key, known done before it began, that the read lacks.
    for (const Operation& late : ops) {
      if (late.f != "add" || late.key != ops[r].key || !got.count(late.input)) continue;
      for (const Operation& early : ops) {
        if (early.f != "add" || early.key != late.key || early.process != late.process ||
            early.invoke_index >= late.invoke_index) {
          continue;
        }
        const auto done = add_done(ops, early);
        if (done && *done < late.invoke_index && !got.count(early.input)) mw = true;
      }
    }
    // Writes-follow-reads: a session read this key holding x and later added b; a read holding
    // b completed before this read began; this read lacks x.
    for (const Operation& b : ops) {
      if (b.f != "add") continue;
      bool b_seen_before = false;
      for (const Operation& seen : ops) {
        if (ok_read(seen) && seen.key == b.key && held(seen).count(b.input) &&
            *seen.complete_index < ops[r].invoke_index) {
          b_seen_before = true;
        }
      }
      if (!b_seen_before) continue;
      for (const Operation& d : ops) {
        if (!ok_read(d) || d.process != b.process || d.key != ops[r].key ||
            d.invoke_index >= b.invoke_index) {
          continue;
        }
        for (const Value& x : held(d)) wfr = wfr || !got.count(x);
      }
    }
    counts[0] += ryw;
    counts[1] += mr;
    counts[2] += mw;
    counts[3] += wfr;
  }
  return counts;
}

std::int64_t count_of(const Operation& read) {
  return read.output.is_integer() ? read.output.integer() : 0;
}

// Violating reads of read-your-writes and monotonic reads on a counter history.
std::array<std::uint64_t, 2> brute_counter_sessions(const std::vector<Operation>& ops) {
  std::array<std::uint64_t, 2> counts{};
  for (std::size_t r = 0; r < ops.size(); ++r) {
    if (!ok_read(ops[r])) continue;
    const std::int64_t got = count_of(ops[r]);
    bool ryw = false, mr = false;
    std::int64_t own = 0;
    for (std::size_t e = 0; e < r; ++e) {
      const Operation& earlier = ops[e];
      if (earlier.process != ops[r].process || earlier.key != ops[r].key) continue;
      if (earlier.f == "increment" && earlier.outcome == OpType::kOk) ++own;
      if (!ok_read(earlier)) continue;
      if (got < count_of(earlier)) mr = true;
      std::int64_t since = 0;
      for (std::size_t i = e + 1; i < r; ++i) {
        if (ops[i].process == ops[r].process && ops[i].key == ops[r].key &&
            ops[i].f == "increment" && ops[i].outcome == OpType::kOk) {
          ++since;
        }
      }
      if (since > 0 && got < count_of(earlier) + since) ryw = true;
    }
    if (got < own) ryw = true;
    counts[0] += ryw;
    counts[1] += mr;
  }
  return counts;
}

struct BruteStaleness {
  std::uint64_t stale = 0;
  std::uint64_t behind_max = 0;
  Duration lag_max{0};
  std::uint64_t reads = 0;
};

BruteStaleness brute_staleness(const std::vector<Operation>& ops, CollectionKind kind) {
  BruteStaleness out;
  for (const Operation& read : ops) {
    if (!ok_read(read)) continue;
    ++out.reads;
    std::uint64_t behind = 0;
    std::optional<Time> from;
    if (kind == CollectionKind::kSet) {
      const std::set<Value> got = held(read);
      for (const Operation& a : ops) {
        if (a.f != "add" || a.key != read.key || got.count(a.input)) continue;
        const auto done = add_done(ops, a);
        if (!done || *done >= read.invoke_index) continue;
        ++behind;
        const Time t = *add_done_time(ops, a);
        if (!from || t < *from) from = t;
      }
    } else {
      std::vector<const Operation*> acked;
      for (const Operation& i : ops) {
        if (i.f == "increment" && i.key == read.key && i.outcome == OpType::kOk &&
            *i.complete_index < read.invoke_index) {
          acked.push_back(&i);
        }
      }
      std::sort(acked.begin(), acked.end(), [](const Operation* a, const Operation* b) {
        return *a->complete_index < *b->complete_index;
      });
      const auto got = count_of(read);
      if (static_cast<std::int64_t>(acked.size()) > got) {
        behind = acked.size() - static_cast<std::uint64_t>(got);
        from = acked[static_cast<std::size_t>(got)]->complete_time;
      }
    }
    if (behind == 0) continue;
    ++out.stale;
    out.behind_max = std::max(out.behind_max, behind);
    out.lag_max = std::max(out.lag_max, read.invoke_time - *from);
  }
  return out;
}

}  // namespace

TEST_CASE("session: a set read without the session's own acknowledged add breaks read-your-writes") {
  // Process 2 adds 2 (ok), then reads [1 3]: its own add is missing.
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .add(2, "k1", 2, 20, 30)
                              .add(1, "k1", 3, 20, 40)
                              .read(2, "k1", set_of({1, 3}), 50, 60)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "read_your_writes_violations") == 1);
  CHECK(metric(result, "violations") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "read-your-writes: process 2 added 2 to k1 (ok at 0.030s), then read k1 at 0.050s and got "
        "[1 3], without 2, its own acknowledged add [history events 2, 6]");
  CHECK(result.evidence == "judged 1 reads; needs at least 1");
}

TEST_CASE("session: set reads that hold the session's adds and earlier reads pass") {
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .read(2, "k1", set_of({1}), 20, 30)
                              .add(2, "k1", 2, 40, 50)
                              .read(2, "k1", set_of({1, 2}), 60, 70)
                              .read(1, "k1", set_of({1, 2}), 80, 90)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "violations") == 0);
  // The first read has nothing before it in its session and holds no add with one before it.
  CHECK(metric(result, "reads_judged") == 2);
}

TEST_CASE("session: losing an element an earlier read held breaks monotonic reads on a set") {
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .read(2, "k1", set_of({1}), 20, 30)
                              .read(2, "k1", Value(), 40, 50)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "monotonic_reads_violations") == 1);
  CHECK(metric(result, "read_your_writes_violations") == 0);
}

TEST_CASE("session: a set read holding a later add but not the session's earlier one breaks "
          "monotonic writes") {
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .add(1, "k1", 2, 20, 30)
                              .read(2, "k1", set_of({2}), 40, 50)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "monotonic_writes_violations") == 1);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "monotonic-writes: process 1 added 1 to k1 (ok at 0.010s), then added 2 (invoked at "
        "0.020s); process 2 read k1 at 0.040s and got 2 but not the earlier 1 [history events 0, "
        "2, 4]");
}

TEST_CASE("session: an add seen without what its session had read breaks writes-follow-reads") {
  // Process 2 reads {1} from k1, then adds 5 to k2; process 3 sees 5; afterwards process 4
  // reads k1 without 1.
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .read(2, "k1", set_of({1}), 20, 30)
                              .add(2, "k2", 5, 40, 50)
                              .read(3, "k2", set_of({5}), 60, 70)
                              .read(4, "k1", Value(), 80, 90)
                              .history();
  const CheckResult result = check_session_guarantees(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "writes_follow_reads_violations") == 1);
  CHECK(metric(result, "violations") == 1);
}

TEST_CASE("session: counter reads below the session's own increments or earlier reads fail") {
  SUBCASE("below its own acknowledged increments") {
    const History history = Ops{}
                                .increment(1, "c", 0, 10)
                                .increment(1, "c", 20, 30)
                                .read(1, "c", 1, 40, 50)
                                .history();
    const CheckResult result = check_session_guarantees(history);
    CHECK(result.verdict == CheckVerdict::kFail);
    CHECK(metric(result, "read_your_writes_violations") == 1);
    CHECK(metric(result, "monotonic_reads_violations") == 0);
  }
  SUBCASE("below an earlier read plus the increments since") {
    // Read 5 (others' increments), then one own increment: the count must be at least 6.
    const History history = Ops{}
                                .read(1, "c", 5, 0, 10)
                                .increment(1, "c", 20, 30)
                                .read(1, "c", 5, 40, 50)
                                .history();
    const CheckResult result = check_session_guarantees(history);
    CHECK(result.verdict == CheckVerdict::kFail);
    CHECK(metric(result, "read_your_writes_violations") == 1);
    CHECK(metric(result, "monotonic_reads_violations") == 0);
    REQUIRE(result.explanation.size() == 2);
    CHECK(result.explanation[1] ==
          "read-your-writes: process 1 read c at 0.000s and got 5, then had 1 more increment "
          "acknowledged (the last ok at 0.030s), then read it at 0.040s and got 5, below 6 "
          "[history events 0, 2, 4]");
  }
  SUBCASE("lower than an earlier read") {
    const History history = Ops{}.read(1, "c", 5, 0, 10).read(1, "c", 4, 20, 30).history();
    const CheckResult result = check_session_guarantees(history);
    CHECK(result.verdict == CheckVerdict::kFail);
    CHECK(metric(result, "monotonic_reads_violations") == 1);
  }
  SUBCASE("counts that keep up pass") {
    const History history = Ops{}
                                .read(1, "c", 5, 0, 10)
                                .increment(1, "c", 20, 30)
                                .read(1, "c", 6, 40, 50)
                                .read(2, "c", 3, 40, 50)
                                .history();
    const CheckResult result = check_session_guarantees(history);
    CHECK(result.verdict == CheckVerdict::kPass);
    CHECK(metric(result, "reads_judged") == 1);
  }
}

TEST_CASE("session and staleness: nothing to judge is n/a with the reason, never a pass") {
  SUBCASE("reads with nothing before them in their session") {
    const History history = Ops{}.add(1, "k1", 1, 0, 10).read(2, "k1", set_of({1}), 20, 30).history();
    const CheckResult result = check_session_guarantees(history);
    CHECK(result.verdict == CheckVerdict::kNotApplicable);
    CHECK(result.evidence == "judged 0 reads; needs at least 1");
    REQUIRE_FALSE(result.explanation.empty());
    CHECK(result.explanation[0].find("None of the ok reads had") == 0);
  }
  SUBCASE("a key that mixes writes and adds is not judged") {
    const History history = Ops{}
                                .write(1, "k1", 7, 0, 10)
                                .add(1, "k1", 2, 20, 30)
                                .read(1, "k1", Value(), 40, 50)
                                .history();
    const CheckResult session = check_session_guarantees(history);
    CHECK(session.verdict == CheckVerdict::kNotApplicable);
    REQUIRE_FALSE(session.explanation.empty());
    CHECK(session.explanation[0].find("key k1 is not judged: it mixes adds and writes") !=
          std::string::npos);
    const CheckResult staleness = check_staleness(history);
    CHECK(staleness.verdict == CheckVerdict::kNotApplicable);
    CHECK(metric(staleness, "reads_unmeasured") == 1);
  }
  SUBCASE("staleness with no update before any read") {
    const History history = Ops{}.read(1, "c", 0, 0, 10).increment(2, "c", 20, 30).history();
    const CheckResult result = check_staleness(history);
    CHECK(result.verdict == CheckVerdict::kNotApplicable);
    CHECK(result.evidence == "judged 0 reads that could be stale; needs at least 1");
  }
}

TEST_CASE("staleness: a set read missing acknowledged adds counts them") {
  const History history = Ops{}
                              .add(1, "k1", 1, 0, 10)
                              .add(1, "k1", 2, 20, 30)
                              .add(1, "k1", 3, 40, 50)
                              .read(2, "k1", set_of({2}), 100, 110)
                              .read(2, "k1", set_of({1, 2, 3}), 120, 130)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "stale_reads") == 1);
  CHECK(metric(result, "versions_behind_max") == 2);
  CHECK(metric(result, "lag_max_ns") == 90'000'000);  // since the add of 1 was acknowledged
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1] ==
        "process 2 read k1 at 0.100s and got [2], without 2 acknowledged adds (1 and 3): the add "
        "of 1 had completed at 0.010s, 90ms before the read began [history events 6, 0]");
}

TEST_CASE("staleness: a long set read names every acknowledged add it lacks") {
  // Twelve acknowledged adds, a read holding two of them: the read is given by its contents (it
  // is short), and all ten missing elements are named, not the first eight and a count.
  Ops ops;
  for (int e = 1; e <= 12; ++e) ops.add(1, "k1", e, e * 10, e * 10 + 5);
  ops.read(2, "k1", set_of({1, 12}), 200, 210);
  const CheckResult result = check_staleness(ops.history());
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[1].find("without 10 acknowledged adds (2, 3, 4, 5, 6, 7, 8, 9, 10 "
                                   "and 11)") != std::string::npos);
}

TEST_CASE("staleness: a counter read below the acknowledged increments is behind by the gap") {
  // Four increments acknowledged by 0.08s; a read at 0.1s returns 1: at least 3 missed, and it
  // cannot hold the first two, acknowledged by 0.03s.
  const History history = Ops{}
                              .increment(1, "c", 0, 10)
                              .increment(1, "c", 20, 30)
                              .increment(1, "c", 40, 50)
                              .increment(1, "c", 70, 80)
                              .read(2, "c", 1, 100, 110)
                              .read(2, "c", 4, 120, 130)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "stale_reads") == 1);
  CHECK(metric(result, "versions_behind_max") == 3);
  CHECK(metric(result, "lag_max_ns") == 70'000'000);
}

TEST_CASE("session and staleness: a write of unknown outcome that a read returned orders reads") {
  // The write of 351 timed out, but process 3 read it by 0.25s; process 4 then wrote 374 (ok)
  // and read 351 back: older than its own write. And a read of 351 after 374 was acknowledged
  // is stale.
  const History history = Ops{}
                              .write(1, "k1", 351, 100, 300, OpType::kInfo)
                              .read(3, "k1", 351, 200, 250)
                              .write(4, "k1", 374, 400, 500)
                              .read(4, "k1", 351, 600, 700)
                              .history();
  const CheckResult session = check_session_guarantees(history);
  CHECK(session.verdict == CheckVerdict::kFail);
  CHECK(metric(session, "read_your_writes_violations") == 1);
  REQUIRE(session.explanation.size() == 2);
  CHECK(session.explanation[1] ==
        "read-your-writes: process 4 wrote 374 to k1 (ok at 0.500s), then read k1 at 0.600s and "
        "got 351, an older value (write of 351 by process 1 was known done at 0.250s (its outcome "
        "unknown, but process 3 had read it), before the write of 374 began at 0.400s) [history "
        "events 4, 6, 0, 1]");
  const CheckResult staleness = check_staleness(history);
  CHECK(staleness.verdict == CheckVerdict::kFail);
  CHECK(metric(staleness, "stale_reads") == 1);
}

TEST_CASE("session and staleness on sets and counters agree with brute-force definitions") {
  std::array<std::uint64_t, 4> set_totals{};
  std::array<std::uint64_t, 2> counter_totals{};
  std::uint64_t stale_total = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    for (const CollectionKind kind : {CollectionKind::kSet, CollectionKind::kCounter}) {
      Rng rng(seed);
      testing::CollectionHistorySpec spec;
      spec.kind = kind;
      spec.processes = 2 + static_cast<int>(seed % 4);
      spec.operations = 40 + static_cast<int>(seed % 5) * 20;
      const History history = testing::random_collection_history(rng, spec);
      OperationList list;
      std::string error;
      REQUIRE(collect_operations(history, list, error));
      const std::vector<Operation>& ops = list.operations;
      const CheckResult session = check_session_guarantees(history);
      const CheckResult staleness = check_staleness(history);
      CAPTURE(seed);
      CAPTURE(kind == CollectionKind::kSet ? "set" : "counter");
      if (kind == CollectionKind::kSet) {
        const auto expected = brute_set_sessions(ops);
        CHECK(metric(session, "read_your_writes_violations") == static_cast<double>(expected[0]));
        CHECK(metric(session, "monotonic_reads_violations") == static_cast<double>(expected[1]));
        CHECK(metric(session, "monotonic_writes_violations") == static_cast<double>(expected[2]));
        CHECK(metric(session, "writes_follow_reads_violations") ==
              static_cast<double>(expected[3]));
        for (std::size_t i = 0; i < 4; ++i) set_totals[i] += expected[i];
      } else {
        const auto expected = brute_counter_sessions(ops);
        CHECK(metric(session, "read_your_writes_violations") == static_cast<double>(expected[0]));
        CHECK(metric(session, "monotonic_reads_violations") == static_cast<double>(expected[1]));
        CHECK(metric(session, "monotonic_writes_violations") == 0);
        for (std::size_t i = 0; i < 2; ++i) counter_totals[i] += expected[i];
      }
      const BruteStaleness stale = brute_staleness(ops, kind);
      CHECK(metric(staleness, "reads") == static_cast<double>(stale.reads));
      CHECK(metric(staleness, "stale_reads") == static_cast<double>(stale.stale));
      if (stale.reads > 0) {
        CHECK(metric(staleness, "versions_behind_max") == static_cast<double>(stale.behind_max));
        CHECK(metric(staleness, "lag_max_ns") == static_cast<double>(stale.lag_max.count()));
      }
      stale_total += stale.stale;
    }
  }
  // Every guarantee, and staleness, was put to the test.
  for (std::uint64_t total : set_totals) CHECK(total > 0);
  for (std::uint64_t total : counter_totals) CHECK(total > 0);
  CHECK(stale_total > 0);
}
