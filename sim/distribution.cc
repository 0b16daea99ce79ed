#include "sim/distribution.h"

#include <algorithm>
#include <cmath>

#include "sim/assert.h"

namespace capsim {
namespace {

struct ShapeName { DelayShape shape; std::string_view name; };
constexpr ShapeName kShapeNames[] = {
    {DelayShape::kConstant, "constant"}, {DelayShape::kUniform, "uniform"},
    {DelayShape::kNormal, "normal"},     {DelayShape::kLognormal, "lognormal"},
    {DelayShape::kExponential, "exponential"}, {DelayShape::kPareto, "pareto"},
};

Duration clamp_to_duration(double ns) {
  // NaN and negative draws become zero; huge ones the cap. Rounding: nearest, ties away from 0.
  if (!(ns > 0.0)) return Duration{0};
  const double cap = static_cast<double>(DelayModel::kMaxDelay.count());
  if (ns >= cap) return DelayModel::kMaxDelay;
  return Duration{std::llround(ns)};
}

}  // namespace

std::string_view delay_shape_name(DelayShape shape) {
  for (const auto& entry : kShapeNames) {
    if (entry.shape == shape) return entry.name;
  }
  return "constant";
}

bool parse_delay_shape(std::string_view name, DelayShape& shape) {
  for (const auto& entry : kShapeNames) {
    if (entry.name == name) {
      shape = entry.shape;
      return true;
    }
  }
  return false;
}

const std::vector<std::string>& delay_shape_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& entry : kShapeNames) result.emplace_back(entry.name);
    return result;
  }();
  return names;
}

Duration DelayComponent::sample(Rng& rng) const {
  const auto latency_ns = static_cast<double>(latency.count());
  const auto jitter_ns = static_cast<double>(jitter.count());
  switch (shape) {
    case DelayShape::kConstant:
      if (jitter.count() <= 0) return std::min(latency, DelayModel::kMaxDelay);
      return std::min(latency + Duration{rng.between(0, jitter.count())}, DelayModel::kMaxDelay);
    case DelayShape::kUniform: {
      const std::int64_t lo = std::max<std::int64_t>(0, latency.count() - jitter.count());
      const std::int64_t hi = latency.count() + jitter.count();
      return std::min(Duration{rng.between(lo, hi)}, DelayModel::kMaxDelay);
    }
    case DelayShape::kNormal:
      return clamp_to_duration(latency_ns + jitter_ns * rng.standard_normal());
    case DelayShape::kLognormal: {
      if (latency_ns <= 0.0) return Duration{0};
      const double sigma = jitter_ns / latency_ns;
      return clamp_to_duration(latency_ns * std::exp(sigma * rng.standard_normal()));
    }
    case DelayShape::kExponential:
      return clamp_to_duration(latency_ns + jitter_ns * rng.standard_exponential());
    case DelayShape::kPareto: {
      const double u = rng.unit_open_low();
      return clamp_to_duration(latency_ns + jitter_ns * (std::pow(u, -1.0 / pareto_shape) - 1.0));
    }
  }
  return latency;
}

std::string DelayComponent::describe() const {
  std::string text = std::string(delay_shape_name(shape)) + " " + format_duration(latency);
  if (jitter.count() != 0) text += " ~" + format_duration(jitter);
  if (shape == DelayShape::kPareto) text += " shape " + std::to_string(pareto_shape);
  return text;
}

DelayModel::DelayModel(std::vector<DelayComponent> mixture) : components_(std::move(mixture)) {
  CAPSIM_ASSERT(!components_.empty());
  total_weight_ = 0;
  for (const auto& component : components_) {
    CAPSIM_ASSERT(component.weight > 0);
    total_weight_ += component.weight;
  }
}

Duration DelayModel::sample(Rng& rng) const {
  if (components_.size() == 1) return components_.front().sample(rng);
  std::uint64_t pick = rng.below(total_weight_);
  for (const auto& component : components_) {
    if (pick < component.weight) return component.sample(rng);
    pick -= component.weight;
  }
  return components_.back().sample(rng);
}

std::string DelayModel::describe() const {
  if (components_.size() == 1) return components_.front().describe();
  std::string text = "mixture(";
  for (std::size_t i = 0; i < components_.size(); ++i) {
    if (i != 0) text += ", ";
    text += std::to_string(components_[i].weight) + ": " + components_[i].describe();
  }
  return text + ")";
}

}  // namespace capsim
