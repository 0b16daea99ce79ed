// Convergence per key, for protocols that place each key on some nodes only (a hash ring's
// preference list): whole-node digests differ there by design, but the replicas of one key
// must end with the same entry for it.
#include <algorithm>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/check/convergence.h"
#include "sim/scenario.h"

namespace capsim {
namespace {

// How many divergent keys (and keys not judged) the explanation and the details name.
constexpr std::size_t kKeysInWords = 10;
constexpr std::size_t kKeysInDetails = 100;

using Entries = std::map<std::string, std::string>;

std::string name_list(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : (i + 1 == names.size() ? " and " : ", ")) + names[i];
  }
  return text;
}

// One key's replicas at the end: who was live, and what each live one held.
struct KeyState {
  std::vector<std::string> replicas;  // every replica, live or not, in id order
  std::vector<std::string> down;      // of those, the ones down at the end
  std::vector<std::string> live;
  std::vector<NodeId> live_ids;                    // the same, as ids
  std::vector<std::optional<std::string>> values;  // per live replica; none: it lacks the key
};

// "k2 on its replicas n1, n3 and n4: n1 and n3 have k2=7, n4 has no k2."
std::string describe_key(const std::string& key, const KeyState& state) {
  // Group the live replicas by what they hold, the most common value first (ties: the value of
  // the lowest-numbered replica), so the sentence reads as the majority against the rest.
  std::vector<std::pair<std::optional<std::string>, std::vector<std::string>>> groups;
  for (std::size_t i = 0; i < state.live.size(); ++i) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return group.first == state.values[i]; });
    if (it == groups.end()) {
      groups.push_back({state.values[i], {}});
      it = groups.end() - 1;
    }
    it->second.push_back(state.live[i]);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.second.size() > b.second.size();
  });
  std::string text = key + " on its replicas " + name_list(state.replicas);
  if (!state.down.empty()) text += " (" + name_list(state.down) + " down)";
  text += ": ";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& [value, holders] = groups[g];
    const bool one = holders.size() == 1;
    text += (g == 0 ? "" : ", ") + name_list(holders) + (one ? " has " : " have ") +
            (value ? key + "=" + *value : "no " + key);
  }
  return text + ".";
}

// Why a key was not judged, or none when it can be.
std::optional<std::string> not_judged_reason(const KeyState& state) {
  if (state.replicas.empty()) return "no node is its replica";
  if (state.live.size() < kMinimumLiveReplicas) {
    return (state.live.empty() ? "none" : "only " + name_list(state.live)) + " of its replicas " +
           name_list(state.replicas) + " was live at the end";
  }
  const bool held = std::any_of(state.values.begin(), state.values.end(),
                                [](const auto& value) { return value.has_value(); });
  if (!held) return "none of its live replicas holds it (never written)";
  return std::nullopt;
}

bool agrees(const KeyState& state) {
  return std::all_of(state.values.begin(), state.values.end(),
                     [&](const auto& value) { return value == state.values.front(); });
}

}  // namespace

std::optional<std::map<std::string, std::string>> digest_entries(const std::string& digest) {
  std::map<std::string, std::string> entries;
  std::size_t start = 0;
  while (start < digest.size()) {
    std::size_t stop = digest.find(';', start);
    if (stop == std::string::npos) stop = digest.size();
    const std::string entry = digest.substr(start, stop - start);
    const std::size_t equals = entry.find('=');
    if (equals == std::string::npos) return std::nullopt;
    if (!entries.emplace(entry.substr(0, equals), entry.substr(equals + 1)).second) {
      return std::nullopt;
    }
    start = stop + 1;
  }
  return entries;
}

CheckResult check_key_convergence(const std::vector<std::string>& final_digests,
                                  const std::vector<bool>& up_at_end, std::uint32_t nodes,
                                  const std::map<std::string, std::vector<NodeId>>& key_replicas) {
  CheckResult result;
  result.check = "convergence";
  std::vector<std::optional<Entries>> entries(nodes);
  nlohmann::json live_json = nlohmann::json::array();
  nlohmann::json down_json = nlohmann::json::array();
  std::size_t live_count = 0;
  for (std::uint32_t i = 0; i < nodes; ++i) {
    const bool up = i < up_at_end.size() && up_at_end[i] && i < final_digests.size();
    (up ? live_json : down_json).push_back(actor_name(i, nodes));
    if (!up) continue;
    ++live_count;
    entries[i] = digest_entries(final_digests[i]);
    if (!entries[i]) {
      result.verdict = CheckVerdict::kUnknown;
      result.metrics["live_nodes"] = static_cast<double>(live_count);
      result.explanation = {actor_name(i, nodes) + "'s state \"" + final_digests[i] +
                            "\" is not a list of key=value entries, so its keys cannot be "
                            "compared with their other replicas."};
      apply_evidence_rule(result, 0, 1, "keys on their live replicas", "");
      return result;
    }
  }
  result.metrics["live_nodes"] = static_cast<double>(live_count);

  std::size_t judged = 0;
  std::vector<std::string> divergent_keys;
  std::vector<std::string> lines;
  std::vector<bool> divergent_node(nodes, false);
  nlohmann::json divergent_json = nlohmann::json::array();
  nlohmann::json not_judged_json = nlohmann::json::object();
  std::vector<std::string> not_judged_words;
  for (const auto& [key, replicas] : key_replicas) {
    KeyState state;
    for (NodeId id : replicas) {
      if (id >= nodes) continue;
      const std::string name = actor_name(id, nodes);
      state.replicas.push_back(name);
      if (!entries[id]) {
        state.down.push_back(name);
        continue;
      }
      state.live.push_back(name);
      state.live_ids.push_back(id);
      const auto it = entries[id]->find(key);
      state.values.push_back(it == entries[id]->end() ? std::nullopt
                                                      : std::optional<std::string>(it->second));
    }
    if (const std::optional<std::string> why = not_judged_reason(state)) {
      if (not_judged_json.size() < kKeysInDetails) not_judged_json[key] = *why;
      if (not_judged_words.size() < kKeysInWords) not_judged_words.push_back(key + ": " + *why);
      continue;
    }
    ++judged;
    if (agrees(state)) continue;
    divergent_keys.push_back(key);
    if (lines.size() < kKeysInWords) lines.push_back(describe_key(key, state));
    // The replicas that differ from the key's most common value are the divergent ones.
    std::map<std::optional<std::string>, std::size_t> holders;
    for (const auto& value : state.values) ++holders[value];
    std::optional<std::string> reference = state.values.front();
    for (const auto& value : state.values) {
      if (holders[value] > holders[reference]) reference = value;
    }
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t i = 0; i < state.live.size(); ++i) {
      values[state.live[i]] = state.values[i] ? nlohmann::json(*state.values[i]) : nlohmann::json();
      if (state.values[i] != reference) divergent_node[state.live_ids[i]] = true;
    }
    if (divergent_json.size() < kKeysInDetails) {
      divergent_json.push_back({{"key", key}, {"replicas", state.replicas}, {"down", state.down},
                                {"values", values}});
    }
  }
  const auto divergent_nodes =
      static_cast<std::size_t>(std::count(divergent_node.begin(), divergent_node.end(), true));
  result.metrics["keys_judged"] = static_cast<double>(judged);
  result.metrics["divergent_keys"] = static_cast<double>(divergent_keys.size());
  result.metrics["divergent_nodes"] = static_cast<double>(divergent_nodes);
  result.details_json = nlohmann::json{{"per_key", true},
                                       {"live", live_json},
                                       {"down", down_json},
                                       {"keys_judged", judged},
                                       {"divergent", divergent_json},
                                       {"not_judged", not_judged_json}}
                            .dump();
  result.verdict = divergent_keys.empty() ? CheckVerdict::kPass : CheckVerdict::kFail;
  if (!divergent_keys.empty()) {
    std::vector<std::string> named(
        divergent_keys.begin(),
        divergent_keys.begin() +
            static_cast<std::ptrdiff_t>(std::min(divergent_keys.size(), kKeysInWords)));
    if (divergent_keys.size() > named.size()) {
      named.push_back(std::to_string(divergent_keys.size() - named.size()) + " more");
    }
    result.explanation.push_back(
        std::to_string(divergent_keys.size()) + " of " + std::to_string(judged) +
        " keys did not converge on their replicas: " + name_list(named) + ".");
    result.explanation.insert(result.explanation.end(), lines.begin(), lines.end());
  }
  std::string why;
  if (judged == 0) {
    why = "No key could be judged: a key is compared on its replicas (not on every node) and "
          "needs two of them live, one holding it";
    if (!not_judged_words.empty()) {
      why += " (";
      for (std::size_t i = 0; i < not_judged_words.size(); ++i) {
        why += (i == 0 ? "" : "; ") + not_judged_words[i];
      }
      why += key_replicas.size() > not_judged_words.size() ? "; ...)" : ")";
    }
    why += ".";
  }
  apply_evidence_rule(result, judged, 1, "keys on their live replicas", why);
  return result;
}

}  // namespace capsim
