// The story of a run ("what happened"): every fault of the timeline, with what it hit or why it
// did nothing, and every node event (sim/node_event.h: elections, step-downs, entries thrown
// away, hints handed off), in the order they happened, each with its virtual time.
//
// It is built from the RunResult alone, so it is as deterministic as the run. The terminal shows
// a bounded part of it; summary.json holds all of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/simulation.h"

namespace capsim {

struct StoryEntry {
  Time at{0};
  // Who acted: "n2" for a node event, "fault" for a fault of the scenario's timeline,
  // "nemesis" for one the nemesis drew.
  std::string source;
  std::string kind;  // a fault's kind ("partition") or a node event's (node_event_kind_name)
  // "elected leader (term 2)", "partition [n1] | [n2 n3]",
  // "partition skipped: no node holds the role 'leader'".
  std::string text;
  std::uint64_t term = 0;   // node events: the term (epoch) concerned; 0 when none
  std::uint64_t count = 0;  // node events: the entries or hints concerned; 0 when none
  bool skipped = false;     // a fault that did nothing
};

struct RunStory {
  std::vector<StoryEntry> entries;  // in the order they happened
  // Node events the engine did not keep (past kMaxNodeEvents), which the entries lack.
  std::uint64_t node_events_dropped = 0;
};

// Faults and node events of `result` merged in the order they happened: a node event is placed
// after the faults applied before it was recorded (RecordedNodeEvent::after_faults), so one
// that a fault caused (a restart's election) follows that fault even at the same instant.
// Nodes are named by actor_name(id, cluster_size).
RunStory build_story(const RunResult& result, std::uint32_t cluster_size);

// How many entries the terminal shows at most; a longer story shows its first and last entries
// and says how many it left out.
inline constexpr std::size_t kStoryShown = 20;

// The terminal block: a header line counting faults (and those that did nothing) and node
// events by kind, then one line per entry shown, "  10.6s  n3     elected leader (term 2)",
// times as format_duration_readable prints them. Empty when there is nothing to tell.
std::string format_story_text(const RunStory& story);

}  // namespace capsim
