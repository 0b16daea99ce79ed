#include "nodes/kv/quorum/messages.h"

namespace capsim::quorum {

namespace {

// Trace lines stay readable with a full batch: the first few keys, then a count.
constexpr std::size_t kShown = 4;

std::string node_name(NodeId id) {
  return id == kNoNode ? std::string("none") : "n" + std::to_string(id + 1);
}

template <class Items, class Describe>
std::string describe_batch(const Items& items, Describe describe_item) {
  std::string text = std::to_string(items.size()) + " keys [";
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i) {
    if (i != 0) text += ", ";
    text += describe_item(items[i]);
  }
  if (items.size() > kShown) text += ", +" + std::to_string(items.size() - kShown) + " more";
  return text + "]";
}

std::string describe_key_versions(const std::pair<std::string, Versions>& item) {
  return item.first + "=" + describe(item.second);
}

std::string describe_key_hash(const std::pair<std::string, std::uint64_t>& item) {
  return item.first;
}

}  // namespace

std::string ReplicaRead::describe() const { return "op " + std::to_string(op) + " " + key; }

std::string ReplicaReadReply::describe() const {
  return "op " + std::to_string(op) + " " + key + "=" + quorum::describe(versions);
}

std::string ReplicaWrite::describe() const {
  std::string text = "op " + std::to_string(op) + " " + key + "=" + quorum::describe(versions);
  if (hint_for != kNoNode) text += " hint for " + node_name(hint_for);
  return text;
}

std::string ReplicaWriteAck::describe() const { return "op " + std::to_string(op); }

std::string HintHandoff::describe() const { return describe_batch(hints, describe_key_versions); }

std::string HintHandoffAck::describe() const {
  return describe_batch(received, describe_key_hash);
}

std::string AntiEntropySummary::describe() const {
  return describe_batch(keys, describe_key_hash);
}

std::string AntiEntropyReply::describe() const {
  return "push " + describe_batch(versions, describe_key_versions) + " want " +
         std::to_string(wanted.size()) + " keys";
}

std::string AntiEntropyPush::describe() const {
  return describe_batch(versions, describe_key_versions);
}

}  // namespace capsim::quorum
