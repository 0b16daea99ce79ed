// A small deterministic in-memory cluster for protocol tests that do not need the simulator.
//
// Messages take no time: they wait in one FIFO until the test pumps them (deliver_one,
// deliver_all, or advance, which also fires timers). Time moves only through advance(). Every
// order is fixed: the FIFO, timers by (due time, order of setting), nodes by id. Works for any
// protocol: nodes come from a factory, and clients are plain ids after the nodes.
//
//   PumpCluster cluster{3, [&](NodeId id) { return make_node(id); }};
//   const auto op = cluster.request(0, "write", "k1", 1);
//   cluster.deliver_all();
//   CHECK(cluster.reply(op)->outcome == ClientReply::Outcome::kOk);
//   cluster.isolate(0);
//   cluster.advance(3s);  // heartbeats, timeouts, elections
//
// A crash destroys the node object, cancels its timers and keeps only what its disk synced
// (MemoryDisk::lose_unsynced); restart builds a fresh node from the factory on the same disk.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/client/kv_messages.h"
#include "sim/disk.h"
#include "sim/node.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace capsim::testing {

class PumpCluster {
 public:
  using Factory = std::function<std::unique_ptr<Node>(NodeId)>;
  // Deliveries or timer firings one pump call may make before the test fails as a livelock.
  static constexpr std::size_t kMaxSteps = 200'000;

  // Builds and starts nodes 0..size-1 (on_start in id order). Each node's random stream is
  // rng_for(seed, "node/<id>") and continues across restarts.
  PumpCluster(std::uint32_t size, Factory factory, std::uint64_t seed = 1)
      : size_(size), factory_(std::move(factory)) {
    for (NodeId id = 0; id < size_; ++id) {
      slots_.push_back(std::make_unique<Slot>(*this, id, seed));
    }
    for (NodeId id = 0; id < size_; ++id) start(id);
  }

  std::uint32_t size() const { return size_; }
  Time now() const { return now_; }
  bool is_up(NodeId id) const { return slot(id).node != nullptr; }
  // Requires: is_up(id).
  Node& node(NodeId id) {
    CAPSIM_ASSERT(is_up(id));
    return *slot(id).node;
  }
  // The node as its concrete type. Requires: is_up(id) and that type.
  template <class T>
  T& node_as(NodeId id) {
    T* typed = dynamic_cast<T*>(&node(id));
    CAPSIM_ASSERT(typed != nullptr);
    return *typed;
  }
  MemoryDisk& disk(NodeId id) { return slot(id).disk; }
  // Every ctx.note() the node made, across restarts.
  const std::vector<std::string>& notes(NodeId id) const { return slot(id).notes; }
  // Every ctx.record_event() the node made, across restarts, in order.
  const std::vector<NodeEvent>& events(NodeId id) const { return slot(id).events; }
  // True if some note of `id` starts with `prefix`.
  bool noted(NodeId id, std::string_view prefix) const {
    for (const auto& note : notes(id)) {
      if (note.rfind(prefix, 0) == 0) return true;
    }
    return false;
  }
  // One line per event (send, deliver, drop, timer, note, crash, restart, cut, heal).
  const std::vector<std::string>& trace() const { return trace_; }
  std::string trace_text() const {
    std::string text;
    for (const auto& line : trace_) text += line + "\n";
    return text;
  }
  // Ids of the nodes that are up and report is_leader(), in id order.
  std::vector<NodeId> leaders() const {
    std::vector<NodeId> result;
    for (NodeId id = 0; id < size_; ++id) {
      if (is_up(id) && slot(id).node->is_leader()) result.push_back(id);
    }
    return result;
  }

  // --- Messages ---------------------------------------------------------------------------

  std::size_t in_flight() const { return queue_.size(); }

  // Delivers the oldest message (or drops it: cut link, crashed receiver). False if none.
  bool deliver_one() {
    if (queue_.empty()) return false;
    Envelope envelope = std::move(queue_.front());
    queue_.pop_front();
    const std::string what = name(envelope.from) + " -> " + name(envelope.to) + " " +
                             std::string(envelope.message.kind()) + " " +
                             envelope.message.describe();
    if (cut_.count({envelope.from, envelope.to}) != 0 ||
        cut_kinds_.count({envelope.from, envelope.to, std::string(envelope.message.kind())}) !=
            0) {
      log("drop (cut) " + what);
    } else if (envelope.to >= size_) {
      log("deliver " + what);
      if (const auto* reply = envelope.message.as<ClientReply>()) replies_.push_back(*reply);
      client_inbox_.push_back({envelope.to, envelope.message});
    } else if (!is_up(envelope.to)) {
      log("drop (down) " + what);
    } else {
      log("deliver " + what);
      Slot& target = slot(envelope.to);
      target.node->on_message(target.context, envelope.from, envelope.message);
    }
    return true;
  }

  // Puts a second copy of the oldest message in flight right behind it, as the network's
  // duplicate fault does. Requires: in_flight() > 0.
  void duplicate_next() {
    CAPSIM_ASSERT(!queue_.empty());
    const Envelope copy = queue_.front();
    log("duplicate " + name(copy.from) + " -> " + name(copy.to) + " " +
        std::string(copy.message.kind()));
    queue_.insert(std::next(queue_.begin()), copy);
  }

  // Delivers until no message is in flight, including those sent meanwhile. Returns the count.
  std::size_t deliver_all() {
    std::size_t steps = 0;
    while (deliver_one()) {
      if (++steps >= kMaxSteps) {
        FAIL("pump cluster: messages still flowing after " << steps << " deliveries");
      }
    }
    return steps;
  }

  // --- Timers and time --------------------------------------------------------------------

  bool has_timer(NodeId id, std::string_view name) const {
    return timers_.count({id, std::string(name)}) != 0;
  }
  // When the timer would fire. Requires: has_timer(id, name).
  Time timer_due(NodeId id, std::string_view name) const {
    return timers_.at({id, std::string(name)}).due;
  }

  // Fires the named timer of a running node now, set or not (a set one is consumed). Messages
  // it sends stay in flight until pumped.
  void fire_timer(NodeId id, std::string_view name) {
    CAPSIM_ASSERT(is_up(id));
    timers_.erase({id, std::string(name)});
    log(this->name(id) + " timer " + std::string(name));
    Slot& target = slot(id);
    target.node->on_timer(target.context, name);
  }

  // Moves time forward by `by`: delivers what is in flight, then fires every timer that falls
  // due, earliest first, delivering all messages after each one. Ends at now() + by.
  void advance(Duration by) {
    const Time end = now_ + by;
    deliver_all();
    std::size_t steps = 0;
    while (true) {
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it) {
        if (it->second.due > end) continue;
        if (next == timers_.end() || std::pair(it->second.due, it->second.sequence) <
                                         std::pair(next->second.due, next->second.sequence)) {
          next = it;
        }
      }
      if (next == timers_.end()) break;
      if (++steps >= kMaxSteps) FAIL("pump cluster: timers still firing after " << steps);
      now_ = std::max(now_, next->second.due);
      const auto [id, timer] = next->first;
      fire_timer(id, timer);
      deliver_all();
    }
    now_ = end;
  }

  // --- Network ----------------------------------------------------------------------------

  // Drops every message between a and b, both ways, from now until heal (also messages already
  // in flight, as the simulator does). Works for clients too.
  void cut(NodeId a, NodeId b) {
    cut_one_way(a, b);
    cut_one_way(b, a);
  }
  void cut_one_way(NodeId from, NodeId to) {
    cut_.insert({from, to});
    log("cut " + name(from) + " -> " + name(to));
  }
  // Drops only the messages of `kind` (Message::kind()) from `from` to `to`, until heal: one
  // message type lost on one link, as a network's per-message rules can (network.links).
  void cut_kind(NodeId from, NodeId to, std::string_view kind) {
    cut_kinds_.insert({from, to, std::string(kind)});
    log("cut " + name(from) + " -> " + name(to) + " " + std::string(kind));
  }
  // Cuts `id` off from every other node; clients still reach it.
  void isolate(NodeId id) {
    for (NodeId other = 0; other < size_; ++other) {
      if (other != id) cut(id, other);
    }
  }
  void heal() {
    cut_.clear();
    cut_kinds_.clear();
    log("heal");
  }

  // --- Crashes ----------------------------------------------------------------------------

  // Requires: is_up(id).
  void crash(NodeId id) {
    CAPSIM_ASSERT(is_up(id));
    Slot& target = slot(id);
    target.node.reset();
    target.disk.lose_unsynced();
    for (auto it = timers_.begin(); it != timers_.end();) {
      it = it->first.first == id ? timers_.erase(it) : std::next(it);
    }
    log("crash " + name(id));
  }
  // Requires: !is_up(id).
  void restart(NodeId id) {
    CAPSIM_ASSERT(!is_up(id));
    log("restart " + name(id));
    start(id);
  }

  // --- Clients ----------------------------------------------------------------------------

  // The id of client k (clients follow the nodes).
  NodeId client(std::uint32_t k = 0) const { return size_ + k; }

  // Sends a ClientRequest from client `k` to `to` (delivered when pumped). Returns its op id.
  std::uint64_t request(NodeId to, std::string f, std::string key, Value value = {},
                        std::uint32_t k = 0) {
    ClientRequest request;
    request.op_id = next_op_id_++;
    request.f = std::move(f);
    request.key = std::move(key);
    request.value = std::move(value);
    const std::uint64_t op_id = request.op_id;
    Message message = Message::of(std::move(request));
    requests_.insert_or_assign(op_id, std::pair(client(k), message));
    enqueue(client(k), to, std::move(message));
    return op_id;
  }
  // Sends request `op_id` again from the same client to `to`: the copy a duplicating network
  // delivers late, after the first copy was answered. Requires: request() returned op_id.
  void resend(std::uint64_t op_id, NodeId to) {
    const auto it = requests_.find(op_id);
    CAPSIM_ASSERT(it != requests_.end());
    enqueue(it->second.first, to, it->second.second);
  }
  // Every reply to `op_id`, in arrival order.
  std::vector<ClientReply> replies_to(std::uint64_t op_id) const {
    std::vector<ClientReply> result;
    for (const auto& reply : replies_) {
      if (reply.op_id == op_id) result.push_back(reply);
    }
    return result;
  }
  // The first reply to `op_id`, if any arrived.
  std::optional<ClientReply> reply(std::uint64_t op_id) const {
    for (const auto& reply : replies_) {
      if (reply.op_id == op_id) return reply;
    }
    return std::nullopt;
  }
  bool replied_ok(std::uint64_t op_id) const {
    const auto r = reply(op_id);
    return r && r->outcome == ClientReply::Outcome::kOk;
  }
  // Every reply that reached a client, in arrival order.
  const std::vector<ClientReply>& replies() const { return replies_; }

  // Sends any message from client `k` to `to` (delivered when pumped): for protocols whose
  // clients speak another contract than ClientRequest (the queue messages).
  void client_send(NodeId to, Message message, std::uint32_t k = 0) {
    enqueue(client(k), to, std::move(message));
  }
  // Every message of type T that reached any client, in arrival order.
  template <MessageType T>
  std::vector<T> client_received() const {
    std::vector<T> result;
    for (const auto& [to, message] : client_inbox_) {
      if (const T* typed = message.template as<T>()) result.push_back(*typed);
    }
    return result;
  }

  // "n2" for node 1, "c1" for the first client.
  std::string name(NodeId id) const {
    return id < size_ ? "n" + std::to_string(id + 1) : "c" + std::to_string(id - size_ + 1);
  }

 private:
  struct Envelope {
    NodeId from;
    NodeId to;
    Message message;
  };
  struct TimerSlot {
    Time due;
    std::uint64_t sequence;
  };

  class SlotContext final : public Context {
   public:
    SlotContext(PumpCluster& cluster, NodeId id, std::uint64_t seed)
        : cluster_(cluster), id_(id), rng_(rng_for(seed, "node/" + std::to_string(id))) {}
    NodeId self() const override { return id_; }
    Time now() const override { return cluster_.now_; }
    void send(NodeId to, Message message) override {
      cluster_.enqueue(id_, to, std::move(message));
    }
    void set_timer(std::string_view name, Duration after) override {
      cluster_.timers_.insert_or_assign({id_, std::string(name)},
                                        TimerSlot{cluster_.now_ + after, cluster_.sequence_++});
    }
    void cancel_timer(std::string_view name) override {
      cluster_.timers_.erase({id_, std::string(name)});
    }
    Rng& rng() override { return rng_; }
    Disk& disk() override { return cluster_.slot(id_).disk; }
    void note(std::string_view what) override {
      cluster_.slot(id_).notes.emplace_back(what);
      cluster_.log(cluster_.name(id_) + " note " + std::string(what));
    }
    void record_event(NodeEvent event) override {
      cluster_.slot(id_).events.push_back(std::move(event));
    }

   private:
    PumpCluster& cluster_;
    NodeId id_;
    Rng rng_;
  };

  struct Slot {
    Slot(PumpCluster& cluster, NodeId id, std::uint64_t seed) : context(cluster, id, seed) {}
    SlotContext context;
    MemoryDisk disk;
    std::unique_ptr<Node> node;
    std::vector<std::string> notes;
    std::vector<NodeEvent> events;
  };

  Slot& slot(NodeId id) {
    CAPSIM_ASSERT(id < size_);
    return *slots_[id];
  }
  const Slot& slot(NodeId id) const {
    CAPSIM_ASSERT(id < size_);
    return *slots_[id];
  }

  void start(NodeId id) {
    Slot& target = slot(id);
    target.node = factory_(id);
    CAPSIM_ASSERT(target.node != nullptr);
    target.node->on_start(target.context);
  }

  void enqueue(NodeId from, NodeId to, Message message) {
    log("send " + name(from) + " -> " + name(to) + " " + std::string(message.kind()) + " " +
        message.describe());
    queue_.push_back({from, to, std::move(message)});
  }

  void log(std::string line) { trace_.push_back(format_seconds(now_) + " " + std::move(line)); }

  std::uint32_t size_;
  Factory factory_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::deque<Envelope> queue_;
  std::map<std::pair<NodeId, std::string>, TimerSlot> timers_;
  std::uint64_t sequence_ = 0;
  std::set<std::pair<NodeId, NodeId>> cut_;
  std::set<std::tuple<NodeId, NodeId, std::string>> cut_kinds_;
  std::vector<ClientReply> replies_;
  std::vector<std::pair<NodeId, Message>> client_inbox_;  // every message a client received
  std::map<std::uint64_t, std::pair<NodeId, Message>> requests_;  // by op id: sender, request
  std::vector<std::string> trace_;
  std::uint64_t next_op_id_ = 1;
  Time now_{0};
};

}  // namespace capsim::testing
