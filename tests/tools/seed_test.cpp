#include <doctest/doctest.h>

#include "tools/seed.h"

using namespace capsim::tools;

TEST_CASE("cli: seeds are decimal or 0x hexadecimal, up to 64 bits") {
  // The reproduce line prints decimal seeds, and people paste hexadecimal ones from elsewhere;
  // both must parse, and anything else must be refused with a message.
  std::uint64_t seed = 0;
  std::string error;
  CHECK(parse_seed("42", seed, error));
  CHECK(seed == 42);
  CHECK(parse_seed("0x5eed0042", seed, error));
  CHECK(seed == 0x5eed0042);
  CHECK(parse_seed("0XFF", seed, error));
  CHECK(seed == 255);
  CHECK(parse_seed("18446744073709551615", seed, error));
  CHECK(seed == 18446744073709551615ULL);
  CHECK_FALSE(parse_seed("18446744073709551616", seed, error));
  CHECK_FALSE(parse_seed("-1", seed, error));
  CHECK_FALSE(parse_seed("", seed, error));
  CHECK_FALSE(parse_seed("0x", seed, error));
  CHECK_FALSE(parse_seed("12abc", seed, error));
  CHECK(error ==
        "seed '12abc' is not valid; expected a whole number from 0 to "
        "18446744073709551615, in decimal or as 0x followed by hexadecimal digits");
}
