#include "nodes/kv/primary_backup/log.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "sim/assert.h"

namespace capsim::pb {

namespace {

constexpr std::string_view kLengthKey = "log/length";
// Lists nest; a limit keeps a malformed encoding from recursing without end.
constexpr int kMaxValueDepth = 32;

// Values are stored length-prefixed rather than as JSON so that decoding needs no parser and
// strings may hold any byte: n | i<integer>; | s<length>:<bytes> | l<count>:<items>.
void encode_value(const Value& value, std::string& out) {
  if (value.is_nil()) {
    out += 'n';
  } else if (value.is_integer()) {
    out += 'i' + std::to_string(value.integer()) + ';';
  } else if (value.is_string()) {
    out += 's' + std::to_string(value.string().size()) + ':' + value.string();
  } else {
    out += 'l' + std::to_string(value.list().size()) + ':';
    for (const Value& item : value.list()) encode_value(item, out);
  }
}

// Reads an unsigned decimal number ending at `stop`; advances `pos` past the stop character.
bool read_number(std::string_view text, std::size_t& pos, char stop, std::uint64_t& out) {
  out = 0;
  const std::size_t start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    const std::uint64_t digit = static_cast<std::uint64_t>(text[pos] - '0');
    if (out > (UINT64_MAX - digit) / 10) return false;
    out = out * 10 + digit;
    ++pos;
  }
  if (pos == start || pos >= text.size() || text[pos] != stop) return false;
  ++pos;
  return true;
}

bool decode_value(std::string_view text, std::size_t& pos, int depth, Value& out) {
  if (depth > kMaxValueDepth || pos >= text.size()) return false;
  const char tag = text[pos++];
  std::uint64_t number = 0;
  switch (tag) {
    case 'n':
      out = Value();
      return true;
    case 'i': {
      const bool negative = pos < text.size() && text[pos] == '-';
      if (negative) ++pos;
      if (!read_number(text, pos, ';', number)) return false;
      if (number > static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return false;
      // Negating in unsigned arithmetic keeps INT64_MIN representable.
      out = Value(static_cast<std::int64_t>(negative ? 0 - number : number));
      return true;
    }
    case 's':
      if (!read_number(text, pos, ':', number) || number > text.size() - pos) return false;
      out = Value(std::string(text.substr(pos, number)));
      pos += number;
      return true;
    case 'l': {
      if (!read_number(text, pos, ':', number) || number > text.size() - pos) return false;
      Value::List items;
      for (std::uint64_t i = 0; i < number; ++i) {
        Value item;
        if (!decode_value(text, pos, depth + 1, item)) return false;
        items.push_back(std::move(item));
      }
      out = Value(std::move(items));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

std::string Entry::describe() const {
  std::string text = std::to_string(index) + "@" + std::to_string(epoch);
  if (is_noop()) return text + " noop";
  return text + " " + key + "=" + value.to_text();
}

std::string encode_entry(const Entry& entry) {
  std::string out = std::to_string(entry.epoch) + ' ' + std::to_string(entry.index) + ' ' +
                    std::to_string(entry.key.size()) + ':' + entry.key;
  encode_value(entry.value, out);
  return out;
}

bool decode_entry(std::string_view text, Entry& out) {
  std::size_t pos = 0;
  std::uint64_t key_size = 0;
  Entry entry;
  if (!read_number(text, pos, ' ', entry.epoch)) return false;
  if (!read_number(text, pos, ' ', entry.index)) return false;
  if (!read_number(text, pos, ':', key_size) || key_size > text.size() - pos) return false;
  entry.key = std::string(text.substr(pos, key_size));
  pos += key_size;
  if (!decode_value(text, pos, 0, entry.value) || pos != text.size()) return false;
  out = std::move(entry);
  return true;
}

std::string log_key(Index index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "log/%08llu", static_cast<unsigned long long>(index));
  return buffer;
}

bool is_at_least_as_up_to_date(Epoch last_epoch_a, Index last_index_a, Epoch last_epoch_b,
                               Index last_index_b) {
  if (last_epoch_a != last_epoch_b) return last_epoch_a > last_epoch_b;
  return last_index_a >= last_index_b;
}

Log Log::load(const Disk& disk, bool* complete) {
  Log log;
  if (complete != nullptr) *complete = true;
  const std::optional<std::string> length_text = disk.get(kLengthKey);
  if (!length_text) return log;
  std::uint64_t length = 0;
  std::size_t pos = 0;
  const std::string terminated = *length_text + ";";
  bool ok = read_number(terminated, pos, ';', length) && pos == terminated.size();
  for (Index index = 1; ok && index <= length; ++index) {
    const std::optional<std::string> text = disk.get(log_key(index));
    Entry entry;
    ok = text && decode_entry(*text, entry) && entry.index == index &&
         entry.epoch >= log.last_epoch();
    if (ok) log.entries_.push_back(std::move(entry));
  }
  if (!ok && complete != nullptr) *complete = false;
  return log;
}

Epoch Log::epoch_at(Index index) const {
  CAPSIM_ASSERT(index <= last_index());
  return index == 0 ? 0 : entries_[index - 1].epoch;
}

const Entry& Log::at(Index index) const {
  CAPSIM_ASSERT(index >= 1 && index <= last_index());
  return entries_[index - 1];
}

bool Log::matches(Index prev_index, Epoch prev_epoch) const {
  return prev_index <= last_index() && epoch_at(prev_index) == prev_epoch;
}

std::vector<Entry> Log::slice(Index from, std::size_t max_count) const {
  std::vector<Entry> result;
  for (Index index = std::max<Index>(from, 1); index <= last_index() && result.size() < max_count;
       ++index) {
    result.push_back(entries_[index - 1]);
  }
  return result;
}

void Log::append(Disk& disk, Entry entry) {
  CAPSIM_ASSERT(entry.index == last_index() + 1);
  CAPSIM_ASSERT(entry.epoch >= last_epoch());
  disk.put(log_key(entry.index), encode_entry(entry));
  entries_.push_back(std::move(entry));
  disk.put(kLengthKey, std::to_string(last_index()));
}

std::vector<Entry> Log::truncate_from(Disk& disk, Index from) {
  CAPSIM_ASSERT(from >= 1);
  std::vector<Entry> removed;
  if (from > last_index()) return removed;
  for (Index index = from; index <= last_index(); ++index) disk.erase(log_key(index));
  removed.assign(entries_.begin() + static_cast<std::ptrdiff_t>(from - 1), entries_.end());
  entries_.resize(from - 1);
  disk.put(kLengthKey, std::to_string(last_index()));
  return removed;
}

}  // namespace capsim::pb
