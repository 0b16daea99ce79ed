#include "sim/check/delivery_backlog.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace capsim {
namespace {

// When `m` stops waiting in the queue: its first delivery or the broker's report of it, as a
// history index; none when nothing says it left.
std::optional<std::uint64_t> leaves_at(const MessageRecord& m) {
  std::optional<std::uint64_t> out;
  const auto take = [&](std::optional<std::uint64_t> index) {
    if (index && (!out || *index < *out)) out = index;
  };
  for (const Delivery& d : m.deliveries) take(d.completion);
  take(m.dead_lettered);
  take(m.expired);
  return out;
}

}  // namespace

Backlog measure_backlog(const History& history, const DeliveryLedger& ledger) {
  // (history index, +1 entering or -1 leaving); an exit at the same index as an entry cannot
  // happen (one event is one operation), so the order within an index does not matter.
  std::vector<std::pair<std::uint64_t, int>> steps;
  for (const MessageRecord& m : ledger.messages) {
    const std::optional<std::uint64_t> entered = m.first_ack();
    if (!entered) continue;
    const std::optional<std::uint64_t> left = leaves_at(m);
    if (left && *left < *entered) continue;  // delivered before the producer heard the ack
    steps.emplace_back(*entered, +1);
    if (left) steps.emplace_back(*left, -1);
  }
  std::sort(steps.begin(), steps.end());
  const std::vector<HistoryEvent>& events = history.events();
  Backlog out;
  std::uint64_t level = 0;
  std::optional<std::uint64_t> peak_index;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto [index, delta] = steps[i];
    level = delta > 0 ? level + 1 : level - 1;
    // Several steps at one index (a receive that lists many messages) count once, after all.
    if (i + 1 < steps.size() && steps[i + 1].first == index) continue;
    if (level > out.peak) {
      out.peak = level;
      peak_index = index;
      out.drain.reset();
    } else if (level == 0 && peak_index && !out.drain) {
      out.drain = events[index].time - events[*peak_index].time;
    }
  }
  if (peak_index) out.peak_at = events[*peak_index].time;
  return out;
}

}  // namespace capsim
