#include <doctest/doctest.h>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/session_codec.h"
#include "nodes/kv/common/session_store.h"

using namespace capsim;
using namespace capsim::kv;

TEST_CASE("session codec: every kind of answer comes back as it was written") {
  ClientReply redirect = redirect_reply(4, 2);
  ClientReply refused = refused_reply(5, "no primary known");
  refused.leader_hint = 0;
  for (const ClientReply& answer :
       {ok_reply(1, Value(7)), ok_reply(2, Value(Value::List{Value(1), Value("a;b")})),
        answered_fail_reply(3, "cas mismatch"), redirect, refused}) {
    CAPTURE(answer.describe());
    ClientReply decoded;
    REQUIRE(decode_session_answer(encode_session_answer(answer), decoded));
    CHECK(decoded.op_id == answer.op_id);
    CHECK(decoded.outcome == answer.outcome);
    CHECK(decoded.answered == answer.answered);
    CHECK(decoded.value == answer.value);
    CHECK(decoded.error == answer.error);
    CHECK(decoded.leader_hint == answer.leader_hint);
  }
}

TEST_CASE("session codec: malformed text is refused, never half-read") {
  const std::string good = encode_session_answer(answered_fail_reply(3, "cas mismatch"));
  ClientReply out;
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    CAPTURE(cut);
    CHECK_FALSE(decode_session_answer(good.substr(0, cut), out));
  }
  CHECK_FALSE(decode_session_answer(good + "x", out));
  CHECK_FALSE(decode_session_answer("1;x", out));
  CHECK_FALSE(decode_session_answer("1;f2n0:1;", out));
  CHECK_FALSE(decode_session_answer("1;on0:99999999999;", out));
}

TEST_CASE("session store: what was remembered and synced survives a restart") {
  MemoryDisk disk;
  SessionStore store;
  CHECK(store.load(disk) == 0);
  store.remember(disk, 7, ok_reply(3, Value(1)), true);
  store.remember(disk, 2, answered_fail_reply(1, "cas mismatch"), true);
  store.remember(disk, 7, ok_reply(4, Value(2)), false);  // not synced: lost in the crash
  disk.lose_unsynced();
  SessionStore restarted;
  CHECK(restarted.load(disk) == 0);
  REQUIRE(restarted.sessions().check(7, 3) == ClientSessions::Seen::kAnswered);
  CHECK(restarted.sessions().answer_of(7).value == Value(1));
  CHECK(restarted.sessions().check(7, 4) == ClientSessions::Seen::kNew);
  REQUIRE(restarted.sessions().check(2, 1) == ClientSessions::Seen::kAnswered);
  CHECK(restarted.sessions().answer_of(2).error == "cas mismatch");
  // A broken entry is counted and skipped; the others load.
  disk.put("client/2", "broken");
  disk.sync();
  SessionStore partial;
  CHECK(partial.load(disk) == 1);
  CHECK(partial.sessions().check(2, 1) == ClientSessions::Seen::kNew);
  CHECK(partial.sessions().check(7, 3) == ClientSessions::Seen::kAnswered);
}
