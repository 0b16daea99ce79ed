#include "nodes/kv/quorum/ring.h"

#include <algorithm>
#include <string>

#include "sim/assert.h"
#include "sim/rng.h"

namespace capsim::quorum {

namespace {

// A point on the ring: FNV-1a, then the splitmix64 finalizer. FNV-1a alone barely moves the
// high bits between names that differ only in their last characters ("n1/3", "n1/4", "k7"),
// so without the finalizer the points of a node, and the keys, bunch up on a few arcs.
std::uint64_t ring_position(std::string_view text) {
  std::uint64_t z = fnv1a64(text);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Ring::Ring(std::uint32_t nodes, std::uint32_t vnodes) : nodes_(nodes) {
  CAPSIM_ASSERT(nodes >= 1 && vnodes >= 1);
  tokens_.reserve(static_cast<std::size_t>(nodes) * vnodes);
  for (NodeId node = 0; node < nodes; ++node) {
    for (std::uint32_t v = 0; v < vnodes; ++v) {
      const std::string name = "n" + std::to_string(node + 1) + "/" + std::to_string(v);
      tokens_.emplace_back(ring_position(name), node);
    }
  }
  // Equal tokens (a 64-bit collision) are ordered by node, so the ring stays deterministic.
  std::sort(tokens_.begin(), tokens_.end());
}

std::vector<NodeId> Ring::walk(std::string_view key, std::uint32_t count) const {
  count = std::min(count, nodes_);
  std::vector<NodeId> result;
  result.reserve(count);
  const std::uint64_t position = ring_position(key);
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(),
                             std::pair<std::uint64_t, NodeId>{position, 0});
  // At most one full turn: every node has a token, so `count` distinct nodes are met by then.
  for (std::size_t step = 0; step < tokens_.size() && result.size() < count; ++step, ++it) {
    if (it == tokens_.end()) it = tokens_.begin();
    if (std::find(result.begin(), result.end(), it->second) == result.end()) {
      result.push_back(it->second);
    }
  }
  return result;
}

bool Ring::is_preferred(std::string_view key, NodeId node, std::uint32_t n) const {
  const std::vector<NodeId> preferred = walk(key, n);
  return std::find(preferred.begin(), preferred.end(), node) != preferred.end();
}

}  // namespace capsim::quorum
