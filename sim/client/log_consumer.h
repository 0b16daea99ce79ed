// A consumer of the queue workload against a log protocol (ProtocolInfo::consumes_by_offset):
// a member of a consumer group, as a Kafka consumer is.
//
// Consumer i reads topic queues[i mod #queues] as a member of the group named after the topic.
// It joins (GroupJoin, to the node that answers for groups; a redirect names it), is assigned
// partitions for a generation and starts each at the group's committed offset (or 0: Kafka's
// auto.offset.reset=earliest), and heartbeats every heartbeat interval (a third of the
// workload's timeout) while it runs. It fetches its partitions in turn from their leaders
// (LogFetch, following redirects; an offset out of range moves it to the high watermark) and
// records what it does under its process:
//   receive  one fetch: ok lists the ids delivered (none: it waits poll_interval)
//   effect   one per message processed, as the broker-mode consumer records it (poison
//            messages fail, dedup keeps applied ids on the consumer's disk)
//   ack      one offset commit (OffsetCommit, fenced by the generation): its value lists the
//            ids the commit covers; ok: stored; fail "fenced" (answered): the group moved on
// When it commits follows the ack policy: before-process commits the batch's end offset before
// processing it (at-most-once), after-process after processing it (at-least-once), auto at
// the next poll, before its fetch (Kafka's auto-commit inside poll(), which commits the
// positions of records returned by earlier polls). Transactional keeps the offset with the
// effects, as a consumer that writes its results and its position in one database
// transaction does: each effect and the offset after its message are synced to the consumer's
// own disk in one step, recorded as an ack of that message (node: the consumer itself); the
// group commit still follows each batch, and on an assignment each partition starts at the
// later of the group's offset and the stored one. So a consumer that crashes mid-batch
// resumes right after its last effect; but the store is its own: a partition reassigned to
// another consumer restarts there at the group's offset, and effects after it come again.
// A heartbeat answered "rebalance", or a
// fenced commit, makes it join again before its next fetch, which restarts every assigned
// partition at the committed offset: messages processed but not committed come again. A poison
// message is skipped after its failed effect (there is no nack in a log). No fetch starts at or
// after consume_stop; a batch in hand is finished.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/client/client_start.h"
#include "sim/client/history_recorder.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/queue_times.h"
#include "sim/scenario.h"

namespace capsim {

class LogConsumer final : public Node {
 public:
  // Requires: spec, times and recorder outlive the consumer; index counts consumers from 0.
  LogConsumer(std::uint32_t index, std::uint32_t client_index, std::uint32_t cluster_size,
              const WorkloadSpec& spec, const QueueTimes& times, HistoryRecorder& recorder,
              ClientStart start);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  enum class Step {
    kIdle,        // the poll timer is set, or the consumer has stopped
    kJoining,     // a GroupJoin's reply (not a history operation)
    kFetching,    // a LogFetch's reply
    kCommitting,  // an OffsetCommit's reply
    kProcessing,  // the process timer of batch_[position_]
  };
  // What a commit in flight stands for.
  struct Commit {
    std::int64_t partition = 0;
    std::int64_t offset = 0;
    std::vector<QueueDelivery> covered;
    bool then_process = false;  // before-process: the batch's processing follows
  };

  void poll(Context& ctx);
  void join(Context& ctx);
  void fetch(Context& ctx);
  void commit(Context& ctx, Commit commit);
  void process_next(Context& ctx);
  void after_batch(Context& ctx);
  void send_current(Context& ctx);
  void on_join_reply(Context& ctx, NodeId from, const GroupJoinReply& reply);
  void on_fetch_reply(Context& ctx, NodeId from, const LogFetchReply& reply);
  void on_commit_reply(Context& ctx, NodeId from, const OffsetCommitReply& reply);
  void on_heartbeat_reply(NodeId from, const GroupHeartbeatReply& reply);
  // Follows a redirect of the request in flight; false when it may not be followed.
  bool follow(Context& ctx, NodeId from, const QueueStatus& status);
  void on_step_timeout(Context& ctx);
  void invoke(Context& ctx, const std::string& f, Value value, NodeId target);
  void complete(Context& ctx, OpType type, Value value, NodeId node, std::string error,
                bool answered);
  void record_effect(Context& ctx, const QueueDelivery& message);
  bool is_poison(const Value& id) const;
  // Transactional: where the offset of `partition` is kept on the consumer's disk, and what is
  // kept there (-1: nothing).
  std::string offset_key(std::int64_t partition) const;
  std::int64_t stored_offset(Context& ctx, std::int64_t partition) const;
  std::shared_ptr<QueueFields> fields() const;

  std::uint32_t index_;
  std::uint32_t client_index_;
  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const QueueTimes& times_;
  HistoryRecorder& recorder_;
  std::uint64_t process_;
  std::string topic_;
  std::string group_;

  NodeId coordinator_ = kNoNode;             // who answered for the group last
  std::map<std::int64_t, NodeId> leaders_;   // partition -> the node believed to lead it
  std::uint64_t generation_ = 0;
  bool joined_ = false;                      // holds a current assignment
  std::vector<std::int64_t> assignment_;
  std::map<std::int64_t, std::int64_t> positions_;  // partition -> next offset to fetch
  std::size_t next_partition_ = 0;
  std::uint64_t heartbeat_op_ = 0;

  Step step_ = Step::kIdle;
  std::uint64_t next_op_id_ = 1;
  std::uint64_t op_id_ = 0;   // of the request in flight
  NodeId target_ = kNoNode;
  std::uint32_t redirects_ = 0;
  std::string f_;             // the history name of the operation in flight ("" for a join)
  std::int64_t partition_ = 0;  // of the fetch in flight or the batch in hand
  std::vector<QueueDelivery> batch_;
  std::size_t position_ = 0;
  Commit commit_;             // the commit in flight
  Commit auto_pending_;       // auto: what the next poll commits first
  bool has_auto_pending_ = false;
};

}  // namespace capsim
