#include "sim/interval_rules.h"

#include <algorithm>

namespace capsim {
namespace {

constexpr std::int64_t kLatencyDivisor = 100;
constexpr Duration kShortestInterval = kMicrosecond;

// The nemesis's last moment, as compile_timeline() computes it.
Time nemesis_stop(const NemesisSpec& nemesis, Duration duration) {
  return std::min(nemesis.stop.value_or(duration - nemesis.interval), duration);
}

}  // namespace

Duration network_latency(const NetworkSpec& network) {
  const auto& components = network.defaults.delay.components();
  Duration latency = components.front().latency;
  for (const DelayComponent& component : components) latency = std::min(latency, component.latency);
  return latency;
}

Duration shortest_interval(const NetworkSpec& network) {
  return std::max(network_latency(network) / kLatencyDivisor, kShortestInterval);
}

std::string interval_too_short(Duration interval, const NetworkSpec& network) {
  if (interval <= Duration{0} || interval >= shortest_interval(network)) return "";
  const Duration latency = network_latency(network);
  if (latency / kLatencyDivisor > kShortestInterval) {
    return "is far below the network's latency of " + format_duration(latency) +
           ": it would fire about " + std::to_string(latency / interval) +
           " times while one message crosses the network";
  }
  return "is below 1us: it would fire " + std::to_string(kSecond / interval) +
         " times per simulated second";
}

std::uint64_t nemesis_faults_at_most(const NemesisSpec& nemesis, Duration duration) {
  const Time stop = nemesis_stop(nemesis, duration);
  if (stop <= nemesis.start || nemesis.interval <= Duration{0}) return 0;
  const Duration gap_min = std::max(nemesis.interval / 2, Duration{1});
  return static_cast<std::uint64_t>((stop - nemesis.start) / gap_min);
}

Duration shortest_nemesis_interval(const NemesisSpec& nemesis, Duration duration) {
  // Without a written stop, a shorter interval moves the stop later, up to the duration.
  const Time stop = nemesis.stop ? std::min(*nemesis.stop, duration) : duration;
  const std::int64_t span = std::max<std::int64_t>((stop - nemesis.start).count(), 0);
  const std::int64_t needed = (2 * span + kMaxNemesisFaults - 1) / kMaxNemesisFaults;
  // Rounded up to a value a person would write: whole milliseconds from 1ms, else whole
  // microseconds.
  const std::int64_t unit = needed >= kMillisecond.count() ? kMillisecond.count()
                                                           : kMicrosecond.count();
  return Duration{std::max<std::int64_t>((needed + unit - 1) / unit, 1) * unit};
}

}  // namespace capsim
