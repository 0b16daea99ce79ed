#include <doctest/doctest.h>

#include <map>

#include "sim/distribution.h"
#include "sim/probability.h"
#include "sim/rng.h"

using namespace capsim;

TEST_CASE("rng: the same seed and name give the same stream; other names differ") {
  // Streams are derived by name, so a new stream never shifts an existing one.
  Rng a = rng_for(42, "node/1");
  Rng b = rng_for(42, "node/1");
  Rng c = rng_for(42, "node/2");
  Rng d = rng_for(43, "node/1");
  bool differs_by_name = false;
  bool differs_by_seed = false;
  for (int i = 0; i < 16; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    differs_by_name |= x != c.next();
    differs_by_seed |= x != d.next();
  }
  CHECK(differs_by_name);
  CHECK(differs_by_seed);
}

TEST_CASE("rng: pinned outputs do not change between builds") {
  // The generator is ours; these values guard against an accidental change of algorithm,
  // which would silently change every recorded trace.
  Rng rng(1);
  CHECK(rng.next() == 0xb3f2af6d0fc710c5ULL);
  CHECK(rng.below(1000) < 1000);
}

TEST_CASE("rng: below is uniform enough and stays in range") {
  // 60000 draws over 6 buckets: each bucket should hold close to 10000.
  Rng rng(7);
  std::map<std::uint64_t, int> counts;
  for (int i = 0; i < 60000; ++i) counts[rng.below(6)]++;
  CHECK(counts.size() == 6);
  for (const auto& [bucket, count] : counts) {
    CHECK(bucket < 6);
    CHECK(count > 9500);
    CHECK(count < 10500);
  }
}

TEST_CASE("rng: chance honours its integer probability") {
  Rng rng(9);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += rng.chance(20000, 1'000'000) ? 1 : 0;  // 2%
  CHECK(hits > 1800);
  CHECK(hits < 2200);
  CHECK_FALSE(Probability{0}.draw(rng));
  CHECK(Probability{Probability::kMillion}.draw(rng));
}

TEST_CASE("distribution: each shape keeps its promised centre") {
  // The mean (or median for lognormal) of many draws lands near the configured latency.
  Rng rng(3);
  const Duration latency = std::chrono::milliseconds(10);
  const Duration jitter = std::chrono::milliseconds(2);
  for (DelayShape shape : {DelayShape::kConstant, DelayShape::kUniform, DelayShape::kNormal}) {
    DelayComponent component{shape, latency, jitter};
    double total = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      const Duration d = component.sample(rng);
      CHECK(d.count() >= 0);
      total += static_cast<double>(d.count());
    }
    const double mean_ms = total / n / 1e6;
    INFO("shape " << delay_shape_name(shape) << " mean " << mean_ms);
    const double expected = shape == DelayShape::kConstant ? 11.0 : 10.0;
    CHECK(mean_ms > expected - 0.3);
    CHECK(mean_ms < expected + 0.3);
  }
  // Exponential and Pareto tails never go below the base latency.
  for (DelayShape shape : {DelayShape::kExponential, DelayShape::kPareto}) {
    DelayComponent component{shape, latency, jitter};
    for (int i = 0; i < 1000; ++i) CHECK(component.sample(rng) >= latency);
  }
}

TEST_CASE("distribution: a mixture draws from its components by weight") {
  Rng rng(5);
  DelayModel model({DelayComponent{DelayShape::kConstant, std::chrono::milliseconds(1), {}, 2.0, 9},
                    DelayComponent{DelayShape::kConstant, std::chrono::milliseconds(100), {}, 2.0, 1}});
  int slow = 0;
  for (int i = 0; i < 10000; ++i) slow += model.sample(rng) == std::chrono::milliseconds(100) ? 1 : 0;
  CHECK(slow > 900);
  CHECK(slow < 1100);
}
