#include "nodes/register_protocols.h"

namespace capsim {

void register_protocols(ProtocolRegistry& registry) {
  (void)registry;
}

}  // namespace capsim
