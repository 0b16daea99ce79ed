#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/check/kv_history_generator.h"
#include "sim/check/operation.h"
#include "sim/check/staleness.h"
#include "sim/rng.h"
#include "sim/run_summary.h"
#include "support/history_builder.h"
#include "support/old_reads.h"

using namespace capsim;

namespace {

using Ops = testing::HistoryBuilder;

using testing::brute_done_by;
using testing::brute_known_before;
using testing::brute_source;
using testing::with_old_reads;

double metric(const CheckResult& result, const std::string& name) {
  REQUIRE(result.metrics.count(name) == 1);
  return result.metrics.at(name);
}

}  // namespace

TEST_CASE("staleness: reads of the newest completed value are fresh") {
  // Every read returns the last write that completed before it began: nothing is stale.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 100)
                              .read(2, "k1", 1, 200, 300)
                              .write(1, "k1", 2, 400, 500)
                              .read(2, "k1", 2, 600, 700)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.check == "staleness");
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(result.explanation.empty());
  CHECK(metric(result, "reads") == 2);
  CHECK(metric(result, "stale_fraction") == 0);
  CHECK(metric(result, "fresh_fraction") == 1);
  CHECK(metric(result, "lag_p99_ns") == 0);
  CHECK(result.metrics.count("stale_lag_p50_ns") == 0);
}

TEST_CASE("staleness: a read counts the newer completed writes and the time since the first") {
  // Writes of 2 and 3 both began after the write of 1 completed and completed before the read
  // of 1 began: two versions behind, and the write of 2 had been complete for 300ms.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 100)
                              .write(2, "k1", 2, 200, 300)
                              .write(3, "k1", 3, 400, 500)
                              .read(9, "k1", 1, 600, 700)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  CHECK(metric(result, "stale_reads") == 1);
  CHECK(metric(result, "versions_behind_max") == 2);
  CHECK(metric(result, "lag_max_ns") == 300'000'000);
  REQUIRE(result.explanation.size() == 2);
  CHECK(result.explanation[0] ==
        "1 of 1 reads were stale (100.0%): up to 2 acknowledged updates missed, and up to 300ms after a "
        "newer value was known done.");
  CHECK(result.explanation[1] ==
        "process 9 read k1 at 0.600s and got 1, 2 versions behind: the newer write of 2 by "
        "process 2 had completed at 0.300s, 300ms before the read began; it began at 0.200s, "
        "after the write of 1 by process 1 had completed at 0.100s [history events 6, 2, 0]");
}

TEST_CASE("staleness: nil is behind every write completed before the read") {
  // Nothing written is older than nil, so both completed writes count.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 100)
                              .write(2, "k1", 2, 50, 150)
                              .read(9, "k1", Value{}, 400, 500)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(metric(result, "versions_behind_max") == 2);
  CHECK(metric(result, "lag_max_ns") == 300'000'000);  // since the first completion, at 100ms
}

TEST_CASE("staleness: concurrent, unfinished and unknown writes do not make a read stale") {
  // The write of 2 overlaps the write of 1 (no known order); the write of 3 completes after
  // the read began; the write of 4 timed out. None is definitely newer and complete.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 300)
                              .write(2, "k1", 2, 200, 400)
                              .write(3, "k1", 3, 450, 900)
                              .write(4, "k1", 4, 460, 470, OpType::kInfo)
                              .read(9, "k1", 1, 500, 600)
                              .read(8, "k1", 4, 500, 600)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kPass);
  CHECK(metric(result, "reads") == 2);
  CHECK(metric(result, "stale_reads") == 0);
}

TEST_CASE("staleness: percentiles are nearest-rank over all reads and over stale reads") {
  // Three fresh reads and one two versions and 300ms behind: sorted versions [0 0 0 2] give
  // p50 = 0 (rank 2) and p99 = 2 (rank 4); over the stale read alone every percentile is 300ms.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 100)
                              .read(5, "k1", 1, 150, 160)
                              .write(2, "k1", 2, 200, 300)
                              .write(3, "k1", 3, 400, 500)
                              .read(6, "k1", 3, 550, 560)
                              .read(7, "k1", 3, 570, 580)
                              .read(9, "k1", 1, 600, 700)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(metric(result, "reads") == 4);
  CHECK(metric(result, "stale_fraction") == doctest::Approx(0.25));
  CHECK(metric(result, "fresh_fraction") == doctest::Approx(0.75));
  CHECK(metric(result, "versions_behind_p50") == 0);
  CHECK(metric(result, "versions_behind_p99") == 2);
  CHECK(metric(result, "lag_p50_ns") == 0);
  CHECK(metric(result, "lag_p99_ns") == 300'000'000);
  CHECK(metric(result, "lag_p999_ns") == 300'000'000);
  CHECK(metric(result, "stale_lag_p50_ns") == 300'000'000);
}

TEST_CASE("staleness: nearest-rank positions in thousandths") {
  // The position of rank ceil(permille * n / 1000), counted from zero.
  CHECK(nearest_rank_position(10, 500) == 4);
  CHECK(nearest_rank_position(10, 990) == 9);
  CHECK(nearest_rank_position(10, 1000) == 9);
  CHECK(nearest_rank_position(1000, 999) == 998);
  CHECK(nearest_rank_position(1000, 990) == 989);
  CHECK(nearest_rank_position(3, 500) == 1);
  CHECK(nearest_rank_position(1, 1) == 0);
}

TEST_CASE("staleness: details break reads down per key and list the most stale first") {
  // On k2 one read is two versions behind; on k1 two reads are one version behind, 100ms and
  // 200ms after the newer write completed. Most stale first: k2's, then k1's longer lag.
  const History history = Ops{}
                              .write(1, "k1", 1, 0, 100)
                              .write(2, "k1", 2, 200, 300)
                              .write(3, "k2", 10, 0, 100)
                              .write(4, "k2", 20, 200, 300)
                              .write(4, "k2", 30, 310, 400)
                              .read(5, "k1", 1, 400, 410)
                              .read(6, "k2", 10, 450, 460)
                              .read(7, "k1", 1, 500, 510)
                              .read(8, "k2", 30, 600, 610)
                              .history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kFail);
  const auto details = nlohmann::json::parse(result.details_json);
  CHECK(details["keys"]["k1"]["reads"] == 2);
  CHECK(details["keys"]["k1"]["stale_reads"] == 2);
  CHECK(details["keys"]["k2"]["reads"] == 2);
  CHECK(details["keys"]["k2"]["stale_reads"] == 1);
  CHECK(details["overall"]["stale_reads"] == 3);
  const auto& shown = details["most_stale"];
  REQUIRE(shown.size() == 3);
  CHECK(shown[0]["read"]["key"] == "k2");
  CHECK(shown[0]["versions_behind"] == 2);
  CHECK(shown[1]["read"]["process"] == 7);
  CHECK(shown[1]["lag_ns"] == 200'000'000);
  CHECK(shown[2]["read"]["process"] == 5);
  CHECK(result.explanation.size() == 4);
}

TEST_CASE("staleness: reads of values nobody wrote are not measured") {
  // A read of 42, which no operation wrote, says nothing about versions.
  const History history = Ops{}.write(1, "k1", 1, 0, 100).read(2, "k1", 42, 200, 300).history();
  const CheckResult result = check_staleness(history);
  CHECK(result.verdict == CheckVerdict::kNotApplicable);
  CHECK(metric(result, "reads_unmeasured") == 1);
  CHECK(metric(result, "reads") == 0);
}

TEST_CASE("staleness: histories of a linearizable store have no stale read") {
  // In a linearizable store a read begun after a newer write completed cannot return the older
  // value, so every measured read must be fresh.
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Rng rng(seed);
    KvHistorySpec spec;
    spec.operations = 2000;
    spec.keys = 3;
    spec.processes = 8;
    spec.info_per_mille = 50;
    const CheckResult result = check_staleness(generate_kv_history(rng, spec));
    CAPTURE(seed);
    CHECK(result.verdict == CheckVerdict::kPass);
    CHECK(metric(result, "reads") > 100);
    CHECK(metric(result, "stale_reads") == 0);
  }
}

TEST_CASE("staleness: the measure agrees with a brute-force count on stale histories") {
  // Reads of old versions are planted in linearizable histories; every read is then measured
  // again by comparing it with every write, and the summaries must match.
  std::uint64_t stale_total = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    KvHistorySpec spec;
    spec.operations = 400;
    spec.keys = 2;
    spec.processes = 6;
    spec.info_per_mille = 60;
    const History history = with_old_reads(generate_kv_history(rng, spec), rng);
    OperationList list;
    std::string error;
    REQUIRE(collect_operations(history, list, error));
    const std::vector<Operation>& ops = list.operations;
    std::vector<std::uint64_t> behind;
    std::vector<Duration> lag;
    std::uint64_t stale = 0;
    for (const Operation& read : ops) {
      if (read.f != "read" || read.outcome != OpType::kOk) continue;
      const long source = brute_source(ops, read);
      if (source == -2) continue;
      std::uint64_t count = 0;
      std::optional<Time> first;
      const bool known =
          source == -1 || brute_done_by(ops, static_cast<std::size_t>(source)) != nullptr;
      for (std::size_t w = 0; w < ops.size(); ++w) {
        if (!known || ops[w].key != read.key || (ops[w].f != "write" && ops[w].f != "cas")) {
          continue;
        }
        if (!brute_known_before(ops, w, read)) continue;
        if (source >= 0 && !brute_known_before(ops, static_cast<std::size_t>(source), ops[w])) {
          continue;
        }
        ++count;
        const Time done = *brute_done_by(ops, w)->complete_time;
        if (!first || done < *first) first = done;
      }
      behind.push_back(count);
      lag.push_back(count > 0 ? read.invoke_time - *first : Duration{0});
      if (count > 0) ++stale;
    }
    std::sort(behind.begin(), behind.end());
    std::sort(lag.begin(), lag.end());
    const CheckResult result = check_staleness(history);
    CAPTURE(seed);
    REQUIRE(!behind.empty());
    CHECK(metric(result, "reads") == static_cast<double>(behind.size()));
    CHECK(metric(result, "stale_reads") == static_cast<double>(stale));
    CHECK(metric(result, "versions_behind_max") == static_cast<double>(behind.back()));
    CHECK(metric(result, "versions_behind_p99") ==
          static_cast<double>(behind[nearest_rank_position(behind.size(), 990)]));
    CHECK(metric(result, "lag_max_ns") == static_cast<double>(lag.back().count()));
    CHECK(metric(result, "lag_p50_ns") ==
          static_cast<double>(lag[nearest_rank_position(lag.size(), 500)].count()));
    stale_total += stale;
  }
  CHECK(stale_total > 50);  // the planted reads did make some reads stale
}
