// The table of each client's latest request: what it says of a copy of the latest request, of an
// older one and of a newer one, before and after the latest is answered.
#include <doctest/doctest.h>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/client_sessions.h"

using namespace capsim;
using namespace capsim::kv;
using Seen = ClientSessions::Seen;

TEST_CASE("client sessions: a request is new, then pending, then answered; older ones stale") {
  // One client walks through two requests; a second client is independent of the first.
  ClientSessions sessions;
  CHECK(sessions.check(7, 1) == Seen::kNew);
  sessions.begin(7, 1);
  CHECK(sessions.check(7, 1) == Seen::kPending);
  CHECK(sessions.check(8, 1) == Seen::kNew);
  sessions.record(7, ok_reply(1, Value(4)));
  REQUIRE(sessions.check(7, 1) == Seen::kAnswered);
  CHECK(sessions.answer_of(7).value == Value(4));
  CHECK(sessions.check(7, 2) == Seen::kNew);

  sessions.record(7, answered_fail_reply(2, "cas mismatch"));
  CHECK(sessions.check(7, 1) == Seen::kStale);
  REQUIRE(sessions.check(7, 2) == Seen::kAnswered);
  CHECK(sessions.answer_of(7).error == "cas mismatch");
  CHECK(sessions.size() == 1);
}

TEST_CASE("client sessions: an older request never replaces the latest") {
  // Replaying entries out of order, or beginning a late copy, leaves the latest in place.
  ClientSessions sessions;
  sessions.record(3, ok_reply(5));
  sessions.begin(3, 4);
  sessions.record(3, ok_reply(2));
  CHECK(sessions.check(3, 5) == Seen::kAnswered);
  CHECK(sessions.answer_of(3).op_id == 5);
  sessions.begin(3, 6);
  CHECK(sessions.check(3, 5) == Seen::kStale);
  CHECK(sessions.check(3, 6) == Seen::kPending);
  sessions.clear();
  CHECK(sessions.check(3, 6) == Seen::kNew);
}

TEST_CASE("client sessions: admit decides a new update once and answers its copies") {
  ClientSessions sessions;
  // New: decide it; taken on, a copy that comes before the answer gets nothing.
  auto first = sessions.admit(4, 1, true);
  CHECK(first.decide);
  CHECK(first.resend == nullptr);
  auto early_copy = sessions.admit(4, 1, true);
  CHECK_FALSE(early_copy.decide);
  CHECK(early_copy.resend == nullptr);
  // Decided: a copy gets the same answer again, and is not decided again.
  sessions.record(4, ok_reply(1, Value(9)));
  auto late_copy = sessions.admit(4, 1, true);
  CHECK_FALSE(late_copy.decide);
  REQUIRE(late_copy.resend != nullptr);
  CHECK(late_copy.resend->value == Value(9));
  // Without taking it on, a new request leaves the table as it was until it is recorded.
  CHECK(sessions.admit(4, 2, false).decide);
  CHECK(sessions.check(4, 2) == Seen::kNew);
  sessions.record(4, ok_reply(2));
  // A copy of a request older than the latest: nothing to send.
  auto stale = sessions.admit(4, 1, false);
  CHECK_FALSE(stale.decide);
  CHECK(stale.resend == nullptr);
}
