// Looking at the tested tree for the file assertions: what lies at a path,
// and reading files in ways whose memory does not grow with the file (line
// by line, in chunks, or a bounded excerpt).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hmt {

// What lies at a path: the entry itself (not following a final symlink) and
// what it resolves to.
struct Entry {
  std::filesystem::file_type own = std::filesystem::file_type::not_found;
  std::filesystem::file_type resolved = std::filesystem::file_type::not_found;
  std::string link_target;  // readlink text when `own` is a symlink
  std::string error;        // a failure other than "not found", e.g. EACCES
  bool loops = false;       // a symlink whose chain of links never ends
  std::filesystem::perms permissions = std::filesystem::perms::none;  // of the resolved entry

  bool exists() const { return own != std::filesystem::file_type::not_found; }
  bool is_regular() const { return resolved == std::filesystem::file_type::regular; }
  bool is_directory() const { return resolved == std::filesystem::file_type::directory; }
};

Entry inspect(const std::filesystem::path& path);

// "a regular file", "a directory", "a named pipe"...
std::string_view type_phrase(std::filesystem::file_type type);

// The "but ..." half of a failure message: "it was not found", "found a
// directory", "found a dangling symlink to 'x'". Follows a final symlink
// unless told not to.
std::string found_phrase(const Entry& entry, bool follow_links = true);

std::string errno_text(int code);

// Reads a file one line at a time (without the '\n'), so a large file costs
// the memory of its longest line.
class LineReader {
 public:
  explicit LineReader(const std::filesystem::path& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  std::optional<std::string_view> next();
  // Empty unless opening or reading failed.
  std::string error() const;

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

// The first line for which matches(line) holds.
template <class Predicate>
LineMatch find_line(const std::filesystem::path& path, Predicate matches) {
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

// The start of a file (at most `bytes`) for `actual`, with a note when
// there is more.
std::string excerpt(const std::filesystem::path& path, std::size_t bytes);

// Whole file, or nullopt with the strerror text in error_text.
std::optional<std::string> read_whole(const std::filesystem::path& path, std::string& error_text);

struct Comparison {
  std::optional<std::uintmax_t> first_difference;  // 0-based byte offset; nullopt when equal
  std::string error;                               // strerror text, naming the file
};

// Compares two files in chunks, so equal large files cost no memory.
Comparison compare_files(const std::filesystem::path& actual, const std::filesystem::path& expected);

struct Listing {
  std::vector<std::string> names;  // sorted
  std::string error;
};

Listing list_directory(const std::filesystem::path& path);

}  // namespace hmt
