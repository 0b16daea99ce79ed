// Helpers for the log protocol's tests: configurations from option text, and a PumpCluster of
// LogNodes with producer and consumer requests sent by hand.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nodes/queue/log/log_node.h"
#include "sim/client/queue_messages.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"

namespace capsim::log::test {

using testing::OptionOverrides;

inline const ProtocolInfo& info() {
  static const ProtocolInfo protocol = protocol_info();
  return protocol;
}

inline Config config_for(std::uint32_t nodes, const OptionOverrides& overrides = {}) {
  return config_from(testing::options_with(info(), overrides), nodes);
}

// A cluster of LogNodes, started and with the controller's first metadata delivered.
class LogCluster {
 public:
  LogCluster(std::uint32_t nodes, const OptionOverrides& overrides = {})
      : config_(config_for(nodes, overrides)),
        pump_(nodes, [this](NodeId id) { return std::make_unique<LogNode>(id, config_); }) {
    pump_.deliver_all();
  }

  testing::PumpCluster& pump() { return pump_; }
  LogNode& node(NodeId id) { return pump_.node_as<LogNode>(id); }

  // Publishes message `id` from client `k` to node `to` (delivered when pumped).
  std::uint64_t publish(NodeId to, std::int64_t id, std::int64_t partition = 0,
                        std::uint64_t producer_id = 0, std::uint64_t sequence = 0,
                        std::uint32_t k = 0) {
    QueuePublish publish;
    publish.op_id = next_op_++;
    publish.queue = config_.topics.front();
    publish.message_id = Value(id);
    publish.partition = partition;
    publish.producer_id = producer_id;
    publish.sequence = sequence;
    pump_.client_send(to, Message::of(publish), k);
    return publish.op_id;
  }

  // Every reply to publish `op_id`, in arrival order.
  std::vector<QueuePublishReply> publish_replies(std::uint64_t op_id) const {
    std::vector<QueuePublishReply> result;
    for (const auto& reply : pump_.client_received<QueuePublishReply>()) {
      if (reply.status.op_id == op_id) result.push_back(reply);
    }
    return result;
  }
  std::optional<QueuePublishReply> publish_reply(std::uint64_t op_id) const {
    const auto replies = publish_replies(op_id);
    if (replies.empty()) return std::nullopt;
    return replies.front();
  }

  // Reads partition `partition` of the first topic from `offset`; returns the reply.
  LogFetchReply consume(NodeId to, std::int64_t partition, std::int64_t offset) {
    LogFetch fetch;
    fetch.op_id = next_op_++;
    fetch.topic = config_.topics.front();
    fetch.partition = partition;
    fetch.offset = offset;
    fetch.max = 100;
    pump_.client_send(to, Message::of(fetch));
    pump_.deliver_all();
    for (const auto& reply : pump_.client_received<LogFetchReply>()) {
      if (reply.status.op_id == fetch.op_id) return reply;
    }
    FAIL("no reply to the fetch");
    return {};
  }

  // Sends a group request from client `k` to `to`, delivers everything, returns the reply.
  template <class Reply, class Request>
  Reply group_request(NodeId to, Request request, std::uint32_t k) {
    request.op_id = next_op_++;
    const std::uint64_t op_id = request.op_id;
    pump_.client_send(to, Message::of(std::move(request)), k);
    pump_.deliver_all();
    for (const auto& reply : pump_.client_received<Reply>()) {
      if (reply.status.op_id == op_id) return reply;
    }
    FAIL("no reply to the group request");
    return {};
  }

  // The message ids of partition g's log on node `id`, in offset order.
  std::vector<std::int64_t> ids_on(NodeId id, PartitionIndex g = 0) {
    std::vector<std::int64_t> ids;
    for (const LogEntry& entry : node(id).log_of(g).entries()) {
      ids.push_back(entry.message_id.integer());
    }
    return ids;
  }

  // How many events of `kind` node `id` recorded.
  std::size_t events_of(NodeId id, NodeEventKind kind) const {
    std::size_t count = 0;
    for (const NodeEvent& event : pump_.events(id)) count += event.kind == kind ? 1 : 0;
    return count;
  }

  // The first event of `kind` node `id` recorded; nullptr if none.
  const NodeEvent* first_event(NodeId id, NodeEventKind kind) const {
    for (const NodeEvent& event : pump_.events(id)) {
      if (event.kind == kind) return &event;
    }
    return nullptr;
  }

  const Config& config() const { return config_; }

 private:
  Config config_;
  testing::PumpCluster pump_;
  std::uint64_t next_op_ = 1;
};

}  // namespace capsim::log::test
