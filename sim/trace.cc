#include "sim/trace.h"

#include <cstdio>

#include "sim/rng.h"

namespace capsim {

void Trace::emit(std::string_view line) {
  if (!enabled_) return;
  hash_ = fnv1a64(line, hash_);
  hash_ = fnv1a64("\n", hash_);
  ++lines_;
  if (sink_ != nullptr) sink_->write_line(line);
}

std::string format_hash(std::uint64_t hash) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

}  // namespace capsim
