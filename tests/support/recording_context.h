// A Context for unit tests: drives one node by hand and records what it does.
//
//   RecordingContext ctx{/*self=*/1, /*seed=*/7};
//   PrimaryBackupNode node{setup};
//   node.on_start(ctx);
//   node.on_timer(ctx, "heartbeat");
//   CHECK(ctx.sent_count<pb::Replicate>() == 2);
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/disk.h"
#include "sim/node.h"

namespace capsim::testing {

struct SentMessage {
  NodeId to;
  Message message;
};

class RecordingContext final : public Context {
 public:
  RecordingContext(NodeId self, std::uint64_t seed) : self_(self), rng_(seed) {}

  NodeId self() const override { return self_; }
  Time now() const override { return now_; }
  void send(NodeId to, Message message) override { sent.push_back({to, std::move(message)}); }
  void set_timer(std::string_view name, Duration after) override {
    timers.insert_or_assign(std::string(name), now_ + after);
  }
  void cancel_timer(std::string_view name) override { timers.erase(std::string(name)); }
  Rng& rng() override { return rng_; }
  Disk& disk() override { return disk_; }
  void note(std::string_view what) override { notes.emplace_back(what); }
  void record_event(NodeEvent event) override { events.push_back(std::move(event)); }

  void advance(Duration by) { now_ += by; }
  void set_now(Time t) { now_ = t; }
  MemoryDisk& memory_disk() { return disk_; }

  // Messages of type T sent so far (optionally only to `to`).
  template <MessageType T>
  std::vector<const T*> sent_of(NodeId to = kNoNode) const {
    std::vector<const T*> result;
    for (const auto& s : sent) {
      if (to != kNoNode && s.to != to) continue;
      if (const T* m = s.message.as<T>()) result.push_back(m);
    }
    return result;
  }
  template <MessageType T>
  std::size_t sent_count(NodeId to = kNoNode) const { return sent_of<T>(to).size(); }
  bool has_timer(const std::string& name) const { return timers.count(name) != 0; }
  void clear_sent() { sent.clear(); }

  std::vector<SentMessage> sent;
  std::map<std::string, Time> timers;  // name -> when it would fire
  std::vector<std::string> notes;
  std::vector<NodeEvent> events;  // record_event(), in order

 private:
  NodeId self_;
  Time now_{0};
  Rng rng_;
  MemoryDisk disk_;
};

}  // namespace capsim::testing
