#include "sim/check/convergence.h"

#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/scenario.h"

namespace capsim {
namespace {

struct Difference {
  std::optional<std::string> key;  // none: a digest could not be read
  std::optional<std::string> reference_value;
  std::optional<std::string> value;
};

// The first key, in key order, on which two different digests disagree.
Difference first_difference(const std::string& reference, const std::string& other) {
  const auto a = digest_entries(reference);
  const auto b = digest_entries(other);
  if (!a || !b) return Difference{};
  auto ia = a->begin();
  auto ib = b->begin();
  while (ia != a->end() || ib != b->end()) {
    if (ib == b->end() || (ia != a->end() && ia->first < ib->first)) {
      return Difference{ia->first, ia->second, std::nullopt};
    }
    if (ia == a->end() || ib->first < ia->first) {
      return Difference{ib->first, std::nullopt, ib->second};
    }
    if (ia->second != ib->second) return Difference{ia->first, ia->second, ib->second};
    ++ia;
    ++ib;
  }
  return Difference{};  // equal maps from different texts: fall back to the whole digests
}

std::string holding(const std::string& node, const std::string& key,
                    const std::optional<std::string>& value) {
  return node + (value ? " has " + key + "=" + *value : " has no " + key);
}

std::string describe(const std::string& node, const std::string& reference_node,
                     const std::string& digest, const std::string& reference_digest,
                     const Difference& difference) {
  if (!difference.key) {
    return node + "'s state \"" + digest + "\" differs from " + reference_node + "'s \"" +
           reference_digest + "\".";
  }
  const std::string& key = *difference.key;
  return node + " differs from " + reference_node + " on " + key + ": " +
         holding(reference_node, key, difference.reference_value) + ", " +
         holding(node, key, difference.value) + ".";
}

nlohmann::json optional_json(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json();
}

void apply_live_rule(CheckResult& result, std::size_t live, const std::string& why) {
  apply_evidence_rule(result, live, kMinimumLiveReplicas, "live replicas", why);
}

}  // namespace

CheckResult check_convergence(const std::vector<std::string>& final_digests,
                              const std::vector<bool>& up_at_end, std::uint32_t nodes) {
  CheckResult result;
  result.check = "convergence";
  std::vector<std::uint32_t> live;
  nlohmann::json live_json = nlohmann::json::array();
  nlohmann::json down_json = nlohmann::json::array();
  for (std::uint32_t i = 0; i < nodes; ++i) {
    const bool up = i < up_at_end.size() && up_at_end[i] && i < final_digests.size();
    if (up) live.push_back(i);
    (up ? live_json : down_json).push_back(actor_name(i, nodes));
  }
  result.metrics["live_nodes"] = static_cast<double>(live.size());
  if (live.size() < kMinimumLiveReplicas) {
    result.verdict = CheckVerdict::kNotApplicable;
    result.details_json = nlohmann::json{{"live", live_json}, {"down", down_json}}.dump();
    apply_live_rule(result, live.size(),
                    "Only " + std::to_string(live.size()) + " of " + std::to_string(nodes) +
                        " replicas " + (live.size() == 1 ? "was" : "were") +
                        " live at the end: convergence needs at least two to compare.");
    return result;
  }

  // The reference: the digest most live replicas hold; a tie goes to the lowest node, which
  // is the first to reach the highest count as the nodes are visited in order.
  std::map<std::string, std::size_t> holders;
  for (std::uint32_t i : live) ++holders[final_digests[i]];
  std::uint32_t reference = live.front();
  for (std::uint32_t i : live) {
    if (holders[final_digests[i]] > holders[final_digests[reference]]) reference = i;
  }
  const std::string& reference_digest = final_digests[reference];
  const std::string reference_name = actor_name(reference, nodes);

  std::vector<std::string> divergent_names;
  std::vector<std::string> lines;
  nlohmann::json divergent_json = nlohmann::json::array();
  for (std::uint32_t i : live) {
    if (final_digests[i] == reference_digest) continue;
    const std::string name = actor_name(i, nodes);
    const Difference difference = first_difference(reference_digest, final_digests[i]);
    divergent_names.push_back(name);
    lines.push_back(describe(name, reference_name, final_digests[i], reference_digest, difference));
    divergent_json.push_back({{"node", name},
                              {"key", optional_json(difference.key)},
                              {"reference_value", optional_json(difference.reference_value)},
                              {"value", optional_json(difference.value)}});
  }
  result.metrics["divergent_nodes"] = static_cast<double>(divergent_names.size());
  result.metrics["distinct_states"] = static_cast<double>(holders.size());
  const nlohmann::json details = {{"live", live_json},
                                  {"down", down_json},
                                  {"reference", reference_name},
                                  {"divergent", divergent_json}};
  result.details_json = details.dump();
  apply_live_rule(result, live.size(), "");
  if (divergent_names.empty()) {
    result.verdict = CheckVerdict::kPass;
    return result;
  }
  result.verdict = CheckVerdict::kFail;
  std::string names;
  for (std::size_t i = 0; i < divergent_names.size(); ++i) {
    names +=
        (i == 0 ? "" : (i + 1 == divergent_names.size() ? " and " : ", ")) + divergent_names[i];
  }
  const std::size_t agreeing = live.size() - divergent_names.size();
  result.explanation.push_back(
      std::to_string(divergent_names.size()) + " of " + std::to_string(live.size()) +
      " live replicas did not converge: " + names + " ended with a state different from " +
      reference_name + "'s (held by " + std::to_string(agreeing) + " of " +
      std::to_string(live.size()) + ").");
  result.explanation.insert(result.explanation.end(), lines.begin(), lines.end());
  return result;
}

}  // namespace capsim
