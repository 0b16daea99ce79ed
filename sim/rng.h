// Seeded randomness with our own generator and distributions.
//
// The engine is xoshiro256** seeded through splitmix64: both are fully specified by their
// published definitions, so the same seed gives the same numbers with every compiler and
// standard library. The standard library's distributions are not used anywhere, because each
// implementation defines them differently.
//
// Child streams are derived by name (rng_for(seed, "node/3")), so that adding a node or a
// client leaves every other stream's draws unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace capsim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // The next raw 64-bit output.
  std::uint64_t next();

  // Uniform in [0, n). Requires: n > 0. Unbiased (Lemire's multiply-and-reject method).
  std::uint64_t below(std::uint64_t n);

  // Uniform in [lo, hi], both inclusive. Requires: lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);

  // True with probability numerator / denominator. Requires: denominator > 0.
  bool chance(std::uint64_t numerator, std::uint64_t denominator);

  // Uniform in [0, 1) with 53 random bits.
  double unit();

  // Uniform in (0, 1]: safe to take the logarithm of.
  double unit_open_low();

  // Standard normal (mean 0, deviation 1) by the Box-Muller transform. Uses one pair of draws
  // per call (the second value is discarded) so a call always consumes the same randomness.
  double standard_normal();

  // Exponential with mean 1.
  double standard_exponential();

 private:
  std::array<std::uint64_t, 4> state_;
};

// 64-bit FNV-1a of a string: used to derive stream seeds from names, and for trace hashing.
std::uint64_t fnv1a64(std::string_view text, std::uint64_t basis = 0xcbf29ce484222325ULL);

// The generator for the child stream called `name` of a run with seed `seed`.
Rng rng_for(std::uint64_t seed, std::string_view name);

}  // namespace capsim
