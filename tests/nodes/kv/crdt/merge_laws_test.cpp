// The merge of every CRDT must be commutative, associative and idempotent: that is what lets
// gossip deliver states in any order, any number of times, and still converge. Each property is
// checked on many random states drawn from seeded Rngs (crdt_test_util.h), so a failure names
// a seed that reproduces it.
#include <doctest/doctest.h>

#include <functional>

#include "crdt_test_util.h"
#include "nodes/kv/crdt/replica_state.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace capsim::crdt::test;

namespace {

constexpr int kSeeds = 40;
constexpr int kTriplesPerSeed = 50;

bool merge_into(GCounter& a, const GCounter& b) { return a.merge(b); }
bool merge_into(PnCounter& a, const PnCounter& b) { return a.merge(b); }
bool merge_into(OrSet& a, const OrSet& b) { return a.merge(b); }
bool merge_into(LwwRegister& a, const LwwRegister& b) { return a.merge(b); }
bool merge_into(KeyState& a, const KeyState& b) { return merge_key(a, b); }
bool merge_into(ReplicaState& a, const ReplicaState& b) { return !a.merge(b).empty(); }

template <class T>
T merged(T a, const T& b) {
  merge_into(a, b);
  return a;
}

ReplicaState random_replica_state(Rng& rng) {
  ReplicaState state;
  for (int k = 1; k <= 4; ++k) {
    if (rng.chance(1, 2)) state.create("k" + std::to_string(k), random_key_state(rng));
  }
  return state;
}

// Checks the three laws, and that merge reports a change exactly when there was one, on
// random triples from `draw`.
template <class T>
void check_merge_laws(const std::function<T(Rng&)>& draw, std::string_view stream) {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    Rng rng = rng_for(static_cast<std::uint64_t>(seed), stream);
    for (int i = 0; i < kTriplesPerSeed; ++i) {
      CAPTURE(seed);
      CAPTURE(i);
      const T a = draw(rng);
      const T b = draw(rng);
      const T c = draw(rng);
      // Commutative.
      CHECK(merged(a, b) == merged(b, a));
      // Associative.
      CHECK(merged(merged(a, b), c) == merged(a, merged(b, c)));
      // Idempotent: merging a state into itself, or merging the same state twice.
      CHECK(merged(a, a) == a);
      CHECK(merged(merged(a, b), b) == merged(a, b));
      // The "changed" answer is honest.
      T copy = a;
      const bool changed = merge_into(copy, b);
      CHECK(changed == !(copy == a));
    }
  }
}

}  // namespace

TEST_CASE("crdt: g-counter merge is commutative, associative and idempotent") {
  check_merge_laws<GCounter>(random_g_counter, "g-counter");
}

TEST_CASE("crdt: pn-counter merge is commutative, associative and idempotent") {
  check_merge_laws<PnCounter>(random_pn_counter, "pn-counter");
}

TEST_CASE("crdt: or-set merge is commutative, associative and idempotent") {
  check_merge_laws<OrSet>(random_or_set, "or-set");
}

TEST_CASE("crdt: lww-register merge is commutative, associative and idempotent") {
  check_merge_laws<LwwRegister>(random_lww_register, "lww-register");
}

TEST_CASE("crdt: key states of mixed types still merge by the three laws") {
  // Two replicas that concurrently gave a new key different types resolve it alike.
  check_merge_laws<KeyState>(random_key_state, "key-state");
}

TEST_CASE("crdt: whole replica states merge by the three laws") {
  check_merge_laws<ReplicaState>(random_replica_state, "replica-state");
}

TEST_CASE("crdt: merging never loses what either side could observe") {
  // Beyond the laws: a merged counter is at least each side's count of increments, and a
  // merged OR-set without tombstones holds every element of both sides.
  for (int seed = 1; seed <= kSeeds; ++seed) {
    Rng rng = rng_for(static_cast<std::uint64_t>(seed), "monotone");
    CAPTURE(seed);
    const GCounter a = random_g_counter(rng);
    const GCounter b = random_g_counter(rng);
    CHECK(merged(a, b).total() >= a.total());
    CHECK(merged(a, b).total() >= b.total());
    OrSet s;
    OrSet t;
    for (int i = 0; i < 4; ++i) {
      s.add(Value(static_cast<std::int64_t>(rng.below(6))), random_dot(rng));
      t.add(Value(static_cast<std::int64_t>(rng.below(6))), random_dot(rng));
    }
    const OrSet u = merged(s, t);
    for (const Value& element : s.elements()) CHECK(u.contains(element));
    for (const Value& element : t.elements()) CHECK(u.contains(element));
  }
}
