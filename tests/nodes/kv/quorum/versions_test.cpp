// Vector clocks, dots and the reconciliation of versions: what survives when replicas that
// saw different writes meet.
#include <doctest/doctest.h>

#include "nodes/kv/quorum/version_codec.h"
#include "nodes/kv/quorum/versions.h"
#include "quorum_test_util.h"

using namespace capsim;
using namespace capsim::quorum;
using namespace capsim::quorum::test;
using namespace std::chrono_literals;

TEST_CASE("quorum vector clock: compare tells before, after, equal and concurrent") {
  const VectorClock empty;
  const VectorClock a = clock_of({{0, 1}});
  const VectorClock ab = clock_of({{0, 1}, {1, 1}});
  const VectorClock b = clock_of({{1, 2}});
  CHECK(compare(empty, empty) == ClockOrder::kEqual);
  CHECK(compare(empty, a) == ClockOrder::kBefore);
  CHECK(compare(ab, a) == ClockOrder::kAfter);
  CHECK(compare(a, b) == ClockOrder::kConcurrent);
  CHECK(compare(ab, b) == ClockOrder::kConcurrent);
  CHECK(a.describe() == "{n1:1}");
  CHECK(ab.covers(Dot{1, 1}));
  CHECK_FALSE(ab.covers(Dot{1, 2}));
}

TEST_CASE("quorum vector clock: merge is the entry-wise maximum and dominates both") {
  VectorClock merged = clock_of({{0, 3}, {2, 1}});
  merged.merge(clock_of({{0, 1}, {1, 4}}));
  CHECK(merged == clock_of({{0, 3}, {1, 4}, {2, 1}}));
  CHECK(compare(merged, clock_of({{0, 3}, {2, 1}})) == ClockOrder::kAfter);
  CHECK(compare(merged, clock_of({{0, 1}, {1, 4}})) == ClockOrder::kAfter);
  merged.advance(3, 0);  // zero entries are implicit: nothing changes
  CHECK(merged.entries().size() == 3);
}

TEST_CASE("quorum versions: lww keeps the version with the latest stamp, then the higher dot") {
  const Version old = version(1, 0, 1, 100ms);
  const Version newer = version(2, 1, 1, 200ms);
  CHECK(reconcile({old}, {newer}, ConflictMode::kLww) == Versions{newer});
  CHECK(reconcile({newer}, {old}, ConflictMode::kLww) == Versions{newer});
  // A coordinator whose clock is behind makes a version that loses to an older one.
  const Version skewed = version(3, 2, 1, 50ms);
  CHECK(reconcile({old}, {skewed}, ConflictMode::kLww) == Versions{old});
  // Equal stamps: the higher dot wins, on every replica alike.
  const Version tie = version(4, 2, 1, 100ms);
  CHECK(reconcile({old}, {tie}, ConflictMode::kLww) == Versions{tie});
  CHECK(reconcile({tie}, {old}, ConflictMode::kLww) == Versions{tie});
}

TEST_CASE("quorum versions: siblings keep concurrent versions and drop superseded ones") {
  // Two blind writes through n1 with empty contexts are concurrent, even though n1 made both.
  const Version a = version(Value::List{1}, 0, 1);
  const Version b = version(Value::List{2}, 0, 2);
  const Versions both = reconcile({a}, {b}, ConflictMode::kSiblings);
  CHECK(both == Versions{a, b});
  // A write that read both supersedes both.
  const Version c = version(Value::List{1, 2, 3}, 1, 1, Time{0}, context_of(both));
  CHECK(reconcile(both, {c}, ConflictMode::kSiblings) == Versions{c});
  // Receiving an old sibling again after it was superseded does not bring it back.
  CHECK(reconcile({c}, {a}, ConflictMode::kSiblings) == Versions{c});
  // The same dot from two replicas is one version.
  CHECK(reconcile({a}, {a}, ConflictMode::kSiblings) == Versions{a});
  CHECK(same_versions(reconcile({a, b}, {}, ConflictMode::kSiblings), {a, b}));
}

TEST_CASE("quorum versions: a read of siblings merges sets by union, registers by lww") {
  // Sets: the union, sorted without duplicates (concurrent adds are all kept).
  const Version s1 = version(Value::List{1, 3}, 0, 1, 10ms);
  const Version s2 = version(Value::List{2, 3}, 1, 1, 5ms);
  CHECK(resolve_value({s1, s2}) == Value(Value::List{1, 2, 3}));
  CHECK(resolve_value({s1, version(Value(), 2, 1)}) == Value(Value::List{1, 3}));
  // Registers: the sibling that wins under lww (the later stamp).
  const Version r1 = version(7, 0, 1, 10ms);
  const Version r2 = version(9, 1, 1, 20ms);
  CHECK(resolve_value({r1, r2}) == Value(9));
  CHECK(resolve_value({}) == Value());
  CHECK(context_of({r1, r2}) == clock_of({{0, 1}, {1, 1}}));
}

TEST_CASE("quorum versions: the disk encoding round-trips every kind of value and clock") {
  const Versions versions = {
      version(Value(), 0, 1, -5ms),
      version(Value(Value::List{Value("a;b:c"), Value(-7), Value(Value::List{})}), 3, 42, 7s,
              clock_of({{0, 1}, {3, 41}})),
      version(Value(std::int64_t{-9223372036854775807 - 1}), 1, 2)};
  Versions decoded;
  REQUIRE(decode_versions(encode_versions(versions), decoded));
  CHECK(decoded == versions);
  CHECK(versions_hash(decoded) == versions_hash(versions));
  CHECK_FALSE(decode_versions("2:n0;1;0;0:", decoded));  // one version missing
  CHECK_FALSE(decode_versions("1:x", decoded));
  std::vector<std::string> strings;
  REQUIRE(decode_strings(encode_strings({"k1", "", "a:b"}), strings));
  CHECK(strings == std::vector<std::string>{"k1", "", "a:b"});
}
