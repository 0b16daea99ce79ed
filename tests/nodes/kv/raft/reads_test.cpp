// The read modes driven by hand through a leader of three: what each one waits for before it
// answers, and what it answers without.
#include <doctest/doctest.h>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;
using capsim::testing::RecordingContext;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kClient = 9;

const ClientReply* reply_to(const RecordingContext& ctx, std::uint64_t op_id) {
  const ClientReply* found = nullptr;
  for (const ClientReply* reply : ctx.sent_of<ClientReply>()) {
    if (reply->op_id == op_id) found = reply;
  }
  return found;
}

// A leader of three (term 1) that has committed its no-op and written k1=7 through n2, which
// acknowledged round `round_` of the leader with that answer.
std::unique_ptr<RaftNode> leader_with_k1(RecordingContext& ctx, const Overrides& overrides) {
  auto node = make_node(kN1, 3, overrides);
  elect_first(*node, ctx, 3);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 7));
  const std::uint64_t round = ctx.sent_of<AppendEntries>().back()->round;
  node->on_message(ctx, kN2, append_reply(1, true, 2, round));
  REQUIRE(node->state_digest() == "k1=7");
  ctx.clear_sent();
  return node;
}
}  // namespace

TEST_CASE("raft: read-index answers only after a majority confirms a round sent after the read") {
  // The read starts a round. An answer to an older round proves nothing about now; the answer
  // to the new round does. Nothing is appended to the log.
  RecordingContext ctx{kN1, 7};
  auto node = leader_with_k1(ctx, {{"read", "read-index"}});
  const Index last = node->log().last_index();
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  REQUIRE(ctx.sent_count<AppendEntries>() == 2);
  const std::uint64_t round = ctx.sent_of<AppendEntries>().back()->round;
  CHECK(reply_to(ctx, 2) == nullptr);
  node->on_message(ctx, kN2, append_reply(1, true, 2, round - 1));
  CHECK(reply_to(ctx, 2) == nullptr);
  node->on_message(ctx, kN2, append_reply(1, true, 2, round));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->value == Value(7));
  CHECK(node->log().last_index() == last);
}

TEST_CASE("raft: read-index refuses its waiting reads when the leader steps down") {
  RecordingContext ctx{kN1, 7};
  auto node = leader_with_k1(ctx, {{"read", "read-index"}});
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  node->on_message(ctx, kN2, append_reply(2, false, 0));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->outcome == ClientReply::Outcome::kFail);
  CHECK_FALSE(node->is_leader());
}

TEST_CASE("raft: a lease answers at once until it runs out, then reads wait for a round") {
  // The confirmed round was sent at time T; the lease is 250ms. At T+100ms the read is answered
  // without a message; at T+300ms it starts a round and waits for it.
  RecordingContext ctx{kN1, 7};
  auto node = leader_with_k1(ctx, {{"read", "lease"}});
  ctx.advance(100ms);
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->value == Value(7));
  CHECK(ctx.sent_count<AppendEntries>() == 0);

  ctx.advance(200ms);
  node->on_message(ctx, kClient, client_request(3, "read", "k1"));
  CHECK(reply_to(ctx, 3) == nullptr);
  REQUIRE(ctx.sent_count<AppendEntries>() == 2);
  const std::uint64_t round = ctx.sent_of<AppendEntries>().back()->round;
  node->on_message(ctx, kN2, append_reply(1, true, 2, round));
  REQUIRE(reply_to(ctx, 3) != nullptr);
  CHECK(reply_to(ctx, 3)->value == Value(7));
}

TEST_CASE("raft: a local read is answered at once from the leader's state, confirmed or not") {
  RecordingContext ctx{kN1, 7};
  auto node = leader_with_k1(ctx, {{"read", "local"}});
  ctx.advance(10s);  // long after any confirmation: it still answers
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->value == Value(7));
  CHECK(ctx.sent.size() == 1);
}

TEST_CASE("raft: a new leader serves read-index reads only once its no-op commits") {
  // Right after winning, the no-op is not committed yet. A confirmed round is not enough: the
  // read also waits until the no-op (and everything before it) is applied.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3, {{"read", "read-index"}});
  node->on_start(ctx);
  node->on_message(ctx, kN2, append(1, 0, 0, {write_entry(1, 1, "k1", 3)}));
  ctx.advance(kQuiet);
  node->on_timer(ctx, kElectionTimer);
  node->on_message(ctx, kN2, vote(2, true));
  REQUIRE(node->is_leader());
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  const std::uint64_t round = ctx.sent_of<AppendEntries>().back()->round;
  node->on_message(ctx, kN2, append_reply(2, true, 0, round));
  CHECK(reply_to(ctx, 2) == nullptr);
  node->on_message(ctx, kN2, append_reply(2, true, 2, round));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->value == Value(3));
}
