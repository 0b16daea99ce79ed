// One quorum node driven by hand through a RecordingContext: the replica's storage and hints,
// and the coordinator's phases (read repair, read write-back, timeouts) message by message.
#include <doctest/doctest.h>

#include "quorum_test_util.h"

using namespace capsim;
using namespace capsim::quorum;
using namespace capsim::quorum::test;
using namespace std::chrono_literals;

namespace {

constexpr NodeId kClient = 10;

Message client_request(std::uint64_t op_id, std::string f, std::string key, Value value = {}) {
  ClientRequest request;
  request.op_id = op_id;
  request.f = std::move(f);
  request.key = std::move(key);
  request.value = std::move(value);
  return Message::of(std::move(request));
}

Message write_message(std::uint64_t op, std::string key, Versions versions,
                      NodeId hint_for = kNoNode) {
  ReplicaWrite write;
  write.op = op;
  write.key = std::move(key);
  write.versions = std::move(versions);
  write.hint_for = hint_for;
  return Message::of(std::move(write));
}

Message read_reply(std::uint64_t op, std::string key, Versions versions) {
  return Message::of(ReplicaReadReply{op, std::move(key), std::move(versions)});
}

std::vector<ClientReply> client_replies(const testing::RecordingContext& ctx) {
  std::vector<ClientReply> replies;
  for (const ClientReply* reply : ctx.sent_of<ClientReply>(kClient)) replies.push_back(*reply);
  return replies;
}

// The operation number of the coordinator's last ReplicaRead.
std::uint64_t last_read_op(const testing::RecordingContext& ctx) {
  const auto reads = ctx.sent_of<ReplicaRead>();
  REQUIRE_FALSE(reads.empty());
  return reads.back()->op;
}

}  // namespace

TEST_CASE("quorum replica: a write is synced before it is acknowledged and survives a crash") {
  // The replica reconciles the versions, syncs the disk, then acknowledges; a fresh node on the
  // same disk after losing unsynced writes still holds them.
  testing::RecordingContext ctx{1, 7};
  auto node = make_node(1, 3);
  node->on_start(ctx);
  node->on_message(ctx, 0, write_message(9, "k1", {version(5, 0, 1, 1ms)}));
  REQUIRE(ctx.sent_count<ReplicaWriteAck>(0) == 1);
  CHECK(ctx.sent_of<ReplicaWriteAck>(0)[0]->op == 9);
  CHECK(ctx.memory_disk().pending_count() == 0);
  ctx.memory_disk().lose_unsynced();
  auto restarted = make_node(1, 3);
  restarted->on_start(ctx);
  REQUIRE(restarted->store().find("k1") != nullptr);
  CHECK(resolve_value(*restarted->store().find("k1")) == Value(5));
  CHECK(restarted->state_digest() == "k1=5");
}

TEST_CASE("quorum replica: a hinted write is kept apart, read back, and handed off") {
  // n2 stands in for n3: the version goes to the hint store (not its own data or digest), a
  // read of the key on n2 still returns it, the handoff timer sends it to n3, and n3's
  // acknowledgement removes the hint.
  testing::RecordingContext ctx{1, 7};
  auto node = make_node(1, 5, {{"sloppy", "true"}});
  node->on_start(ctx);
  node->on_message(ctx, 0, write_message(4, "k1", {version(8, 0, 1, 1ms)}, /*hint_for=*/2));
  CHECK(node->store().find("k1") == nullptr);
  REQUIRE(node->hints().find(2, "k1") != nullptr);
  CHECK(ctx.has_timer(std::string(kHandoffTimer)));

  node->on_message(ctx, 0, Message::of(ReplicaRead{5, "k1"}));
  REQUIRE(ctx.sent_count<ReplicaReadReply>(0) == 1);
  CHECK(resolve_value(ctx.sent_of<ReplicaReadReply>(0)[0]->versions) == Value(8));

  node->on_timer(ctx, kHandoffTimer);
  REQUIRE(ctx.sent_count<HintHandoff>(2) == 1);
  const HintHandoff handoff = *ctx.sent_of<HintHandoff>(2)[0];
  REQUIRE(handoff.hints.size() == 1);
  CHECK(handoff.hints[0].first == "k1");

  // The intended replica's side of the exchange, on another node.
  testing::RecordingContext intended_ctx{2, 8};
  auto intended = make_node(2, 5, {{"sloppy", "true"}});
  intended->on_start(intended_ctx);
  intended->on_message(intended_ctx, 1, Message::of(handoff));
  CHECK(resolve_value(*intended->store().find("k1")) == Value(8));
  REQUIRE(intended_ctx.sent_count<HintHandoffAck>(1) == 1);
  node->on_message(ctx, 2, Message::of(*intended_ctx.sent_of<HintHandoffAck>(1)[0]));
  CHECK(node->hints().empty());
  CHECK(ctx.notes.back() == "quorum: handed off 1 hints to n3");
}

TEST_CASE("quorum coordinator: cas is refused, reads fail on timeout, writes fall silent") {
  testing::RecordingContext ctx{0, 7};
  auto node = make_node(0, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "cas", "k1", Value::List{1, 2}));
  REQUIRE(client_replies(ctx).size() == 1);
  CHECK(client_replies(ctx)[0].outcome == ClientReply::Outcome::kFail);
  CHECK(client_replies(ctx)[0].error == "cas is not supported by quorum");
  CHECK(client_replies(ctx)[0].answered);  // a definite no: asking again would not help

  // A read that hears only from itself (1 of r=2) fails when the request times out.
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  ctx.advance(300ms);
  node->on_timer(ctx, kDeadlineTimer);
  REQUIRE(client_replies(ctx).size() == 2);
  CHECK(client_replies(ctx)[1].outcome == ClientReply::Outcome::kFail);
  CHECK(client_replies(ctx)[1].error == "read quorum not reached (1 of 2)");
  CHECK_FALSE(client_replies(ctx)[1].answered);  // a refusal: no quorum to serve it

  // A write that reached only itself may still take effect: no answer, just a trace note.
  node->on_message(ctx, kClient, client_request(3, "write", "k1", 5));
  CHECK(ctx.sent_count<ReplicaWrite>() == 2);  // to n2 and n3; n1 wrote locally
  ctx.advance(300ms);
  node->on_timer(ctx, kDeadlineTimer);
  CHECK(client_replies(ctx).size() == 2);
  CHECK(ctx.notes.back() ==
        "quorum: write k1 reached 1 of 2 replicas before the timeout; its outcome is unknown, "
        "no answer");
  CHECK(node->pending_operations() == 0);
}

TEST_CASE("quorum coordinator: read_writeback writes the value read to w replicas first") {
  // n1 coordinates a read with n=3 r=2 w=2. It reads itself (nothing) and n2 (7), then writes
  // 7 back before answering: the client hears nothing until a second replica confirms.
  testing::RecordingContext ctx{0, 7};
  auto node = make_node(0, 3, {{"read_writeback", "true"}});
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k1"));
  const std::uint64_t op = last_read_op(ctx);
  const Version seven = version(7, 1, 1, 1ms);
  node->on_message(ctx, 1, read_reply(op, "k1", {seven}));
  CHECK(client_replies(ctx).empty());
  const auto writebacks = ctx.sent_of<ReplicaWrite>();
  REQUIRE(writebacks.size() == 2);  // n2 and n3; n1 applied it locally
  for (const ReplicaWrite* write : writebacks) {
    CHECK(write->op == op);
    CHECK(write->versions == Versions{seven});
  }
  CHECK(resolve_value(*node->store().find("k1")) == Value(7));  // n1's own write-back
  node->on_message(ctx, 2, Message::of(ReplicaWriteAck{op}));
  REQUIRE(client_replies(ctx).size() == 1);
  CHECK(client_replies(ctx)[0].outcome == ClientReply::Outcome::kOk);
  CHECK(client_replies(ctx)[0].value == Value(7));
}

TEST_CASE("quorum coordinator: without read_writeback a read answers at r replies") {
  testing::RecordingContext ctx{0, 7};
  auto node = make_node(0, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k1"));
  node->on_message(ctx, 1, read_reply(last_read_op(ctx), "k1", {version(7, 1, 1, 1ms)}));
  REQUIRE(client_replies(ctx).size() == 1);
  CHECK(client_replies(ctx)[0].value == Value(7));
  CHECK(ctx.sent_count<ReplicaWrite>() == 0);
  CHECK(node->store().find("k1") == nullptr);  // no read repair: n1 stays behind
}

TEST_CASE("quorum coordinator: read repair updates replicas that answered with older versions") {
  // n1 (empty) and n2 (7) answer; the read returns 7 and repairs n1 at once. n3 answers late
  // with an older version and is sent the newest too, without an acknowledgement (op 0).
  testing::RecordingContext ctx{0, 7};
  auto node = make_node(0, 3, {{"read_repair", "true"}});
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k1"));
  const std::uint64_t op = last_read_op(ctx);
  const Version seven = version(7, 1, 2, 2ms);
  node->on_message(ctx, 1, read_reply(op, "k1", {seven}));
  REQUIRE(client_replies(ctx).size() == 1);
  CHECK(client_replies(ctx)[0].value == Value(7));
  CHECK(resolve_value(*node->store().find("k1")) == Value(7));
  CHECK(ctx.sent_count<ReplicaWrite>(1) == 0);  // n2 was up to date

  node->on_message(ctx, 2, read_reply(op, "k1", {version(3, 2, 1, 1ms)}));
  REQUIRE(ctx.sent_count<ReplicaWrite>(2) == 1);
  const ReplicaWrite* repair = ctx.sent_of<ReplicaWrite>(2)[0];
  CHECK(repair->op == 0);
  CHECK(repair->versions == Versions{seven});
  CHECK(node->pending_operations() == 0);  // every replica answered
}

TEST_CASE("quorum coordinator: a sloppy write turns to a fallback that keeps a hint") {
  // Five nodes, n=3 w=3 sloppy. One preferred replica stays silent; after replica_timeout the
  // coordinator sends the version to the next node on the ring, naming the silent replica.
  const Config config = config_for(5, {{"sloppy", "true"}, {"w", "3"}});
  const Ring ring(5, config.vnodes);
  const auto walk = ring.walk("k1", 5);
  const NodeId coordinator = walk[0];
  const NodeId silent = walk[2];
  testing::RecordingContext ctx{coordinator, 7};
  auto node = make_node(coordinator, 5, {{"sloppy", "true"}, {"w", "3"}});
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 4));
  const std::uint64_t op = ctx.sent_of<ReplicaWrite>(walk[1])[0]->op;
  node->on_message(ctx, walk[1], Message::of(ReplicaWriteAck{op}));
  CHECK(client_replies(ctx).empty());
  ctx.advance(50ms);
  node->on_timer(ctx, kDeadlineTimer);
  REQUIRE(ctx.sent_count<ReplicaWrite>(walk[3]) == 1);
  CHECK(ctx.sent_of<ReplicaWrite>(walk[3])[0]->hint_for == silent);
  CHECK(node->is_suspected(ctx, silent));
  node->on_message(ctx, walk[3], Message::of(ReplicaWriteAck{op}));
  REQUIRE(client_replies(ctx).size() == 1);
  CHECK(client_replies(ctx)[0].outcome == ClientReply::Outcome::kOk);
  // The next operation skips the suspected replica from the start.
  ctx.clear_sent();
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  CHECK(ctx.sent_count<ReplicaRead>(silent) == 0);
  CHECK(ctx.sent_count<ReplicaRead>(walk[3]) == 1);
}
