#include "sim/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <tuple>

#include "sim/final_reads.h"
#include "sim/interval_rules.h"
#include "sim/utf8.h"
#include "sim/yaml_actors.h"
#include "sim/yaml_override.h"
#include "sim/yaml_reader.h"
#include "sim/yaml_sections.h"
#include "sim/yaml_tree.h"

namespace capsim {
namespace {

const std::vector<std::string> kTopKeys = {"version", "name",     "description", "seed",
                                           "duration", "cluster", "workload",    "network",
                                           "faults",   "nemesis", "checks",      "expect"};
constexpr std::int64_t kMaxNodes = 10'000;
constexpr std::size_t kMaxNameLength = 64;
constexpr Duration kMaxDuration = std::chrono::hours(24);

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

// The name becomes a folder under out/, so it must be safe as one on every system.
void read_name(YamlReader& reader, const YamlNode& node, std::string& out) {
  std::string name;
  if (!reader.read_scalar(node, "a name", name)) return;
  if (name.empty()) {
    reader.error(node.pos, "name cannot be empty");
  } else if (!std::all_of(name.begin(), name.end(), is_name_char)) {
    reader.error(node.pos, "name '" + name + "' may only contain letters, digits, '-' and '_'");
  } else if (name.size() > kMaxNameLength) {
    reader.error(node.pos, "name is longer than " + std::to_string(kMaxNameLength) +
                               " characters");
  } else {
    out = name;
  }
}

void read_description(YamlReader& reader, const YamlNode& node, std::string& out) {
  std::string text;
  if (!reader.read_scalar(node, "text", text)) return;
  if (is_blank_text(text)) {
    reader.error(node.pos, "description cannot be empty: say what the scenario teaches");
    return;
  }
  out = text;
}

// version, name, description, seed and duration.
void read_header(YamlReader& reader, const YamlNode& root, Scenario& scenario) {
  if (const YamlNode* version = root.find("version")) {
    std::int64_t value = 0;
    if (reader.read_integer(*version, std::numeric_limits<std::int64_t>::min(),
                            std::numeric_limits<std::int64_t>::max(), value) && value != 1) {
      reader.error(version->pos, "unsupported version " + version->text +
                                     " (this capsim reads version 1)");
    }
  }
  if (const YamlNode* name = reader.require(root, "name")) read_name(reader, *name, scenario.name);
  if (const YamlNode* description = reader.require(root, "description")) {
    read_description(reader, *description, scenario.description);
  }
  scenario.seed = 1;
  if (const YamlNode* seed = root.find("seed")) reader.read_seed(*seed, scenario.seed);
}

std::optional<Duration> read_run_duration(YamlReader& reader, const YamlNode& root) {
  const YamlNode* node = reader.require(root, "duration");
  Duration duration{0};
  if (node == nullptr || !reader.read_positive_duration(*node, "duration", duration)) {
    return std::nullopt;
  }
  if (duration > kMaxDuration) {
    reader.error(node->pos, "duration must be at most 24h, got " + node->text);
    return std::nullopt;
  }
  return duration;
}

// Starts from the protocol's defaults and applies each written option. Returns false when
// any option was wrong, so that cross-option checks do not run on half-read values.
bool read_options(YamlReader& reader, const YamlNode& node, const ProtocolInfo& info,
                  Options& out) {
  if (!reader.expect_map(node)) return false;
  std::vector<std::string> names;
  for (const auto& spec : info.options) names.push_back(spec.name);
  bool ok = true;
  for (const auto& entry : node.entries) {
    const auto spec = std::find_if(info.options.begin(), info.options.end(),
                                   [&](const OptionSpec& s) { return s.name == entry.key; });
    if (spec == info.options.end()) {
      reader.error(entry.key_pos,
                   names.empty() ? "protocol '" + info.name + "' takes no options"
                                 : unknown_word_message(info.name + " option", entry.key, names));
      ok = false;
      continue;
    }
    std::string text;
    OptionValue value;
    std::string message;
    if (spec->type == OptionType::kNames && entry.value.is_list()) {
      // A list of names is kept joined by commas (options.h); each item must be a scalar.
      bool items_ok = true;
      for (const YamlNode& item : entry.value.items) {
        std::string name;
        if (!reader.read_scalar(item, "a name", name)) {
          items_ok = false;
        } else if (name.find(',') != std::string::npos) {
          reader.error(item.pos, "a name cannot contain ','");
          items_ok = false;
        } else {
          text += (text.empty() && &item == &entry.value.items.front() ? "" : ",") + name;
        }
      }
      if (!items_ok) {
        ok = false;
      } else if (!parse_option_value(*spec, text, value, message)) {
        reader.error(entry.value.pos, message);
        ok = false;
      } else {
        out.set(spec->name, std::move(value), entry.value.pos);
      }
      continue;
    }
    if (!reader.read_scalar(entry.value, describe_option_type(*spec), text)) {
      ok = false;
    } else if ((spec->type == OptionType::kInteger &&
                !reader.expect_unquoted(entry.value, "a number")) ||
               (spec->type == OptionType::kBool &&
                !reader.expect_unquoted(entry.value, "true or false"))) {
      ok = false;
    } else if (!parse_option_value(*spec, text, value, message)) {
      reader.error(entry.value.pos, message);
      ok = false;
    } else {
      out.set(spec->name, std::move(value), entry.value.pos);
    }
  }
  return ok;
}

// `cluster`; returns the node count when it is valid. `options_ok` says whether the protocol
// is known and every option it was given was read.
std::optional<std::uint32_t> read_cluster(YamlReader& reader, const YamlNode& node,
                                          const ProtocolRegistry& registry, ClusterSpec& out,
                                          bool& options_ok) {
  options_ok = false;
  if (!reader.expect_map(node)) return std::nullopt;
  reader.check_keys(node, {"nodes", "protocol", "options"});
  std::optional<std::uint32_t> nodes;
  if (const YamlNode* count = reader.require(node, "nodes")) {
    std::int64_t value = 0;
    if (reader.read_integer(*count, 1, kMaxNodes, value)) {
      nodes = static_cast<std::uint32_t>(value);
      out.nodes = *nodes;
    }
  }
  const ProtocolInfo* info = nullptr;
  if (const YamlNode* protocol = reader.require(node, "protocol")) {
    std::string name;
    if (reader.read_scalar(*protocol, "a protocol name", name)) {
      info = registry.find(name);
      if (info == nullptr) {
        reader.error(protocol->pos, unknown_word_message("protocol", name, registry.names()));
      } else {
        out.protocol = name;
      }
    }
  }
  const YamlNode* options = node.find("options");
  if (info == nullptr) {
    // Without the protocol's declaration the options cannot be checked; their shape can.
    if (options != nullptr) reader.expect_map(*options);
    return nodes;
  }
  out.options = default_options(*info);
  options_ok = options == nullptr || read_options(reader, *options, *info, out.options);
  if (options_ok && nodes && info->validate) {
    info->validate(out.options, *nodes, reader.diagnostics());
  }
  return nodes;
}

// Every periodic option of the protocol against the network's latency (sim/interval_rules.h).
// A default that breaks the rule (on a very slow network) is named as one, with the key to set.
void check_periodic_options(YamlReader& reader, const ProtocolInfo& info,
                            const Scenario& scenario) {
  const Options& options = scenario.cluster.options;
  const std::string least = format_duration(shortest_interval(scenario.network));
  for (const OptionSpec& spec : info.options) {
    if (!spec.periodic || !options.has(spec.name)) continue;
    const Duration value = options.duration(spec.name);
    const std::string why = interval_too_short(value, scenario.network);
    if (why.empty()) continue;
    const SourcePos pos = options.position(spec.name);
    const std::string rule = " (" + std::string(kIntervalRule) + ")";
    const std::string what = spec.name + " " + format_duration(value) + " " + why;
    if (pos.written()) {
      reader.error(pos, what + "; use at least " + least + rule);
    } else {
      reader.error(pos, info.name + "'s default " + what + "; set cluster.options." + spec.name +
                            " to at least " + least + rule);
    }
  }
}

// nemesis.interval against the network's latency, then the number of faults it could draw.
void check_nemesis_interval(YamlReader& reader, const YamlNode& node, const Scenario& scenario) {
  const NemesisSpec& nemesis = *scenario.nemesis;
  const YamlNode* interval = node.find("interval");
  const SourcePos pos = interval != nullptr ? interval->pos : node.pos;
  const std::string what =
      (interval != nullptr ? "interval " : "the default interval ") + format_duration(nemesis.interval);
  if (const std::string why = interval_too_short(nemesis.interval, scenario.network);
      !why.empty()) {
    reader.error(pos, what + " " + why + "; use at least " +
                          format_duration(shortest_interval(scenario.network)) + " (" +
                          std::string(kIntervalRule) + ")");
    return;
  }
  const std::uint64_t most = nemesis_faults_at_most(nemesis, scenario.duration);
  if (most <= kMaxNemesisFaults) return;
  reader.error(pos, what + " lets the nemesis draw up to " + std::to_string(most) +
                        " faults (one every interval/2 at most), more than the " +
                        std::to_string(kMaxNemesisFaults) + " a run may hold; use at least " +
                        format_duration(shortest_nemesis_interval(nemesis, scenario.duration)));
}

// Final reads depend on the workload, the faults and the nemesis: judged only once every
// section read without error, so a problem is not reported twice.
void check_final_reads(YamlReader& reader, const YamlNode& root, const Scenario& scenario) {
  if (!reader.diagnostics().empty()) return;
  const YamlNode* workload = root.find("workload");
  const YamlNode* final_reads = workload != nullptr ? workload->find("final_reads") : nullptr;
  const SourcePos where = final_reads != nullptr ? final_reads->pos : SourcePos{};
  for (Diagnostic& problem : final_reads_problems(scenario, where)) {
    reader.error(problem.pos, std::move(problem.message));
  }
}

void build_scenario(const YamlNode& root, const ProtocolRegistry& registry, YamlReader& reader,
                    Scenario& scenario) {
  reader.check_keys(root, kTopKeys);
  read_header(reader, root, scenario);
  SectionContext context{reader, {}, read_run_duration(reader, root)};
  if (context.duration) scenario.duration = *context.duration;
  bool options_ok = false;
  if (const YamlNode* cluster = reader.require(root, "cluster")) {
    context.counts.nodes = read_cluster(reader, *cluster, registry, scenario.cluster, options_ok);
  }
  if (const YamlNode* workload = root.find("workload")) {
    const std::size_t errors_before = reader.diagnostics().size();
    read_workload(reader, *workload, context.counts, scenario.workload);
    if (context.duration) check_quiet(reader, *workload, *context.duration, scenario.workload);
    if (options_ok && reader.diagnostics().size() == errors_before) {
      check_workload_family(reader, *workload, *registry.find(scenario.cluster.protocol),
                            scenario);
    }
  } else {
    scenario.workload.clients = 0;
    context.counts.clients = 0;
  }
  // Intervals are judged against the network only when it read without error.
  const std::size_t errors_before_network = reader.diagnostics().size();
  if (const YamlNode* network = root.find("network")) {
    read_network(*network, context, scenario.network);
  }
  const bool network_ok = reader.diagnostics().size() == errors_before_network;
  if (options_ok && network_ok) {
    check_periodic_options(reader, *registry.find(scenario.cluster.protocol), scenario);
  }
  if (const YamlNode* faults = root.find("faults")) read_faults(*faults, context, scenario.faults);
  if (const YamlNode* nemesis = root.find("nemesis")) {
    NemesisSpec spec;
    const std::size_t errors_before = reader.diagnostics().size();
    read_nemesis(*nemesis, context, spec);
    scenario.nemesis = std::move(spec);
    if (network_ok && context.duration && reader.diagnostics().size() == errors_before) {
      check_nemesis_interval(reader, *nemesis, scenario);
    }
  }
  if (scenario.workload.final_reads) check_final_reads(reader, root, scenario);
  if (const YamlNode* checks = root.find("checks")) read_checks(*checks, context, scenario.checks);
  if (const YamlNode* expect = root.find("expect")) {
    read_expect(*expect, context, scenario.expectations);
  }
}

// Whole-file problems first, then file positions in order, then --set origins as given.
void copy_sorted(const Diagnostics& from, Diagnostics& to) {
  std::vector<Diagnostic> errors = from.errors();
  const auto rank = [](const Diagnostic& d) {
    const int group = !d.pos.origin.empty() ? 2 : (d.pos.line == 0 ? 0 : 1);
    return std::tuple(group, group == 1 ? d.pos.line : 0, group == 1 ? d.pos.column : 0);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  for (auto& error : errors) to.error(error.pos, std::move(error.message));
}

void load_into(std::string_view text, const std::string& display_path,
               const ProtocolRegistry& registry, const std::vector<std::string>& overrides,
               Diagnostics& diagnostics, std::optional<Scenario>& result) {
  if (!check_yaml_bytes(text, diagnostics)) return;
  std::optional<YamlNode> root = parse_yaml_tree(text, diagnostics);
  if (!root) return;
  if (root->is_null()) {
    diagnostics.error({}, "the scenario is empty");
    return;
  }
  if (!root->is_map()) {
    diagnostics.error(root->pos, "expected a map of keys such as name, duration and cluster at "
                                 "the top level, got " + describe_yaml(*root));
    return;
  }
  for (const auto& text_override : overrides) {
    apply_yaml_override(*root, text_override, diagnostics);
  }
  YamlReader reader(diagnostics);
  Scenario scenario;
  scenario.path = display_path;
  build_scenario(*root, registry, reader, scenario);
  if (diagnostics.empty()) result = std::move(scenario);
}

}  // namespace

const std::vector<WorkloadInfo>& known_workloads() {
  // Set and counter mostly write: what they teach is judged on the final reads, and every
  // set read returns the whole set.
  static const std::vector<WorkloadInfo> workloads = {
      {"kv", {"read", "write", "cas"}, {{"read", 50}, {"write", 50}}},
      {"set", {"add", "read"}, {{"add", 90}, {"read", 10}}},
      {"counter", {"increment", "read"}, {{"increment", 90}, {"read", 10}}},
      // Producers send, consumers receive, process (effect) and ack; no mix.
      {"queue", {"send", "receive", "effect", "ack"}, {}},
  };
  return workloads;
}

LoadResult load_scenario_text(std::string_view text, const std::string& display_path,
                              const ProtocolRegistry& registry,
                              const std::vector<std::string>& overrides) {
  LoadResult result;
  result.diagnostics = Diagnostics(display_path);
  Diagnostics found(display_path);
  try {
    load_into(text, display_path, registry, overrides, found, result.scenario);
  } catch (const std::exception& e) {
    // Nothing below should throw; if something does (memory), it is still one message.
    found.error({}, std::string("cannot load the scenario: ") + e.what());
  }
  if (!found.empty()) result.scenario.reset();
  copy_sorted(found, result.diagnostics);
  return result;
}

LoadResult load_scenario_file(const std::string& path, const ProtocolRegistry& registry,
                              const std::vector<std::string>& overrides) {
  std::string text;
  std::string problem;
  errno = 0;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[64 * 1024];
    std::size_t count = 0;
    // One byte past the limit is enough to know the file is too large.
    while (text.size() <= YamlLimits::kMaxBytes &&
           (count = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
      text.append(buffer, count);
    }
    if (std::ferror(file)) problem = std::strerror(errno);
    std::fclose(file);
  } else {
    problem = std::strerror(errno);
  }
  if (!problem.empty()) {
    LoadResult result;
    result.diagnostics = Diagnostics(path);
    result.diagnostics.error({}, "cannot read " + path + ": " + problem);
    return result;
  }
  return load_scenario_text(text, path, registry, overrides);
}

}  // namespace capsim
