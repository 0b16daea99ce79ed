#include <doctest/doctest.h>

#include "support/recording_context.h"
#include "tools/bench/bench_protocols.h"

using namespace capsim;
using namespace capsim::tools::bench;
using capsim::testing::RecordingContext;

TEST_CASE("bench: a forwarding node sends its fanout at start, to peers only") {
  // Node 2 of 5 with fanout 4 sends four tokens carrying the full hop count, never to itself.
  RecordingContext ctx{/*self=*/2, /*seed=*/7};
  ForwardingNode node{/*cluster_size=*/5, /*fanout=*/4, /*hops=*/10};
  node.on_start(ctx);
  REQUIRE(ctx.sent.size() == 4);
  for (const auto& sent : ctx.sent) {
    CHECK(sent.to != 2);
    CHECK(sent.to < 5);
    REQUIRE(sent.message.as<Token>() != nullptr);
    CHECK(sent.message.as<Token>()->hops_left == 10);
  }
}

TEST_CASE("bench: a token is forwarded with one hop fewer until none are left") {
  // A token with hops left goes on with one fewer; a token with none stops here.
  RecordingContext ctx{/*self=*/0, /*seed=*/7};
  ForwardingNode node{/*cluster_size=*/3, /*fanout=*/1, /*hops=*/5};
  node.on_message(ctx, 1, Message::of(Token{3}));
  REQUIRE(ctx.sent.size() == 1);
  CHECK(ctx.sent[0].message.as<Token>()->hops_left == 2);
  CHECK(ctx.sent[0].to != 0);
  node.on_message(ctx, 1, Message::of(Token{0}));
  CHECK(ctx.sent.size() == 1);
}

TEST_CASE("bench: a cluster sends nodes * fanout * (hops + 1) messages") {
  // The count that `capsim bench` uses to size a run.
  CHECK(forward_message_count(5, 4, 0) == 20);
  CHECK(forward_message_count(5, 4, 499'999) == 10'000'000);
  ProtocolRegistry registry;
  register_bench_protocols(registry);
  CHECK(registry.find(std::string(kForwardProtocol)) != nullptr);
  CHECK(registry.find(std::string(kIdleProtocol)) != nullptr);
}
