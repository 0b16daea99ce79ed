// The interface between protocol code and the world.
//
// A node is a state machine driven by three kinds of event (start, message, timer) and acts only
// through its Context. Handlers run one at a time, to completion: no threads, no globals, no
// wall clock, no I/O. The same node class runs in the simulator (SimContext), in unit tests
// (RecordingContext) and, later, live over sockets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/disk.h"
#include "sim/message.h"
#include "sim/node_event.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace capsim {

// Nodes of the cluster are 0..N-1 (named n1..nN); clients follow them (c1..cM).
using NodeId = std::uint32_t;
constexpr NodeId kNoNode = 0xffffffffu;

class Context {
 public:
  virtual ~Context() = default;
  virtual NodeId self() const = 0;
  // This node's clock: virtual time plus any injected skew. May jump backwards.
  virtual Time now() const = 0;
  // Sends to a node or a client. Delivery is up to the network: it may never arrive.
  virtual void send(NodeId to, Message message) = 0;
  // Fires on_timer(name) after `after`; setting a timer that is already set re-arms it.
  virtual void set_timer(std::string_view name, Duration after) = 0;
  // Cancels the timer if it is set; does nothing otherwise.
  virtual void cancel_timer(std::string_view name) = 0;
  // This node's own random stream.
  virtual Rng& rng() = 0;
  // Durable state: survives a crash only once synced.
  virtual Disk& disk() = 0;
  // A free-form line in the trace.
  virtual void note(std::string_view what) = 0;
  // A turn in the protocol's course worth telling after the run (sim/node_event.h). It writes
  // nothing to the trace; a context that tells no story (a unit test's) may drop it.
  virtual void record_event(NodeEvent event) { (void)event; }
};

class Node {
 public:
  virtual ~Node() = default;
  // Called once when the node starts, and again on a fresh object after each restart.
  virtual void on_start(Context& ctx) = 0;
  virtual void on_message(Context& ctx, NodeId from, const Message& message) = 0;
  virtual void on_timer(Context& ctx, std::string_view name) = 0;

  // Observation hooks for the engine and the checkers. They must not change state.
  // The role a fault may target ("leader" resolves to the nodes for which this is true).
  virtual bool is_leader() const { return false; }
  // A deterministic text digest of the replicated state, equal on replicas that agree.
  virtual std::string state_digest() const { return {}; }
};

}  // namespace capsim
