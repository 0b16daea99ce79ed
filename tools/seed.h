// Seeds as written on the command line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim::tools {

// "42" or "0x5eed0042": a whole number in [0, 2^64 - 1], decimal or hexadecimal. Returns false
// with `error` saying what was expected.
bool parse_seed(std::string_view text, std::uint64_t& seed, std::string& error);

}  // namespace capsim::tools
