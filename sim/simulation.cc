#include "sim/simulation.h"

#include <algorithm>

#include "sim/assert.h"
#include "sim/client/caller.h"
#include "sim/client/consumer.h"
#include "sim/client/final_reader.h"
#include "sim/client/kv_client.h"
#include "sim/client/log_consumer.h"
#include "sim/client/log_drainer.h"
#include "sim/client/producer.h"
#include "sim/client/queue_drainer.h"
#include "sim/client/service.h"
#include "sim/client/workload.h"
#include "sim/event_queue.h"
#include "sim/fault_timeline.h"
#include "sim/final_reads.h"
#include "sim/network.h"
#include "sim/partition_shapes.h"
#include "sim/queue_times.h"
#include "sim/sim_actor.h"
#include "sim/trace_format.h"

namespace capsim {

std::uint64_t MessageStats::dropped_total() const {
  std::uint64_t total = 0;
  for (const auto& [cause, count] : dropped) total += count;
  return total;
}

// The engine proper. It is its own Context: handlers run one at a time, so the context only
// needs to know whose handler is running (current_).
class Simulation::Engine final : public Context, public HistoryRecorder, public FinalReadHost {
 public:
  Engine(const Scenario& scenario, const ProtocolRegistry& registry, TraceSink* sink)
      : scenario_(scenario),
        protocol_(registry.find(scenario_.cluster.protocol)),
        nodes_(scenario_.cluster.nodes),
        clients_(scenario_.workload.clients),
        // The final reader or the queue drainer, when there is one, is the last actor, after
        // the clients.
        actor_count_(nodes_ + clients_ +
                     (scenario_.workload.final_reads || scenario_.workload.is_queue() ? 1 : 0)),
        network_(scenario_.network, nodes_, actor_count_, rng_for(scenario_.seed, "net")),
        fault_rng_(rng_for(scenario_.seed, "faults")),
        trace_(sink),
        workload_(scenario_.workload.is_queue() ? nullptr : make_workload(scenario_.workload)) {
    if (scenario_.workload.is_queue()) queue_times_ = queue_times(scenario_);
    CAPSIM_ASSERT(protocol_ != nullptr);
    set_assert_context("run: " + scenario_.path + " seed " + std::to_string(scenario_.seed));
    actors_.reserve(actor_count_);
    for (NodeId id = 0; id < actor_count_; ++id) {
      const std::string stream = id < nodes_                   ? "node/" + std::to_string(id + 1)
                                 : is_final_reader(id)         ? std::string("final-reads")
                                 : is_drainer(id)              ? std::string("drain")
                                                               : "client/" + std::to_string(id - nodes_ + 1);
      actors_.emplace_back(rng_for(scenario_.seed, stream));
    }
    timeline_ = compile_timeline(scenario_, fault_rng_);
    for (std::uint32_t i = 0; i < clients_; ++i) {
      result_.client_homes.push_back(scenario_.workload.home_of(i, nodes_));
    }
    network_.place_clients(result_.client_homes);
  }

  void disable_trace() { trace_.set_enabled(false); }
  void set_limits(const RunLimits& limits) { limits_ = limits; }
  void set_progress(std::function<void(const RunProgress&)> report, std::uint64_t every) {
    CAPSIM_ASSERT(every >= 1);
    progress_ = std::move(report);
    progress_every_ = every;
  }

  RunResult run() {
    emit_run_start();
    for (NodeId id = 0; id < actor_count_; ++id) {
      actors_[id].node = build(id);
      const Time start = is_final_reader(id) ? final_reads_start(scenario_)
                         : is_drainer(id)      ? queue_times_.drain_at
                                               : Time{0};
      queue_.push(start, SimEvent::start(id, actors_[id].incarnation));
    }
    for (std::uint32_t i = 0; i < timeline_.size(); ++i) {
      queue_.push(timeline_[i].at, SimEvent::fault(i));
    }
    const Time end = scenario_.duration;
    while (!queue_.empty() && queue_.next_time() <= end) {
      if (exceeds_limits()) break;
      auto [time, event] = queue_.pop();
      now_ = time;
      ++result_.events;
      dispatch(event);
      if (progress_ && result_.events % progress_every_ == 0) {
        progress_(RunProgress{now_, end, result_.events});
      }
    }
    // A run stopped by its budget ends at its last event, so the message says how far it got.
    if (result_.limit_exceeded.empty()) now_ = end;
    finish();
    return std::move(result_);
  }

  // --- Context, for the actor whose handler is running -------------------------------------
  NodeId self() const override { return current_; }
  Time now() const override { return now_ + actors_[current_].clock_offset; }
  Rng& rng() override { return actors_[current_].rng; }
  Disk& disk() override { return actors_[current_].disk; }

  void send(NodeId to, Message message) override {
    CAPSIM_ASSERT(to < actor_count_);
    const NodeId from = current_;
    const std::uint64_t id = ++message_ids_;
    ++result_.messages.sent;
    const std::string_view kind = message.kind();
    if (trace_.enabled()) trace_.emit(trace_send(now_, id, name(from), name(to), kind, message));
    const Network::Fate fate = network_.send(from, to, kind, now_);
    if (!fate.drop_cause.empty()) {
      drop(id, from, to, kind, fate.drop_cause);
      return;
    }
    if (fate.copies == 2) {
      ++result_.messages.duplicated;
      if (trace_.enabled()) trace_.emit(trace_duplicate(now_, id, name(from), name(to), kind));
      queue_.push(fate.deliver_at[1], SimEvent::deliver(from, to, id, message));
    }
    queue_.push(fate.deliver_at[0], SimEvent::deliver(from, to, id, std::move(message)));
  }

  void set_timer(std::string_view timer, Duration after) override {
    Actor& actor = actors_[current_];
    const std::uint32_t timer_id = timer_names_.intern(timer);
    const std::uint64_t generation = actor.arm_timer(timer_id);
    queue_.push(now_ + std::max(after, Duration{0}),
                SimEvent::timer(current_, actor.incarnation, timer_id, generation));
  }

  void cancel_timer(std::string_view timer) override {
    actors_[current_].disarm_timer(timer_names_.intern(timer));
  }

  void note(std::string_view what) override {
    if (trace_.enabled()) trace_.emit(trace_note(now_, name(current_), what));
  }

  // Kept for the run summary only: no trace line, so the trace hash is unaffected.
  void record_event(NodeEvent event) override {
    if (result_.node_events.size() >= kMaxNodeEvents) {
      ++result_.node_events_dropped;
      return;
    }
    result_.node_events.push_back(
        RecordedNodeEvent{now_, current_, result_.faults.size(), std::move(event)});
  }

  // --- HistoryRecorder ------------------------------------------------------------------
  void record(NodeId client, HistoryEvent event) override {
    if (trace_.enabled()) trace_.emit(trace_op(now_, name(client), event));
    next_free_process_ = std::max(next_free_process_, event.process + 1);
    result_.history.add(std::move(event));
  }

  // --- FinalReadHost -----------------------------------------------------------------------
  std::vector<NodeId> live_nodes() const override {
    std::vector<NodeId> live;
    for (NodeId id = 0; id < nodes_; ++id) {
      if (actors_[id].up) live.push_back(id);
    }
    return live;
  }
  // Clients begin as processes 0..clients-1 and only move up, by `clients`, after an info; the
  // quiet period before the final reads means no client invokes again, so numbers above every
  // process recorded so far stay free.
  std::uint64_t first_free_process() const override {
    return std::max<std::uint64_t>(next_free_process_, clients_);
  }

 private:
  bool is_final_reader(NodeId id) const {
    return scenario_.workload.final_reads && id == nodes_ + clients_;
  }
  bool is_drainer(NodeId id) const {
    return scenario_.workload.is_queue() && id == nodes_ + clients_;
  }
  std::string name(NodeId id) const {
    if (is_final_reader(id)) return "final";
    if (is_drainer(id)) return "drain";
    return actor_name(id, nodes_);
  }

  // Checked before each event is taken, on counts only, so a run stops at the same event on
  // every machine. Sets result_.limit_exceeded when a limit is passed.
  bool exceeds_limits() {
    if (result_.events >= limits_.max_events) {
      result_.limit_exceeded = events_exceeded_message(limits_.max_events, now_);
    } else if (queue_.size() + deferred_ > limits_.max_pending) {
      result_.limit_exceeded = pending_exceeded_message(limits_.max_pending, now_);
    } else if (result_.history.size() > limits_.max_history) {
      result_.limit_exceeded = history_exceeded_message(limits_.max_history, now_);
    }
    return !result_.limit_exceeded.empty();
  }

  // A paused actor reads its messages and timers on resume.
  void defer(Actor& actor, SimEvent& event) {
    actor.deferred.push_back(std::move(event));
    ++deferred_;
  }

  // `restarted`: built again after a crash (a client then starts under a fresh process).
  std::unique_ptr<Node> build(NodeId id, bool restarted = false) {
    if (id < nodes_) {
      return protocol_->make(NodeSetup{id, nodes_, &scenario_.cluster.options});
    }
    if (is_final_reader(id)) {
      return std::make_unique<FinalReader>(nodes_, scenario_.workload, *this, *this);
    }
    const WorkloadSpec& workload = scenario_.workload;
    if (is_drainer(id)) {
      if (protocol_->consumes_by_offset) {
        return std::make_unique<LogDrainer>(nodes_, workload, *this, *this);
      }
      return std::make_unique<QueueDrainer>(nodes_, workload, *this, *this);
    }
    const std::uint32_t index = id - nodes_;
    const ClientStart start = client_start(index, clients_, restarted, next_free_process_);
    if (workload.is_queue() && workload.queue.mode == DeliveryMode::kCall) {
      if (index < workload.queue.producers) {
        return std::make_unique<Caller>(index, nodes_, workload, queue_times_, queue_message_ids_,
                                        *this, start);
      }
      return std::make_unique<Service>(workload, *this, start);
    }
    if (workload.is_queue()) {
      if (index < workload.queue.producers) {
        return std::make_unique<Producer>(index, nodes_, workload, queue_times_, queue_message_ids_,
                                          *this, start);
      }
      if (protocol_->consumes_by_offset) {
        return std::make_unique<LogConsumer>(index - workload.queue.producers, index, nodes_,
                                             workload, queue_times_, *this, start);
      }
      return std::make_unique<Consumer>(index - workload.queue.producers, index, nodes_,
                                        workload, queue_times_, *this, start);
    }
    return std::make_unique<KvClient>(index, nodes_, workload,
                                      scenario_.duration - workload.quiet, *workload_, *this,
                                      start);
  }

  void dispatch(SimEvent& event) {
    switch (event.kind) {
      case SimEvent::Kind::kStart: return on_start_event(event);
      case SimEvent::Kind::kDeliver: return on_deliver_event(event);
      case SimEvent::Kind::kTimer: return on_timer_event(event);
      case SimEvent::Kind::kFault: return apply_fault(timeline_[event.index]);
    }
  }

  void on_start_event(const SimEvent& event) {
    Actor& actor = actors_[event.to];
    if (!actor.up || actor.incarnation != event.incarnation) return;
    if (trace_.enabled()) trace_.emit(trace_actor_event(now_, "start", name(event.to)));
    current_ = event.to;
    actor.node->on_start(*this);
  }

  void on_deliver_event(SimEvent& event) {
    Actor& actor = actors_[event.to];
    const std::string_view kind = event.message.kind();
    network_.left_link(event.from, event.to, now_);
    if (!actor.up) return drop(event.message_id, event.from, event.to, kind, "node-down");
    if (network_.is_cut(event.from, event.to)) {
      return drop(event.message_id, event.from, event.to, kind, "partition-in-flight");
    }
    // A paused process still receives into its socket buffer; it reads on resume.
    if (actor.paused) return defer(actor, event);
    ++result_.messages.delivered;
    if (trace_.enabled()) {
      trace_.emit(trace_deliver(now_, event.message_id, name(event.from), name(event.to), kind));
    }
    current_ = event.to;
    actor.node->on_message(*this, event.from, event.message);
  }

  void on_timer_event(SimEvent& event) {
    Actor& actor = actors_[event.to];
    if (!actor.up || actor.incarnation != event.incarnation) return;
    if (!actor.timer_is_current(event.index, event.generation)) return;
    if (actor.paused) return defer(actor, event);
    actor.disarm_timer(event.index);
    const std::string& timer = timer_names_.name(event.index);
    if (trace_.enabled()) trace_.emit(trace_timer(now_, name(event.to), timer));
    current_ = event.to;
    actor.node->on_timer(*this, timer);
  }

  void drop(std::uint64_t id, NodeId from, NodeId to, std::string_view kind,
            std::string_view cause) {
    ++result_.messages.dropped[std::string(cause)];
    if (trace_.enabled()) trace_.emit(trace_drop(now_, id, name(from), name(to), kind, cause));
  }

  // --- Faults -----------------------------------------------------------------------------
  void apply_fault(const FaultSpec& fault);
  void apply_fault_now(const FaultSpec& fault);
  void apply_partition(const FaultSpec& fault);
  void apply_cut(const FaultSpec& fault);
  void heal();
  std::vector<NodeId> resolve_targets(const NodeSelector& selector, bool want_up);
  std::vector<NodeId> targets_of(const FaultSpec& fault, bool want_up);
  void skipped(std::string_view fault, NodeId id, std::string_view why);
  // The outcome of the fault being applied, filled in by the code that applies it.
  FaultOutcome* outcome_ = nullptr;
  void hit(const std::string& what);
  void skip(const std::string& why);
  void crash(NodeId id);
  void restart(NodeId id);
  void pause(NodeId id);
  void resume(NodeId id);
  void open_window(std::vector<std::vector<NodeId>> sides, std::string description);
  void close_window();

  void emit_run_start();
  void finish();

  Scenario scenario_;
  const ProtocolInfo* protocol_;
  std::uint32_t nodes_;
  std::uint32_t clients_;
  std::uint32_t actor_count_;
  Network network_;
  Rng fault_rng_;
  Trace trace_;
  std::unique_ptr<Workload> workload_;  // kv, set, counter; null for the queue workload
  QueueTimes queue_times_;               // the queue workload's phases
  MessageIds queue_message_ids_;         // the queue workload's message ids
  std::vector<Actor> actors_;
  EventQueue<SimEvent> queue_;
  TimerNames timer_names_;
  std::vector<FaultSpec> timeline_;
  std::map<std::uint32_t, std::vector<NodeId>> hit_by_group_;  // undo group -> nodes hit
  RunResult result_;
  Time now_{0};
  NodeId current_ = 0;
  std::uint64_t message_ids_ = 0;
  std::uint64_t next_free_process_ = 0;  // one above the highest process recorded so far
  RunLimits limits_;
  std::uint64_t deferred_ = 0;  // events held in every actor's `deferred`, for the memory guard
  std::function<void(const RunProgress&)> progress_;
  std::uint64_t progress_every_ = 1;
};

void Simulation::Engine::emit_run_start() {
  if (!trace_.enabled()) return;
  trace_.emit(trace_run_start(scenario_, timeline_));
}

void Simulation::Engine::apply_fault(const FaultSpec& fault) {
  result_.faults.push_back(
      FaultOutcome{now_, std::string(fault_kind_name(fault.kind)), fault.from_nemesis, "", ""});
  outcome_ = &result_.faults.back();
  apply_fault_now(fault);
  if (outcome_->hit.empty() && outcome_->skipped.empty()) {
    outcome_->skipped = "no node it names could take it";
  }
  outcome_ = nullptr;
}

void Simulation::Engine::hit(const std::string& what) {
  if (outcome_ == nullptr) return;
  outcome_->hit += (outcome_->hit.empty() ? "" : " ") + what;
}

void Simulation::Engine::skip(const std::string& why) {
  if (outcome_ == nullptr || !outcome_->skipped.empty()) return;
  outcome_->skipped = why;
}

void Simulation::Engine::apply_fault_now(const FaultSpec& fault) {
  switch (fault.kind) {
    case FaultKind::kPartition: return apply_partition(fault);
    case FaultKind::kCut: return apply_cut(fault);
    case FaultKind::kHeal: return heal();
    case FaultKind::kCrash:
      for (NodeId id : targets_of(fault, true)) crash(id);
      return;
    case FaultKind::kRestart:
      for (NodeId id : targets_of(fault, false)) restart(id);
      return;
    case FaultKind::kPause:
      for (NodeId id : targets_of(fault, true)) pause(id);
      return;
    case FaultKind::kResume:
      for (NodeId id : targets_of(fault, true)) resume(id);
      return;
    case FaultKind::kSkew:
    case FaultKind::kJump:
      for (NodeId id : targets_of(fault, true)) {
        Actor& actor = actors_[id];
        actor.clock_offset = fault.kind == FaultKind::kSkew ? fault.amount
                                                            : actor.clock_offset + fault.amount;
        hit(name(id));
        if (trace_.enabled()) {
          trace_.emit(trace_clock(now_, fault_kind_name(fault.kind), name(id), fault.amount,
                                  actor.clock_offset));
        }
      }
      return;
  }
}

std::vector<NodeId> Simulation::Engine::targets_of(const FaultSpec& fault, bool want_up) {
  if (fault.undo_group == 0) return resolve_targets(fault.target, want_up);
  // The first event of a group is the fault: remember whom it hit. The later one is its undo:
  // it acts on those same nodes.
  auto [it, first] = hit_by_group_.try_emplace(fault.undo_group);
  if (first) it->second = resolve_targets(fault.target, want_up);
  return it->second;
}

std::vector<NodeId> Simulation::Engine::resolve_targets(const NodeSelector& selector,
                                                        bool want_up) {
  std::vector<NodeId> targets;
  switch (selector.kind) {
    case NodeSelector::Kind::kNode:
      targets.push_back(selector.node);
      break;
    case NodeSelector::Kind::kAll:
      for (NodeId id = 0; id < nodes_; ++id) targets.push_back(id);
      break;
    case NodeSelector::Kind::kRandom: {
      // Draw among the nodes the fault can act on (a crash among the up nodes, a restart among
      // the down ones), so a random fault is never a no-op when some node qualifies.
      std::vector<NodeId> candidates;
      for (NodeId id = 0; id < nodes_; ++id) {
        if (actors_[id].up == want_up) candidates.push_back(id);
      }
      if (!candidates.empty()) targets.push_back(candidates[fault_rng_.below(candidates.size())]);
      if (candidates.empty()) skip(want_up ? "every node is down" : "every node is up");
      break;
    }
    case NodeSelector::Kind::kRole:
      for (NodeId id = 0; id < nodes_; ++id) {
        if (actors_[id].up && actors_[id].node->is_leader()) targets.push_back(id);
      }
      if (targets.empty()) skip("no node holds the role '" + selector.role + "'");
      if (targets.empty() && trace_.enabled()) {
        trace_.emit(trace_engine_note(now_, "no node holds the role '" + selector.role +
                                                "': fault skipped"));
      }
      break;
  }
  return targets;
}

void Simulation::Engine::apply_partition(const FaultSpec& fault) {
  Groups groups = fault.groups;
  if (fault.shape == PartitionShape::kIsolateRole) {
    std::vector<NodeId> isolated = resolve_targets(NodeSelector{NodeSelector::Kind::kRole, 0,
                                                                fault.role}, true);
    if (isolated.empty()) return;
    groups = isolate_groups(isolated, nodes_);
  } else if (fault.shape != PartitionShape::kGroups) {
    groups = partition_groups(fault.shape, nodes_, fault_rng_);
  }
  // A new partition replaces the previous one: the network takes the new shape.
  if (network_.has_cuts()) close_window();
  network_.partition(groups);
  const std::string description = describe_groups(groups, nodes_);
  hit(description);
  if (trace_.enabled()) trace_.emit(trace_partition(now_, description, groups, nodes_));
  // The window's sides are the groups' nodes; clients the groups name are kept apart.
  std::vector<std::vector<NodeId>> sides;
  std::map<std::uint32_t, std::vector<std::size_t>> named_clients;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<NodeId> side;
    for (NodeId id : groups[g]) {
      if (id < nodes_) {
        side.push_back(id);
      } else {
        named_clients[id - nodes_].push_back(g);
      }
    }
    sides.push_back(std::move(side));
  }
  open_window(std::move(sides), description);
  result_.partitions.back().named_clients = std::move(named_clients);
}

void Simulation::Engine::apply_cut(const FaultSpec& fault) {
  for (NodeId from : fault.from) {
    for (NodeId to : fault.to) {
      if (from != to) network_.cut(from, to);
    }
  }
  std::string description;
  for (NodeId id : fault.from) description += (description.empty() ? "" : " ") + name(id);
  description += " -/-> ";
  for (std::size_t i = 0; i < fault.to.size(); ++i) description += (i ? " " : "") + name(fault.to[i]);
  hit(description);
  if (trace_.enabled()) trace_.emit(trace_cut(now_, description, fault.from, fault.to, nodes_));
  // The cut-off side is the senders; everyone else still talks among themselves.
  std::vector<NodeId> rest;
  for (NodeId id = 0; id < nodes_; ++id) {
    if (std::find(fault.from.begin(), fault.from.end(), id) == fault.from.end()) rest.push_back(id);
  }
  if (network_.has_cuts()) close_window();
  open_window({fault.from, rest}, description);
}

void Simulation::Engine::heal() {
  if (network_.has_cuts()) {
    hit("every cut link");
  } else {
    skip("no link was cut");
  }
  network_.heal_all();
  close_window();
  if (trace_.enabled()) trace_.emit(trace_actor_event(now_, "heal", ""));
}

void Simulation::Engine::open_window(std::vector<std::vector<NodeId>> sides,
                                     std::string description) {
  result_.partitions.push_back(PartitionWindow{now_, std::nullopt, std::move(sides),
                                               std::move(description), {}});
}

void Simulation::Engine::close_window() {
  if (!result_.partitions.empty() && !result_.partitions.back().end) {
    result_.partitions.back().end = now_;
  }
}

void Simulation::Engine::skipped(std::string_view fault, NodeId id, std::string_view why) {
  skip(name(id) + ": " + std::string(why));
  if (!trace_.enabled()) return;
  trace_.emit(trace_engine_note(now_, std::string(fault) + " of " + name(id) + " skipped: " +
                                          std::string(why)));
}

void Simulation::Engine::crash(NodeId id) {
  Actor& actor = actors_[id];
  if (!actor.up) return skipped("crash", id, "it is already down");
  actor.up = false;
  actor.paused = false;
  ++actor.incarnation;  // every timer of the old incarnation becomes stale
  actor.node.reset();
  deferred_ -= actor.deferred.size();
  actor.deferred.clear();
  const std::size_t lost = actor.disk.pending_count();
  actor.disk.lose_unsynced();
  hit(name(id));
  if (trace_.enabled()) trace_.emit(trace_crash(now_, name(id), lost));
}

void Simulation::Engine::restart(NodeId id) {
  Actor& actor = actors_[id];
  if (actor.up) return skipped("restart", id, "it is up");
  actor.up = true;
  actor.node = build(id, true);
  actor.reset_timers();
  hit(name(id));
  if (trace_.enabled()) trace_.emit(trace_actor_event(now_, "restart", name(id)));
  current_ = id;
  actor.node->on_start(*this);
}

void Simulation::Engine::pause(NodeId id) {
  Actor& actor = actors_[id];
  // (Skipped without a trace note, as ever: the trace of a run stays what it was.)
  if (!actor.up) return skip(name(id) + ": it is down");
  if (actor.paused) return skip(name(id) + ": it is already paused");
  actor.paused = true;
  hit(name(id));
  if (trace_.enabled()) trace_.emit(trace_actor_event(now_, "pause", name(id)));
}

void Simulation::Engine::resume(NodeId id) {
  Actor& actor = actors_[id];
  if (!actor.up) return skip(name(id) + ": it is down");
  if (!actor.paused) return skip(name(id) + ": it is not paused");
  actor.paused = false;
  hit(name(id));
  if (trace_.enabled()) trace_.emit(trace_actor_event(now_, "resume", name(id)));
  // What arrived while paused is handled now, in the order it arrived.
  std::vector<SimEvent> deferred = std::move(actor.deferred);
  actor.deferred.clear();
  deferred_ -= deferred.size();
  for (SimEvent& event : deferred) queue_.push(now_, std::move(event));
}

void Simulation::Engine::finish() {
  // A window still open stays open (end == none): the partition outlived the run.
  // Copies still in flight never arrived.
  std::uint64_t in_flight = 0;
  queue_.for_each([&](const SimEvent& event) {
    if (event.kind == SimEvent::Kind::kDeliver) ++in_flight;
  });
  for (const Actor& actor : actors_) {
    for (const SimEvent& event : actor.deferred) {
      if (event.kind == SimEvent::Kind::kDeliver) ++in_flight;
    }
  }
  if (in_flight != 0) result_.messages.dropped["run-ended"] += in_flight;
  result_.end_time = now_;
  result_.timeline = timeline_;
  for (NodeId id = 0; id < nodes_; ++id) {
    const Actor& actor = actors_[id];
    result_.up_at_end.push_back(actor.up);
    result_.final_digests.push_back(actor.up ? actor.node->state_digest() : std::string{});
  }
  if (protocol_->replicas_of) {
    for (std::uint32_t k = 1; k <= scenario_.workload.keys; ++k) {
      const std::string key = "k" + std::to_string(k);
      result_.key_replicas.emplace(key,
                                   protocol_->replicas_of(scenario_.cluster.options, nodes_, key));
    }
  }
  if (trace_.enabled()) trace_.emit(trace_run_end(now_, result_.events));
  result_.trace_hash = trace_.hash();
  result_.trace_lines = trace_.lines();
}

Simulation::Simulation(const Scenario& scenario, const ProtocolRegistry& registry,
                       TraceSink* sink)
    : engine_(std::make_unique<Engine>(scenario, registry, sink)) {}

Simulation::~Simulation() = default;

RunResult Simulation::run() { return engine_->run(); }

void Simulation::disable_trace() { engine_->disable_trace(); }

void Simulation::set_limits(const RunLimits& limits) { engine_->set_limits(limits); }

void Simulation::set_progress(std::function<void(const RunProgress&)> report,
                              std::uint64_t every_events) {
  engine_->set_progress(std::move(report), every_events);
}

}  // namespace capsim
