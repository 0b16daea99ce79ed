// The fault timeline: every fault a run will fire, compiled before the run starts.
//
// Scheduled faults, their undo events and the seeded nemesis's faults become one list sorted by
// time. Everything random is decided here, so the timeline written into the trace (and into a
// capsule) says exactly what will happen; only roles such as "leader" stay symbolic, because
// which node holds a role is known only when the fault fires.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/rng.h"
#include "sim/scenario.h"

namespace capsim {

// Compiles the scenario's faults into one timeline, drawing every random choice from `rng`
// (the run's "faults" stream).
//
// What it holds:
// - each scheduled fault as written, except that a partition shape (one, majority, ...) is
//   resolved into explicit groups (shape kGroups) and a random target into a node (kNode);
// - for each scheduled fault with undo_after, its undo at at + undo_after: a restart for a
//   crash, a resume for a pause, a heal for a partition or cut, a skew back to zero for a skew.
//   The undo targets what the fault targeted; when that is a role, the engine must resolve it
//   to the nodes the fault hit, not to the role's holders at undo time;
// - the nemesis's faults (from_nemesis = true), see below.
// Every entry has undo_after cleared: undos are entries of their own. Undo events at or after
// scenario.duration are dropped, since the run ends first.
//
// The nemesis, when present: its first fault comes one gap after nemesis.start, each next one
// a gap after the previous, where a gap is uniform in [interval/2, 3*interval/2]; it stops
// before passing nemesis.stop (default: duration minus one interval, and never past duration).
// Each fault has a kind drawn uniformly from nemesis.faults:
// - partition: isolates the role "leader" with chance 1/4, else a shape drawn uniformly from
//   partition_shape_names() and resolved into groups; undone by a heal;
// - crash: the role "leader" with chance 1/4, else a random node; undone by a restart;
// - pause: a random node, undone by a resume;
// - cut: one random node cut one way from all others (its outgoing or, with chance 1/2, its
//   incoming links); undone by a heal;
// - skew: a random node's clock set off by ±[10ms, 500ms]; undone by a skew back to zero;
// - jump: a random node's clock moved by ±[100ms, 2s]; no undo;
// - heal, restart, resume (allowed, if odd): heal all, or a random node; no undo.
// An undo comes nemesis.fault_duration after its fault. One nemesis fault is active at a time:
// a fault due before the previous one's undo waits for that undo.
//
// Draws happen in timeline order: for each nemesis fault its gap is drawn first, then every
// scheduled fault due at or before that time is resolved, then the nemesis fault's contents.
// Scheduled faults after the last nemesis fault are resolved at the end.
//
// Order: by time; at equal times scheduled faults first (in the order written), then undos of
// scheduled faults (in the order of their faults), then nemesis events (in the order drawn).
// Requires: scenario.cluster.nodes >= 1; nemesis.interval > 0 and fault_duration >= 0;
// undo_after only on crash, pause, partition, cut or skew (the loader guarantees these).
std::vector<FaultSpec> compile_timeline(const Scenario& scenario, Rng& rng);

// One line for the trace and for people, time first (in seconds, with only the decimals it
// needs): "10s partition [n1 n2] | [n3 n4 n5]", "12s crash leader", "14.5s skew n2 +250ms",
// "15s cut [n1] -> [n2 n3]", "20s heal", "21s partition isolate leader".
std::string describe_fault(const FaultSpec& fault, std::uint32_t nodes);

}  // namespace capsim
