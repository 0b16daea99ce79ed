#include "sim/rng.h"

#include <cmath>

#include "sim/assert.h"

namespace capsim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  x += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// GCC and Clang provide 128-bit integers as an extension; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& word : state_) word = splitmix64(x);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

std::uint64_t Rng::below(std::uint64_t n) {
  CAPSIM_ASSERT(n > 0);
  // Lemire: take the high half of a 128-bit product; reject the few low values that would
  // make some results more likely than others.
  Uint128 product = static_cast<Uint128>(next()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      product = static_cast<Uint128>(next()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
  CAPSIM_ASSERT(lo <= hi);
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(next());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + below(span + 1));
}

bool Rng::chance(std::uint64_t numerator, std::uint64_t denominator) {
  CAPSIM_ASSERT(denominator > 0);
  if (numerator == 0) return false;
  if (numerator >= denominator) return true;
  return below(denominator) < numerator;
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::unit_open_low() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }

double Rng::standard_normal() {
  const double u1 = unit_open_low();
  const double u2 = unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::standard_exponential() { return -std::log(unit_open_low()); }

std::uint64_t fnv1a64(std::string_view text, std::uint64_t basis) {
  std::uint64_t hash = basis;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Rng rng_for(std::uint64_t seed, std::string_view name) {
  // Mix the seed through splitmix64 before combining, so seeds 1 and 2 do not give streams
  // that differ in one bit only.
  std::uint64_t mixed = seed;
  const std::uint64_t seed_hash = splitmix64(mixed);
  return Rng(seed_hash ^ fnv1a64(name));
}

}  // namespace capsim
