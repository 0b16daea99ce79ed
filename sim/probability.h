// Probabilities as integers: parts per million. "2%" is 20000 ppm and "0.05%" is 500 ppm, and
// a draw is rng.chance(ppm, 1'000'000): no floating point decides whether a message is lost.
#pragma once

#include <cstdint>
#include <string>

#include "sim/rng.h"

namespace capsim {

struct Probability {
  static constexpr std::uint32_t kMillion = 1'000'000;
  std::uint32_t ppm = 0;

  bool is_zero() const { return ppm == 0; }
  bool draw(Rng& rng) const { return ppm != 0 && rng.chance(ppm, kMillion); }
  // "2%", "0.05%".
  std::string to_string() const;
  friend bool operator==(const Probability&, const Probability&) = default;
};

}  // namespace capsim
