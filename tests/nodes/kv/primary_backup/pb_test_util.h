// Shared helpers for the primary-backup tests: nodes built through the real option parsing,
// and short constructors for log entries and messages.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nodes/kv/primary_backup/primary_backup_node.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"
#include "support/recording_context.h"

namespace capsim::pb::test {

using Overrides = testing::OptionOverrides;

// The protocol's defaults with `overrides` parsed as a scenario would write them.
inline Options options_with(const Overrides& overrides) {
  return testing::options_with(protocol_info(), overrides);
}

inline std::unique_ptr<PrimaryBackupNode> make_node(NodeId id, std::uint32_t nodes,
                                                    const Overrides& overrides = {}) {
  return std::make_unique<PrimaryBackupNode>(id, config_from(options_with(overrides), nodes));
}

inline testing::PumpCluster::Factory factory(std::uint32_t nodes, const Overrides& overrides) {
  const Config config = config_from(options_with(overrides), nodes);
  return [config](NodeId id) { return std::make_unique<PrimaryBackupNode>(id, config); };
}

inline Entry put(Epoch epoch, Index index, std::string key, Value value) {
  return Entry{epoch, index, std::move(key), std::move(value), kNoNode, 0};
}

// `entry` as a primary logs it for request `op_id` of `client`.
inline Entry asked(Entry entry, NodeId client, std::uint64_t op_id) {
  entry.client = client;
  entry.op_id = op_id;
  return entry;
}

inline Entry noop(Epoch epoch, Index index) { return Entry{epoch, index, "", Value(), kNoNode, 0}; }

inline Message replicate(Epoch epoch, Index prev_index, Epoch prev_epoch,
                         std::vector<Entry> entries) {
  Replicate message;
  message.epoch = epoch;
  message.prev_index = prev_index;
  message.prev_epoch = prev_epoch;
  message.entries = std::move(entries);
  return Message::of(std::move(message));
}

inline Message client_request(std::uint64_t op_id, std::string f, std::string key,
                              Value value = {}) {
  ClientRequest request;
  request.op_id = op_id;
  request.f = std::move(f);
  request.key = std::move(key);
  request.value = std::move(value);
  return Message::of(std::move(request));
}

// The last message of type T the node sent, or nullptr.
template <MessageType T>
const T* last_sent(const testing::RecordingContext& ctx, NodeId to = kNoNode) {
  const auto all = ctx.sent_of<T>(to);
  return all.empty() ? nullptr : all.back();
}

}  // namespace capsim::pb::test
