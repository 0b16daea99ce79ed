#include <doctest/doctest.h>

#include "nodes/kv/crdt/lww_register.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace std::chrono_literals;

TEST_CASE("crdt: an lww-register keeps the write with the highest clock reading") {
  // A write stamped later (by its writer's clock) replaces an earlier one, never the reverse,
  // whatever order the register hears them in.
  LwwRegister reg;
  CHECK(reg.value().is_nil());
  CHECK_FALSE(reg.stamp().has_value());
  CHECK(reg.assign(1, Stamp{5s, 0, 1}));
  CHECK(reg.assign(2, Stamp{6s, 1, 1}));
  CHECK_FALSE(reg.assign(3, Stamp{4s, 2, 1}));
  CHECK(reg.value() == Value(2));
}

TEST_CASE("crdt: an lww-register breaks clock ties by node id, then by sequence") {
  // Equal clock readings are ordered by the writer's id, and one writer's own writes by their
  // sequence number, so every replica picks the same winner.
  LwwRegister a;
  a.assign("from n1", Stamp{1s, 0, 9});
  LwwRegister b;
  b.assign("from n2", Stamp{1s, 1, 1});
  LwwRegister ab = a;
  ab.merge(b);
  LwwRegister ba = b;
  ba.merge(a);
  CHECK(ab == ba);
  CHECK(ab.value() == Value("from n2"));

  LwwRegister own;
  own.assign("first", Stamp{1s, 0, 1});
  CHECK(own.assign("second", Stamp{1s, 0, 2}));
  CHECK(own.value() == Value("second"));
}

TEST_CASE("crdt: a clock running ahead makes an older write beat a newer one") {
  // The lesson of LWW: n1's clock is 10s ahead. It writes "old" first (real time 1s, clock
  // 11s); n2 writes "new" later (real time 2s, clock 2s). The merge keeps "old": the newer,
  // acknowledged write is lost.
  LwwRegister n1;
  n1.assign("old", Stamp{11s, 0, 1});
  LwwRegister n2;
  n2.assign("new", Stamp{2s, 1, 1});
  n2.merge(n1);
  n1.merge(n2);
  CHECK(n1 == n2);
  CHECK(n2.value() == Value("old"));
}

TEST_CASE("crdt: merging an unwritten register changes nothing") {
  LwwRegister written;
  written.assign(4, Stamp{1s, 0, 1});
  LwwRegister empty;
  CHECK_FALSE(written.merge(empty));
  CHECK(written.value() == Value(4));
  CHECK(empty.merge(written));
  CHECK(empty == written);
}
