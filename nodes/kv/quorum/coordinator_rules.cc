#include "nodes/kv/quorum/coordinator.h"

#include <algorithm>

namespace capsim::quorum {

Target* Operation::target(NodeId node) {
  for (Target& t : targets) {
    if (t.node == node) return &t;
  }
  return nullptr;
}

namespace {
bool is_target(const std::vector<Target>& targets, NodeId node) {
  return std::any_of(targets.begin(), targets.end(),
                     [&](const Target& t) { return t.node == node; });
}
}  // namespace

std::vector<Target> initial_targets(const std::vector<NodeId>& walk, std::uint32_t n,
                                    bool sloppy,
                                    const std::function<bool(NodeId)>& is_suspected) {
  std::vector<Target> targets;
  const std::size_t preferred = std::min<std::size_t>(n, walk.size());
  for (std::size_t i = 0; i < preferred; ++i) targets.push_back(Target{walk[i]});
  if (!sloppy) return targets;
  for (Target& t : targets) {
    if (!is_suspected(t.node)) continue;
    const std::optional<NodeId> fallback = next_fallback(walk, n, targets, is_suspected);
    if (!fallback) break;
    t.hint_for = t.node;
    t.node = *fallback;
  }
  return targets;
}

std::optional<NodeId> next_fallback(const std::vector<NodeId>& walk, std::uint32_t n,
                                    const std::vector<Target>& targets,
                                    const std::function<bool(NodeId)>& is_suspected) {
  for (std::size_t i = n; i < walk.size(); ++i) {
    if (!is_target(targets, walk[i]) && !is_suspected(walk[i])) return walk[i];
  }
  return std::nullopt;
}

}  // namespace capsim::quorum
