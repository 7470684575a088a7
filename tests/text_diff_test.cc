#include "assertions/text_diff.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/catch.h"

using hmt::unified_diff;
using hmt::UnifiedDiffOptions;

namespace {

std::vector<std::string> split_keeping_newlines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

// A minimal `patch`: applies a unified diff to `old_text`, checking every
// context and deleted line and every hunk header count. Returns the patched
// text, or a string starting with "PATCH ERROR" on any mismatch.
std::string apply_patch(std::string_view old_text, std::string_view diff) {
  const auto old_lines = split_keeping_newlines(old_text);
  const auto diff_lines = split_keeping_newlines(diff);
  if (diff_lines.size() < 2 || diff_lines[0].rfind("--- ", 0) != 0 || diff_lines[1].rfind("+++ ", 0) != 0)
    return "PATCH ERROR: headers";
  std::string out;
  std::size_t old_pos = 0;
  std::size_t i = 2;
  while (i < diff_lines.size()) {
    unsigned long old_start = 0, old_count = 1, new_start = 0, new_count = 1;
    const std::string& header = diff_lines[i++];
    if (std::sscanf(header.c_str(), "@@ -%lu,%lu +%lu,%lu @@", &old_start, &old_count, &new_start, &new_count) != 4 &&
        std::sscanf(header.c_str(), "@@ -%lu +%lu,%lu @@", &old_start, &new_start, &new_count) != 3 &&
        std::sscanf(header.c_str(), "@@ -%lu,%lu +%lu @@", &old_start, &old_count, &new_start) != 3 &&
        std::sscanf(header.c_str(), "@@ -%lu +%lu @@", &old_start, &new_start) != 2)
      return "PATCH ERROR: hunk header " + header;
    // Body entries: marker and line; "\ No newline" strips the previous one's '\n'.
    std::vector<std::pair<char, std::string>> body;
    while (i < diff_lines.size() && diff_lines[i].rfind("@@", 0) != 0) {
      const std::string& line = diff_lines[i++];
      if (line.rfind("\\ No newline at end of file", 0) == 0) {
        if (body.empty() || body.back().second.back() != '\n') return "PATCH ERROR: stray no-newline mark";
        body.back().second.pop_back();
      } else {
        body.emplace_back(line[0], line.substr(1));
      }
    }
    const std::size_t skip_to = old_count == 0 ? old_start : old_start - 1;
    if (skip_to < old_pos || skip_to > old_lines.size()) return "PATCH ERROR: hunk position";
    for (; old_pos < skip_to; ++old_pos) out += old_lines[old_pos];
    unsigned long seen_old = 0, seen_new = 0;
    for (const auto& [marker, text] : body) {
      if (marker == ' ' || marker == '-') {
        if (old_pos >= old_lines.size() || old_lines[old_pos] != text) return "PATCH ERROR: context";
        ++old_pos;
        ++seen_old;
      }
      if (marker == ' ' || marker == '+') {
        out += text;
        ++seen_new;
      }
      if (marker != ' ' && marker != '-' && marker != '+') return "PATCH ERROR: marker";
    }
    if (seen_old != old_count || seen_new != new_count) return "PATCH ERROR: counts in " + header;
  }
  for (; old_pos < old_lines.size(); ++old_pos) out += old_lines[old_pos];
  return out;
}

std::size_t changed_lines(std::string_view diff) {
  std::size_t count = 0;
  for (const auto& line : split_keeping_newlines(diff))
    if ((line[0] == '+' || line[0] == '-') && line.rfind("+++ ", 0) != 0 && line.rfind("--- ", 0) != 0)
      ++count;
  return count;
}

// Fewest inserted plus deleted lines, by the textbook LCS table.
std::size_t edit_distance(std::string_view a_text, std::string_view b_text) {
  const auto a = split_keeping_newlines(a_text);
  const auto b = split_keeping_newlines(b_text);
  std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      lcs[i][j] = a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
  return a.size() + b.size() - 2 * lcs[a.size()][b.size()];
}

std::string numbered_lines(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) text += std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_CASE("unified_diff is empty for equal texts", "[text_diff]") {
  CHECK(unified_diff("", "").empty());
  CHECK(unified_diff("a\nb\n", "a\nb\n").empty());
  CHECK_FALSE(unified_diff("a\n", "b\n").empty());
}

TEST_CASE("unified_diff shows a changed line with its context", "[text_diff]") {
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n") ==
        "--- actual\n"
        "+++ expected\n"
        "@@ -1,3 +1,3 @@\n"
        " a\n"
        "-b\n"
        "+B\n"
        " c\n");
}

TEST_CASE("unified_diff uses the given labels", "[text_diff]") {
  UnifiedDiffOptions options;
  options.old_label = "left";
  options.new_label = "right";
  CHECK(unified_diff("x\n", "y\n", options) == "--- left\n+++ right\n@@ -1 +1 @@\n-x\n+y\n");
}

TEST_CASE("unified_diff writes empty ranges as the line before them", "[text_diff]") {
  CHECK(unified_diff("", "x\ny\n") == "--- actual\n+++ expected\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  CHECK(unified_diff("x\n", "") == "--- actual\n+++ expected\n@@ -1 +0,0 @@\n-x\n");
  UnifiedDiffOptions no_context;
  no_context.context_lines = 0;
  CHECK(unified_diff("a\nb\nc\nd\n", "a\nb\nX\nc\nd\n", no_context) ==
        "--- actual\n+++ expected\n@@ -2,0 +3 @@\n+X\n");
}

TEST_CASE("unified_diff marks a missing final newline", "[text_diff]") {
  CHECK(unified_diff("a\nb", "a\nb\n") ==
        "--- actual\n"
        "+++ expected\n"
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "\\ No newline at end of file\n"
        "+b\n");
  CHECK(unified_diff("a\n", "a\nz") ==
        "--- actual\n+++ expected\n@@ -1 +1,2 @@\n a\n+z\n\\ No newline at end of file\n");
}

TEST_CASE("unified_diff merges changes up to twice the context apart", "[text_diff]") {
  const std::string lines = numbered_lines(1, 20);
  std::string six_apart = lines;
  six_apart.replace(six_apart.find("\n3\n") + 1, 1, "three");
  six_apart.replace(six_apart.find("\n10\n") + 1, 2, "ten");
  CHECK(unified_diff(lines, six_apart) ==
        "--- actual\n+++ expected\n"
        "@@ -1,13 +1,13 @@\n"
        " 1\n 2\n-3\n+three\n 4\n 5\n 6\n 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n");

  std::string seven_apart = lines;
  seven_apart.replace(seven_apart.find("\n3\n") + 1, 1, "three");
  seven_apart.replace(seven_apart.find("\n11\n") + 1, 2, "eleven");
  CHECK(unified_diff(lines, seven_apart) ==
        "--- actual\n+++ expected\n"
        "@@ -1,6 +1,6 @@\n"
        " 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
        "@@ -8,7 +8,7 @@\n"
        " 8\n 9\n 10\n-11\n+eleven\n 12\n 13\n 14\n");
}

TEST_CASE("unified_diff finds a shortest diff that patches old into new", "[text_diff]") {
  std::mt19937 random(20240601);
  for (int round = 0; round < 400; ++round) {
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    std::vector<std::string> a;
    for (int i = pick(40); i > 0; --i) a.push_back(std::string(1, static_cast<char>('a' + pick(6))));
    std::vector<std::string> b = a;
    for (int edits = pick(8); edits > 0; --edits) {
      const int kind = pick(3);
      if (kind == 0 && !b.empty()) b.erase(b.begin() + pick(static_cast<int>(b.size())));
      if (kind == 1) b.insert(b.begin() + pick(static_cast<int>(b.size()) + 1), std::string(1, static_cast<char>('a' + pick(9))));
      if (kind == 2 && !b.empty()) b[static_cast<std::size_t>(pick(static_cast<int>(b.size())))] = "changed";
    }
    std::string a_text, b_text;
    for (const auto& line : a) a_text += line + "\n";
    for (const auto& line : b) b_text += line + "\n";
    if (pick(5) == 0 && !a_text.empty()) a_text.pop_back();
    if (pick(5) == 0 && !b_text.empty()) b_text.pop_back();

    const std::string diff = unified_diff(a_text, b_text);
    INFO("old:\n" << a_text << "\nnew:\n" << b_text << "\ndiff:\n" << diff);
    if (a_text == b_text) {
      CHECK(diff.empty());
      continue;
    }
    REQUIRE(apply_patch(a_text, diff) == b_text);
    REQUIRE(changed_lines(diff) == edit_distance(a_text, b_text));
  }
}

TEST_CASE("unified_diff cuts long output with a note", "[text_diff]") {
  UnifiedDiffOptions options;
  options.max_output_lines = 5;
  const std::string diff = unified_diff(numbered_lines(1, 100), "", options);
  CHECK(diff ==
        "--- actual\n+++ expected\n@@ -1,100 +0,0 @@\n"
        "-1\n-2\n-3\n-4\n-5\n"
        "[diff truncated after 5 lines]\n");
}

TEST_CASE("unified_diff replaces the middle wholesale past max_edit_distance", "[text_diff]") {
  const std::string old_text = "head\na\nb\nc\nd\ntail\n";
  const std::string new_text = "head\na\nX\nc\nY\ntail\n";
  UnifiedDiffOptions options;
  options.max_edit_distance = 2;
  const std::string coarse = unified_diff(old_text, new_text, options);
  CHECK(apply_patch(old_text, coarse) == new_text);
  // Between the common head and tail, b c d and X c Y: all three go, three come.
  CHECK(changed_lines(coarse) == 6);
  CHECK(changed_lines(unified_diff(old_text, new_text)) == 4);
}

TEST_CASE("unified_diff stays fast on large inputs", "[text_diff]") {
  const auto started = std::chrono::steady_clock::now();

  // 200k lines with a handful of scattered changes: still a minimal diff.
  std::string big = numbered_lines(1, 200000);
  std::string edited = big;
  for (const char* line : {"\n1000\n", "\n90000\n", "\n150001\n"}) {
    const std::size_t at = edited.find(line) + 1;
    edited.insert(at, "inserted\n");
  }
  const std::string small_diff = unified_diff(big, edited);
  CHECK(changed_lines(small_diff) == 3);
  CHECK(apply_patch(big, small_diff) == edited);

  // 30k lines with nothing in common: the search gives up, the diff is still valid.
  std::string other;
  for (int i = 0; i < 30000; ++i) other += "other " + std::to_string(i) + "\n";
  UnifiedDiffOptions unlimited_output;
  unlimited_output.max_output_lines = 1'000'000;
  const std::string big_diff = unified_diff(numbered_lines(1, 30000), other, unlimited_output);
  CHECK(changed_lines(big_diff) == 60000);
  CHECK(apply_patch(numbered_lines(1, 30000), big_diff) == other);

  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(elapsed < std::chrono::seconds(20));  // generous: Debug build, busy machine
}
