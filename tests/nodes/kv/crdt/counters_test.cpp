#include <doctest/doctest.h>

#include <limits>

#include "nodes/kv/crdt/g_counter.h"
#include "nodes/kv/crdt/pn_counter.h"

using namespace capsim;
using namespace capsim::crdt;

TEST_CASE("crdt: a g-counter sums every node's increments") {
  // Each node counts in its own entry; the value is the sum.
  GCounter counter;
  CHECK(counter.total() == 0);
  counter.increment(0, 3);
  counter.increment(2, 4);
  counter.increment(0, 1);
  CHECK(counter.total() == 8);
  CHECK(counter.entries().at(0) == 4);
  CHECK(counter.entries().at(2) == 4);
}

TEST_CASE("crdt: merging g-counters keeps every increment seen by either side") {
  // Two replicas incremented concurrently; after merging both ways both hold 5 + 7, and a
  // stale copy of one entry does not pull it back.
  GCounter a;
  GCounter b;
  a.increment(0, 5);
  b.increment(1, 7);
  GCounter stale_a = a;
  a.increment(0, 2);
  CHECK(a.merge(b));
  CHECK(b.merge(a));
  CHECK(a == b);
  CHECK(a.total() == 14);
  CHECK_FALSE(a.merge(stale_a));
  CHECK(a.total() == 14);
}

TEST_CASE("crdt: a pn-counter goes up and down and merges both halves") {
  // Decrements are counted apart, so concurrent increments and decrements all survive.
  PnCounter a;
  PnCounter b;
  a.increment(0, 10);
  b.increment(1, -4);
  b.increment(1, 1);
  CHECK(a.value() == 10);
  CHECK(b.value() == -3);
  a.merge(b);
  b.merge(a);
  CHECK(a == b);
  CHECK(a.value() == 7);
  CHECK(a.increments().total() == 11);
  CHECK(a.decrements().total() == 4);
}

TEST_CASE("crdt: a pn-counter handles the extreme increments without overflow") {
  // INT64_MIN has no positive counterpart; the counter must still take it and wrap like
  // two's-complement arithmetic would (no undefined behaviour under the sanitizers).
  PnCounter counter;
  counter.increment(0, std::numeric_limits<std::int64_t>::min());
  CHECK(counter.value() == std::numeric_limits<std::int64_t>::min());
  counter.increment(0, std::numeric_limits<std::int64_t>::max());
  CHECK(counter.value() == -1);
}
