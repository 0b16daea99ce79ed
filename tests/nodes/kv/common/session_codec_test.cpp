#include <doctest/doctest.h>

#include "nodes/kv/common/client_replies.h"
#include "nodes/kv/common/session_codec.h"

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
