// The `network` section: a default behaviour for every link, then rules for some links.
#include <string>

#include "sim/distribution.h"
#include "sim/yaml_sections.h"

namespace capsim {
namespace {

const std::vector<std::string> kNetworkKeys = {"delay", "loss", "duplicate", "reorder", "links"};
const std::vector<std::string> kDelayKeys = {"latency", "jitter", "distribution", "shape"};
const std::vector<std::string> kMixtureItemKeys = {"weight", "latency", "jitter", "distribution",
                                                   "shape"};
const std::vector<std::string> kLinkKeys = {"from",  "to",   "both",      "message", "during",
                                            "delay", "loss", "duplicate", "reorder"};
constexpr std::int64_t kMaxWeight = 1'000'000;

// A latency or jitter: a duration no longer than the longest delay a link can draw.
bool read_delay_duration(YamlReader& reader, const YamlNode& node, std::string_view key,
                         Duration& out) {
  Duration value{0};
  if (!reader.read_duration(node, value)) return false;
  if (value > DelayModel::kMaxDelay) {
    reader.error(node.pos, std::string(key) + " must be at most " +
                               format_duration(DelayModel::kMaxDelay) + ", got " + node.text);
    return false;
  }
  out = value;
  return true;
}

// The fields one delay component shares with a mixture item: latency, jitter, distribution
// and shape. Requires: `map` is a map whose keys were checked.
bool read_component(YamlReader& reader, const YamlNode& map, DelayComponent& out) {
  bool ok = true;
  if (const YamlNode* latency = reader.require(map, "latency")) {
    ok = read_delay_duration(reader, *latency, "latency", out.latency) && ok;
  } else {
    ok = false;
  }
  if (const YamlNode* jitter = map.find("jitter")) {
    ok = read_delay_duration(reader, *jitter, "jitter", out.jitter) && ok;
  }
  bool shape_known = true;
  if (const YamlNode* distribution = map.find("distribution")) {
    std::string name;
    shape_known = reader.read_scalar(*distribution, "a distribution name", name);
    if (shape_known && !parse_delay_shape(name, out.shape)) {
      reader.error(distribution->pos,
                   unknown_word_message("distribution", name, delay_shape_names()));
      shape_known = false;
    }
    ok = shape_known && ok;
  }
  if (const YamlEntry* shape = map.entry("shape")) {
    if (shape_known && out.shape != DelayShape::kPareto) {
      reader.error(shape->key_pos, "'shape' only applies to the pareto distribution");
      ok = false;
    } else {
      ok = reader.read_positive_number(shape->value, out.pareto_shape) && ok;
    }
  }
  return ok;
}

bool read_mixture(YamlReader& reader, const YamlNode& node, DelayModel& out) {
  if (!reader.expect_list(node)) return false;
  if (node.items.empty()) {
    reader.error(node.pos, "a mixture needs at least one component");
    return false;
  }
  bool ok = true;
  std::vector<DelayComponent> components;
  for (const auto& item : node.items) {
    if (!reader.expect_map(item)) {
      ok = false;
      continue;
    }
    reader.check_keys(item, kMixtureItemKeys);
    DelayComponent component;
    std::int64_t weight = 0;
    const YamlNode* weight_node = reader.require(item, "weight");
    ok = weight_node != nullptr && reader.read_integer(*weight_node, 1, kMaxWeight, weight) && ok;
    ok = read_component(reader, item, component) && ok;
    component.weight = static_cast<std::uint32_t>(weight);
    components.push_back(component);
  }
  if (ok) out = DelayModel(std::move(components));
  return ok;
}

}  // namespace

// `delay`: a bare duration (constant), a map with `latency` and friends, or a mixture.
bool read_delay(YamlReader& reader, const YamlNode& node, DelayModel& out) {
  if (node.is_scalar()) {
    DelayComponent component;
    if (!read_delay_duration(reader, node, "latency", component.latency)) return false;
    out = DelayModel(component);
    return true;
  }
  if (!node.is_map()) {
    reader.error(node.pos, "expected a duration or a map with latency, got " +
                               describe_yaml(node));
    return false;
  }
  if (const YamlNode* mixture = node.find("mixture")) {
    bool ok = true;
    for (const auto& entry : node.entries) {
      if (entry.key == "mixture") continue;
      reader.error(entry.key_pos, "'" + entry.key +
                                      "' cannot be combined with 'mixture'; give it in each "
                                      "mixture item");
      ok = false;
    }
    return read_mixture(reader, *mixture, out) && ok;
  }
  std::vector<std::string> keys = kDelayKeys;
  keys.push_back("mixture");
  reader.check_keys(node, keys);
  DelayComponent component;
  if (!read_component(reader, node, component)) return false;
  out = DelayModel(component);
  return true;
}

namespace {

void read_window(SectionContext& context, const YamlNode& node, LinkRule& rule) {
  YamlReader& reader = context.reader;
  if (!reader.expect_map(node)) return;
  reader.check_keys(node, {"from", "until"});
  Time from{0};
  const YamlNode* from_node = node.find("from");
  const YamlNode* until_node = node.find("until");
  bool from_ok = true;
  if (from_node != nullptr) {
    from_ok = reader.read_duration(*from_node, from) &&
              context.check_within_run(*from_node, "from", from);
  }
  rule.window_start = from;
  if (until_node == nullptr) return;
  Time until{0};
  if (!reader.read_duration(*until_node, until) ||
      !context.check_within_run(*until_node, "until", until)) {
    return;
  }
  if (from_ok && until <= from) {
    reader.error(until_node->pos, "until " + until_node->text + " must be after from " +
                                      format_duration(from));
    return;
  }
  rule.window_end = until;
}

void read_link_rule(SectionContext& context, const YamlNode& item, LinkRule& rule) {
  YamlReader& reader = context.reader;
  ActorReader actors(reader, context.counts);
  reader.check_keys(item, kLinkKeys);
  rule.pos = item.pos;
  if (const YamlNode* from = item.find("from")) actors.read_actors(*from, rule.from);
  if (const YamlNode* to = item.find("to")) actors.read_actors(*to, rule.to);
  if (const YamlNode* both = item.find("both")) reader.read_bool(*both, rule.both_ways);
  if (const YamlNode* message = item.find("message")) {
    if (reader.read_scalar(*message, "a message kind such as pb.replicate",
                           rule.message_kind) &&
        rule.message_kind.empty()) {
      reader.error(message->pos, "message cannot be empty");
    }
  }
  if (const YamlNode* during = item.find("during")) read_window(context, *during, rule);
  bool has_effect = false;
  if (const YamlNode* delay = item.find("delay")) {
    has_effect = true;
    DelayModel model;
    if (read_delay(reader, *delay, model)) rule.delay = model;
  }
  const std::pair<const char*, std::optional<Probability>*> chances[] = {
      {"loss", &rule.loss}, {"duplicate", &rule.duplicate}, {"reorder", &rule.reorder}};
  for (const auto& [key, field] : chances) {
    const YamlNode* node = item.find(key);
    if (node == nullptr) continue;
    has_effect = true;
    Probability value;
    if (reader.read_percent(*node, value)) *field = value;
  }
  if (!has_effect) {
    reader.error(item.pos, "a link rule needs at least one of: delay, loss, duplicate, reorder");
  }
}

}  // namespace

bool SectionContext::check_within_run(const YamlNode& node, std::string_view key, Time time) {
  if (!duration || time <= *duration) return true;
  reader.error(node.pos, std::string(key) + " " + format_duration(time) +
                             " is after the end of the scenario (" + format_duration(*duration) +
                             ")");
  return false;
}

void read_network(const YamlNode& node, SectionContext& context, NetworkSpec& out) {
  YamlReader& reader = context.reader;
  if (!reader.expect_map(node)) return;
  reader.check_keys(node, kNetworkKeys);
  if (const YamlNode* delay = node.find("delay")) read_delay(reader, *delay, out.defaults.delay);
  if (const YamlNode* loss = node.find("loss")) reader.read_percent(*loss, out.defaults.loss);
  if (const YamlNode* duplicate = node.find("duplicate")) {
    reader.read_percent(*duplicate, out.defaults.duplicate);
  }
  if (const YamlNode* reorder = node.find("reorder")) {
    reader.read_percent(*reorder, out.defaults.reorder);
  }
  const YamlNode* links = node.find("links");
  if (links == nullptr || !reader.expect_list(*links)) return;
  for (const auto& item : links->items) {
    if (!reader.expect_map(item)) continue;
    LinkRule rule;
    read_link_rule(context, item, rule);
    out.links.push_back(std::move(rule));
  }
}

}  // namespace capsim
