#include "nodes/kv/quorum/options.h"

#include <string>

namespace capsim::quorum {

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs;
  specs.push_back(integer_option_spec("n", "3",
                                      "replicas of each key: the first n nodes clockwise from "
                                      "the key on the hash ring (at most the cluster size)",
                                      1, 10'000));
  specs.push_back(
      integer_option_spec("r", "2", "replica replies a read waits for (at most n)", 1, 10'000));
  specs.push_back(integer_option_spec(
      "w", "2", "replica acknowledgements a write waits for (at most n)", 1, 10'000));
  specs.push_back(
      option_spec("sloppy", OptionType::kBool, "false",
                  "when a replica does not answer within replica_timeout, use the next node "
                  "on the ring instead; it keeps a hint and hands the value off later"));
  specs.push_back(
      option_spec("read_repair", OptionType::kBool, "false",
                  "after a read, send the newest versions to replicas that answered with "
                  "older ones"));
  specs.push_back(
      option_spec("anti_entropy", OptionType::kDuration, "0s",
                  "interval at which each node compares its keys with one peer and both "
                  "exchange what the other lacks; 0s = off"));
  specs.back().periodic = true;
  specs.push_back(option_spec("conflict", OptionType::kChoice, "lww",
                              "lww: the version with the latest coordinator clock wins; siblings: "
                              "dotted vector clocks keep concurrent versions, merged on read"));
  specs.back().choices = {"lww", "siblings"};
  specs.push_back(option_spec("read_writeback", OptionType::kBool, "false",
                              "a read writes the value it returns to w replicas before answering "
                              "(ABD): linearizable registers when r + w > n"));
  specs.push_back(
      option_spec("request_timeout", OptionType::kDuration, "300ms",
                  "a coordinator gives up on a quorum after this: a read fails, a write "
                  "that may have reached a replica gets no answer"));
  specs.push_back(
      option_spec("replica_timeout", OptionType::kDuration, "50ms",
                  "a replica silent this long is suspected down (for hint_interval); with "
                  "sloppy the coordinator then turns to a fallback"));
  specs.push_back(
      option_spec("hint_interval", OptionType::kDuration, "500ms",
                  "how often a fallback tries to hand hints off to their intended replica"));
  specs.back().periodic = true;
  specs.push_back(
      integer_option_spec("vnodes", "16", "points each node owns on the hash ring", 1, 1024));
  return specs;
}

void validate_options(const Options& options, std::uint32_t cluster_size,
                      Diagnostics& diagnostics) {
  const auto value = [&](const char* name) { return options.integer(name); };
  if (options.has("n") && value("n") > static_cast<std::int64_t>(cluster_size)) {
    diagnostics.error(options.position("n"),
                      "n is " + std::to_string(value("n")) + " but the cluster has only " +
                          std::to_string(cluster_size) + " nodes (expected 1.." +
                          std::to_string(cluster_size) + ")");
  }
  for (const char* name : {"r", "w"}) {
    if (options.has(name) && options.has("n") && value(name) > value("n")) {
      diagnostics.error(options.position(name),
                        std::string(name) + " is " + std::to_string(value(name)) +
                            " but n is " + std::to_string(value("n")) +
                            " (expected 1..n: a quorum cannot exceed the replicas)");
    }
  }
  require_positive_durations(options, {"request_timeout", "replica_timeout", "hint_interval"},
                             diagnostics);
  if (options.has("anti_entropy") && options.duration("anti_entropy") < Duration{0}) {
    diagnostics.error(options.position("anti_entropy"),
                      "anti_entropy must be 0s (off) or longer");
  }
  if (options.has("replica_timeout") && options.has("request_timeout") &&
      options.duration("replica_timeout") >= options.duration("request_timeout")) {
    diagnostics.error(options.position("replica_timeout"),
                      "replica_timeout must be shorter than request_timeout (" +
                          format_option_value(options.duration("request_timeout")) + ")");
  }
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  config.cluster_size = cluster_size;
  config.n = static_cast<std::uint32_t>(options.integer("n"));
  config.r = static_cast<std::uint32_t>(options.integer("r"));
  config.w = static_cast<std::uint32_t>(options.integer("w"));
  config.sloppy = options.flag("sloppy");
  config.read_repair = options.flag("read_repair");
  config.anti_entropy = options.duration("anti_entropy");
  config.conflict = options.choice("conflict") == "siblings" ? ConflictMode::kSiblings
                                                             : ConflictMode::kLww;
  config.read_writeback = options.flag("read_writeback");
  config.request_timeout = options.duration("request_timeout");
  config.replica_timeout = options.duration("replica_timeout");
  config.hint_interval = options.duration("hint_interval");
  config.vnodes = static_cast<std::uint32_t>(options.integer("vnodes"));
  return config;
}

}  // namespace capsim::quorum
