#include <doctest/doctest.h>

#include <limits>

#include "crdt_test_util.h"
#include "nodes/kv/crdt/state_codec.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace capsim::crdt::test;
using namespace std::chrono_literals;

TEST_CASE("crdt: every key state survives encoding and decoding") {
  // What the disk holds must come back equal, tags and stamps included, for random states of
  // every type.
  Rng rng = rng_for(3, "codec");
  for (int i = 0; i < 400; ++i) {
    const KeyState state = random_key_state(rng);
    const std::string text = encode_key_state(state);
    CAPTURE(text);
    KeyState back;
    REQUIRE(decode_key_state(text, back));
    CHECK(back == state);
  }
}

TEST_CASE("crdt: values of every shape and extreme numbers round-trip") {
  // Strings with separators in them, nested lists, negative times and INT64 limits.
  OrSet set;
  set.add(Value("a:b;c,d"), Dot{std::numeric_limits<NodeId>::max(), 1});
  set.add(Value(Value::List{1, Value::List{"x", Value()}}), Dot{0, UINT64_MAX});
  set.add(std::numeric_limits<std::int64_t>::min(), Dot{2, 3});
  set.insert_removed(Dot{2, 3});
  LwwRegister reg;
  reg.assign(Value(std::string("\0\n", 2)), Stamp{-5s, 1, 2});
  PnCounter counter;
  counter.increment(1, std::numeric_limits<std::int64_t>::min());
  for (const KeyState& state : {KeyState(set), KeyState(reg), KeyState(counter),
                                KeyState(LwwRegister())}) {
    KeyState back;
    REQUIRE(decode_key_state(encode_key_state(state), back));
    CHECK(back == state);
  }
}

TEST_CASE("crdt: malformed or truncated disk entries are refused, not misread") {
  // Every proper prefix of a valid encoding, trailing garbage and unknown tags must fail.
  OrSet set;
  set.add(Value("elem"), Dot{1, 2});
  set.insert_removed(Dot{0, 1});
  const std::string text = encode_key_state(set);
  KeyState out;
  for (std::size_t length = 0; length < text.size(); ++length) {
    CAPTURE(length);
    CHECK_FALSE(decode_key_state(text.substr(0, length), out));
  }
  CHECK_FALSE(decode_key_state(text + "x", out));
  CHECK_FALSE(decode_key_state("X1:", out));
  CHECK_FALSE(decode_key_state("G99999999999999999999:", out));
  CHECK_FALSE(decode_key_state("S1:l999:", out));
  CHECK_FALSE(decode_key_state("L1,2,3;i-9223372036854775809;", out));
}

TEST_CASE("crdt: the key list round-trips and rejects garbage") {
  const std::vector<std::string> keys = {"k1", "a:b", "", "k10"};
  std::vector<std::string> back;
  REQUIRE(decode_key_list(encode_key_list(keys), back));
  CHECK(back == keys);
  CHECK(decode_key_list(encode_key_list({}), back));
  CHECK(back.empty());
  CHECK_FALSE(decode_key_list("2:2:k1", back));
  CHECK_FALSE(decode_key_list("1:5:k1", back));
}
