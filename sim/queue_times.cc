#include "sim/queue_times.h"

#include <algorithm>

namespace capsim {

Duration queue_consume_margin(const WorkloadSpec& workload) {
  Duration slowest{0};
  for (const DelayComponent& c : workload.queue.consume.process.components()) {
    slowest = std::max(slowest, c.latency + c.jitter);
  }
  return 3 * workload.timeout + static_cast<std::int64_t>(workload.queue.consume.batch) * slowest;
}

Duration queue_minimum_quiet(const WorkloadSpec& workload) {
  return queue_consume_margin(workload) + workload.timeout;
}

QueueTimes queue_times(const Scenario& scenario) {
  const WorkloadSpec& workload = scenario.workload;
  QueueTimes times;
  times.publish_stop = scenario.duration - workload.quiet;
  times.drain_at = scenario.duration - workload.timeout;
  times.consume_stop = std::max(times.publish_stop, times.drain_at - queue_consume_margin(workload));
  times.retry_stop = times.consume_stop;
  return times;
}

}  // namespace capsim
