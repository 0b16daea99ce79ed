#include "nodes/kv/raft/options.h"

#include <iterator>
#include <string>

#include "nodes/kv/raft/kv_command.h"

namespace capsim::raft {

std::vector<OptionSpec> option_specs() {
  std::vector<OptionSpec> specs = consensus_option_specs();
  for (OptionSpec& spec : specs) {
    // Here the lease serves reads, and only with read=lease.
    if (spec.name == "lease") spec.help = "read=lease: " + spec.help;
  }
  OptionSpec read = option_spec(
      "read", OptionType::kChoice, "log",
      "log: reads go through the log; read-index: confirm leadership with a heartbeat round "
      "first; lease: answer while a lease from the last round holds (trusts clocks); local: "
      "answer at once (stale after a partition)");
  read.choices = {"log", "read-index", "lease", "local"};
  // After the timing options, as `capsim list` has always shown it.
  auto heartbeat = specs.begin();
  while (heartbeat != specs.end() && heartbeat->name != "heartbeat") ++heartbeat;
  specs.insert(heartbeat == specs.end() ? heartbeat : std::next(heartbeat), std::move(read));
  return specs;
}

void validate_options(const Options& options, std::uint32_t /*cluster_size*/,
                      Diagnostics& diagnostics) {
  validate_consensus_options(options, diagnostics);
}

Config config_from(const Options& options, std::uint32_t cluster_size) {
  Config config;
  read_consensus_options(options, cluster_size, config);
  config.disk_prefix = "raft/";
  config.describe_command = describe_kv_command;
  const std::string& read = options.choice("read");
  config.read = read == "read-index" ? ReadMode::kReadIndex
                : read == "lease"    ? ReadMode::kLease
                : read == "local"    ? ReadMode::kLocal
                                     : ReadMode::kLog;
  return config;
}

std::string_view read_mode_name(ReadMode mode) {
  switch (mode) {
    case ReadMode::kLog: return "log";
    case ReadMode::kReadIndex: return "read-index";
    case ReadMode::kLease: return "lease";
    case ReadMode::kLocal: return "local";
  }
  return "log";
}

}  // namespace capsim::raft
