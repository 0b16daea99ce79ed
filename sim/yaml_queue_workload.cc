// The `queue` workload's own keys (README.md, "Scenario format"): which queues, how many
// producers and consumers, message keys, the producers' retry policy, how consumers consume, and
// whether the work goes through the queues or straight to the consumers (`mode`).
#include <algorithm>
#include <limits>

#include "sim/yaml_sections.h"

namespace capsim {
namespace {

constexpr std::int64_t kMaxActors = 10'000;
constexpr std::int64_t kMaxKeys = 100'000;
constexpr std::int64_t kMaxBatch = 10'000;
constexpr std::int64_t kMaxAttempts = 100;
constexpr std::int64_t kMaxPoison = 1'000;

bool is_queue_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.';
}

// `queues`: a queue name or a non-empty list of them, each once.
void read_queues(YamlReader& reader, const YamlNode& node, QueueWorkloadSpec& out) {
  std::vector<const YamlNode*> items;
  if (node.is_list()) {
    for (const YamlNode& item : node.items) items.push_back(&item);
    if (items.empty()) {
      reader.error(node.pos, "queues needs at least one queue, as in [orders]");
      return;
    }
  } else {
    items.push_back(&node);
  }
  std::vector<std::string> names;
  bool ok = true;
  for (const YamlNode* item : items) {
    std::string name;
    if (!reader.read_scalar(*item, "a queue name", name)) {
      ok = false;
    } else if (name.empty() || !std::all_of(name.begin(), name.end(), is_queue_name_char)) {
      reader.error(item->pos, "queue name '" + name +
                                  "' must be letters, digits, '-', '_' or '.', and not empty");
      ok = false;
    } else if (std::find(names.begin(), names.end(), name) != names.end()) {
      reader.error(item->pos, "queue '" + name + "' is listed twice");
      ok = false;
    } else {
      names.push_back(name);
    }
  }
  if (!ok) return;
  out.queues = std::move(names);
  out.queues_pos = node.pos;
}

void read_retry(YamlReader& reader, const YamlNode& node, RetrySpec& out) {
  if (!reader.expect_map(node)) return;
  reader.check_keys(node, {"policy", "max_attempts", "base", "cap", "idempotent"});
  if (const YamlNode* idempotent = node.find("idempotent")) {
    reader.read_bool(*idempotent, out.idempotent);
  }
  if (const YamlNode* policy = node.find("policy")) {
    const std::vector<std::string>& names = retry_policy_names();
    std::string text;
    if (reader.read_scalar(*policy, "a retry policy", text)) {
      const auto it = std::find(names.begin(), names.end(), text);
      if (it == names.end()) {
        reader.error(policy->pos, unknown_word_message("retry policy", text, names));
      } else {
        out.policy = static_cast<RetryPolicy>(it - names.begin());
      }
    }
  }
  if (out.policy == RetryPolicy::kNone) out.max_attempts = 1;
  if (const YamlNode* attempts = node.find("max_attempts")) {
    std::int64_t value = 0;
    if (reader.read_integer(*attempts, 1, kMaxAttempts, value)) {
      out.max_attempts = static_cast<std::uint32_t>(value);
      if (out.policy == RetryPolicy::kNone && value != 1) {
        reader.error(attempts->pos, "retry policy none makes one attempt per message; "
                                    "max_attempts must be 1 or left out");
      }
    }
  }
  const YamlNode* base = node.find("base");
  if (base != nullptr) reader.read_positive_duration(*base, "base", out.base);
  const YamlNode* cap = node.find("cap");
  if (cap != nullptr && reader.read_positive_duration(*cap, "cap", out.cap) && out.cap < out.base) {
    reader.error(cap->pos, "cap " + format_duration(out.cap) + " is below base " +
                               format_duration(out.base));
  }
}

// `poison`: a message id or a list of them (positive integers, each once), kept ascending.
void read_poison(YamlReader& reader, const YamlNode& node, ConsumeSpec& out) {
  std::vector<const YamlNode*> items;
  if (node.is_list()) {
    for (const YamlNode& item : node.items) items.push_back(&item);
  } else {
    items.push_back(&node);
  }
  if (static_cast<std::int64_t>(items.size()) > kMaxPoison) {
    reader.error(node.pos, "poison lists at most " + std::to_string(kMaxPoison) + " messages");
    return;
  }
  std::vector<std::int64_t> ids;
  for (const YamlNode* item : items) {
    std::int64_t id = 0;
    if (!reader.read_integer(*item, 1, std::numeric_limits<std::int64_t>::max(), id)) continue;
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      reader.error(item->pos, "message " + std::to_string(id) + " is listed twice");
      continue;
    }
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  out.poison = std::move(ids);
}

// `on_poison: requeue | reject`: only an after-process consumer settles a message whose
// processing failed, so any other ack policy makes it meaningless.
void read_on_poison(YamlReader& reader, const YamlNode& node, ConsumeSpec& out) {
  const std::vector<std::string> names = {"requeue", "reject"};
  std::string text;
  if (!reader.read_scalar(node, "a poison action", text)) return;
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) {
    reader.error(node.pos, unknown_word_message("on_poison action", text, names));
    return;
  }
  out.on_poison = static_cast<PoisonAction>(it - names.begin());
  out.on_poison_pos = node.pos;
  if (out.ack != AckPolicy::kAfterProcess) {
    reader.error(node.pos,
                 "on_poison needs ack after-process: with auto or before-process a message is "
                 "settled before it is processed, so a failed one is never returned or rejected");
  }
}

void read_consume(YamlReader& reader, const YamlNode& node, ConsumeSpec& out) {
  if (!reader.expect_map(node)) return;
  reader.check_keys(node,
                    {"batch", "poll_interval", "process", "ack", "dedup", "poison", "on_poison"});
  if (const YamlNode* batch = node.find("batch")) {
    std::int64_t value = 0;
    if (reader.read_integer(*batch, 1, kMaxBatch, value)) out.batch = static_cast<std::uint32_t>(value);
  }
  if (const YamlNode* poll = node.find("poll_interval")) {
    reader.read_positive_duration(*poll, "poll_interval", out.poll_interval);
  }
  if (const YamlNode* process = node.find("process")) read_delay(reader, *process, out.process);
  if (const YamlNode* ack = node.find("ack")) {
    const std::vector<std::string> names = {"auto", "before-process", "after-process",
                                            "transactional"};
    std::string text;
    if (reader.read_scalar(*ack, "an ack policy", text)) {
      const auto it = std::find(names.begin(), names.end(), text);
      if (it == names.end()) {
        reader.error(ack->pos, unknown_word_message("ack policy", text, names));
      } else {
        out.ack = static_cast<AckPolicy>(it - names.begin());
        out.ack_pos = ack->pos;
      }
    }
  }
  if (const YamlNode* dedup = node.find("dedup")) reader.read_bool(*dedup, out.dedup);
  if (const YamlNode* poison = node.find("poison")) read_poison(reader, *poison, out);
  if (const YamlNode* on_poison = node.find("on_poison")) read_on_poison(reader, *on_poison, out);
}

std::uint32_t read_count(YamlReader& reader, const YamlNode* node, std::uint32_t fallback,
                         bool& ok) {
  if (node == nullptr) return fallback;
  std::int64_t value = 0;
  if (!reader.read_integer(*node, 0, kMaxActors, value)) {
    ok = false;
    return fallback;
  }
  return static_cast<std::uint32_t>(value);
}

void read_mode(YamlReader& reader, const YamlNode& node, DeliveryMode& out) {
  const std::vector<std::string> names = {"queue", "call"};
  std::string text;
  if (!reader.read_scalar(node, "a delivery mode", text)) return;
  const auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) {
    reader.error(node.pos, unknown_word_message("mode", text, names));
  } else {
    out = static_cast<DeliveryMode>(it - names.begin());
  }
}

// What `mode: call` rules out: consumer settings that only a queue gives meaning to, and
// producers with no service to call.
void check_call_mode(YamlReader& reader, const YamlNode& node, const QueueWorkloadSpec& queue,
                     bool counts_ok) {
  if (const YamlNode* consume = node.find("consume"); consume != nullptr && consume->is_map()) {
    for (const char* key : {"batch", "poll_interval", "ack", "on_poison"}) {
      if (const YamlNode* given = consume->find(key)) {
        reader.error(given->pos, std::string("consume.") + key +
                                     " has no meaning with mode call: a service takes one "
                                     "call at a time and answers it, with no queue to poll "
                                     "or acknowledge");
      }
    }
  }
  if (const YamlNode* retry = node.find("retry"); retry != nullptr && retry->is_map()) {
    if (const YamlNode* idempotent = retry->find("idempotent")) {
      reader.error(idempotent->pos,
                   "retry.idempotent needs a log protocol to deduplicate; with mode call "
                   "use consume.dedup (an idempotent service)");
    }
  }
  if (counts_ok && queue.producers > 0 && queue.consumers == 0) {
    const YamlNode* consumers = node.find("consumers");
    reader.error(consumers != nullptr ? consumers->pos : node.pos,
                 "mode call needs at least one consumer for the producers to call");
  }
}

}  // namespace

void read_queue_workload(YamlReader& reader, const YamlNode& node, ActorCounts& counts,
                         WorkloadSpec& out) {
  QueueWorkloadSpec& queue = out.queue;
  if (const YamlNode* queues = node.find("queues")) read_queues(reader, *queues, queue);
  bool counts_ok = true;
  queue.producers = read_count(reader, node.find("producers"), queue.producers, counts_ok);
  queue.consumers = read_count(reader, node.find("consumers"), queue.consumers, counts_ok);
  if (counts_ok && queue.producers + queue.consumers > kMaxActors) {
    reader.error(node.pos, "producers and consumers together may be at most " +
                               std::to_string(kMaxActors));
    counts_ok = false;
  }
  out.clients = queue.producers + queue.consumers;
  counts.clients = counts_ok ? std::optional<std::uint32_t>(out.clients) : std::nullopt;
  if (const YamlNode* keys = node.find("keys")) {
    std::int64_t value = 0;
    if (reader.read_integer(*keys, 0, kMaxKeys, value)) queue.keys = static_cast<std::uint32_t>(value);
  }
  if (const YamlNode* retry = node.find("retry")) read_retry(reader, *retry, queue.retry);
  if (const YamlNode* consume = node.find("consume")) read_consume(reader, *consume, queue.consume);
  if (const YamlNode* mode = node.find("mode")) read_mode(reader, *mode, queue.mode);
  if (queue.mode == DeliveryMode::kCall) check_call_mode(reader, node, queue, counts_ok);
}

}  // namespace capsim
