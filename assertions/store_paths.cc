#include "assertions/store_paths.h"

#include <sys/types.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

#include <fmt/core.h>

#include "assertions/paths.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

bool is_hash_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) {
  return is_letter(c) || (c >= '0' && c <= '9') || std::strchr("+._?=", c) != nullptr;
}

constexpr std::size_t kHashLength = 32;
constexpr std::string_view kNormalStorePrefix = "/nix/store/00000000000000000000000000000000";

// After a store hash, nmt keeps the dash-separated name words that start with
// a letter and drops everything from the first word that does not (usually a
// version) up to the end of the run of name characters and dashes. Returns
// how many characters the store path spans after the hash, and how many of
// them are kept.
std::pair<std::size_t, std::size_t> name_part(std::string_view rest) {
  std::size_t kept = 0;
  std::size_t pos = 0;
  bool keeping = true;
  while (pos < rest.size() && rest[pos] == '-') {
    std::size_t word_end = pos + 1;
    while (word_end < rest.size() && is_name_char(rest[word_end])) ++word_end;
    if (keeping && word_end > pos + 1 && is_letter(rest[pos + 1]))
      kept = word_end;
    else
      keeping = false;
    pos = word_end;
  }
  return {pos, kept};
}

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

File open_file(const fs::path& path, const char* mode) { return {std::fopen(path.c_str(), mode), &std::fclose}; }

}  // namespace

std::string normalize_store_path_text(std::string_view text, std::string_view store_dir) {
  std::string prefix(store_dir);
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  prefix += '/';

  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t found = text.find(prefix, pos);
    if (found == std::string_view::npos) break;
    const std::size_t hash_start = found + prefix.size();
    std::size_t hash_end = hash_start;
    while (hash_end < text.size() && hash_end - hash_start < kHashLength && is_hash_char(text[hash_end]))
      ++hash_end;
    if (hash_end - hash_start < kHashLength) {
      // Not a store path; step one character so a later prefix still matches.
      out.append(text.substr(pos, found + 1 - pos));
      pos = found + 1;
      continue;
    }
    const auto [span, kept] = name_part(text.substr(hash_end));
    out.append(text.substr(pos, found - pos));
    out.append(kNormalStorePrefix);
    out.append(text.substr(hash_end, kept));
    pos = hash_end + span;
  }
  out.append(text.substr(pos));
  return out;
}

ResolvedPath normalize_store_paths(std::string_view arg, const AssertionContext& context) {
  ResolvedPath source = resolve_tested_path(arg, context);
  if (!source.ok()) return source;
  std::error_code ec;
  if (!fs::is_regular_file(source.path, ec))
    return {{}, fmt::format("cannot normalize '{}': no such file", arg)};
  if (context.work_dir.empty())
    return {{}, fmt::format("cannot normalize '{}': no work dir to write the copy to", arg)};

  const fs::path target_dir = fs::absolute(context.work_dir, ec) / "normalized";
  fs::create_directories(target_dir, ec);
  if (ec) return {{}, fmt::format("cannot create '{}': {}", target_dir.string(), ec.message())};
  const fs::path target = target_dir / source.path.filename();
  // Written beside the target and renamed, so normalizing a copy again does
  // not truncate the file being read.
  fs::path partial = target;
  partial += ".partial";

  File in = open_file(source.path, "rb");
  if (!in) return {{}, fmt::format("cannot read '{}': {}", arg, std::strerror(errno))};
  File out = open_file(partial, "wb");
  if (!out) return {{}, fmt::format("cannot write '{}': {}", partial.string(), std::strerror(errno))};

  // Store paths never span lines, so lines can be rewritten one at a time.
  char* buffer = nullptr;
  std::size_t capacity = 0;
  ssize_t length;
  bool write_failed = false;
  while (!write_failed && (length = ::getline(&buffer, &capacity, in.get())) >= 0) {
    const std::string line =
        normalize_store_path_text({buffer, static_cast<std::size_t>(length)}, context.store_dir.string());
    write_failed = std::fwrite(line.data(), 1, line.size(), out.get()) != line.size();
  }
  std::free(buffer);
  if (std::ferror(in.get()))
    return {{}, fmt::format("cannot read '{}': {}", arg, std::strerror(errno))};
  if (write_failed || std::fclose(out.release()) != 0)
    return {{}, fmt::format("cannot write '{}': {}", partial.string(), std::strerror(errno))};

  // Keep the mode so executable checks on the copy agree with the original.
  fs::permissions(partial, fs::status(source.path, ec).permissions(), ec);
  fs::rename(partial, target, ec);
  if (ec) return {{}, fmt::format("cannot write '{}': {}", target.string(), ec.message())};
  return {target, {}};
}

}  // namespace hmt
