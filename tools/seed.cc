#include "tools/seed.h"

#include <charconv>

namespace capsim::tools {

bool parse_seed(std::string_view text, std::uint64_t& seed, std::string& error) {
  std::string_view digits = text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto [end, code] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || code != std::errc{} || end != digits.data() + digits.size()) {
    error = "seed '" + std::string(text) +
            "' is not valid; expected a whole number from 0 to 18446744073709551615, in decimal "
            "or as 0x followed by hexadecimal digits";
    return false;
  }
  seed = value;
  return true;
}

}  // namespace capsim::tools
