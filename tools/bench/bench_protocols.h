// Two protocols that exist only to measure the engine; `capsim bench` registers them in a
// registry of its own, so they never appear in scenarios or in `capsim list`.
//
// bench-forward: every node starts by sending `fanout` tokens to random peers; a node that
//   receives a token with hops left forwards it, one hop fewer, to a random peer. A cluster of
//   N nodes therefore sends exactly N * fanout * (hops + 1) messages, and the engine does
//   little besides moving them.
// bench-idle: does nothing at all; a cluster of them measures what an idle node costs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/node.h"
#include "sim/protocol_registry.h"

namespace capsim::tools::bench {

inline constexpr std::string_view kForwardProtocol = "bench-forward";
inline constexpr std::string_view kIdleProtocol = "bench-idle";

struct Token {
  static constexpr std::string_view kKind = "bench.token";
  std::uint64_t hops_left = 0;
  std::string describe() const;
};

class ForwardingNode final : public Node {
 public:
  ForwardingNode(std::uint32_t cluster_size, std::uint64_t fanout, std::uint64_t hops)
      : cluster_size_(cluster_size), fanout_(fanout), hops_(hops) {}
  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context&, std::string_view) override {}

 private:
  // A node other than this one, uniformly; this one when it is alone.
  NodeId random_peer(Context& ctx) const;

  std::uint32_t cluster_size_;
  std::uint64_t fanout_;
  std::uint64_t hops_;
};

class IdleNode final : public Node {
 public:
  void on_start(Context&) override {}
  void on_message(Context&, NodeId, const Message&) override {}
  void on_timer(Context&, std::string_view) override {}
};

// Adds bench-forward (options: fanout, hops) and bench-idle.
void register_bench_protocols(ProtocolRegistry& registry);

// How many messages a bench-forward cluster sends in all.
std::uint64_t forward_message_count(std::uint32_t nodes, std::uint64_t fanout, std::uint64_t hops);

}  // namespace capsim::tools::bench
