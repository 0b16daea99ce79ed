// Latency distributions: how long a message takes on a link.
//
// Every shape is described by two durations, `latency` and `jitter`, so that a scenario can
// switch shapes without changing units:
//   constant     latency, plus a uniform draw in [0, jitter]
//   uniform      uniform in [latency - jitter, latency + jitter]
//   normal       mean latency, standard deviation jitter
//   lognormal    median latency; sigma = jitter / latency (jitter is the spread in proportion)
//   exponential  latency plus an exponential tail with mean jitter
//   pareto       latency plus a Pareto tail: jitter * (U^(-1/shape) - 1), shape > 0 (default 2)
// A mixture picks one component by integer weight, then draws from it.
// Draws are clamped to [0, kMaxDelay] and rounded to the nearest nanosecond (llround): the one
// place floating point meets time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.h"
#include "sim/time.h"

namespace capsim {

enum class DelayShape { kConstant, kUniform, kNormal, kLognormal, kExponential, kPareto };

// "constant", "uniform", ...; and back. Returns false for an unknown name.
std::string_view delay_shape_name(DelayShape shape);
bool parse_delay_shape(std::string_view name, DelayShape& shape);
// All shape names, for error messages and `capsim list`.
const std::vector<std::string>& delay_shape_names();

struct DelayComponent {
  DelayShape shape = DelayShape::kConstant;
  Duration latency{0};
  Duration jitter{0};
  double pareto_shape = 2.0;
  std::uint32_t weight = 1;  // only used inside a mixture

  Duration sample(Rng& rng) const;
  std::string describe() const;
  friend bool operator==(const DelayComponent&, const DelayComponent&) = default;
};

// One component, or a weighted mixture of several.
class DelayModel {
 public:
  static constexpr Duration kMaxDelay = std::chrono::hours(1);

  DelayModel() { components_.push_back(DelayComponent{}); }
  explicit DelayModel(DelayComponent single) { components_.push_back(single); }
  // Requires: at least one component, every weight > 0.
  explicit DelayModel(std::vector<DelayComponent> mixture);

  Duration sample(Rng& rng) const;
  const std::vector<DelayComponent>& components() const { return components_; }
  std::string describe() const;
  friend bool operator==(const DelayModel&, const DelayModel&) = default;

 private:
  std::vector<DelayComponent> components_;
  std::uint64_t total_weight_ = 1;
};

}  // namespace capsim
