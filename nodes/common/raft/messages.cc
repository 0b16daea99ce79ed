#include "nodes/common/raft/messages.h"

#include "nodes/common/describe_entries.h"

namespace capsim::raft {

namespace {

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
  std::string text = "term " + std::to_string(term) + " prev " + std::to_string(prev_index) + "@" +
                     std::to_string(prev_term);
  text += describe_entries(entries,
                           [this](const Entry& entry) { return entry.describe(describe_command); });
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
