#include "nodes/kv/quorum/version_codec.h"

#include <cstdint>

#include "nodes/common/value_codec.h"

namespace capsim::quorum {
namespace {

using codec::put_number;
using codec::put_signed;
using codec::read_count;
using codec::read_number;
using codec::read_signed;

void encode_version(const Version& version, std::string& out) {
  codec::put_value(version.value, out);
  put_number(version.dot.node, ';', out);
  put_number(version.dot.counter, ';', out);
  put_signed(version.stamp.count(), ';', out);
  put_number(version.context.entries().size(), ':', out);
  for (const auto& [node, counter] : version.context.entries()) {
    put_number(node, ';', out);
    put_number(counter, ';', out);
  }
}

bool decode_version(std::string_view text, std::size_t& pos, Version& out) {
  std::uint64_t node = 0;
  std::uint64_t count = 0;
  std::int64_t stamp = 0;
  if (!codec::read_value(text, pos, out.value)) return false;
  if (!read_number(text, pos, ';', node) || node > kNoNode) return false;
  if (!read_number(text, pos, ';', out.dot.counter)) return false;
  out.dot.node = static_cast<NodeId>(node);
  if (!read_signed(text, pos, ';', stamp)) return false;
  out.stamp = Time{stamp};
  if (!read_count(text, pos, ':', count)) return false;
  out.context = VectorClock{};
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t counter = 0;
    if (!read_number(text, pos, ';', node) || node > kNoNode) return false;
    if (!read_number(text, pos, ';', counter)) return false;
    out.context.advance(static_cast<NodeId>(node), counter);
  }
  return true;
}

}  // namespace

std::string encode_versions(const Versions& versions) {
  std::string out;
  put_number(versions.size(), ':', out);
  for (const Version& v : versions) encode_version(v, out);
  return out;
}

bool decode_versions(std::string_view text, Versions& out) {
  std::size_t pos = 0;
  std::uint64_t count = 0;
  if (!read_count(text, pos, ':', count)) return false;
  out.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    Version version;
    if (!decode_version(text, pos, version)) return false;
    out.push_back(std::move(version));
  }
  return pos == text.size();
}

}  // namespace capsim::quorum
