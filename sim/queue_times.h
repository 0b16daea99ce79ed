// When each phase of a queue workload ends (workload `queue`, sim/scenario.h).
//
//   0 .. publish_stop      producers publish new messages (Poisson, `rate` in all)
//   .. retry_stop          a producer still retries a message it began before publish_stop;
//                          no attempt starts at or after retry_stop
//   .. consume_stop        consumers receive; one that holds a batch at consume_stop finishes
//                          it (processing, ack, nack) but receives no more
//   drain_at .. duration   the drain: one drain of every queue, invoked together, answered
//                          within the workload's timeout
// publish_stop = duration - quiet; drain_at = duration - timeout; consume_stop = drain_at -
// consume_margin, where consume_margin = 3 * timeout + batch * (the slowest processing
// component's latency + jitter): room for the last receive, its batch and its ack and nack;
// retry_stop = consume_stop. The loader requires quiet >= consume_margin + timeout, so the
// drain never begins before the last publish.
#pragma once

#include "sim/scenario.h"
#include "sim/time.h"

namespace capsim {

struct QueueTimes {
  Time publish_stop{0};
  Time retry_stop{0};
  Time consume_stop{0};
  Time drain_at{0};
};

// How long before the drain consumers stop receiving.
Duration queue_consume_margin(const WorkloadSpec& workload);

// The least `quiet` a queue workload needs.
Duration queue_minimum_quiet(const WorkloadSpec& workload);

// Requires: scenario.workload.is_queue() and a quiet of at least queue_minimum_quiet.
QueueTimes queue_times(const Scenario& scenario);

}  // namespace capsim
