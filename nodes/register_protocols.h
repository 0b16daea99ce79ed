// Fills a registry with every protocol in nodes/. The tools call this once at startup.
#pragma once

#include "sim/protocol_registry.h"

namespace capsim {

void register_protocols(ProtocolRegistry& registry);

}  // namespace capsim
