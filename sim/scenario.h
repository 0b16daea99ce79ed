// A scenario after loading and validation: everything a run needs, with units resolved and
// defaults filled in. The YAML format is documented in README.md ("Scenario format"); the loader
// (scenario_loader.h) is the only code that reads YAML.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/distribution.h"
#include "sim/node.h"
#include "sim/options.h"
#include "sim/probability.h"
#include "sim/time.h"

namespace capsim {

struct ClusterSpec {
  std::uint32_t nodes = 3;  // n1..nN, ids 0..N-1
  std::string protocol;     // a name in the ProtocolRegistry
  Options options;          // validated against the protocol's declaration, defaults filled
};

enum class Route {
  kAny,     // each operation goes to a node drawn at random
  kLeader,  // to the node believed to lead; redirects are followed
  kFixed,   // client i always talks to fixed_nodes[i % size]
};

// How a producer retries a send that failed or timed out (the queue workload). The n-th retry
// (n from 1) waits:
//   none         no retry: each message gets one attempt
//   fixed        base
//   exponential  min(cap, base * 2^(n-1))
//   full-jitter  uniform in [0, min(cap, base * 2^(n-1))], from the producer's own stream
enum class RetryPolicy { kNone, kFixed, kExponential, kFullJitter };

// The policies' names as scenarios write them, indexed by RetryPolicy.
const std::vector<std::string>& retry_policy_names();

struct RetrySpec {
  RetryPolicy policy = RetryPolicy::kExponential;
  std::uint32_t max_attempts = 5;  // attempts per message, the first included
  // Idempotent producer (a log protocol deduplicates): publishes carry a producer id and
  // per-partition sequence numbers (sim/client/producer_sequences.h), repeated on a retry.
  bool idempotent = false;
  Duration base = std::chrono::milliseconds(50);
  Duration cap = std::chrono::seconds(1);
};

// When a consumer acknowledges what it received.
enum class AckPolicy {
  kAuto,           // the broker deletes a message as it delivers it; the consumer never acks
  kBeforeProcess,  // the consumer acks the whole batch, then processes it
  kAfterProcess,   // the consumer processes the whole batch, then acks it (a poison message
                   // is settled as PoisonAction says instead)
  kTransactional,  // log only: each effect and the offset after its message are written to the
                   // consumer's own disk in one synced step; the group commit follows the batch
};

// What an after-process consumer does with a message whose processing failed.
enum class PoisonAction {
  kRequeue,  // nack it back to the queue: it is delivered again, until the broker's
             // max_deliveries moves it aside (RabbitMQ's basic.nack with requeue)
  kReject,   // reject it: the broker dead-letters it at once, reason rejected, or drops it
             // when the queue has no dead-letter queue (basic.reject without requeue)
};

struct ConsumeSpec {
  std::uint32_t batch = 10;                                 // most messages per receive
  Duration poll_interval = std::chrono::milliseconds(20);  // wait after an empty receive
  DelayModel process{DelayComponent{DelayShape::kConstant, Duration{0}}};  // per message
  AckPolicy ack = AckPolicy::kAfterProcess;
  SourcePos ack_pos;  // where `ack` was written (not written(): the default)
  // Idempotent consumer: the ids it has applied are kept on its own disk, synced with each
  // effect, and a message seen again is not applied again (its effect is recorded as a fail).
  bool dedup = false;
  std::vector<std::int64_t> poison;  // message ids whose processing always fails, ascending
  PoisonAction on_poison = PoisonAction::kRequeue;
  SourcePos on_poison_pos;  // where `on_poison` was written (not written(): the default)
};

// How the work reaches the consumers (the queue workload's `mode`).
enum class DeliveryMode {
  kQueue,  // producers publish to the protocol's queues; consumers receive from them
  kCall,   // producers call the consumers directly (sim/client/caller.h, service.h) and wait
           // for the answer; the cluster carries none of the work
};

// The `queue` workload: producers publish messages 1, 2, 3, ... to `queues`, consumers
// receive, process and acknowledge them, and a drain empties every queue at the end
// (sim/queue_times.h says when each phase ends).
struct QueueWorkloadSpec {
  DeliveryMode mode = DeliveryMode::kQueue;
  std::vector<std::string> queues{"jobs"};
  SourcePos queues_pos;      // where `queues` was written (line 0: the default)
  std::uint32_t producers = 1;  // clients c1..cP
  std::uint32_t consumers = 1;  // clients c(P+1)..c(P+C)
  std::uint32_t keys = 0;       // message keys k1..kK drawn uniformly; 0: messages have no key
  RetrySpec retry;
  ConsumeSpec consume;
};

struct WorkloadSpec {
  std::string name = "kv";                  // kv | set | counter (sim/client/workload.h) | queue
  std::uint32_t clients = 1;                // c1..cM, ids N..N+M-1
  std::uint64_t rate_milli_per_second = 10'000;  // all clients together, ops/s * 1000
  std::uint32_t keys = 1;                   // k1..kK
  // Operation weights by name ("read", "write", "cas", ...), in name order. Weights are
  // integers. The default depends on the workload (known_workloads() in scenario_loader.h).
  std::vector<std::pair<std::string, std::uint32_t>> mix{{"read", 50}, {"write", 50}};
  Duration timeout = std::chrono::milliseconds(500);
  Route route = Route::kAny;
  // No new operations start in the last `quiet` of the run, so replicas can settle before the
  // end (convergence is judged on the final state). Operations under way still complete.
  Duration quiet{0};
  std::vector<NodeId> fixed_nodes;          // kFixed only; default: every node in order
  // Where each client runs: next to one node, whose side of every partition it shares (a client
  // cannot reach a node its home cannot reach). Client i is next to placement[i % size]; empty
  // means `spread`, client i next to node i % nodes. A partition group may also name a client,
  // which then takes that group's side instead of its home's (partition_shapes.h).
  std::vector<NodeId> placement;
  // The node client `index` (0-based) is next to. Requires: nodes >= 1.
  NodeId home_of(std::uint32_t index, std::uint32_t nodes) const {
    if (placement.empty()) return index % nodes;
    return placement[index % placement.size()];
  }
  // Final reads (final_reads.h): in the last `timeout` of the run, after the quiet period, every
  // key is read from every live node, and the history marks those reads as final.
  bool final_reads = false;
  // The queue workload's settings (name "queue"); clients = producers + consumers.
  QueueWorkloadSpec queue;
  bool is_queue() const { return name == "queue"; }
};

// How one directed link behaves.
struct LinkBehaviour {
  DelayModel delay{DelayComponent{DelayShape::kConstant, std::chrono::milliseconds(1)}};
  Probability loss;
  Probability duplicate;
  // Probability that a message skips the link's FIFO order and takes an extra delay of up to
  // one more latency draw. Without it a link delivers in the order messages were sent.
  Probability reorder;
  friend bool operator==(const LinkBehaviour&, const LinkBehaviour&) = default;
};

// A `network.links` entry: overrides some fields of the default behaviour for the links and
// message kinds it matches, optionally only within a time window. Later rules win.
struct LinkRule {
  std::vector<NodeId> from;          // empty: any sender (nodes and clients)
  std::vector<NodeId> to;            // empty: any receiver
  bool both_ways = false;            // also the reverse direction
  std::string message_kind;          // "" for any; else a Message::kind() such as "pb.replicate"
  std::optional<Time> window_start;  // rule applies from this time...
  std::optional<Time> window_end;    // ...until this time (exclusive)
  std::optional<DelayModel> delay;
  std::optional<Probability> loss;
  std::optional<Probability> duplicate;
  std::optional<Probability> reorder;
  SourcePos pos;
};

struct NetworkSpec {
  LinkBehaviour defaults;
  std::vector<LinkRule> links;
};

enum class FaultKind {
  kPartition,  // cut the links between groups (both directions)
  kCut,        // cut the links from `from` to `to` only (one way)
  kHeal,       // restore every cut link
  kCrash,      // stop the node; unsynced disk writes are lost
  kRestart,    // start a crashed node again from its disk
  kPause,      // freeze the node: it handles nothing until resumed (messages wait for it)
  kResume,
  kSkew,       // set the node's clock offset to `amount`
  kJump,       // move the node's clock by `amount` (may be negative)
};

std::string_view fault_kind_name(FaultKind kind);  // "partition", "cut", ...
const std::vector<std::string>& fault_kind_names();

enum class PartitionShape {
  kGroups,          // the explicit `groups`
  kOne,             // one random node alone
  kMajority,        // a random majority against the rest
  kMajoritiesRing,  // every node sees a majority, no two the same (Jepsen's ring)
  kMinorityThird,   // a random third (rounded down, at least 1) against the rest
  kBridge,          // two halves that share one node, which sees both
  kIsolateRole,     // the nodes holding `role` (e.g. leader) against the rest, at fire time
};

std::string_view partition_shape_name(PartitionShape shape);
const std::vector<std::string>& partition_shape_names();  // shapes a scenario may name

// Which node a crash, restart, pause, resume, skew or jump targets.
struct NodeSelector {
  enum class Kind { kNode, kRole, kRandom, kAll };
  Kind kind = Kind::kNode;
  NodeId node = 0;   // kNode
  std::string role;  // kRole: "leader", resolved when the fault fires
};

struct FaultSpec {
  Time at{0};
  FaultKind kind = FaultKind::kHeal;
  PartitionShape shape = PartitionShape::kGroups;  // kPartition
  std::vector<std::vector<NodeId>> groups;         // kPartition with kGroups
  std::string role;                                // kPartition with kIsolateRole
  std::vector<NodeId> from;                        // kCut
  std::vector<NodeId> to;                          // kCut
  NodeSelector target;                             // crash, restart, pause, resume, skew, jump
  Duration amount{0};                              // kSkew, kJump (signed)
  std::optional<Duration> undo_after;  // restart_after (crash), resume_after (pause),
                                       // heal_after (partition, cut)
  bool from_nemesis = false;
  // A fault and the event that undoes it (restart after crash, resume after pause, skew back
  // to zero) share a nonzero group, so the undo acts on exactly the nodes the fault hit, even
  // when the fault named a role ("crash leader") that no longer resolves to the same node.
  std::uint32_t undo_group = 0;
  SourcePos pos;
};

struct NemesisSpec {
  std::vector<FaultKind> faults;   // kinds to draw from: partition, crash, pause, skew, ...
  Duration interval = std::chrono::seconds(5);       // mean time between faults
  Duration fault_duration = std::chrono::seconds(2); // how long each lasts before its undo
  Time start = std::chrono::seconds(1);
  std::optional<Time> stop;        // default: the scenario's duration minus one interval
  SourcePos pos;
};

// One `expect:` entry: a condition on one check's result that the run must meet.
struct Expectation {
  enum class Kind {
    kVerdict,  // the check's verdict must be pass (`pass`) or fail (`!pass`)
    kBound,    // the check's metric `metric` must lie within [min, max]
    kGuarantee,  // the check's guarantee `guarantee` must pass (`pass`) or fail (`!pass`)
  };
  std::string check;  // a check name (sim/check/scenario_checks.h): "linearizable", ...
  Kind kind = Kind::kVerdict;
  bool pass = true;            // kVerdict
  std::string metric;          // kBound: one of the check's metrics
  std::string guarantee;       // kGuarantee: one of the check's guarantees ("at-least-once")
  // kBound: at least one is set. In the metric's unit: fractions in [0, 1], durations in
  // nanoseconds, counts as numbers.
  std::optional<double> min;
  std::optional<double> max;
  SourcePos pos;
};

struct Scenario {
  std::string path;         // the file it came from, as given
  int version = 1;
  std::string name;
  std::string description;
  std::uint64_t seed = 0;
  Duration duration = std::chrono::seconds(10);
  ClusterSpec cluster;
  WorkloadSpec workload;
  NetworkSpec network;
  std::vector<FaultSpec> faults;  // in the order written
  std::optional<NemesisSpec> nemesis;
  // `checks:` as written. The checks that run are these plus any named only in `expect:`.
  std::vector<std::string> checks;
  std::vector<Expectation> expectations;  // `expect:`, in the order written
};

// "n1".."nN" for nodes, "c1".."cM" for the clients after them.
std::string actor_name(NodeId id, std::uint32_t cluster_size);

}  // namespace capsim
