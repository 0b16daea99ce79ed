#include "tools/commands/list.h"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <system_error>
#include <vector>

#include "nodes/register_protocols.h"
#include "sim/check/scenario_checks.h"
#include "sim/distribution.h"
#include "sim/scenario.h"
#include "sim/scenario_loader.h"

namespace capsim::tools {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (it->is_regular_file(ec) && (path.extension() == ".yaml" || path.extension() == ".yml")) {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A path the user can paste after `capsim run` from here: relative to the working folder
// ("scenarios/cap/x.yaml", "../capsim/scenarios/cap/x.yaml"), else as found.
std::string display_path(const fs::path& path) {
  if (path.is_relative()) return path.generic_string();
  std::error_code ec;
  const fs::path relative = fs::relative(path, fs::current_path(ec), ec);
  if (ec || relative.empty()) return path.generic_string();
  return relative.generic_string();
}

std::string first_error(const Diagnostics& diagnostics) {
  if (diagnostics.empty()) return "unknown error";
  const Diagnostic& first = diagnostics.errors().front();
  if (first.pos.line == 0) return first.message;
  return std::to_string(first.pos.line) + ":" + std::to_string(first.pos.column) + ": " +
         first.message;
}

void print_rows(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

void list_scenarios(const fs::path& dir, const ProtocolRegistry& registry, std::ostream& out) {
  out << "scenarios (" << display_path(dir) << ")\n";
  std::vector<std::vector<std::string>> rows;
  for (const fs::path& file : scenario_files(dir)) {
    const LoadResult loaded = load_scenario_file(file.string(), registry, {});
    if (loaded.scenario && loaded.diagnostics.empty()) {
      rows.push_back({display_path(file), loaded.scenario->name,
                      first_sentence(loaded.scenario->description)});
    } else {
      rows.push_back(
          {display_path(file), "", "(does not load: " + first_error(loaded.diagnostics) + ")"});
    }
  }
  if (rows.empty()) out << "  (none)\n";
  print_rows(out, rows, "  ");
}

void list_protocols(const ProtocolRegistry& registry, std::ostream& out) {
  out << "\nprotocols (cluster.protocol, options under cluster.options)\n";
  for (const auto& [name, info] : registry.all()) {
    out << "  " << name << "  " << info.summary << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const OptionSpec& option : info.options) {
      rows.push_back({option.name, describe_option_type(option), "default " + option.default_text,
                      option.help});
    }
    print_rows(out, rows, "      ");
  }
}

void list_names(std::ostream& out, const std::string& title,
                const std::vector<std::string>& names) {
  out << "\n" << title << "\n  ";
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << names[i];
  out << "\n";
}

}  // namespace

std::string default_scenarios_dir() { return std::string(CAPSIM_SOURCE_DIR) + "/scenarios"; }

std::string first_sentence(const std::string& description, std::size_t max_chars) {
  std::string text;
  for (char c : description) {
    const char flat = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    if (flat == ' ' && (text.empty() || text.back() == ' ')) continue;
    text.push_back(flat);
    if (text.size() >= 2 && text[text.size() - 2] == '.' && flat == ' ') {
      text.pop_back();
      break;
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.size() > max_chars) text = text.substr(0, max_chars - 3) + "...";
  return text;
}

int list_command(const ListOptions& options, std::ostream& out, std::ostream& err) {
  const fs::path dir =
      options.dir.empty() ? fs::path(default_scenarios_dir()) : fs::path(options.dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    err << "capsim list: error: " << dir.string() << " is not a folder\n";
    return 2;
  }
  ProtocolRegistry registry;
  register_protocols(registry);
  list_scenarios(dir, registry, out);
  list_protocols(registry, out);
  out << "\nworkloads (workload.name)\n";
  std::vector<std::vector<std::string>> rows;
  for (const WorkloadInfo& workload : known_workloads()) {
    std::string operations;
    for (const std::string& f : workload.operations)
      operations += (operations.empty() ? "" : ", ") + f;
    rows.push_back({workload.name, "operations: " + operations});
  }
  print_rows(out, rows, "  ");
  out << "\nchecks (checks: and expect:; the main metric is what {min, max} bounds)\n";
  std::vector<std::vector<std::string>> checks;
  for (const CheckInfo& check : check_catalog()) {
    std::string line(check.summary);
    if (!check.main_metric.empty()) line += " (main metric " + std::string(check.main_metric) + ")";
    checks.push_back({std::string(check.name), line});
  }
  print_rows(out, checks, "  ");
  list_names(out, "fault kinds", fault_kind_names());
  list_names(out, "partition shapes", partition_shape_names());
  list_names(out, "latency distributions (network.delay.distribution)", delay_shape_names());
  return 0;
}

}  // namespace capsim::tools
