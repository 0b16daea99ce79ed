// The key-value store's commands in the Raft log: the encoding round-trips every operation and
// value, corrupt texts are refused, and the trace shows commands as before the Raft core held
// the log (index@term, operation, key, argument).
#include <doctest/doctest.h>

#include <limits>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;
using capsim::testing::RecordingContext;

TEST_CASE("raft: key-value commands round-trip through their encoding") {
  // Every kind of value and awkward bytes in keys and strings come back unchanged, inside whole
  // log entries too; corrupt texts are refused rather than half-read.
  const std::vector<KvCommand> commands = {
      {"write", "k1", Value(std::numeric_limits<std::int64_t>::min())},
      {"cas", "k:2,'[", Value(Value::List{Value(), Value("a'b[2]#~")})},
      {"add", "", Value(Value::List{Value(Value::List{1, 2}), Value("")})},
      {"read", "k1", Value()},
  };
  for (const KvCommand& command : commands) {
    CAPTURE(command.f);
    const std::string bytes = encode_kv_command(command);
    CHECK_FALSE(bytes.empty());  // never taken for the core's no-op
    KvCommand decoded;
    REQUIRE(decode_kv_command(bytes, decoded));
    CHECK(decoded == command);
  }
  const Entry entry =
      op_entry(4, 3, "cas", "k:2,'[", Value(Value::List{Value(), Value("x")}), kNoNode, 77);
  Entry decoded_entry;
  REQUIRE(decode_entry(encode_entry(entry), decoded_entry));
  CHECK(decoded_entry == entry);

  KvCommand ignored;
  const std::string good = encode_kv_command(commands[1]);
  CHECK_FALSE(decode_kv_command(good.substr(0, good.size() - 1), ignored));
  CHECK_FALSE(decode_kv_command(good + "~", ignored));
  CHECK_FALSE(decode_kv_command("", ignored));
  CHECK_FALSE(decode_kv_command("99:write", ignored));
}

TEST_CASE("raft: the trace shows a key-value entry as its operation, key and argument") {
  CHECK(op_entry(2, 3, "write", "k1", 7).describe(describe_kv_command) == "3@2 write k1 7");
  CHECK(op_entry(2, 4, "read", "k2", Value()).describe(describe_kv_command) == "4@2 read k2");
  CHECK(op_entry(2, 5, "cas", "k1", Value(Value::List{1, 2})).describe(describe_kv_command) ==
        "5@2 cas k1 [1 2]");
  CHECK(noop_entry(2, 6).describe(describe_kv_command) == "6@2 noop");
  // What the leader sends carries the describer, so the trace line reads the same way.
  RecordingContext ctx{0, 7};
  auto node = make_node(0, 3);
  elect_first(*node, ctx, 3);
  node->on_message(ctx, 9, client_request(1, "write", "k1", 5));
  const AppendEntries* sent = last_sent<AppendEntries>(ctx, 1);
  REQUIRE(sent != nullptr);
  CHECK(Message::of(*sent).describe() ==
        "term 1 prev 1@1 entries 2..2 [2@1 write k1 5] commit 0 round 2");
}
