// nmt's file assertions. Each one resolves its path through the path policy
// (paths.h), inspects the tested tree and says in one sentence what it
// expected and what it found. Files are streamed line by line, never read
// whole just to search them.
#include <regex.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/core.h>

#include "assertions/assertion.h"
#include "assertions/paths.h"
#include "assertions/text_diff.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

// How much of a file a failure shows, and the largest files assertFileContent
// still diffs line by line.
constexpr std::size_t kExcerptBytes = 4096;
constexpr std::uintmax_t kMaxDiffBytes = 8 * 1024 * 1024;
// Entries assertDirectoryEmpty names in its message and lists in `actual`.
constexpr std::size_t kEntriesInMessage = 10;
constexpr std::size_t kEntriesListed = 200;

// The registry checks argument counts; a missing argument reads as empty so
// that a direct call can never index past the end.
std::string_view arg(const Invocation& call, std::size_t index) {
  return index < call.args.size() ? std::string_view(call.args[index]) : std::string_view();
}

AssertionResult pass(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Pass, std::move(message));
}
AssertionResult fail(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Fail, std::move(message));
}
AssertionResult error(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Error, std::move(message));
}

// What lies at a path: the entry itself (not following a final symlink) and
// what it resolves to.
struct Entry {
  fs::file_type own = fs::file_type::not_found;
  fs::file_type resolved = fs::file_type::not_found;
  std::string link_target;  // readlink text when `own` is a symlink
  std::string error;        // a failure other than "not found", e.g. EACCES
  bool loops = false;       // a symlink whose chain of links never ends
  fs::perms permissions = fs::perms::none;  // of the resolved entry

  bool exists() const { return own != fs::file_type::not_found; }
  bool is_regular() const { return resolved == fs::file_type::regular; }
  bool is_directory() const { return resolved == fs::file_type::directory; }
};

Entry inspect(const fs::path& path) {
  Entry entry;
  std::error_code ec;
  const fs::file_status own = fs::symlink_status(path, ec);
  if (ec && own.type() != fs::file_type::not_found) {
    entry.error = fmt::format("cannot inspect '{}': {}", path.string(), ec.message());
    return entry;
  }
  entry.own = own.type();
  if (entry.own == fs::file_type::not_found) return entry;
  if (entry.own == fs::file_type::symlink) {
    entry.link_target = fs::read_symlink(path, ec).string();
    const fs::file_status resolved = fs::status(path, ec);
    entry.loops = ec.value() == ELOOP;
    // A link that cannot be followed (loop, unreadable parent) resolves to nothing.
    entry.resolved = resolved.type() == fs::file_type::none ? fs::file_type::not_found : resolved.type();
    entry.permissions = resolved.permissions();
  } else {
    entry.resolved = entry.own;
    entry.permissions = own.permissions();
  }
  return entry;
}

std::string_view type_phrase(fs::file_type type) {
  switch (type) {
    case fs::file_type::regular: return "a regular file";
    case fs::file_type::directory: return "a directory";
    case fs::file_type::symlink: return "a symlink";
    case fs::file_type::fifo: return "a named pipe";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block:
    case fs::file_type::character: return "a device file";
    default: return "a special file";
  }
}

// The "but ..." half of a failure message: "it was not found", "found a
// directory", "found a dangling symlink to 'x'". Follows a final symlink
// unless told not to.
std::string found_phrase(const Entry& entry, bool follow_links = true) {
  if (!entry.exists()) return "it was not found";
  if (entry.own == fs::file_type::symlink) {
    if (!follow_links) return fmt::format("found a symlink to '{}'", entry.link_target);
    if (entry.loops) return fmt::format("found a symlink to '{}' that loops", entry.link_target);
    if (entry.resolved == fs::file_type::not_found)
      return fmt::format("found a dangling symlink to '{}'", entry.link_target);
  }
  return fmt::format("found {}", type_phrase(entry.resolved));
}

// A short, single-line form of a user's text for a message; the whole text
// goes into `expected`.
std::string snippet(std::string_view text) {
  constexpr std::size_t kLength = 60;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const std::string_view shown = first_line.substr(0, kLength);
  return shown.size() < text.size() ? fmt::format("{}…", shown) : std::string(shown);
}

std::string errno_text(int code) { return std::strerror(code); }

// Reads a file one line at a time (without the '\n'), so a large file costs
// the memory of its longest line.
class LineReader {
 public:
  explicit LineReader(const fs::path& path)
      : file_(std::fopen(path.c_str(), "rb")), errno_(file_ ? 0 : errno) {}
  ~LineReader() {
    if (file_) std::fclose(file_);
    std::free(buffer_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  std::optional<std::string_view> next() {
    if (!file_) return std::nullopt;
    errno = 0;
    const ssize_t length = ::getline(&buffer_, &capacity_, file_);
    if (length < 0) {
      if (std::ferror(file_)) errno_ = errno;
      return std::nullopt;
    }
    std::string_view line(buffer_, static_cast<std::size_t>(length));
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    return line;
  }

  // Empty unless opening or reading failed.
  std::string error() const { return errno_ ? errno_text(errno_) : std::string(); }

 private:
  std::FILE* file_;
  int errno_;
  char* buffer_ = nullptr;
  std::size_t capacity_ = 0;
};

struct LineMatch {
  std::size_t number = 0;  // 1-based; 0 when no line matched
  std::string line;
  std::string error;  // strerror text when the file could not be read
};

template <class Predicate>
LineMatch find_line(const fs::path& path, Predicate matches) {
  LineReader reader(path);
  LineMatch match;
  std::size_t number = 0;
  while (const auto line = reader.next()) {
    ++number;
    if (matches(*line)) {
      match.number = number;
      match.line = std::string(*line);
      return match;
    }
  }
  match.error = reader.error();
  return match;
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

// The start of a file for `actual`, with a note when there is more.
std::string excerpt(const fs::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return {};
  std::string text(kExcerptBytes, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file.get()));
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > text.size())
    text += fmt::format("\n[truncated: first {} of {} bytes shown]", text.size(), size);
  return text;
}

// Resolves the PATH argument and checks it names a regular file; the
// assertion's own failure wording goes in `want` ("to contain 'x'").
struct TestedFile {
  fs::path path;
  Entry entry;
  std::optional<AssertionResult> problem;  // set when the assertion cannot go on
};

TestedFile tested_regular_file(const Invocation& call, const AssertionContext& context,
                               std::string_view want) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return {{}, {}, error(call, resolved.error)};
  Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return {{}, {}, error(call, entry.error)};
  if (!entry.is_regular())
    return {{}, {}, fail(call, fmt::format("Expected file '{}' {} but {}.", arg(call, 0), want,
                                            found_phrase(entry)))};
  return {resolved.path, std::move(entry), std::nullopt};
}

// --- existence ---------------------------------------------------------------

AssertionResult assert_file_exists(const Invocation& call, const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "to exist");
  if (file.problem) return *file.problem;
  return pass(call, fmt::format("File '{}' exists.", arg(call, 0)));
}

AssertionResult assert_path_not_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.exists())
    return fail(call, fmt::format("Expected '{}' not to exist but {}.", arg(call, 0),
                                  found_phrase(entry, /*follow_links=*/false)));
  return pass(call, fmt::format("Path '{}' does not exist.", arg(call, 0)));
}

AssertionResult assert_directory_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (!entry.is_directory())
    return fail(call, fmt::format("Expected directory '{}' to exist but {}.", arg(call, 0),
                                  found_phrase(entry)));
  return pass(call, fmt::format("Directory '{}' exists.", arg(call, 0)));
}

// --- permissions -------------------------------------------------------------

// Any execute bit, rather than access(2), so the verdict does not depend on
// who runs the tests (root may execute anything with one bit set).
bool is_executable(fs::perms permissions) {
  return (permissions & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) !=
         fs::perms::none;
}

std::string mode_text(fs::perms permissions) {
  return fmt::format("{:04o}", static_cast<unsigned>(permissions & fs::perms::mask));
}

AssertionResult assert_file_is_executable(const Invocation& call, const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "to be executable");
  if (file.problem) return *file.problem;
  const fs::perms permissions = file.entry.permissions;
  if (!is_executable(permissions))
    return fail(call, fmt::format("Expected file '{}' to be executable but its mode is {}.",
                                  arg(call, 0), mode_text(permissions)));
  return pass(call, fmt::format("File '{}' is executable (mode {}).", arg(call, 0), mode_text(permissions)));
}

AssertionResult assert_file_is_not_executable(const Invocation& call,
                                              const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "not to be executable");
  if (file.problem) return *file.problem;
  const fs::perms permissions = file.entry.permissions;
  if (is_executable(permissions))
    return fail(call, fmt::format("Expected file '{}' not to be executable but its mode is {}.",
                                  arg(call, 0), mode_text(permissions)));
  return pass(call,
              fmt::format("File '{}' is not executable (mode {}).", arg(call, 0), mode_text(permissions)));
}

// --- content -----------------------------------------------------------------

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
    result.actual = excerpt(file.path);
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
  if (file.problem) return *file.problem;
  const LineMatch match =
      find_line(file.path, [&regexes](std::string_view line) { return regexes.matches(line); });
  if (!match.error.empty())
    return error(call, fmt::format("cannot read '{}': {}", arg(call, 0), match.error));

  if (should_match && match.number == 0) {
    AssertionResult result =
        fail(call, fmt::format("Expected file '{}' {} but no line does.", arg(call, 0), want));
    result.expected = std::string(pattern);
    result.actual = excerpt(file.path);
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

// Whole file, or the strerror text.
std::optional<std::string> read_whole(const fs::path& path, std::string& error_text) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    error_text = errno_text(errno);
    return std::nullopt;
  }
  std::string content;
  std::array<char, 65536> chunk{};
  std::size_t got;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) content.append(chunk.data(), got);
  if (std::ferror(file.get())) {
    error_text = errno_text(errno);
    return std::nullopt;
  }
  return content;
}

struct Comparison {
  std::optional<std::uintmax_t> first_difference;  // 0-based byte offset; nullopt when equal
  std::string error;                               // strerror text, naming the file
};

// Compares two files in chunks, so equal large files cost no memory.
Comparison compare_files(const fs::path& actual, const fs::path& expected) {
  using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;
  File a(std::fopen(actual.c_str(), "rb"), &std::fclose);
  if (!a) return {std::nullopt, fmt::format("cannot read '{}': {}", actual.string(), errno_text(errno))};
  File b(std::fopen(expected.c_str(), "rb"), &std::fclose);
  if (!b) return {std::nullopt, fmt::format("cannot read '{}': {}", expected.string(), errno_text(errno))};

  std::vector<char> a_chunk(65536);
  std::vector<char> b_chunk(65536);
  std::uintmax_t offset = 0;
  while (true) {
    const std::size_t a_got = std::fread(a_chunk.data(), 1, a_chunk.size(), a.get());
    const std::size_t b_got = std::fread(b_chunk.data(), 1, b_chunk.size(), b.get());
    if (std::ferror(a.get()))
      return {std::nullopt, fmt::format("cannot read '{}': {}", actual.string(), errno_text(errno))};
    if (std::ferror(b.get()))
      return {std::nullopt, fmt::format("cannot read '{}': {}", expected.string(), errno_text(errno))};
    const std::size_t common = std::min(a_got, b_got);
    const auto mismatch = std::mismatch(a_chunk.begin(), a_chunk.begin() + static_cast<std::ptrdiff_t>(common),
                                        b_chunk.begin());
    const auto same = static_cast<std::uintmax_t>(mismatch.first - a_chunk.begin());
    if (same < common || a_got != b_got) return {offset + same, {}};
    if (a_got == 0) return {std::nullopt, {}};
    offset += a_got;
  }
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

// --- links -------------------------------------------------------------------

AssertionResult assert_link_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.own != fs::file_type::symlink)
    return fail(call, fmt::format("Expected '{}' to be a symlink but {}.", arg(call, 0), found_phrase(entry)));
  return pass(call, fmt::format("Symlink '{}' points to '{}'.", arg(call, 0), entry.link_target));
}

AssertionResult assert_link_points_to(const Invocation& call, const AssertionContext& context) {
  const std::string_view target = arg(call, 1);
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.own != fs::file_type::symlink)
    return fail(call, fmt::format("Expected '{}' to be a symlink to '{}' but {}.", arg(call, 0), target,
                                  found_phrase(entry)));
  if (entry.link_target != target) {
    AssertionResult result = fail(call, fmt::format("Expected symlink '{}' to point to '{}' but it points to '{}'.",
                                                    arg(call, 0), target, entry.link_target));
    result.expected = std::string(target);
    result.actual = entry.link_target;
    return result;
  }
  return pass(call, fmt::format("Symlink '{}' points to '{}'.", arg(call, 0), target));
}

// --- directories -------------------------------------------------------------

struct Listing {
  std::vector<std::string> names;  // sorted
  std::string error;
};

Listing list_directory(const fs::path& path) {
  Listing listing;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    listing.names.push_back(it->path().filename().string());
  if (ec) listing.error = fmt::format("cannot list '{}': {}", path.string(), ec.message());
  std::sort(listing.names.begin(), listing.names.end());
  return listing;
}

std::string join_names(const std::vector<std::string>& names, std::size_t limit, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i > 0) joined += separator;
    joined += names[i];
  }
  if (names.size() > limit) joined += fmt::format("{}and {} more", separator, names.size() - limit);
  return joined;
}

// assertDirectoryEmpty and assertDirectoryNotEmpty.
AssertionResult check_directory_empty(const Invocation& call, const AssertionContext& context,
                                      bool should_be_empty) {
  const std::string_view want = should_be_empty ? "to be empty" : "not to be empty";
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (!entry.is_directory())
    return fail(call, fmt::format("Expected directory '{}' {} but {}.", arg(call, 0), want, found_phrase(entry)));
  const Listing listing = list_directory(resolved.path);
  if (!listing.error.empty()) return error(call, listing.error);

  const std::size_t count = listing.names.size();
  if (should_be_empty && count > 0) {
    AssertionResult result =
        fail(call, fmt::format("Expected directory '{}' to be empty but it contains {} {}: {}.", arg(call, 0),
                               count, count == 1 ? "entry" : "entries",
                               join_names(listing.names, kEntriesInMessage, ", ")));
    result.actual = join_names(listing.names, kEntriesListed, "\n");
    return result;
  }
  if (!should_be_empty && count == 0)
    return fail(call, fmt::format("Expected directory '{}' not to be empty but it is.", arg(call, 0)));
  if (should_be_empty) return pass(call, fmt::format("Directory '{}' is empty.", arg(call, 0)));
  return pass(call, fmt::format("Directory '{}' contains {} {}.", arg(call, 0), count,
                                count == 1 ? "entry" : "entries"));
}

AssertionResult assert_directory_empty(const Invocation& call, const AssertionContext& context) {
  return check_directory_empty(call, context, true);
}

AssertionResult assert_directory_not_empty(const Invocation& call, const AssertionContext& context) {
  return check_directory_empty(call, context, false);
}

// --- fail --------------------------------------------------------------------

// nmt's `fail` prints its arguments like echo: joined by spaces.
AssertionResult assert_fail(const Invocation& call, const AssertionContext&) {
  std::string message;
  for (const std::string& word : call.args) {
    if (!message.empty()) message += ' ';
    message += word;
  }
  AssertionResult result = fail(call, std::move(message));
  result.file.clear();
  return result;
}

constexpr std::array kSpecs{
    AssertionSpec{"assertFileExists", 1, 1, &assert_file_exists, "assertFileExists PATH"},
    AssertionSpec{"assertPathNotExists", 1, 1, &assert_path_not_exists, "assertPathNotExists PATH"},
    AssertionSpec{"assertFileIsExecutable", 1, 1, &assert_file_is_executable,
                  "assertFileIsExecutable PATH"},
    AssertionSpec{"assertFileIsNotExecutable", 1, 1, &assert_file_is_not_executable,
                  "assertFileIsNotExecutable PATH"},
    AssertionSpec{"assertFileContains", 2, 2, &assert_file_contains, "assertFileContains PATH TEXT"},
    AssertionSpec{"assertFileRegex", 2, 2, &assert_file_regex, "assertFileRegex PATH REGEX"},
    AssertionSpec{"assertFileNotRegex", 2, 2, &assert_file_not_regex, "assertFileNotRegex PATH REGEX"},
    AssertionSpec{"assertFileContent", 2, 2, &assert_file_content, "assertFileContent PATH EXPECTED_FILE"},
    AssertionSpec{"assertLinkExists", 1, 1, &assert_link_exists, "assertLinkExists PATH"},
    AssertionSpec{"assertLinkPointsTo", 2, 2, &assert_link_points_to, "assertLinkPointsTo PATH TARGET"},
    AssertionSpec{"assertDirectoryExists", 1, 1, &assert_directory_exists, "assertDirectoryExists PATH"},
    AssertionSpec{"assertDirectoryEmpty", 1, 1, &assert_directory_empty, "assertDirectoryEmpty PATH"},
    AssertionSpec{"assertDirectoryNotEmpty", 1, 1, &assert_directory_not_empty,
                  "assertDirectoryNotEmpty PATH"},
    AssertionSpec{"fail", 1, -1, &assert_fail, "fail MESSAGE..."},
};

}  // namespace

std::span<const AssertionSpec> file_assertion_specs() { return kSpecs; }

}  // namespace hmt
