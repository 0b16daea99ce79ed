#include "sim/network.h"

#include <algorithm>
#include <optional>

namespace capsim {

Network::Network(const NetworkSpec& spec, std::uint32_t nodes, std::uint32_t actors, Rng rng)
    : spec_(spec), nodes_(nodes), rng_(rng), actors_(actors) {
  if (actors_ <= kDenseActorsMax) {
    last_delivery_dense_.assign(static_cast<std::size_t>(actors_) * actors_, Time{0});
  }
}

bool Network::rule_matches(const LinkRule& rule, NodeId from, NodeId to, std::string_view kind,
                           Time now) {
  if (!rule.message_kind.empty() && rule.message_kind != kind) return false;
  if (rule.window_start && now < *rule.window_start) return false;
  if (rule.window_end && now >= *rule.window_end) return false;
  auto contains = [](const std::vector<NodeId>& ids, NodeId id) {
    return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  if (contains(rule.from, from) && contains(rule.to, to)) return true;
  return rule.both_ways && contains(rule.from, to) && contains(rule.to, from);
}

LinkBehaviour Network::behaviour(NodeId from, NodeId to, std::string_view kind, Time now) const {
  LinkBehaviour result = spec_.defaults;
  for (const LinkRule& rule : spec_.links) {
    if (!rule_matches(rule, from, to, kind, now)) continue;
    if (rule.delay) result.delay = *rule.delay;
    if (rule.loss) result.loss = *rule.loss;
    if (rule.duplicate) result.duplicate = *rule.duplicate;
    if (rule.reorder) result.reorder = *rule.reorder;
  }
  return result;
}

void Network::cut(NodeId from, NodeId to) { cuts_.insert(link_key(from, to)); }

Time Network::fifo_delivery(NodeId from, NodeId to, Time at) {
  Time& last = last_delivery_dense_.empty()
                   ? last_delivery_[link_key(from, to)]
                   : last_delivery_dense_[static_cast<std::size_t>(from) * actors_ + to];
  if (at < last) at = last;
  last = at;
  return at;
}

void Network::left_link(NodeId from, NodeId to, Time at) {
  if (!last_delivery_dense_.empty() || last_delivery_.empty()) return;
  // The last scheduled delivery has happened: later messages on this link need no clamp.
  auto it = last_delivery_.find(link_key(from, to));
  if (it != last_delivery_.end() && it->second <= at) last_delivery_.erase(it);
}

Network::Fate Network::send(NodeId from, NodeId to, std::string_view kind, Time now) {
  Fate fate;
  if (from < nodes_ && to < nodes_ && is_cut(from, to)) {
    fate.drop_cause = "partition";
    return fate;
  }
  // Without rules every link behaves as the defaults: skip the copy.
  // (A LinkBehaviour owns a vector: building one per message would cost an allocation.)
  const LinkBehaviour* link = &spec_.defaults;
  std::optional<LinkBehaviour> resolved;
  if (!spec_.links.empty()) {
    resolved = behaviour(from, to, kind, now);
    link = &*resolved;
  }
  // The draws happen in a fixed order (loss, duplicate, then per copy: reorder, delay) so that
  // the same decisions consume the same randomness in every run.
  if (link->loss.draw(rng_)) {
    fate.drop_cause = "loss";
    return fate;
  }
  fate.copies = link->duplicate.draw(rng_) ? 2 : 1;
  for (int copy = 0; copy < fate.copies; ++copy) {
    const bool reordered = link->reorder.draw(rng_);
    Time at = now + link->delay.sample(rng_);
    if (reordered) {
      at += link->delay.sample(rng_);
    } else {
      at = fifo_delivery(from, to, at);
    }
    fate.deliver_at[copy] = at;
  }
  return fate;
}

}  // namespace capsim
