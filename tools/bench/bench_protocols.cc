#include "tools/bench/bench_protocols.h"

namespace capsim::tools::bench {

std::string Token::describe() const { return "hops_left=" + std::to_string(hops_left); }

void ForwardingNode::on_start(Context& ctx) {
  for (std::uint64_t i = 0; i < fanout_; ++i) ctx.send(random_peer(ctx), Message::of(Token{hops_}));
}

void ForwardingNode::on_message(Context& ctx, NodeId, const Message& message) {
  const Token* token = message.as<Token>();
  if (token == nullptr || token->hops_left == 0) return;
  ctx.send(random_peer(ctx), Message::of(Token{token->hops_left - 1}));
}

NodeId ForwardingNode::random_peer(Context& ctx) const {
  if (cluster_size_ <= 1) return ctx.self();
  // Draw among the others by skipping over our own id.
  const auto peer = static_cast<NodeId>(ctx.rng().below(cluster_size_ - 1));
  return peer >= ctx.self() ? peer + 1 : peer;
}

std::uint64_t forward_message_count(std::uint32_t nodes, std::uint64_t fanout, std::uint64_t hops) {
  return static_cast<std::uint64_t>(nodes) * fanout * (hops + 1);
}

void register_bench_protocols(ProtocolRegistry& registry) {
  ProtocolInfo forward;
  forward.name = std::string(kForwardProtocol);
  forward.summary = "benchmark: tokens forwarded between random peers";
  forward.options = {
      integer_option_spec("fanout", "4", "tokens each node sends at start", 1, 1'000),
      integer_option_spec("hops", "1000", "times each token is forwarded", 0, 1'000'000'000'000),
  };
  forward.make = [](const NodeSetup& setup) -> std::unique_ptr<Node> {
    return std::make_unique<ForwardingNode>(
        setup.cluster_size, static_cast<std::uint64_t>(setup.options->integer("fanout")),
        static_cast<std::uint64_t>(setup.options->integer("hops")));
  };
  registry.add(std::move(forward));

  ProtocolInfo idle;
  idle.name = std::string(kIdleProtocol);
  idle.summary = "benchmark: nodes that do nothing";
  idle.make = [](const NodeSetup&) -> std::unique_ptr<Node> {
    return std::make_unique<IdleNode>();
  };
  registry.add(std::move(idle));
}

}  // namespace capsim::tools::bench
