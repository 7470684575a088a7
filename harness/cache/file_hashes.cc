#include "harness/cache/file_hashes.h"

#include "harness/cache/atomic_write.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "harness/cache/digest.h"

namespace hmt {

namespace {

constexpr std::int64_t kRacyWindowNs = 2'000'000'000;
constexpr std::string_view kHeader = "hmt-file-hashes 1";

std::int64_t system_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::string hash_link(const std::string& path) {
  std::string target(4096, '\0');
  const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) return "?";
  target.resize(static_cast<std::size_t>(n));
  return "l" + sha1_hex(target);
}

std::string hash_contents(const std::string& path, bool executable) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "?";
  Digest digest;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    digest.bytes(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return "?";
  return (executable ? "x" : "f") + digest.hex();
}

}  // namespace

FileHashes::FileHashes(std::filesystem::path memory, Clock clock)
    : memory_(std::move(memory)), clock_(clock ? std::move(clock) : Clock(system_now_ns)) {
  load();
}

void FileHashes::load() {
  if (memory_.empty()) return;
  std::ifstream in(memory_, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return;
  // hash TAB size TAB mtime TAB inode TAB path
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Entry entry;
    char tab = 0;
    if (!(fields >> entry.hash >> entry.size >> entry.mtime_ns >> entry.inode) || !fields.get(tab) || tab != '\t')
      continue;
    std::string path;
    std::getline(fields, path);
    if (!path.empty()) entries_[path] = std::move(entry);
  }
}

std::string FileHashes::of(const std::filesystem::path& path) {
  const std::string name = path.string();
  struct stat st {};
  if (::lstat(name.c_str(), &st) != 0) return errno == ENOENT || errno == ENOTDIR ? "-" : "?";
  if (S_ISLNK(st.st_mode)) return hash_link(name);
  if (S_ISDIR(st.st_mode)) return "d";
  if (!S_ISREG(st.st_mode)) return "?";
  const bool executable = (st.st_mode & S_IXUSR) != 0;
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(name); it != entries_.end()) {
      Entry& known = it->second;
      if (known.size == static_cast<std::uintmax_t>(st.st_size) && known.mtime_ns == mtime_ns(st) &&
          known.inode == st.st_ino && !known.hash.empty() && (known.hash[0] == 'x') == executable) {
        known.used = true;
        return known.hash;
      }
    }
  }
  std::string hash = hash_contents(name, executable);
  std::lock_guard lock(mutex_);
  ++files_read_;
  if (hash == "?") return hash;
  Entry& entry = entries_[name];
  entry = Entry{static_cast<std::uintmax_t>(st.st_size), mtime_ns(st), st.st_ino, hash, true};
  // Changed within the racy window: it may change again without its mtime
  // moving on, so it is hashed again next time.
  if (clock_() - entry.mtime_ns < kRacyWindowNs) entry.hash.clear();
  return hash;
}

void FileHashes::save() {
  if (memory_.empty()) return;
  std::lock_guard lock(mutex_);
  std::string contents = std::string(kHeader) + '\n';
  // Entries of files this run did not look at are kept: other runs
  // (other checkouts, other sources) share the memory.
  for (const auto& [path, entry] : entries_)
    if (!entry.hash.empty() && path.find('\n') == std::string::npos)
      contents += fmt::format("{}\t{}\t{}\t{}\t{}\n", entry.hash, entry.size, entry.mtime_ns, entry.inode, path);
  // A memory that cannot be written only costs the next run its hashing.
  (void)write_atomically(memory_, contents);
}

}  // namespace hmt
