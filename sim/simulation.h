// The simulator: runs one scenario with one seed to its end, deterministically.
//
// Everything that happens is an event in one queue ordered by (time, sequence). Nodes and
// clients act through SimContext; the network decides each message's fate; the compiled fault
// timeline fires at its times. The run is a pure function of (scenario, seed, capsim version).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/history.h"
#include "sim/node_event.h"
#include "sim/protocol_registry.h"
#include "sim/run_limits.h"
#include "sim/scenario.h"
#include "sim/trace.h"

namespace capsim {

struct MessageStats {
  std::uint64_t sent = 0;        // send() calls, clients included
  std::uint64_t delivered = 0;   // handed to a handler
  std::uint64_t duplicated = 0;  // extra copies the network made
  // Copies that never arrived, by cause: "loss", "partition" (link cut at send),
  // "partition-in-flight" (cut while in flight), "node-down" (receiver crashed),
  // "run-ended" (still in flight when the run ended).
  std::map<std::string, std::uint64_t> dropped;
  std::uint64_t dropped_total() const;
};

// A time interval during which links were cut, with the sides as they were then.
struct PartitionWindow {
  Time start{0};
  std::optional<Time> end;                  // none: still cut when the run ended
  std::vector<std::vector<NodeId>> sides;   // groups of nodes that could talk among themselves
  std::string description;                  // "[n1 n2] | [n3 n4 n5]"
  // Clients the partition named in its groups (client index -> the sides holding it); every
  // other client stands on the sides of its home node (RunResult::client_homes).
  std::map<std::uint32_t, std::vector<std::size_t>> named_clients;
};

// What one fault of the timeline did when its time came: whom it hit, or why it did nothing.
struct FaultOutcome {
  Time at{0};
  std::string kind;     // "partition", "crash", ... (fault_kind_name)
  bool from_nemesis = false;
  std::string hit;      // "[n1] | [n2 n3]", "n2", "n1 n3": what it acted on; "" when skipped
  std::string skipped;  // why it did nothing ("no node holds the role 'leader'"); "" when it hit
};

// A node event (sim/node_event.h) as the engine recorded it: at what virtual time, by which node.
struct RecordedNodeEvent {
  Time at{0};
  NodeId node = 0;
  // How many faults of the timeline had been applied when it was recorded: its place among
  // them, exact even when a fault and the event it caused share an instant.
  std::size_t after_faults = 0;
  NodeEvent event;
};

// The most node events a run keeps; later ones are only counted. A long run with a protocol
// that reports often (last-writer-wins discarding writes under skew) stays bounded.
inline constexpr std::size_t kMaxNodeEvents = 10'000;

struct RunResult {
  History history;
  MessageStats messages;
  std::vector<FaultSpec> timeline;          // every fault as compiled (roles unresolved)
  std::vector<PartitionWindow> partitions;
  std::vector<NodeId> client_homes;         // per client (0-based): the node it runs next to
  std::vector<FaultOutcome> faults;         // every fault of the timeline, in the order applied
  std::vector<RecordedNodeEvent> node_events;  // in the order recorded, the first kMaxNodeEvents
  std::uint64_t node_events_dropped = 0;       // recorded beyond kMaxNodeEvents
  std::uint64_t trace_hash = 0;
  std::uint64_t trace_lines = 0;
  std::uint64_t events = 0;                 // events taken from the queue
  Time end_time{0};
  std::vector<std::string> final_digests;   // per node; "" when down at the end
  // For a protocol that places keys on some nodes only (ProtocolInfo::replicas_of): the nodes
  // meant to hold each workload key ("k1".."kK"), in id order. Empty otherwise.
  std::map<std::string, std::vector<NodeId>> key_replicas;
  std::vector<bool> up_at_end;              // per node
  // Empty unless the run stopped early because it exceeded a limit (RunLimits): then it says
  // which and when, end_time is the time of the last event taken, and the rest is partial.
  std::string limit_exceeded;
};

// Where a run has got to: handed to a progress display every so many events.
struct RunProgress {
  Time now{0};               // virtual time of the last event taken
  Time end{0};               // the scenario's duration
  std::uint64_t events = 0;  // events taken so far
};

class Simulation {
 public:
  // `sink` receives the trace lines; nullptr keeps only the hash.
  // Requires: the scenario was validated against `registry` by the loader.
  Simulation(const Scenario& scenario, const ProtocolRegistry& registry, TraceSink* sink);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Runs to the scenario's duration and returns what happened. Call once.
  RunResult run();

  // For benchmarks: do not format trace lines at all (the hash then stays at its initial
  // value). Call before run().
  void disable_trace();

  // Replaces the default budget (RunLimits{}). Call before run().
  void set_limits(const RunLimits& limits);

  // Calls `report` after every `every_events` events (a fixed count, so a display that reads
  // the wall clock in `report` cannot change what the run does). Call before run().
  // Requires: every_events >= 1.
  void set_progress(std::function<void(const RunProgress&)> report, std::uint64_t every_events);

 private:
  class Engine;
  std::unique_ptr<Engine> engine_;
};

}  // namespace capsim
