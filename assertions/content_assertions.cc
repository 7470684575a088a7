// nmt's assertions on what a file holds: assertFileContains, assertFileRegex,
// assertFileNotRegex (grep's semantics, POSIX basic regexes) and
// assertFileContent (a unified diff on failure). Files are streamed line by
// line, never read whole just to search them.
#include <regex.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "assertions/assertion.h"
#include "assertions/file_checks.h"
#include "assertions/file_probe.h"
#include "assertions/paths.h"
#include "assertions/text_diff.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

using namespace file_checks;

// How much of a file a failure shows, and the largest files assertFileContent
// still diffs line by line.
constexpr std::size_t kExcerptBytes = 4096;
constexpr std::uintmax_t kMaxDiffBytes = 8 * 1024 * 1024;

// A short, single-line form of a user's text for a message; the whole text
// goes into `expected`.
std::string snippet(std::string_view text) {
  constexpr std::size_t kLength = 60;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const std::string_view shown = first_line.substr(0, kLength);
  return shown.size() < text.size() ? fmt::format("{}…", shown) : std::string(shown);
}

// grep takes a pattern with newlines as a list of patterns, one per line,
// including an empty one after a trailing newline (which matches any line).
std::vector<std::string> split_patterns(std::string_view text) {
  std::vector<std::string> patterns;
  std::size_t start = 0;
  for (std::size_t newline; (newline = text.find('\n', start)) != std::string_view::npos;
       start = newline + 1)
    patterns.emplace_back(text.substr(start, newline - start));
  patterns.emplace_back(text.substr(start));
  return patterns;
}

// grep's pattern list as POSIX basic regexes.
class BasicRegexList {
 public:
  explicit BasicRegexList(std::string_view text) {
    for (const std::string& pattern : split_patterns(text)) {
      auto compiled = std::make_unique<Compiled>();
      const int code = regcomp(&compiled->regex, pattern.c_str(), REG_NOSUB);
      if (code != 0) {
        std::array<char, 256> message{};
        regerror(code, &compiled->regex, message.data(), message.size());
        error_ = fmt::format("invalid regex '{}': {}", pattern, message.data());
        return;
      }
      compiled->valid = true;
      regexes_.push_back(std::move(compiled));
    }
  }

  const std::string& error() const { return error_; }

  // REG_STARTEND bounds the match by length, so NUL bytes in a line are
  // matched as data, as grep does.
  bool matches(std::string_view line) const {
    return std::any_of(regexes_.begin(), regexes_.end(), [line](const auto& compiled) {
      regmatch_t bounds{0, static_cast<regoff_t>(line.size())};
      return regexec(&compiled->regex, line.data(), 1, &bounds, REG_STARTEND) == 0;
    });
  }

 private:
  // regex_t may hold pointers into itself, so each one stays where it was
  // compiled.
  struct Compiled {
    regex_t regex{};
    bool valid = false;
    ~Compiled() {
      if (valid) regfree(&regex);
    }
  };
  std::vector<std::unique_ptr<Compiled>> regexes_;
  std::string error_;
};

AssertionResult assert_file_contains(const Invocation& call, const AssertionContext& context) {
  const std::string_view text = arg(call, 1);
  const TestedFile file =
      tested_regular_file(call, context, fmt::format("to contain '{}'", snippet(text)));
  if (file.problem) return *file.problem;
  const std::vector<std::string> patterns = split_patterns(text);
  const LineMatch match = find_line(file.path, [&patterns](std::string_view line) {
    return std::any_of(patterns.begin(), patterns.end(), [line](const std::string& pattern) {
      return line.find(pattern) != std::string_view::npos;
    });
  });
  if (!match.error.empty())
    return error(call, fmt::format("cannot read '{}': {}", arg(call, 0), match.error));
  if (match.number == 0) {
    AssertionResult result = fail(call, fmt::format("Expected file '{}' to contain '{}' but it does not.",
                                                    arg(call, 0), snippet(text)));
    result.expected = std::string(text);
    result.actual = excerpt(file.path, kExcerptBytes);
    return result;
  }
  return pass(call, fmt::format("File '{}' contains '{}' (line {}).", arg(call, 0), snippet(text),
                                match.number));
}

// assertFileRegex and assertFileNotRegex: grep's basic regexes, line by line.
AssertionResult check_regex(const Invocation& call, const AssertionContext& context,
                            bool should_match) {
  const std::string_view pattern = arg(call, 1);
  const std::string want = fmt::format("{}to match regex '{}'", should_match ? "" : "not ", snippet(pattern));
  const BasicRegexList regexes(pattern);
  if (!regexes.error().empty()) return error(call, regexes.error());
  const TestedFile file = tested_regular_file(call, context, want);
  if (file.problem && !should_match && file.problem->status == Status::Fail) {
    // nmt greps the file: in one that is missing or not a file nothing
    // matches, so assertFileNotRegex holds (home-manager's tests rely on it).
    const Entry entry = inspect(resolve_tested_path(arg(call, 0), context).path);
    return pass(call, fmt::format("File '{}' does not match regex '{}': {}.", arg(call, 0), snippet(pattern),
                                  found_phrase(entry)));
  }
  if (file.problem) return *file.problem;
  const LineMatch match =
      find_line(file.path, [&regexes](std::string_view line) { return regexes.matches(line); });
  if (!match.error.empty())
    return error(call, fmt::format("cannot read '{}': {}", arg(call, 0), match.error));

  if (should_match && match.number == 0) {
    AssertionResult result =
        fail(call, fmt::format("Expected file '{}' {} but no line does.", arg(call, 0), want));
    result.expected = std::string(pattern);
    result.actual = excerpt(file.path, kExcerptBytes);
    return result;
  }
  if (!should_match && match.number != 0) {
    AssertionResult result = fail(call, fmt::format("Expected file '{}' {} but line {} does.",
                                                    arg(call, 0), want, match.number));
    result.expected = std::string(pattern);
    result.actual = match.line;
    return result;
  }
  if (should_match)
    return pass(call, fmt::format("File '{}' matches regex '{}' (line {}).", arg(call, 0),
                                  snippet(pattern), match.number));
  return pass(call, fmt::format("File '{}' does not match regex '{}'.", arg(call, 0), snippet(pattern)));
}

AssertionResult assert_file_regex(const Invocation& call, const AssertionContext& context) {
  return check_regex(call, context, true);
}

AssertionResult assert_file_not_regex(const Invocation& call, const AssertionContext& context) {
  return check_regex(call, context, false);
}

// A pipe (`<(...)` gives /dev/fd/N) can be read once, but comparing and
// diffing read the expected file twice: it is copied into the work dir.
std::optional<std::string> copy_stream_to_work_dir(ResolvedPath& expected, const AssertionContext& context) {
  if (context.work_dir.empty()) return "there is no work dir to copy it to";
  std::ifstream in(expected.path, std::ios::binary);
  if (!in) return fmt::format("cannot open {}", expected.path.string());
  const fs::path copy = context.work_dir / fmt::format("expected-stream-{}", expected.path.filename().string());
  std::ofstream out(copy, std::ios::binary | std::ios::trunc);
  out << in.rdbuf();
  out.close();
  if (!out) return fmt::format("cannot write {}", copy.string());
  expected.path = copy;
  return std::nullopt;
}

AssertionResult assert_file_content(const Invocation& call, const AssertionContext& context) {
  const std::string_view expected_arg = arg(call, 1);
  ResolvedPath expected = resolve_expected_path(expected_arg, context);
  if (!expected.ok()) return error(call, expected.error);
  Entry expected_entry = inspect(expected.path);
  if (!expected_entry.error.empty()) return error(call, expected_entry.error);
  if (expected_entry.resolved == fs::file_type::fifo || expected_entry.resolved == fs::file_type::character) {
    if (auto problem = copy_stream_to_work_dir(expected, context))
      return error(call, fmt::format("expected file '{}' cannot be read: {}.", expected_arg, *problem));
    expected_entry = inspect(expected.path);
  }
  if (!expected_entry.is_regular())
    return error(call, fmt::format("expected file '{}' cannot be compared: {}.", expected_arg,
                                   found_phrase(expected_entry)));

  const TestedFile file = tested_regular_file(
      call, context, fmt::format("to have the same content as '{}'", expected_arg));
  if (file.problem) return *file.problem;

  const Comparison comparison = compare_files(file.path, expected.path);
  if (!comparison.error.empty()) return error(call, comparison.error);
  if (!comparison.first_difference)
    return pass(call, fmt::format("File '{}' has the same content as '{}'.", arg(call, 0), expected_arg));

  std::error_code ec;
  const std::uintmax_t actual_size = fs::file_size(file.path, ec);
  const std::uintmax_t expected_size = fs::file_size(expected.path, ec);
  const std::string want =
      fmt::format("Expected file '{}' to have the same content as '{}' but", arg(call, 0), expected_arg);
  // cmp counts bytes from 1.
  const std::string sizes = fmt::format("({} vs {} bytes, first difference at byte {})", actual_size,
                                        expected_size, *comparison.first_difference + 1);

  auto differ = [&](std::string message) {
    AssertionResult result = fail(call, std::move(message));
    result.expected_path = expected.path.string();
    result.actual_path = file.path.string();
    return result;
  };
  if (actual_size > kMaxDiffBytes || expected_size > kMaxDiffBytes)
    return differ(fmt::format("{} they differ and are too large to diff {}.", want, sizes));

  std::string read_error;
  const auto actual_text = read_whole(file.path, read_error);
  if (!actual_text) return error(call, fmt::format("cannot read '{}': {}", arg(call, 0), read_error));
  const auto expected_text = read_whole(expected.path, read_error);
  if (!expected_text) return error(call, fmt::format("cannot read '{}': {}", expected_arg, read_error));

  const auto is_binary = [](const std::string& text) { return text.find('\0') != std::string::npos; };
  if (is_binary(*actual_text) || is_binary(*expected_text))
    return differ(fmt::format("{} binary files differ {}.", want, sizes));

  AssertionResult result = differ(fmt::format("{} they differ.", want));
  result.diff = unified_diff(*actual_text, *expected_text);
  return result;
}

constexpr std::array kSpecs{
    AssertionSpec{"assertFileContains", 2, 2, &assert_file_contains, "assertFileContains PATH TEXT"},
    AssertionSpec{"assertFileRegex", 2, 2, &assert_file_regex, "assertFileRegex PATH REGEX"},
    AssertionSpec{"assertFileNotRegex", 2, 2, &assert_file_not_regex, "assertFileNotRegex PATH REGEX"},
    AssertionSpec{"assertFileContent", 2, 2, &assert_file_content, "assertFileContent PATH EXPECTED_FILE"},
};

}  // namespace

std::span<const AssertionSpec> content_assertion_specs() { return kSpecs; }

}  // namespace hmt
