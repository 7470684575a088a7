#include "harness/pipeline/shard.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/core.h>

namespace hmt {

namespace {

bool parse_positive(std::string_view text, int& value) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= 1;
}

}  // namespace

Expected<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard shard;
  if (slash == std::string::npos || !parse_positive(std::string_view(text).substr(0, slash), shard.index) ||
      !parse_positive(std::string_view(text).substr(slash + 1), shard.count))
    return Error{fmt::format("--shard '{}' is not K/N with whole numbers K and N from 1, e.g. --shard 2/4", text)};
  if (shard.index > shard.count)
    return Error{fmt::format("--shard {}: K must be between 1 and N ({})", text, shard.count)};
  return shard;
}

std::vector<CaseEntry> cases_of_shard(const std::vector<CaseEntry>& cases, Shard shard) {
  std::vector<std::string> names;
  for (const auto& entry : cases) names.push_back(entry.name);
  std::sort(names.begin(), names.end());
  std::set<std::string> mine;
  for (std::size_t i = static_cast<std::size_t>(shard.index - 1); i < names.size();
       i += static_cast<std::size_t>(shard.count))
    mine.insert(names[i]);
  std::vector<CaseEntry> out;
  for (const auto& entry : cases)
    if (mine.count(entry.name)) out.push_back(entry);
  return out;
}

}  // namespace hmt
