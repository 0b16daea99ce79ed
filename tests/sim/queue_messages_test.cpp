// The queue messages' trace lines name what a reader of the trace needs: the message id, where
// it went, and why a request failed.
#include <doctest/doctest.h>

#include "sim/client/queue_messages.h"

using namespace capsim;

TEST_CASE("queue messages: a publish and its reply describe the message and the outcome") {
  QueuePublish publish{.op_id = 7, .queue = "orders", .key = "k2", .message_id = 412,
                       .attempt = 2, .producer_id = 3, .sequence = 9, .partition = 1};
  CHECK(publish.describe() == "op 7 publish 412 to orders key k2 p1 attempt 2 pid 3 seq 9");
  QueuePublishReply reply;
  reply.status.op_id = 7;
  reply.status.outcome = QueueOutcome::kFail;
  reply.status.leader_hint = 2;
  reply.status.error = "not enough in-sync replicas";
  CHECK(reply.describe() == "op 7 fail refused leader=2 (not enough in-sync replicas)");
  reply.status = QueueStatus{};
  reply.status.op_id = 7;
  reply.partition = 1;
  reply.offset = 40;
  reply.duplicate = true;
  CHECK(reply.describe() == "op 7 ok p1@40 duplicate");
}

TEST_CASE("queue messages: deliveries show offsets and repeated deliveries") {
  QueueReceiveReply reply;
  reply.status.op_id = 3;
  reply.messages.resize(2);
  reply.messages[0].message_id = 5;
  reply.messages[1].message_id = 6;
  reply.messages[1].delivery_count = 3;
  CHECK(reply.describe() == "op 3 ok [5 6#3]");
  LogFetchReply fetch;
  fetch.status.op_id = 4;
  fetch.messages.resize(1);
  fetch.messages[0].message_id = 8;
  fetch.messages[0].partition = 0;
  fetch.messages[0].offset = 12;
  fetch.high_watermark = 13;
  CHECK(fetch.describe() == "op 4 ok [8@12] hw 13");
  QueueAck nack{.op_id = 5, .queue = "q", .receipts = {1, 2}, .settle = Settle::kRequeue};
  CHECK(nack.describe() == "op 5 nack q [1 2]");
  QueueAck reject{.op_id = 7, .queue = "q", .receipts = {3}, .settle = Settle::kReject};
  CHECK(reject.describe() == "op 7 reject q [3]");
  QueueAck ack{.op_id = 8, .queue = "q", .receipts = {4}};
  CHECK(ack.describe() == "op 8 ack q [4]");
  OffsetCommit commit{.op_id = 6, .group = "g", .topic = "t", .generation = 2, .partition = 0,
                      .offset = 13};
  CHECK(commit.describe() == "op 6 commit g t p0 offset 13 generation 2");
}
