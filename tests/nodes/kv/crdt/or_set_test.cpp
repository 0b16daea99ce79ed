#include <doctest/doctest.h>

#include "nodes/kv/crdt/or_set.h"

using namespace capsim;
using namespace capsim::crdt;

TEST_CASE("crdt: an or-set reads as a sorted list without duplicates") {
  // The same element added twice (two tags) appears once; elements come out sorted.
  OrSet set;
  set.add(5, Dot{0, 1});
  set.add(1, Dot{1, 1});
  set.add(5, Dot{1, 2});
  CHECK(set.elements() == Value::List{1, 5});
  CHECK(set.contains(5));
  CHECK_FALSE(set.contains(2));
  CHECK(set.added().at(5).size() == 2);
}

TEST_CASE("crdt: merging or-sets keeps every add from both sides") {
  // Two replicas cut off from each other each add elements; the merge holds all of them,
  // whichever way it is done.
  OrSet a;
  OrSet b;
  a.add(1, Dot{0, 1});
  a.add(3, Dot{0, 2});
  b.add(2, Dot{1, 1});
  b.add(3, Dot{1, 2});
  OrSet ab = a;
  ab.merge(b);
  OrSet ba = b;
  ba.merge(a);
  CHECK(ab == ba);
  CHECK(ab.elements() == Value::List{1, 2, 3});
  CHECK_FALSE(ab.merge(a));
}

TEST_CASE("crdt: an or-set remove retires only observed adds, so a concurrent add wins") {
  // Replica a removes 7 after seeing b's first add of it; b concurrently adds 7 again under a
  // new tag a has not seen. After merging, 7 is present: add wins over a concurrent remove.
  OrSet a;
  OrSet b;
  b.add(7, Dot{1, 1});
  a.merge(b);
  CHECK(a.remove(7));
  CHECK(a.elements().empty());
  CHECK_FALSE(a.remove(7));
  b.add(7, Dot{1, 2});
  a.merge(b);
  b.merge(a);
  CHECK(a == b);
  CHECK(a.elements() == Value::List{7});
  CHECK(a.removed().size() == 1);
}

TEST_CASE("crdt: an or-set remove of an element never added changes nothing") {
  OrSet set;
  set.add("x", Dot{0, 1});
  CHECK_FALSE(set.remove("y"));
  CHECK(set.elements() == Value::List{"x"});
  CHECK(set.removed().empty());
}

TEST_CASE("crdt: an or-set counts its present elements and lists the smallest first") {
  OrSet set;
  for (int i = 5; i >= 1; --i) set.add(i, Dot{0, static_cast<std::uint64_t>(i)});
  set.remove(2);
  CHECK(set.size() == 4);
  CHECK(Value(set.elements(2)).to_text() == "[1 3]");
  CHECK(Value(set.elements()).to_text() == "[1 3 4 5]");
}
