#include "sim/network.h"

#include <algorithm>
#include <iterator>

#include "sim/partition_shapes.h"
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

void Network::heal_all() {
  cuts_.clear();
  partitioned_ = false;
  clients_cut_ = false;
  node_sides_.clear();
  named_client_sides_.clear();
}

namespace {
bool share_a_side(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  // Both sorted: a merge walk finds a common group.
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}
}  // namespace

void Network::partition(const std::vector<std::vector<NodeId>>& groups) {
  heal_all();
  Groups node_groups;
  node_sides_.assign(nodes_, {});
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    std::vector<NodeId> members;
    for (NodeId id : groups[g]) {
      if (id < nodes_) {
        members.push_back(id);
        node_sides_[id].push_back(g);
      } else if (id - nodes_ < client_homes_.size()) {
        named_client_sides_[id - nodes_].push_back(g);
      }
    }
    node_groups.push_back(std::move(members));
  }
  for (const auto& [from, to] : cut_links(node_groups, nodes_)) cut(from, to);
  partitioned_ = true;
  // A client is cut from something when a group names it and leaves out some node, or when its
  // home is in no group (a node in no group talks to nobody).
  for (const auto& [client, sides] : named_client_sides_) {
    for (NodeId node = 0; node < nodes_ && !clients_cut_; ++node) {
      clients_cut_ = !share_a_side(sides, node_sides_[node]);
    }
  }
  for (NodeId home : client_homes_) {
    if (home < nodes_ && node_sides_[home].empty()) clients_cut_ = true;
  }
  // Two clients that stand where their homes stand are cut exactly when their homes are (seen
  // above), and one that a group names is cut from a client standing at a home when it is cut
  // from that home (also seen above); what is left is two named clients.
  for (auto a = named_client_sides_.begin(); a != named_client_sides_.end() && !clients_cut_; ++a) {
    for (auto b = std::next(a); b != named_client_sides_.end() && !clients_cut_; ++b) {
      clients_cut_ = !share_a_side(a->second, b->second);
    }
  }
}

const std::vector<std::uint32_t>& Network::client_sides(std::uint32_t client) const {
  const auto named = named_client_sides_.find(client);
  if (named != named_client_sides_.end()) return named->second;
  return node_sides_[client_homes_[client]];
}

bool Network::client_cut(NodeId from, NodeId to) const {
  const auto placed = [&](NodeId id) {
    return id >= nodes_ && id - nodes_ < client_homes_.size();
  };
  if (placed(from) && to < nodes_) return !share_a_side(client_sides(from - nodes_), node_sides_[to]);
  if (placed(to) && from < nodes_) return !share_a_side(client_sides(to - nodes_), node_sides_[from]);
  // Two clients (a caller and a service of the queue workload's call mode) talk when they
  // stand on a common side.
  if (placed(from) && placed(to)) {
    return !share_a_side(client_sides(from - nodes_), client_sides(to - nodes_));
  }
  return false;
}

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
  if (is_cut(from, to)) {
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
