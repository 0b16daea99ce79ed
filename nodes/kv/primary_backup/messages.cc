#include "nodes/kv/primary_backup/messages.h"

namespace capsim::pb {

namespace {
// A trace line stays readable with a full batch: the first few operations, then a count.
constexpr std::size_t kEntriesShown = 4;

std::string node_name(NodeId id) {
  return id == kNoNode ? std::string("none") : "n" + std::to_string(id + 1);
}
}  // namespace

std::string Replicate::describe() const {
  std::string text = "epoch " + std::to_string(epoch) + " prev " + std::to_string(prev_index) +
                     "@" + std::to_string(prev_epoch);
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
  return text + " commit " + std::to_string(commit_index);
}

std::string ReplicateAck::describe() const {
  std::string text = "epoch " + std::to_string(epoch);
  if (success) {
    text += " ok match " + std::to_string(match_index);
  } else {
    text += " refused hint " + std::to_string(hint_index);
  }
  return text + " primary " + node_name(primary);
}

std::string RequestVote::describe() const {
  return "epoch " + std::to_string(epoch) + " candidate " + node_name(candidate) + " last " +
         std::to_string(last_index) + "@" + std::to_string(last_epoch);
}

std::string Vote::describe() const {
  return "epoch " + std::to_string(epoch) + (granted ? " granted" : " refused");
}

}  // namespace capsim::pb
