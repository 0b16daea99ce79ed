#include "sim/probability.h"

namespace capsim {

std::string Probability::to_string() const {
  // ppm / 10000 is the whole percent; the remainder has four decimal places.
  std::string text = std::to_string(ppm / 10'000);
  std::uint32_t fraction = ppm % 10'000;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 4 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text + "%";
}

}  // namespace capsim
