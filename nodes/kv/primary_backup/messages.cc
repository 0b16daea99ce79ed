#include "nodes/kv/primary_backup/messages.h"

#include "nodes/common/describe_entries.h"

namespace capsim::pb {

namespace {

std::string node_name(NodeId id) {
  return id == kNoNode ? std::string("none") : "n" + std::to_string(id + 1);
}
}  // namespace

std::string Replicate::describe() const {
  std::string text = "epoch " + std::to_string(epoch) + " prev " + std::to_string(prev_index) +
                     "@" + std::to_string(prev_epoch);
  text += describe_entries(entries);
  text += " commit " + std::to_string(commit_index);
  if (rewinds != 0) text += " rewinds " + std::to_string(rewinds);
  return text;
}

std::string ReplicateAck::describe() const {
  std::string text = "epoch " + std::to_string(epoch);
  if (success) {
    text += " ok match " + std::to_string(match_index);
  } else {
    text += " refused hint " + std::to_string(hint_index);
    if (hint_epoch != 0) text += " epoch " + std::to_string(hint_epoch);
  }
  if (rewinds != 0) text += " rewinds " + std::to_string(rewinds);
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
