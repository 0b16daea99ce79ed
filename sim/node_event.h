// Node events: the few turns in a protocol's course that its user wants told after a run
// (who was elected in which term, who stepped down, which entries were thrown away, which hints
// were handed back). A node reports one through Context::record_event as it happens; the engine
// keeps it with the time and the node, and the run summary tells them, with the faults, as the
// story of the run. They are not trace lines: recording one leaves the trace, and so the trace
// hash, as it was (a node still writes its own note for the trace).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim {

enum class NodeEventKind {
  kElected,         // became leader (primary) of a term (epoch)
  kSteppedDown,     // gave up leadership on seeing a newer term (epoch)
  kEntriesDropped,  // threw away log entries that were never committed (truncated, discarded)
  kCommittedLost,   // lost entries it had counted as committed (a log not synced to disk)
  kStateTorn,       // found its state on disk cut short or unreadable at a (re)start
  kHandoff,         // handed kept versions (hints) back to the replica they were meant for
  kWriteLost,       // acknowledged a write that its own state discarded at once
  kIsrShrunk,       // a replicated log's in-sync replica set lost members (lagging or fenced)
  kIsrExpanded,     // a replica caught up and rejoined the in-sync replica set
  kUncleanElection, // a replica outside the in-sync set was made leader: committed data may go
};

// "elected", "stepped-down", "entries-dropped", "committed-lost", "state-torn", "handoff",
// "write-lost", "isr-shrunk", "isr-expanded", "unclean-election": the kind as summary.json
// names it.
std::string_view node_event_kind_name(NodeEventKind kind);

struct NodeEvent {
  NodeEventKind kind = NodeEventKind::kElected;
  std::uint64_t term = 0;   // the term (epoch) it concerns; 0 when none
  std::uint64_t count = 0;  // how many entries or hints it concerns; 0 when none
  // What happened, in the protocol's own words and without the node's name, which the engine
  // adds: "elected leader (term 2)", "truncated entries 7..9 (terms 3..4)".
  std::string text;
};

}  // namespace capsim
