// The simulator's bookkeeping for each actor (node or client) and its queued events.
// Internal to the engine: protocols never see these types.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/disk.h"
#include "sim/message.h"
#include "sim/node.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace capsim {

struct SimEvent {
  enum class Kind : std::uint8_t { kStart, kDeliver, kTimer, kFault };
  Kind kind = Kind::kStart;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  std::uint32_t incarnation = 0;  // kStart, kTimer: stale once the actor crashed
  std::uint32_t index = 0;        // kTimer: timer name id; kFault: timeline index
  std::uint64_t generation = 0;   // kTimer: stale once re-armed or cancelled
  std::uint64_t message_id = 0;   // kDeliver
  Message message;                // kDeliver

  static SimEvent start(NodeId to, std::uint32_t incarnation) {
    SimEvent e;
    e.kind = Kind::kStart;
    e.to = to;
    e.incarnation = incarnation;
    return e;
  }
  static SimEvent deliver(NodeId from, NodeId to, std::uint64_t id, Message message) {
    SimEvent e;
    e.kind = Kind::kDeliver;
    e.from = from;
    e.to = to;
    e.message_id = id;
    e.message = std::move(message);
    return e;
  }
  static SimEvent timer(NodeId to, std::uint32_t incarnation, std::uint32_t timer_id,
                        std::uint64_t generation) {
    SimEvent e;
    e.kind = Kind::kTimer;
    e.to = to;
    e.incarnation = incarnation;
    e.index = timer_id;
    e.generation = generation;
    return e;
  }
  static SimEvent fault(std::uint32_t timeline_index) {
    SimEvent e;
    e.kind = Kind::kFault;
    e.index = timeline_index;
    return e;
  }
};

// Timer names as small integers, so a queued timer event carries no string.
class TimerNames {
 public:
  std::uint32_t intern(std::string_view name) {
    if (auto it = ids_.find(name); it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    ids_.emplace(std::string(name), id);
    return id;
  }
  const std::string& name(std::uint32_t id) const { return names_[id]; }

 private:
  std::map<std::string, std::uint32_t, std::less<>> ids_;
  std::vector<std::string> names_;
};

struct Actor {
  explicit Actor(Rng stream) : rng(stream) {}

  std::unique_ptr<Node> node;
  bool up = true;
  bool paused = false;
  std::uint32_t incarnation = 0;
  Duration clock_offset{0};
  MemoryDisk disk;
  Rng rng;
  std::vector<SimEvent> deferred;  // events that arrived while paused, in arrival order

  // Arms timer `id` and returns the generation its event must carry to still be current.
  std::uint64_t arm_timer(std::uint32_t id) {
    if (id >= armed_.size()) armed_.resize(id + 1, 0);
    armed_[id] = ++generations_;
    return armed_[id];
  }
  void disarm_timer(std::uint32_t id) {
    if (id < armed_.size()) armed_[id] = 0;
  }
  bool timer_is_current(std::uint32_t id, std::uint64_t generation) const {
    return id < armed_.size() && armed_[id] == generation;
  }
  void reset_timers() { armed_.clear(); }

 private:
  std::vector<std::uint64_t> armed_;  // per timer id: the armed generation, 0 when not armed
  std::uint64_t generations_ = 0;
};

}  // namespace capsim
