// The consistent-hashing ring that places each key on its replicas.
//
// Every node owns `vnodes` points (tokens) on a 64-bit ring: token v of node i is at
// mix(fnv1a64("n<i+1>/<v>")), where mix is the splitmix64 finalizer (see ring.cc). A key sits
// at mix(fnv1a64(key)); walking clockwise from there, the first
// `n` distinct nodes met are its preference list (its replicas), and the nodes after them, in
// the order met, are the fallbacks a sloppy quorum turns to. Virtual nodes spread each node's
// share of keys over many small arcs, so no node holds a much larger share than the others.
// Everything is a pure function of (cluster size, vnodes, key): every node computes the same
// placement without talking to anyone.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/node.h"

namespace capsim::quorum {

class Ring {
 public:
  // Requires: nodes >= 1, vnodes >= 1.
  Ring(std::uint32_t nodes, std::uint32_t vnodes);

  std::uint32_t nodes() const { return nodes_; }
  // The first `count` distinct nodes clockwise from the key (fewer if the cluster is smaller).
  std::vector<NodeId> walk(std::string_view key, std::uint32_t count) const;
  // True if `node` is among the first `n` nodes of the key's walk.
  bool is_preferred(std::string_view key, NodeId node, std::uint32_t n) const;

 private:
  std::uint32_t nodes_;
  std::vector<std::pair<std::uint64_t, NodeId>> tokens_;  // sorted by token, then node
};

}  // namespace capsim::quorum
