#include "nodes/kv/raft/messages.h"

namespace capsim::raft {

namespace {
// A trace line stays readable with a full batch: the first few entries, then a count.
constexpr std::size_t kEntriesShown = 4;

std::string node_name(NodeId id) {
  return id == kNoNode ? std::string("none") : "n" + std::to_string(id + 1);
}
}  // namespace

std::string RequestVote::describe() const {
  return "term " + std::to_string(term) + " candidate " + node_name(candidate) + " last " +
         std::to_string(last_index) + "@" + std::to_string(last_term);
}

std::string RequestVoteReply::describe() const {
  return "term " + std::to_string(term) + (granted ? " granted" : " refused");
}

std::string AppendEntries::describe() const {
  std::string text = "term " + std::to_string(term) + " prev " + std::to_string(prev_index) +
                     "@" + std::to_string(prev_term);
  if (entries.empty()) {
    text += " heartbeat";
  } else {
    text += " entries " + std::to_string(entries.front().index) + ".." +
            std::to_string(entries.back().index) + " [";
    for (std::size_t i = 0; i < entries.size() && i < kEntriesShown; ++i) {
      if (i != 0) text += ", ";
      text += entries[i].describe();
    }
    if (entries.size() > kEntriesShown) {
      text += ", +" + std::to_string(entries.size() - kEntriesShown) + " more";
    }
    text += "]";
  }
  return text + " commit " + std::to_string(leader_commit) + " round " + std::to_string(round);
}

std::string AppendEntriesReply::describe() const {
  std::string text = "term " + std::to_string(term);
  if (success) {
    text += " ok match " + std::to_string(match_index);
  } else {
    text += " refused hint " + std::to_string(hint_index);
  }
  return text + " round " + std::to_string(round);
}

}  // namespace capsim::raft
