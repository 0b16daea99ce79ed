// Replication rules driven by hand through one replica: the consistency check, truncation of a
// conflicting suffix, what a follower may commit, durability before answering, commitment only
// by counting entries of the current term, and operations evaluated when applied.
#include <doctest/doctest.h>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;
using capsim::testing::RecordingContext;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
constexpr NodeId kN4 = 3;
constexpr NodeId kClient = 9;

const ClientReply* reply_to(const RecordingContext& ctx, std::uint64_t op_id) {
  const ClientReply* found = nullptr;
  for (const ClientReply* reply : ctx.sent_of<ClientReply>()) {
    if (reply->op_id == op_id) found = reply;
  }
  return found;
}
}  // namespace

TEST_CASE("raft: a follower refuses an append that does not continue its log, with a hint") {
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN1, append(1, 0, 0, {write_entry(1, 1, "k1", 1)}));
  REQUIRE(last_sent<AppendEntriesReply>(ctx)->success);

  node->on_message(ctx, kN1, append(1, 3, 1, {write_entry(1, 4, "k1", 4)}));
  const auto* refused = last_sent<AppendEntriesReply>(ctx);
  CHECK_FALSE(refused->success);
  CHECK(refused->hint_index == 1);
  CHECK(node->log().last_index() == 1);

  node->on_message(ctx, kN1, append(1, 1, 5, {write_entry(5, 2, "k1", 2)}));  // wrong prev term
  CHECK_FALSE(last_sent<AppendEntriesReply>(ctx)->success);
  CHECK(last_sent<AppendEntriesReply>(ctx)->hint_index == 0);
}

TEST_CASE("raft: a conflicting suffix is truncated, noted, and replaced; matching entries stay") {
  // n2 holds 1@1 2@1 3@1 from the leader of term 1; the leader of term 2 sends 2@2. Entries 2..3
  // go, 2@2 comes in. A late retransmission of 1@1 alone then changes nothing.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN1,
                   append(1, 0, 0,
                          {write_entry(1, 1, "k1", 1), write_entry(1, 2, "k1", 2),
                           write_entry(1, 3, "k2", 3)},
                          1));
  CHECK(node->commit_index() == 1);
  node->on_message(ctx, kN3, append(2, 1, 1, {write_entry(2, 2, "k1", 9)}, 1));
  CHECK(noted(ctx, "raft: n2 truncates entries 2..3 (terms 1..1)"));
  REQUIRE(ctx.events.size() == 1);
  CHECK(ctx.events[0].kind == NodeEventKind::kEntriesDropped);
  CHECK(ctx.events[0].count == 2);
  CHECK(ctx.events[0].text == "truncated uncommitted entries 2..3 (term 1)");
  REQUIRE(node->log().last_index() == 2);
  CHECK(node->log().at(2).term == 2);
  CHECK(last_sent<AppendEntriesReply>(ctx, kN3)->match_index == 2);

  node->on_message(ctx, kN3, append(2, 0, 0, {write_entry(1, 1, "k1", 1)}, 1));
  CHECK(node->log().last_index() == 2);
  CHECK(last_sent<AppendEntriesReply>(ctx, kN3)->success);
  CHECK(last_sent<AppendEntriesReply>(ctx, kN3)->match_index == 1);
}

TEST_CASE("raft: a follower commits only what the leader vouched for in this message") {
  // n2 holds a stale 2@1 beyond what a heartbeat of term 2 (prev 1@1, commit 2) covers: the
  // commit index stops at 1, because 2@1 may still be replaced.
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  node->on_message(ctx, kN1,
                   append(1, 0, 0, {write_entry(1, 1, "k1", 1), write_entry(1, 2, "k1", 2)}));
  node->on_message(ctx, kN3, append(2, 1, 1, {}, 2));
  CHECK(node->commit_index() == 1);
  CHECK(node->state_digest() == "k1=1");
}

TEST_CASE("raft: a follower's answers leave only after its log and term are synced") {
  // With sync_disk the disk has nothing pending when the answer is sent; without it, the new
  // entries are still pending and a crash would drop them.
  for (const bool sync : {true, false}) {
    CAPTURE(sync);
    RecordingContext ctx{kN2, 7};
    auto node = make_node(kN2, 3, {{"sync_disk", sync ? "true" : "false"}});
    node->on_start(ctx);
    node->on_message(ctx, kN1, append(4, 0, 0, {write_entry(4, 1, "k1", 1)}));
    REQUIRE(last_sent<AppendEntriesReply>(ctx)->success);
    CHECK((ctx.memory_disk().pending_count() == 0) == sync);
    ctx.memory_disk().lose_unsynced();
    auto restarted = make_node(kN2, 3);
    restarted->on_start(ctx);
    CHECK(restarted->log().last_index() == (sync ? 1u : 0u));
    CHECK(restarted->term() == (sync ? 4u : 0u));
  }
}

TEST_CASE("raft: a new leader commits an older term's entry only with an entry of its own") {
  // n1 of 5 holds 1@1 and 2@2 from earlier leaders, then wins term 3 and appends its no-op 3@3.
  // Two followers confirming up to index 2 make a majority holding 2@2, but the leader does not
  // count entries of older terms: nothing commits. Once a majority holds 3@3, everything does.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 5);
  node->on_start(ctx);
  node->on_message(ctx, kN2,
                   append(2, 0, 0, {write_entry(1, 1, "k1", 1), write_entry(2, 2, "k1", 2)}));
  ctx.advance(kQuiet);
  node->on_timer(ctx, kElectionTimer);
  CHECK(node->term() == 3);
  node->on_message(ctx, kN3, vote(3, true));
  node->on_message(ctx, kN4, vote(3, true));
  REQUIRE(node->is_leader());
  REQUIRE(node->log().last_index() == 3);

  node->on_message(ctx, kN3, append_reply(3, true, 2));
  node->on_message(ctx, kN4, append_reply(3, true, 2));
  CHECK(node->commit_index() == 0);
  CHECK(node->state_digest().empty());

  node->on_message(ctx, kN3, append_reply(3, true, 3));
  CHECK(node->commit_index() == 0);
  node->on_message(ctx, kN4, append_reply(3, true, 3));
  CHECK(node->commit_index() == 3);
  CHECK(node->state_digest() == "k1=2");
}

TEST_CASE("raft: the leader answers a write only once a majority holds it") {
  // Three replicas: the write is appended and synced at once, but the ok waits for n2.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  elect_first(*node, ctx, 3);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 5));
  CHECK(node->log().last_index() == 2);
  CHECK(ctx.memory_disk().pending_count() == 0);
  CHECK(reply_to(ctx, 1) == nullptr);
  node->on_message(ctx, kN2, append_reply(1, true, 2));
  REQUIRE(reply_to(ctx, 1) != nullptr);
  CHECK(reply_to(ctx, 1)->outcome == ClientReply::Outcome::kOk);
  CHECK(node->state_digest() == "k1=5");
}

TEST_CASE("raft: operations are evaluated in log order when applied, on every replica") {
  // The leader takes write 1, then cas [1 2] and cas [5 6] before anything commits. Both cas are
  // judged against the state as of their place in the log: the first succeeds, the second fails
  // "cas mismatch". add and increment work the same way. A follower applying the same entries
  // reaches the same state.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  elect_first(*node, ctx, 3);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 1));
  node->on_message(ctx, kClient, client_request(2, "cas", "k1", Value(Value::List{1, 2})));
  node->on_message(ctx, kClient, client_request(3, "cas", "k1", Value(Value::List{5, 6})));
  node->on_message(ctx, kClient, client_request(4, "add", "s", 3));
  node->on_message(ctx, kClient, client_request(5, "add", "s", 1));
  node->on_message(ctx, kClient, client_request(6, "increment", "c", 4));
  node->on_message(ctx, kClient, client_request(7, "increment", "c", -1));
  node->on_message(ctx, kClient, client_request(8, "read", "k1"));
  CHECK(ctx.sent_count<ClientReply>() == 0);
  node->on_message(ctx, kN2, append_reply(1, true, node->log().last_index()));
  CHECK(reply_to(ctx, 2)->outcome == ClientReply::Outcome::kOk);
  CHECK(reply_to(ctx, 3)->outcome == ClientReply::Outcome::kFail);
  CHECK(reply_to(ctx, 3)->error == "cas mismatch");
  CHECK(reply_to(ctx, 3)->answered);  // the committed cas was judged: a definite answer
  CHECK(reply_to(ctx, 8)->value == Value(2));
  CHECK(node->state_digest() == "c=3;k1=2;s=[1 3]");

  RecordingContext follower_ctx{kN2, 8};
  auto follower = make_node(kN2, 3);
  follower->on_start(follower_ctx);
  follower->on_message(follower_ctx, kN1,
                       append(1, 0, 0, node->log().entries(), node->commit_index()));
  CHECK(follower->state_digest() == node->state_digest());
  CHECK(follower_ctx.sent_count<ClientReply>() == 0);  // only the leader answers clients
}

TEST_CASE("raft: a request delivered twice takes effect once") {
  // A single replica leads at once. The network hands it the same increment twice: both copies
  // are logged, but the second is recognised by its (client, op id) and changes nothing.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 1);
  elect_first(*node, ctx, 1);
  node->on_message(ctx, kClient, client_request(1, "increment", "c", 5));
  node->on_message(ctx, kClient, client_request(1, "increment", "c", 5));
  CHECK(node->log().last_index() == 3);
  CHECK(node->state_digest() == "c=5");
  CHECK(ctx.sent_count<ClientReply>() == 2);
}

TEST_CASE("raft: followers redirect clients to the leader they know, or refuse without one") {
  RecordingContext ctx{kN2, 7};
  auto node = make_node(kN2, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "write", "k1", 1));
  REQUIRE(reply_to(ctx, 1) != nullptr);
  CHECK(reply_to(ctx, 1)->outcome == ClientReply::Outcome::kFail);
  CHECK(reply_to(ctx, 1)->error == "no leader known");
  CHECK_FALSE(reply_to(ctx, 1)->answered);  // a refusal of service, not an answer
  node->on_message(ctx, kN3, append(1, 0, 0, {}));
  node->on_message(ctx, kClient, client_request(2, "read", "k1"));
  REQUIRE(reply_to(ctx, 2) != nullptr);
  CHECK(reply_to(ctx, 2)->outcome == ClientReply::Outcome::kRedirect);
  CHECK(reply_to(ctx, 2)->leader_hint == kN3);
  CHECK(node->log().last_index() == 0);
}
