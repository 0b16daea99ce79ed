// Where a client's history events go (the simulator records and traces them).
#pragma once

#include "sim/history.h"
#include "sim/node.h"

namespace capsim {

class HistoryRecorder {
 public:
  virtual ~HistoryRecorder() = default;
  virtual void record(NodeId client, HistoryEvent event) = 0;
};

}  // namespace capsim
