// The seam between the Raft core and its host: the core keeps to its own messages, timers and
// disk keys, and a small host built on it (a replicated list) works as a cluster.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "sim/client/kv_messages.h"
#include "support/pump_cluster.h"
#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {

constexpr NodeId kN1 = 0;

// A replicated append-only list: clients send ClientRequest{f: "append", value: "x"}; the leader
// submits "x" and answers ok with the list's length once it is applied; others redirect.
class ListNode final : public Node, private Host {
 public:
  ListNode(NodeId self, std::uint32_t nodes)
      : raft_(self, ToyReplica::with_size({}, nodes), machine_, *this) {}

  void on_start(Context& ctx) override { raft_.on_start(ctx); }
  void on_timer(Context& ctx, std::string_view name) override { raft_.on_timer(ctx, name); }
  void on_message(Context& ctx, NodeId from, const Message& message) override {
    if (raft_.on_message(ctx, from, message)) return;
    const auto* request = message.as<ClientRequest>();
    if (request == nullptr) return;
    if (!raft_.is_leader()) {
      ClientReply redirect;
      redirect.op_id = request->op_id;
      redirect.outcome = ClientReply::Outcome::kRedirect;
      redirect.leader_hint = raft_.leader();
      return ctx.send(from, Message::of(redirect));
    }
    raft_.submit(ctx, from, request->op_id, request->value.string());
  }
  bool is_leader() const override { return raft_.is_leader(); }
  std::string state_digest() const override {
    std::string digest;
    for (const auto& item : machine_.items) digest += item + ";";
    return digest;
  }

 private:
  void on_applied(Context& ctx, const Entry& entry, const Result& result) override {
    ClientReply reply;
    reply.op_id = entry.op_id;
    reply.value = result.value;
    ctx.send(entry.client, Message::of(reply));
  }
  void on_barrier_passed(Context&, BarrierId) override {}
  void on_barrier_failed(Context&, BarrierId) override {}

  ListMachine machine_;
  Consensus raft_;
};

}  // namespace

TEST_CASE("raft core: term, vote and log live under the host's disk prefix") {
  // A core configured with "queue/raft/" writes nothing under "raft/", and a fresh core on the
  // same disk reads back its term, vote and log.
  ConsensusConfig config;
  config.disk_prefix = "queue/raft/";
  ToyReplica r{kN1, 1, config};
  r.elect();
  r.core.submit(r.ctx, 9, 1, "x");
  CHECK(r.ctx.memory_disk().get("queue/raft/term") == std::optional<std::string>("1"));
  CHECK(r.ctx.memory_disk().get("queue/raft/log/length") == std::optional<std::string>("2"));
  CHECK_FALSE(r.ctx.memory_disk().get("raft/term").has_value());
  CHECK_FALSE(r.ctx.memory_disk().get("raft/log/length").has_value());

  ListMachine machine;
  RecordingHost host;
  Consensus restarted{kN1, ToyReplica::with_size(config, 1), machine, host};
  restarted.on_start(r.ctx);
  CHECK(restarted.term() == 1);
  CHECK(restarted.voted_for() == kN1);
  CHECK(restarted.log().entries() == r.core.log().entries());
}

TEST_CASE("raft core: messages and timers that are not the core's are left to the host") {
  ToyReplica r{kN1, 3};
  r.core.on_start(r.ctx);
  r.ctx.clear_sent();
  ClientRequest request;
  request.op_id = 1;
  CHECK_FALSE(r.core.on_message(r.ctx, 9, Message::of(request)));
  CHECK_FALSE(r.core.on_timer(r.ctx, "redelivery"));
  CHECK(r.ctx.sent.empty());
  CHECK(r.core.role() == Role::kFollower);
  CHECK(r.core.on_message(r.ctx, 1, append(1, 0, 0, {})));
  CHECK(r.core.leader() == 1);
}

TEST_CASE("raft core: a host built on the core replicates its state machine across a cluster") {
  // Three ListNodes elect one leader; appends sent to it are answered with the list's length,
  // a follower redirects to it, and every replica ends with the same list, in order, even
  // after the leader crashes and another takes over.
  testing::PumpCluster cluster{3, [](NodeId id) { return std::make_unique<ListNode>(id, 3); }, 21};
  cluster.advance(2s);
  REQUIRE(cluster.leaders().size() == 1);
  const NodeId leader = cluster.leaders()[0];
  for (int i = 1; i <= 3; ++i) {
    const auto op = cluster.request(leader, "append", "", Value("v" + std::to_string(i)));
    cluster.advance(100ms);
    REQUIRE(cluster.reply(op).has_value());
    CHECK(cluster.reply(op)->value == Value(i));
  }
  const NodeId follower = (leader + 1) % 3;
  const auto redirected = cluster.request(follower, "append", "", Value("no"));
  cluster.advance(100ms);
  REQUIRE(cluster.reply(redirected).has_value());
  CHECK(cluster.reply(redirected)->outcome == ClientReply::Outcome::kRedirect);
  CHECK(cluster.reply(redirected)->leader_hint == leader);

  cluster.crash(leader);
  cluster.advance(3s);
  REQUIRE(cluster.leaders().size() == 1);
  const NodeId next = cluster.leaders()[0];
  const auto op = cluster.request(next, "append", "", Value("v4"));
  cluster.advance(100ms);
  REQUIRE(cluster.reply(op).has_value());
  CHECK(cluster.reply(op)->value == Value(4));
  cluster.restart(leader);
  cluster.advance(1s);
  for (NodeId id = 0; id < 3; ++id) CHECK(cluster.node(id).state_digest() == "v1;v2;v3;v4;");
}
