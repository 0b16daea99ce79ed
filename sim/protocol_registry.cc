#include "sim/protocol_registry.h"

#include "sim/assert.h"

namespace capsim {

void ProtocolRegistry::add(ProtocolInfo info) {
  CAPSIM_ASSERT(protocols_.find(info.name) == protocols_.end());
  std::string name = info.name;
  protocols_.emplace(std::move(name), std::move(info));
}

const ProtocolInfo* ProtocolRegistry::find(const std::string& name) const {
  auto it = protocols_.find(name);
  return it == protocols_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProtocolRegistry::names() const {
  std::vector<std::string> result;
  for (const auto& [name, info] : protocols_) result.push_back(name);
  return result;
}

Options default_options(const ProtocolInfo& info) {
  Options options;
  for (const auto& spec : info.options) {
    OptionValue value;
    std::string error;
    // A default that does not parse is a bug in the protocol's declaration.
    const bool ok = parse_option_value(spec, spec.default_text, value, error);
    CAPSIM_ASSERT(ok);
    options.set(spec.name, std::move(value));
  }
  return options;
}

}  // namespace capsim
