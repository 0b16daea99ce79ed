#include "sim/fault_timeline.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "sim/assert.h"
#include "sim/partition_shapes.h"

namespace capsim {
namespace {

constexpr Duration kSkewMin = std::chrono::milliseconds(10);
constexpr Duration kSkewMax = std::chrono::milliseconds(500);
constexpr Duration kJumpMin = std::chrono::milliseconds(100);
constexpr Duration kJumpMax = std::chrono::seconds(2);
constexpr std::uint64_t kRoleChanceDenominator = 4;  // crash or partition the leader: 1 in 4
constexpr std::string_view kLeaderRole = "leader";

// Ties sort scheduled faults first, then their undos, then the nemesis: what a person wrote
// happens before what was generated for them, and both before what chance added.
enum class Origin { kScheduled = 0, kUndo = 1, kNemesis = 2 };

struct Entry {
  FaultSpec fault;
  Origin origin;
  std::size_t sequence;  // written index for scheduled faults and their undos, else draw order
};

bool has_target(FaultKind kind) {
  return kind == FaultKind::kCrash || kind == FaultKind::kRestart || kind == FaultKind::kPause ||
         kind == FaultKind::kResume || kind == FaultKind::kSkew || kind == FaultKind::kJump;
}

// The event that reverts `fault`, at `at`; none for kinds that nothing reverts.
std::optional<FaultSpec> undo_of(const FaultSpec& fault, Time at) {
  FaultSpec undo;
  undo.at = at;
  undo.from_nemesis = fault.from_nemesis;
  undo.undo_group = fault.undo_group;
  undo.pos = fault.pos;
  switch (fault.kind) {
    case FaultKind::kPartition:
    case FaultKind::kCut:
      undo.kind = FaultKind::kHeal;
      return undo;
    case FaultKind::kCrash:
      undo.kind = FaultKind::kRestart;
      break;
    case FaultKind::kPause:
      undo.kind = FaultKind::kResume;
      break;
    case FaultKind::kSkew:
      undo.kind = FaultKind::kSkew;
      undo.amount = Duration{0};
      break;
    case FaultKind::kHeal:
    case FaultKind::kRestart:
    case FaultKind::kResume:
    case FaultKind::kJump:
      return std::nullopt;
  }
  undo.target = fault.target;
  return undo;
}

PartitionShape shape_from_name(std::string_view name) {
  static constexpr PartitionShape kShapes[] = {
      PartitionShape::kOne,           PartitionShape::kMajority, PartitionShape::kMajoritiesRing,
      PartitionShape::kMinorityThird, PartitionShape::kBridge,
  };
  for (PartitionShape shape : kShapes) {
    if (partition_shape_name(shape) == name) return shape;
  }
  CAPSIM_ASSERT(false && "partition_shape_names() names a shape without a random form");
  return PartitionShape::kOne;
}

NodeSelector random_node(std::uint32_t nodes, Rng& rng) {
  NodeSelector selector;
  selector.kind = NodeSelector::Kind::kNode;
  selector.node = static_cast<NodeId>(rng.below(nodes));
  return selector;
}

NodeSelector leader_role() {
  NodeSelector selector;
  selector.kind = NodeSelector::Kind::kRole;
  selector.role = std::string(kLeaderRole);
  return selector;
}

// Uniform in ±[lo, hi]: the magnitude first, then the sign.
Duration signed_amount(Duration lo, Duration hi, Rng& rng) {
  const Duration magnitude{rng.between(lo.count(), hi.count())};
  return rng.chance(1, 2) ? -magnitude : magnitude;
}

class TimelineBuilder {
 public:
  TimelineBuilder(const Scenario& scenario, Rng& rng)
      : scenario_(scenario), rng_(rng), nodes_(scenario.cluster.nodes) {
    CAPSIM_ASSERT(nodes_ >= 1);
    for (std::size_t i = 0; i < scenario.faults.size(); ++i) scheduled_order_.push_back(i);
    std::stable_sort(scheduled_order_.begin(), scheduled_order_.end(),
                     [&](std::size_t a, std::size_t b) {
                       return scenario.faults[a].at < scenario.faults[b].at;
                     });
  }

  std::vector<FaultSpec> build() {
    if (scenario_.nemesis) add_nemesis(*scenario_.nemesis);
    resolve_scheduled_through(std::nullopt);
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.fault.at, a.origin, a.sequence) <
             std::tie(b.fault.at, b.origin, b.sequence);
    });
    std::vector<FaultSpec> timeline;
    timeline.reserve(entries_.size());
    for (auto& entry : entries_) timeline.push_back(std::move(entry.fault));
    return timeline;
  }

 private:
  // Resolves, in time order, every scheduled fault due at or before `through` (all if none).
  void resolve_scheduled_through(std::optional<Time> through) {
    while (next_scheduled_ < scheduled_order_.size()) {
      const std::size_t index = scheduled_order_[next_scheduled_];
      const FaultSpec& written = scenario_.faults[index];
      if (through && written.at > *through) return;
      ++next_scheduled_;
      add_scheduled(index, written);
    }
  }

  void add_scheduled(std::size_t index, FaultSpec fault) {
    if (fault.kind == FaultKind::kPartition && fault.shape != PartitionShape::kGroups &&
        fault.shape != PartitionShape::kIsolateRole) {
      fault.groups = partition_groups(fault.shape, nodes_, rng_);
      fault.shape = PartitionShape::kGroups;
    }
    if (has_target(fault.kind) && fault.target.kind == NodeSelector::Kind::kRandom) {
      fault.target = random_node(nodes_, rng_);
    }
    const std::optional<Duration> undo_after = fault.undo_after;
    fault.undo_after.reset();
    if (undo_after) {
      fault.undo_group = ++undo_groups_;
      std::optional<FaultSpec> undo = undo_of(fault, fault.at + *undo_after);
      CAPSIM_ASSERT(undo.has_value());
      if (undo->at < scenario_.duration) entries_.push_back({*undo, Origin::kUndo, index});
    }
    entries_.push_back({std::move(fault), Origin::kScheduled, index});
  }

  void add_nemesis(const NemesisSpec& nemesis) {
    CAPSIM_ASSERT(nemesis.interval > Duration{0});
    CAPSIM_ASSERT(nemesis.fault_duration >= Duration{0});
    if (nemesis.faults.empty()) return;
    const Time stop =
        std::min(nemesis.stop.value_or(scenario_.duration - nemesis.interval), scenario_.duration);
    // A gap of at least 1ns makes every step advance, so the loop ends by `stop`.
    const Duration gap_min = std::max(nemesis.interval / 2, Duration{1});
    const Duration gap_max = std::max(nemesis.interval + nemesis.interval / 2, gap_min);
    Time at = nemesis.start;
    Time free_at = nemesis.start;  // when the previous nemesis fault is undone
    while (true) {
      at = std::max(at + Duration{rng_.between(gap_min.count(), gap_max.count())}, free_at);
      if (at > stop) break;
      resolve_scheduled_through(at);
      const FaultKind kind = nemesis.faults[rng_.below(nemesis.faults.size())];
      FaultSpec fault = draw_nemesis_fault(kind, at);
      fault.pos = nemesis.pos;
      fault.undo_group = ++undo_groups_;
      std::optional<FaultSpec> undo = undo_of(fault, at + nemesis.fault_duration);
      entries_.push_back({std::move(fault), Origin::kNemesis, nemesis_drawn_++});
      free_at = at;
      if (undo) {
        free_at = undo->at;
        if (undo->at < scenario_.duration) {
          entries_.push_back({std::move(*undo), Origin::kNemesis, nemesis_drawn_++});
        }
      }
    }
  }

  FaultSpec draw_nemesis_fault(FaultKind kind, Time at) {
    FaultSpec fault;
    fault.at = at;
    fault.kind = kind;
    fault.from_nemesis = true;
    switch (kind) {
      case FaultKind::kPartition:
        if (rng_.chance(1, kRoleChanceDenominator)) {
          fault.shape = PartitionShape::kIsolateRole;
          fault.role = std::string(kLeaderRole);
        } else {
          const auto& names = partition_shape_names();
          const PartitionShape shape = shape_from_name(names[rng_.below(names.size())]);
          fault.groups = partition_groups(shape, nodes_, rng_);
          fault.shape = PartitionShape::kGroups;
        }
        break;
      case FaultKind::kCrash:
        fault.target = rng_.chance(1, kRoleChanceDenominator) ? leader_role()
                                                              : random_node(nodes_, rng_);
        break;
      case FaultKind::kCut: {
        const NodeId lone = static_cast<NodeId>(rng_.below(nodes_));
        std::vector<NodeId> others;
        for (NodeId id = 0; id < nodes_; ++id) {
          if (id != lone) others.push_back(id);
        }
        fault.from = {lone};
        fault.to = others;
        if (rng_.chance(1, 2)) std::swap(fault.from, fault.to);
        break;
      }
      case FaultKind::kSkew:
        fault.target = random_node(nodes_, rng_);
        fault.amount = signed_amount(kSkewMin, kSkewMax, rng_);
        break;
      case FaultKind::kJump:
        fault.target = random_node(nodes_, rng_);
        fault.amount = signed_amount(kJumpMin, kJumpMax, rng_);
        break;
      case FaultKind::kPause:
      case FaultKind::kRestart:
      case FaultKind::kResume:
        fault.target = random_node(nodes_, rng_);
        break;
      case FaultKind::kHeal:
        break;
    }
    return fault;
  }

  const Scenario& scenario_;
  Rng& rng_;
  const std::uint32_t nodes_;
  std::vector<std::size_t> scheduled_order_;  // indices into scenario_.faults, by time
  std::size_t next_scheduled_ = 0;
  std::size_t nemesis_drawn_ = 0;
  std::uint32_t undo_groups_ = 0;  // the last undo group handed out
  std::vector<Entry> entries_;
};

std::string describe_target(const NodeSelector& target, std::uint32_t nodes) {
  switch (target.kind) {
    case NodeSelector::Kind::kNode:
      return actor_name(target.node, nodes);
    case NodeSelector::Kind::kRole:
      return target.role;
    case NodeSelector::Kind::kRandom:
      return "random";
    case NodeSelector::Kind::kAll:
      return "all";
  }
  return "?";
}

// Timeline times read best in one unit, so a time is seconds with only the decimals it needs
// ("10s", "14.5s", "9.999s"), never the mixed units of format_duration.
std::string describe_time(Time at) {
  const std::int64_t ns = at.count();
  const std::int64_t abs_ns = ns < 0 ? -ns : ns;
  std::string text = (ns < 0 ? "-" : "") + std::to_string(abs_ns / kSecond.count());
  std::string fraction = std::to_string(abs_ns % kSecond.count());
  fraction.insert(0, 9 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) text += "." + fraction;
  return text + "s";
}

std::string describe_amount(Duration amount) {
  return (amount > Duration{0} ? "+" : "") + format_duration(amount);
}

std::string describe_action(const FaultSpec& fault, std::uint32_t nodes) {
  const std::string kind(fault_kind_name(fault.kind));
  switch (fault.kind) {
    case FaultKind::kPartition:
      if (fault.shape == PartitionShape::kGroups) {
        return kind + " " + describe_groups(fault.groups, nodes);
      }
      if (fault.shape == PartitionShape::kIsolateRole) return kind + " isolate " + fault.role;
      return kind + " " + std::string(partition_shape_name(fault.shape));
    case FaultKind::kCut:
      return kind + " " + describe_groups({fault.from}, nodes) + " -> " +
             describe_groups({fault.to}, nodes);
    case FaultKind::kHeal:
      return kind;
    case FaultKind::kSkew:
    case FaultKind::kJump:
      return kind + " " + describe_target(fault.target, nodes) + " " +
             describe_amount(fault.amount);
    case FaultKind::kCrash:
    case FaultKind::kRestart:
    case FaultKind::kPause:
    case FaultKind::kResume:
      return kind + " " + describe_target(fault.target, nodes);
  }
  return kind;
}

}  // namespace

std::vector<FaultSpec> compile_timeline(const Scenario& scenario, Rng& rng) {
  return TimelineBuilder(scenario, rng).build();
}

std::string describe_fault(const FaultSpec& fault, std::uint32_t nodes) {
  return describe_time(fault.at) + " " + describe_action(fault, nodes);
}

}  // namespace capsim
