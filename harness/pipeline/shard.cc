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

namespace {

// Longest processing time first: deterministic for given weights, and
// within 4/3 of the best split.
std::set<std::string> balanced_part(const std::vector<CaseEntry>& cases, Shard shard,
                                    const std::map<std::string, long long>& durations) {
  std::vector<long long> known;
  for (const auto& entry : cases)
    if (auto it = durations.find(entry.name); it != durations.end() && it->second >= 0) known.push_back(it->second);
  std::sort(known.begin(), known.end());
  const long long median = known[known.size() / 2];
  std::vector<std::pair<long long, std::string>> weighted;
  for (const auto& entry : cases) {
    auto it = durations.find(entry.name);
    weighted.emplace_back(it != durations.end() && it->second >= 0 ? it->second : median, entry.name);
  }
  std::sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<long long> totals(static_cast<std::size_t>(shard.count), 0);
  std::set<std::string> mine;
  for (const auto& [weight, name] : weighted) {
    const auto part = static_cast<std::size_t>(std::min_element(totals.begin(), totals.end()) - totals.begin());
    // Every case costs something, so that parts of cases nobody timed still fill evenly.
    totals[part] += std::max(weight, 1LL);
    if (part == static_cast<std::size_t>(shard.index - 1)) mine.insert(name);
  }
  return mine;
}

}  // namespace

std::vector<CaseEntry> cases_of_shard(const std::vector<CaseEntry>& cases, Shard shard,
                                      const std::map<std::string, long long>& durations) {
  std::set<std::string> mine;
  bool timed = false;
  for (const auto& entry : cases)
    if (auto it = durations.find(entry.name); it != durations.end() && it->second >= 0) timed = true;
  if (timed) {
    mine = balanced_part(cases, shard, durations);
  } else {
    std::vector<std::string> names;
    for (const auto& entry : cases) names.push_back(entry.name);
    std::sort(names.begin(), names.end());
    for (std::size_t i = static_cast<std::size_t>(shard.index - 1); i < names.size();
         i += static_cast<std::size_t>(shard.count))
      mine.insert(names[i]);
  }
  std::vector<CaseEntry> out;
  for (const auto& entry : cases)
    if (mine.count(entry.name)) out.push_back(entry);
  return out;
}

}  // namespace hmt
