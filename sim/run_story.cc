#include "sim/run_story.h"

#include <algorithm>
#include <map>

namespace capsim {
namespace {

// As format_duration_readable prints it ("312ms", "10.6s"), but the start of the run is "0s".
std::string instant(Time at) { return at == Time{0} ? "0s" : format_duration_readable(at); }

StoryEntry fault_entry(const FaultOutcome& fault) {
  StoryEntry entry;
  entry.at = fault.at;
  entry.source = fault.from_nemesis ? "nemesis" : "fault";
  entry.kind = fault.kind;
  entry.skipped = !fault.skipped.empty();
  entry.text = fault.kind + (entry.skipped ? " skipped: " + fault.skipped : " " + fault.hit);
  return entry;
}

StoryEntry node_entry(const RecordedNodeEvent& recorded, std::uint32_t cluster_size) {
  StoryEntry entry;
  entry.at = recorded.at;
  entry.source = actor_name(recorded.node, cluster_size);
  entry.kind = std::string(node_event_kind_name(recorded.event.kind));
  entry.text = recorded.event.text;
  entry.term = recorded.event.term;
  entry.count = recorded.event.count;
  return entry;
}

// "2 faults (1 did nothing), 4 node events: elected 2, stepped-down 1, handoff 1".
std::string story_counts(const RunStory& story) {
  std::size_t faults = 0, skipped = 0, events = 0;
  std::map<std::string, std::size_t> by_kind;
  for (const StoryEntry& entry : story.entries) {
    const bool is_fault = entry.source == "fault" || entry.source == "nemesis";
    faults += is_fault ? 1 : 0;
    skipped += entry.skipped ? 1 : 0;
    if (!is_fault) {
      ++events;
      ++by_kind[entry.kind];
    }
  }
  const auto count = [](std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  std::string text = count(faults, "fault");
  if (skipped > 0) text += " (" + std::to_string(skipped) + " did nothing)";
  text += ", " + count(events + story.node_events_dropped, "node event");
  std::string kinds;
  for (const auto& [kind, n] : by_kind) {
    kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  }
  if (story.node_events_dropped > 0) {
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(story.node_events_dropped) +
             " not kept";
  }
  return kinds.empty() ? text : text + ": " + kinds;
}

}  // namespace

RunStory build_story(const RunResult& result, std::uint32_t cluster_size) {
  RunStory story;
  story.node_events_dropped = result.node_events_dropped;
  std::size_t next_fault = 0;
  for (const RecordedNodeEvent& recorded : result.node_events) {
    while (next_fault < result.faults.size() && next_fault < recorded.after_faults) {
      story.entries.push_back(fault_entry(result.faults[next_fault++]));
    }
    story.entries.push_back(node_entry(recorded, cluster_size));
  }
  while (next_fault < result.faults.size()) {
    story.entries.push_back(fault_entry(result.faults[next_fault++]));
  }
  return story;
}

std::string format_story_text(const RunStory& story) {
  if (story.entries.empty() && story.node_events_dropped == 0) return "";
  std::string out = "\nwhat happened  " + story_counts(story) + "\n";
  // A long story keeps its beginning (how the cluster settled, the first faults) and its end
  // (how it recovered); the middle is counted.
  const std::size_t total = story.entries.size();
  const std::size_t head = total > kStoryShown ? kStoryShown / 2 : total;
  const std::size_t tail = total > kStoryShown ? kStoryShown - head - 1 : 0;
  std::vector<const StoryEntry*> shown;
  for (std::size_t i = 0; i < head; ++i) shown.push_back(&story.entries[i]);
  for (std::size_t i = total - tail; i < total; ++i) shown.push_back(&story.entries[i]);
  std::size_t time_width = 0, source_width = 0;
  for (const StoryEntry* entry : shown) {
    time_width = std::max(time_width, instant(entry->at).size());
    source_width = std::max(source_width, entry->source.size());
  }
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (i == head && tail > 0) {
      out += "  ... " + std::to_string(total - head - tail) +
             " more (summary.json has all)\n";
    }
    const StoryEntry& entry = *shown[i];
    const std::string time = instant(entry.at);
    out += "  " + std::string(time_width - time.size(), ' ') + time + "  " + entry.source +
           std::string(source_width - entry.source.size(), ' ') + "  " + entry.text + "\n";
  }
  return out;
}

}  // namespace capsim
