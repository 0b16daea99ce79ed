#include "sim/check/kv_history_generator.h"

#include <vector>

#include "sim/assert.h"

namespace capsim {
namespace {

enum class Phase { kIdle, kInvoked, kApplied };

struct Client {
  std::uint64_t process;
  Phase phase = Phase::kIdle;
  std::size_t key = 0;
  HistoryEvent pending;  // the invoke, then the completion to emit
};

}  // namespace

History generate_kv_history(Rng& rng, const KvHistorySpec& spec) {
  CAPSIM_ASSERT(spec.keys > 0 && spec.processes > 0);
  History history;
  std::vector<Value> store(spec.keys);  // nil until written
  std::vector<Client> clients;
  for (std::size_t p = 0; p < spec.processes; ++p)
    clients.push_back(Client{p, Phase::kIdle, 0, {}});
  std::int64_t next_value = 1;
  std::size_t started = 0;
  std::size_t busy = 0;
  Time now{0};
  // Half the info outcomes come before the effect (it never happened), half after.
  const std::uint32_t info_half = spec.info_per_mille / 2;

  auto emit = [&](HistoryEvent event) {
    now += kMicrosecond * rng.between(1, 100);
    event.time = now;
    history.add(std::move(event));
  };
  auto retire = [&](Client& client) {
    client.process += spec.processes;
    client.phase = Phase::kIdle;
    --busy;
  };

  while (started < spec.operations || busy > 0) {
    Client& client = clients[rng.below(clients.size())];
    switch (client.phase) {
      case Phase::kIdle: {
        if (started == spec.operations) break;
        ++started;
        ++busy;
        HistoryEvent invoke;
        invoke.process = client.process;
        invoke.type = OpType::kInvoke;
        client.key = static_cast<std::size_t>(rng.below(spec.keys));
        invoke.key = "k" + std::to_string(client.key);
        const std::uint64_t roll = rng.below(10);
        if (roll < 5) {
          invoke.f = "read";
        } else if (roll < 8 || !spec.with_cas) {
          invoke.f = "write";
          invoke.value = Value(next_value++);
        } else {
          invoke.f = "cas";
          // Half the time expect the value the key holds now (it may change before the cas
          // takes effect), otherwise an older value.
          Value expected = rng.chance(1, 2)
                               ? store[client.key]
                               : Value(rng.between(1, std::max<std::int64_t>(1, next_value - 1)));
          invoke.value = Value(Value::List{std::move(expected), Value(next_value++)});
        }
        client.pending = invoke;
        emit(std::move(invoke));
        client.phase = Phase::kInvoked;
        break;
      }
      case Phase::kInvoked: {
        HistoryEvent& event = client.pending;
        if (rng.chance(info_half, 1000)) {
          event.type = OpType::kInfo;
          event.error = "timeout";
          emit(event);
          retire(client);
          break;
        }
        // The effect, at this instant.
        Value& cell = store[client.key];
        event.type = OpType::kOk;
        if (event.f == "read") {
          event.value = cell;
        } else if (event.f == "write") {
          cell = event.value;
        } else if (cell == event.value.list()[0]) {
          cell = event.value.list()[1];
        } else {
          event.type = OpType::kFail;
        }
        client.phase = Phase::kApplied;
        break;
      }
      case Phase::kApplied: {
        HistoryEvent& event = client.pending;
        if (rng.chance(info_half, 1000)) {
          event.type = OpType::kInfo;
          event.error = "timeout";
          if (event.f == "read") event.value = Value();
          emit(event);
          retire(client);
          break;
        }
        emit(event);
        client.phase = Phase::kIdle;
        --busy;
        break;
      }
    }
  }
  return history;
}

}  // namespace capsim
