#include "sim/disk.h"

namespace capsim {

void MemoryDisk::put(std::string_view key, std::string value) {
  pending_.insert_or_assign(std::string(key), std::optional<std::string>(std::move(value)));
}

void MemoryDisk::erase(std::string_view key) {
  pending_.insert_or_assign(std::string(key), std::optional<std::string>());
}

std::optional<std::string> MemoryDisk::get(std::string_view key) const {
  if (auto it = pending_.find(key); it != pending_.end()) return it->second;
  if (auto it = durable_.find(key); it != durable_.end()) return it->second;
  return std::nullopt;
}

void MemoryDisk::sync() {
  for (auto& [key, value] : pending_) {
    if (value) {
      durable_.insert_or_assign(key, std::move(*value));
    } else if (auto it = durable_.find(key); it != durable_.end()) {
      durable_.erase(it);
    }
  }
  pending_.clear();
}

}  // namespace capsim
