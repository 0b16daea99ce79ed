#include "nodes/kv/crdt/options.h"

#include <string>

namespace capsim::crdt {

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs;
  specs.push_back(option_spec("gossip_interval", OptionType::kDuration, "100ms",
                              "how often each replica sends its whole state to `fanout` peers"));
  specs.back().periodic = true;
  // A cluster has at most 10000 nodes, so at most 9999 peers.
  specs.push_back(integer_option_spec(
      "fanout", "1", "peers chosen at random for each gossip round (1..nodes-1)", 1, 9'999));
  specs.push_back(option_spec("counter", OptionType::kChoice, "pn",
                              "pn: counters take increments of any sign (PN-counter); g: grow-only "
                              "(G-counter), a negative increment fails"));
  specs.back().choices = {"pn", "g"};
  specs.push_back(
      option_spec("sync_disk", OptionType::kBool, "true",
                  "sync each update to disk before acknowledging it; false lets a crash "
                  "lose acknowledged updates that no peer received yet"));
  return specs;
}

void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics) {
  const std::int64_t peers = cluster_size == 0 ? 0 : static_cast<std::int64_t>(cluster_size) - 1;
  // A single replica has nobody to gossip with; any fanout is then harmless.
  if (peers > 0 && options.has("fanout") && options.integer("fanout") > peers) {
    diagnostics.error(options.position("fanout"),
                      "fanout is " + std::to_string(options.integer("fanout")) + " but " +
                          std::to_string(cluster_size) + " nodes have only " +
                          std::to_string(peers) + " peers each (expected 1.." +
                          std::to_string(peers) + ")");
  }
  require_positive_durations(options, {"gossip_interval"}, diagnostics);
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  config.cluster_size = cluster_size;
  config.gossip_interval = options.duration("gossip_interval");
  config.fanout = static_cast<std::uint32_t>(options.integer("fanout"));
  config.counter = options.choice("counter") == "g" ? CounterKind::kG : CounterKind::kPn;
  config.sync_disk = options.flag("sync_disk");
  return config;
}

}  // namespace capsim::crdt
