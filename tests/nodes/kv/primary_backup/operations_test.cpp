// The set and counter operations on a primary: evaluated once by the primary, logged as the
// key's new value, and replayed by backups without evaluating anything again.
#include <doctest/doctest.h>

#include "pb_test_util.h"

using namespace capsim;
using namespace capsim::pb;
using namespace capsim::pb::test;
using capsim::testing::RecordingContext;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kClient = 3;

const ClientReply& reply_to(const RecordingContext& ctx) {
  const auto* reply = last_sent<ClientReply>(ctx, kClient);
  REQUIRE(reply != nullptr);
  return *reply;
}
}  // namespace

TEST_CASE("pb: add builds a sorted set and logs the whole new set") {
  // Three adds, one of them out of order and one repeated: the state and every log entry hold
  // the sorted set as it stood after the add, so a backup can copy entries verbatim.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "add", "k1", 5));
  CHECK(reply_to(ctx).outcome == ClientReply::Outcome::kOk);
  node->on_message(ctx, kClient, client_request(2, "add", "k1", 2));
  node->on_message(ctx, kClient, client_request(3, "add", "k1", 5));
  CHECK(reply_to(ctx).outcome == ClientReply::Outcome::kOk);
  CHECK(node->value_of("k1") == Value(Value::List{2, 5}));
  REQUIRE(node->log().last_index() == 3);
  CHECK(node->log().at(1) == asked(put(1, 1, "k1", Value(Value::List{5})), kClient, 1));
  CHECK(node->log().at(2) == asked(put(1, 2, "k1", Value(Value::List{2, 5})), kClient, 2));
  CHECK(node->state_digest() == "k1=[2 5]");

  node->on_message(ctx, kClient, client_request(4, "read", "k1"));
  CHECK(reply_to(ctx).outcome == ClientReply::Outcome::kOk);
  CHECK(reply_to(ctx).value == Value(Value::List{2, 5}));
}

TEST_CASE("pb: increment counts from nothing and logs the new count") {
  // A key never written counts as 0; each increment logs the count it produced.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "read", "k2"));
  CHECK(reply_to(ctx).value.is_nil());
  node->on_message(ctx, kClient, client_request(2, "increment", "k2", 1));
  node->on_message(ctx, kClient, client_request(3, "increment", "k2", 1));
  CHECK(reply_to(ctx).outcome == ClientReply::Outcome::kOk);
  CHECK(node->value_of("k2") == Value(2));
  CHECK(node->log().at(2) == asked(put(1, 2, "k2", 2), kClient, 3));
  node->on_message(ctx, kClient, client_request(4, "read", "k2"));
  CHECK(reply_to(ctx).value == Value(2));
}

TEST_CASE("pb: an operation that does not fit the key's value fails and logs nothing") {
  // An increment on a set and an add on a count are refused with the shared error words, and
  // so is an unknown operation; the log stays as it was.
  RecordingContext ctx{kN1, 7};
  auto node = make_node(kN1, 3);
  node->on_start(ctx);
  node->on_message(ctx, kClient, client_request(1, "add", "k1", 7));
  node->on_message(ctx, kClient, client_request(2, "increment", "k1", 1));
  CHECK(reply_to(ctx).outcome == ClientReply::Outcome::kFail);
  CHECK(reply_to(ctx).error == "increment on a key that does not hold a count ([7])");
  CHECK(reply_to(ctx).answered);
  node->on_message(ctx, kClient, client_request(3, "frobnicate", "k1", 1));
  CHECK(reply_to(ctx).error == "unknown operation 'frobnicate'");
  node->on_message(ctx, kClient, client_request(4, "cas", "k1", Value(Value::List{1, 2})));
  CHECK(reply_to(ctx).error == "cas mismatch");
  CHECK(reply_to(ctx).answered);
  CHECK(node->log().last_index() == 1);
}

TEST_CASE("pb: a backup replays adds and increments from the log without evaluating them") {
  // The backup receives the primary's entries and ends with the same state: it applies the
  // logged values as they are.
  RecordingContext primary_ctx{kN1, 7};
  auto primary = make_node(kN1, 2);
  primary->on_start(primary_ctx);
  primary->on_message(primary_ctx, kClient, client_request(1, "add", "k1", 3));
  primary->on_message(primary_ctx, kClient, client_request(2, "add", "k1", 1));
  primary->on_message(primary_ctx, kClient, client_request(3, "increment", "k2", 1));

  RecordingContext backup_ctx{kN2, 7};
  auto backup = make_node(kN2, 2);
  backup->on_start(backup_ctx);
  backup->on_message(backup_ctx, kN1, replicate(1, 0, 0, primary->log().entries()));
  CHECK(backup->state_digest() == primary->state_digest());
  CHECK(backup->state_digest() == "k1=[1 3];k2=1");
}
