#include "assertions/text_diff.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <fmt/core.h>

namespace hmt {

namespace {

enum class Edit : std::uint8_t { Keep, Delete, Insert };

// Lines keep their '\n', so a last line without one differs from the same
// text with one, as in diff.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

// Numbers distinct lines so the search compares integers, not strings.
std::pair<std::vector<int>, std::vector<int>> intern_lines(std::span<const std::string_view> a,
                                                           std::span<const std::string_view> b) {
  std::unordered_map<std::string_view, int> ids;
  auto number = [&ids](std::span<const std::string_view> lines) {
    std::vector<int> numbered;
    numbered.reserve(lines.size());
    for (std::string_view line : lines)
      numbered.push_back(ids.try_emplace(line, static_cast<int>(ids.size())).first->second);
    return numbered;
  };
  auto a_ids = number(a);
  auto b_ids = number(b);
  return {std::move(a_ids), std::move(b_ids)};
}

// Caps the cost of one search (diagonal steps plus snake steps) so a huge,
// very different pair of inputs falls back quickly instead of taking minutes,
// and the edit distance searched for, which bounds the memory of the walk
// back: (3001)² ints, about 36 MB.
constexpr std::size_t kSearchBudget = 50'000'000;
constexpr std::size_t kMaxSearchDistance = 3000;

// Myers' greedy O((N+M)·D) search for a shortest edit script turning `a`
// into `b`. Remembers the furthest point of every diagonal for each D to
// walk the path back; that costs (D+1)² ints, which max_distance bounds.
// nullopt when the script would be longer than max_distance or the search
// exceeds its budget.
std::optional<std::vector<Edit>> shortest_edit_script(std::span<const int> a, std::span<const int> b,
                                                      std::size_t max_distance) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max_d = static_cast<int>(std::min({max_distance, kMaxSearchDistance, a.size() + b.size()}));
  std::vector<int> furthest(2 * static_cast<std::size_t>(max_d) + 3, 0);
  const int offset = max_d + 1;
  auto x_at = [&](int k) -> int& { return furthest[static_cast<std::size_t>(k + offset)]; };

  // history[d*d + d + k] is the furthest x on diagonal k after d edits.
  std::vector<int> history;
  auto past_x = [&history](int d, int k) { return history[static_cast<std::size_t>(d * d + d + k)]; };

  std::size_t work = 0;
  int found_d = -1;
  for (int d = 0; d <= max_d && found_d < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      const bool from_above = k == -d || (k != d && x_at(k - 1) < x_at(k + 1));
      const int snake_start = from_above ? x_at(k + 1) : x_at(k - 1) + 1;
      int x = snake_start;
      int y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
        ++x;
        ++y;
      }
      work += 1 + static_cast<std::size_t>(x - snake_start);
      x_at(k) = x;
      if (x >= n && y >= m) found_d = d;
    }
    for (int k = -d; k <= d; ++k) history.push_back(x_at(k));
    if (work > kSearchBudget) return std::nullopt;
  }
  if (found_d < 0) return std::nullopt;

  std::vector<Edit> reversed;
  int x = n;
  int y = m;
  for (int d = found_d; d > 0; --d) {
    const int k = x - y;
    const bool from_above = k == -d || (k != d && past_x(d - 1, k - 1) < past_x(d - 1, k + 1));
    const int prev_k = from_above ? k + 1 : k - 1;
    const int prev_x = past_x(d - 1, prev_k);
    const int snake_start = from_above ? prev_x : prev_x + 1;
    for (; x > snake_start; --x, --y) reversed.push_back(Edit::Keep);
    reversed.push_back(from_above ? Edit::Insert : Edit::Delete);
    x = prev_x;
    y = prev_x - prev_k;
  }
  for (; x > 0; --x) reversed.push_back(Edit::Keep);
  std::reverse(reversed.begin(), reversed.end());
  return reversed;
}

// The whole edit script: common head and tail are kept without searching,
// and the middle is searched (or, past the limits, replaced wholesale).
std::vector<Edit> edit_script(std::span<const std::string_view> a, std::span<const std::string_view> b,
                              std::size_t max_distance) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  const auto a_middle = a.subspan(head, a.size() - head - tail);
  const auto b_middle = b.subspan(head, b.size() - head - tail);

  std::vector<Edit> script(head, Edit::Keep);
  std::optional<std::vector<Edit>> middle;
  // Line numbers are ints in the search.
  constexpr auto kMaxLines = static_cast<std::size_t>(std::numeric_limits<int>::max() / 2);
  if (a_middle.size() + b_middle.size() <= kMaxLines) {
    auto [a_ids, b_ids] = intern_lines(a_middle, b_middle);
    middle = shortest_edit_script(a_ids, b_ids, max_distance);
  }
  if (middle) {
    script.insert(script.end(), middle->begin(), middle->end());
  } else {
    script.insert(script.end(), a_middle.size(), Edit::Delete);
    script.insert(script.end(), b_middle.size(), Edit::Insert);
  }
  script.insert(script.end(), tail, Edit::Keep);
  return script;
}

struct Hunk {
  std::size_t begin;  // index into the edit script
  std::size_t end;
};

// Changes closer than twice the context share a hunk, as in diff.
std::vector<Hunk> group_hunks(const std::vector<Edit>& script, std::size_t context) {
  std::vector<Hunk> hunks;
  const std::size_t n = script.size();
  auto skip_keeps = [&](std::size_t i) {
    while (i < n && script[i] == Edit::Keep) ++i;
    return i;
  };
  auto skip_changes = [&](std::size_t i) {
    while (i < n && script[i] != Edit::Keep) ++i;
    return i;
  };
  for (std::size_t change = skip_keeps(0); change < n; change = skip_keeps(hunks.back().end)) {
    const std::size_t begin = change > context ? change - context : 0;
    std::size_t changes_end = skip_changes(change);
    for (std::size_t next = skip_keeps(changes_end); next < n && next - changes_end <= 2 * context;
         next = skip_keeps(changes_end))
      changes_end = skip_changes(next);
    hunks.push_back({begin, std::min(n, changes_end + context)});
  }
  return hunks;
}

// diff's range notation: "start,count", just "start" for one line, and the
// line before the hunk for an empty range.
std::string range(std::size_t lines_before, std::size_t count) {
  if (count == 1) return fmt::format("{}", lines_before + 1);
  return fmt::format("{},{}", count == 0 ? lines_before : lines_before + 1, count);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const UnifiedDiffOptions& options) {
  if (old_text == new_text) return {};
  const auto old_lines = split_lines(old_text);
  const auto new_lines = split_lines(new_text);
  const auto script = edit_script(old_lines, new_lines, options.max_edit_distance);

  std::string out = fmt::format("--- {}\n+++ {}\n", options.old_label, options.new_label);
  std::size_t body_lines = 0;
  auto emit = [&](char marker, std::string_view line) {
    if (body_lines == options.max_output_lines) return false;
    ++body_lines;
    out += marker;
    out += line;
    if (line.back() != '\n') out += "\n\\ No newline at end of file\n";
    return true;
  };

  std::size_t old_pos = 0;  // lines of each side before script[i]
  std::size_t new_pos = 0;
  std::size_t i = 0;
  for (const Hunk& hunk : group_hunks(script, options.context_lines)) {
    for (; i < hunk.begin; ++i) {
      old_pos += script[i] != Edit::Insert;
      new_pos += script[i] != Edit::Delete;
    }
    const auto inserts =
        static_cast<std::size_t>(std::count(script.begin() + static_cast<std::ptrdiff_t>(hunk.begin),
                                            script.begin() + static_cast<std::ptrdiff_t>(hunk.end), Edit::Insert));
    const auto deletes =
        static_cast<std::size_t>(std::count(script.begin() + static_cast<std::ptrdiff_t>(hunk.begin),
                                            script.begin() + static_cast<std::ptrdiff_t>(hunk.end), Edit::Delete));
    const std::size_t size = hunk.end - hunk.begin;
    out += fmt::format("@@ -{} +{} @@\n", range(old_pos, size - inserts), range(new_pos, size - deletes));
    for (; i < hunk.end; ++i) {
      bool room = true;
      switch (script[i]) {
        case Edit::Keep:
          room = emit(' ', old_lines[old_pos++]);
          ++new_pos;
          break;
        case Edit::Delete:
          room = emit('-', old_lines[old_pos++]);
          break;
        case Edit::Insert:
          room = emit('+', new_lines[new_pos++]);
          break;
      }
      if (!room) {
        out += fmt::format("[diff truncated after {} lines]\n", options.max_output_lines);
        return out;
      }
    }
  }
  return out;
}

}  // namespace hmt
