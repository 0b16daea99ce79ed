#include "nodes/kv/quorum/versions.h"

#include <algorithm>
#include <map>

#include "nodes/kv/quorum/version_codec.h"
#include "sim/rng.h"

namespace capsim::quorum {

std::string Version::describe() const {
  std::string text = value.to_text() + "@" + dot.describe() + " t=" + format_seconds(stamp);
  if (!context.empty()) text += " ctx " + context.describe();
  return text;
}

bool lww_newer(const Version& a, const Version& b) {
  if (a.stamp != b.stamp) return a.stamp > b.stamp;
  return a.dot > b.dot;
}

Versions reconcile(const Versions& current, const Versions& incoming, ConflictMode mode) {
  // Union by dot first: the same dot is the same write, whichever replica it came from.
  std::map<Dot, const Version*> by_dot;
  for (const Version& v : current) by_dot.emplace(v.dot, &v);
  for (const Version& v : incoming) by_dot.emplace(v.dot, &v);
  Versions result;
  if (mode == ConflictMode::kLww) {
    const Version* best = nullptr;
    for (const auto& [dot, v] : by_dot) {
      if (best == nullptr || lww_newer(*v, *best)) best = v;
    }
    if (best != nullptr) result.push_back(*best);
    return result;
  }
  for (const auto& [dot, v] : by_dot) {
    bool superseded = false;
    for (const auto& [other_dot, other] : by_dot) {
      if (other_dot != dot && other->context.covers(dot)) {
        superseded = true;
        break;
      }
    }
    if (!superseded) result.push_back(*v);
  }
  return result;  // in dot order, since the map is
}

bool same_versions(const Versions& a, const Versions& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].dot != b[i].dot) return false;
  }
  return true;
}

Value resolve_value(const Versions& versions) {
  if (versions.empty()) return Value();
  if (versions.size() == 1) return versions.front().value;
  const bool all_sets = std::all_of(versions.begin(), versions.end(), [](const Version& v) {
    return v.value.is_list() || v.value.is_nil();
  });
  if (all_sets) {
    Value::List members;
    for (const Version& v : versions) {
      if (v.value.is_list()) members.insert(members.end(), v.value.list().begin(),
                                            v.value.list().end());
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    return Value(std::move(members));
  }
  const Version* winner = &versions.front();
  for (const Version& v : versions) {
    if (lww_newer(v, *winner)) winner = &v;
  }
  return winner->value;
}

VectorClock context_of(const Versions& versions) {
  VectorClock clock;
  for (const Version& v : versions) {
    clock.merge(v.context);
    clock.add(v.dot);
  }
  return clock;
}

std::uint64_t versions_hash(const Versions& versions) {
  return fnv1a64(encode_versions(versions));
}

std::string describe(const Versions& versions) {
  if (versions.empty()) return "none";
  if (versions.size() == 1) return versions.front().describe();
  std::string text = "{";
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i != 0) text += " | ";
    text += versions[i].describe();
  }
  return text + "}";
}

}  // namespace capsim::quorum
