// The drain of a queue workload against a log protocol (ProtocolInfo::consumes_by_offset):
// at the drain time (sim/queue_times.h) it reads every topic whole, so the delivery check can
// tell an acknowledged message that is gone from the log (lost) from one still in it.
//
// For each workload topic, all at once and each under its own process, it invokes one `drain`:
// it asks the group coordinator where the topic's consumer group (named after the topic, as
// log_consumer.h names it) stands (GroupJoin with offsets_only: every partition and its
// committed offset), then fetches each partition from that offset (0 where the group committed
// nothing) to the high watermark, page by page (LogFetch), from the partition leaders
// (following redirects, at most once per node per request). So the drain takes what the group
// has not consumed, as a broker's drain takes what is still queued, and an acknowledged
// message that is in no consumer's reads and not in the drain is gone from the log. The
// drain's ok lists every id read, partition by partition in offset order. A fetch refused (no leader) or
// unanswered by the workload's timeout ends the drain as fail or info: the drain is then
// incomplete, and the delivery check says loss is unknown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/client/final_reader.h"
#include "sim/client/history_recorder.h"
#include "sim/client/queue_messages.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

class LogDrainer final : public Node {
 public:
  // Requires: spec, host and recorder outlive the drainer.
  LogDrainer(std::uint32_t cluster_size, const WorkloadSpec& spec, const FinalReadHost& host,
             HistoryRecorder& recorder);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Drain {
    std::uint64_t process = 0;
    std::string topic;
    bool fetching = false;               // the committed offsets are known
    std::vector<std::int64_t> starts;    // per partition: where the drain reads from
    std::int64_t partition = 0;
    std::int64_t offset = 0;
    NodeId target = 0;
    std::uint32_t redirects = 0;
    bool open = true;
    Value::List ids;
  };

  void send(Context& ctx, std::size_t position);
  void complete(Context& ctx, std::size_t position, OpType type, NodeId node, std::string error,
                bool answered = false);

  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const FinalReadHost& host_;
  HistoryRecorder& recorder_;
  std::vector<Drain> drains_;
};

}  // namespace capsim
