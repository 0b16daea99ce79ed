#include "sim/client/final_reader.h"

#include "sim/client/kv_messages.h"

namespace capsim {
namespace {
constexpr std::string_view kDeadlineTimer = "deadline";
}  // namespace

FinalReader::FinalReader(std::uint32_t cluster_size, const WorkloadSpec& spec,
                         const FinalReadHost& host, HistoryRecorder& recorder)
    : cluster_size_(cluster_size), spec_(spec), host_(host), recorder_(recorder) {}

void FinalReader::on_start(Context& ctx) {
  const std::uint64_t first_process = host_.first_free_process();
  for (NodeId node : host_.live_nodes()) {
    for (std::uint32_t k = 1; k <= spec_.keys; ++k) {
      Read read;
      read.process = first_process + reads_.size();
      read.key = "k" + std::to_string(k);
      read.target = node;
      reads_.push_back(std::move(read));
    }
  }
  for (std::size_t i = 0; i < reads_.size(); ++i) {
    HistoryEvent invoke;
    invoke.time = ctx.now();
    invoke.process = reads_[i].process;
    invoke.type = OpType::kInvoke;
    invoke.f = "read";
    invoke.key = reads_[i].key;
    invoke.node = actor_name(reads_[i].target, cluster_size_);
    invoke.final_read = true;
    recorder_.record(ctx.self(), std::move(invoke));
    send(ctx, i);
  }
  // They all started together, so one deadline serves them all.
  if (!reads_.empty()) ctx.set_timer(kDeadlineTimer, spec_.timeout);
}

void FinalReader::send(Context& ctx, std::size_t position) {
  ClientRequest request;
  request.op_id = position + 1;
  request.f = "read";
  request.key = reads_[position].key;
  ctx.send(reads_[position].target, Message::of(std::move(request)));
}

void FinalReader::on_message(Context& ctx, NodeId from, const Message& message) {
  const ClientReply* reply = message.as<ClientReply>();
  if (reply == nullptr || reply->op_id == 0 || reply->op_id > reads_.size()) return;
  const std::size_t position = reply->op_id - 1;
  Read& read = reads_[position];
  if (!read.open) return;  // late news: the read already timed out
  switch (reply->outcome) {
    case ClientReply::Outcome::kOk:
      return complete(ctx, position, OpType::kOk, reply->value, from, {});
    case ClientReply::Outcome::kFail:
      return complete(ctx, position, OpType::kFail, Value(), from,
                      reply->error.empty() ? "failed" : reply->error, reply->answered);
    case ClientReply::Outcome::kRedirect: {
      const NodeId next = reply->leader_hint;
      const bool usable = next != kNoNode && next < cluster_size_ && next != from;
      if (spec_.route == Route::kFixed || !usable || read.redirects >= cluster_size_) {
        return complete(ctx, position, OpType::kFail, Value(), from, "redirected, not followed");
      }
      ++read.redirects;
      read.target = next;
      return send(ctx, position);
    }
  }
}

void FinalReader::on_timer(Context& ctx, std::string_view name) {
  if (name != kDeadlineTimer) return;
  for (std::size_t i = 0; i < reads_.size(); ++i) {
    if (reads_[i].open) complete(ctx, i, OpType::kInfo, Value(), reads_[i].target, "timeout");
  }
}

void FinalReader::complete(Context& ctx, std::size_t position, OpType type, Value value,
                           NodeId node, std::string error, bool answered) {
  Read& read = reads_[position];
  read.open = false;
  HistoryEvent event;
  event.time = ctx.now();
  event.process = read.process;
  event.type = type;
  event.f = "read";
  event.key = read.key;
  event.value = std::move(value);
  event.node = actor_name(node, cluster_size_);
  event.error = std::move(error);
  event.answered = answered;
  event.final_read = true;
  recorder_.record(ctx.self(), std::move(event));
}

}  // namespace capsim
