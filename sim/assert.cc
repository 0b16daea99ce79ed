#include "sim/assert.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace capsim {
namespace {
// One process runs one simulation at a time (no threads inside a simulation), so a single
// context string is enough.
std::string& context_storage() {
  static std::string context;
  return context;
}
}  // namespace

void set_assert_context(std::string_view context) { context_storage().assign(context); }

void assert_failed(std::string_view condition, std::string_view file, int line) {
  std::fprintf(stderr, "capsim: assertion failed: %.*s at %.*s:%d\n",
               static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(file.size()), file.data(), line);
  if (!context_storage().empty()) std::fprintf(stderr, "%s\n", context_storage().c_str());
  std::abort();
}

}  // namespace capsim
