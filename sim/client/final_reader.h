// The final reader: the actor that performs a run's final reads (sim/final_reads.h says when).
//
// At its start it invokes, all at once, one read of each key k1..kK on each node that is up,
// nodes in id order and keys in order. Each read is an operation of its own, under its own
// process id (first free process + its position), so the history pairs them like any other.
// A node that redirects a read is followed to the node it names, as the workload's route
// says: with route fixed it is not followed (the read fails), otherwise at most once per node.
// A read still unanswered when the workload's timeout has passed is recorded as info.
// Every history event it records has `final_read` set, which is how checkers find them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/client/kv_client.h"
#include "sim/history.h"
#include "sim/node.h"
#include "sim/scenario.h"

namespace capsim {

// What the final reader learns from the simulator when it starts.
class FinalReadHost {
 public:
  virtual ~FinalReadHost() = default;
  virtual std::vector<NodeId> live_nodes() const = 0;      // up at this moment, in id order
  virtual std::uint64_t first_free_process() const = 0;    // above every client process so far
};

class FinalReader final : public Node {
 public:
  // Requires: spec, host and recorder outlive the reader.
  FinalReader(std::uint32_t cluster_size, const WorkloadSpec& spec, const FinalReadHost& host,
              HistoryRecorder& recorder);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& message) override;
  void on_timer(Context& ctx, std::string_view name) override;

 private:
  struct Read {
    std::uint64_t process = 0;
    std::string key;
    NodeId target = kNoNode;  // the node asked now (changes when a redirect is followed)
    std::uint32_t redirects = 0;
    bool open = true;
  };

  void send(Context& ctx, std::size_t position);
  // `answered`: a fail the node gave as a definite answer (ClientReply::answered).
  void complete(Context& ctx, std::size_t position, OpType type, Value value, NodeId node,
                std::string error, bool answered = false);

  std::uint32_t cluster_size_;
  const WorkloadSpec& spec_;
  const FinalReadHost& host_;
  HistoryRecorder& recorder_;
  std::vector<Read> reads_;  // op_id = position + 1
};

}  // namespace capsim
