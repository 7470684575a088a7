#include "assertions/file_probe.h"

#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <system_error>

#include <fmt/core.h>

namespace hmt {

namespace fs = std::filesystem;

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

std::string found_phrase(const Entry& entry, bool follow_links) {
  if (!entry.exists()) return "it was not found";
  if (entry.own == fs::file_type::symlink) {
    if (!follow_links) return fmt::format("found a symlink to '{}'", entry.link_target);
    if (entry.loops) return fmt::format("found a symlink to '{}' that loops", entry.link_target);
    if (entry.resolved == fs::file_type::not_found)
      return fmt::format("found a dangling symlink to '{}'", entry.link_target);
  }
  return fmt::format("found {}", type_phrase(entry.resolved));
}

std::string errno_text(int code) { return std::strerror(code); }

LineReader::LineReader(const fs::path& path)
    : file_(std::fopen(path.c_str(), "rb")), errno_(file_ ? 0 : errno) {}

LineReader::~LineReader() {
  if (file_) std::fclose(file_);
  std::free(buffer_);
}

std::optional<std::string_view> LineReader::next() {
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

std::string LineReader::error() const { return errno_ ? errno_text(errno_) : std::string(); }

std::string excerpt(const fs::path& path, std::size_t bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return {};
  std::string text(bytes, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file.get()));
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > text.size())
    text += fmt::format("\n[truncated: first {} of {} bytes shown]", text.size(), size);
  return text;
}

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

Listing list_directory(const fs::path& path) {
  Listing listing;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    listing.names.push_back(it->path().filename().string());
  if (ec) listing.error = fmt::format("cannot list '{}': {}", path.string(), ec.message());
  std::sort(listing.names.begin(), listing.names.end());
  return listing;
}

}  // namespace hmt
