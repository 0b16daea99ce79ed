// Durable state of one node: a small key-value store with an explicit sync.
//
// Writes land in a pending layer; sync() makes them durable. A crash discards the pending
// layer, so a protocol that acknowledges before syncing can be shown to lose data. The disk
// outlives the node object: the simulator keeps it across crash and restart.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace capsim {

class Disk {
 public:
  virtual ~Disk() = default;
  // Sets key to value (pending until sync()).
  virtual void put(std::string_view key, std::string value) = 0;
  // Removes key (pending until sync()).
  virtual void erase(std::string_view key) = 0;
  // The latest value: pending if there is one, else durable.
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Makes every pending change durable.
  virtual void sync() = 0;
};

// The disk used by the simulator and by tests.
class MemoryDisk final : public Disk {
 public:
  void put(std::string_view key, std::string value) override;
  void erase(std::string_view key) override;
  std::optional<std::string> get(std::string_view key) const override;
  void sync() override;

  // What a crash does: every change since the last sync() is lost.
  void lose_unsynced() { pending_.clear(); }
  std::size_t pending_count() const { return pending_.size(); }
  std::size_t durable_count() const { return durable_.size(); }

 private:
  // A pending entry without a value is a pending erase.
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;
  std::map<std::string, std::string, std::less<>> durable_;
};

}  // namespace capsim
