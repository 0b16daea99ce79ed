// Which partition of a log topic a keyed message goes to: a pure function that producers and
// log nodes both compute, so a producer can name the partition (and count idempotent sequence
// numbers per partition) and a node can place a message that names none. The hash is 64-bit
// FNV-1a of the key's bytes (Kafka uses murmur2; any fixed, well-spread hash does), taken
// modulo the topic's partition count.
#pragma once

#include <cstdint>
#include <string_view>

namespace capsim {

// Requires: partitions > 0.
inline std::uint32_t partition_for_key(std::string_view key, std::uint32_t partitions) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return static_cast<std::uint32_t>(hash % partitions);
}

}  // namespace capsim
