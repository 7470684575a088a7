#include "harness/cache/verdict_store.h"
#include "harness/cache/atomic_write.h"


#include <fstream>
#include <iterator>

#include <fmt/core.h>

#include "assertions/json_bytes.h"

namespace hmt {

namespace {
constexpr int kFormat = 1;
}

std::filesystem::path VerdictStore::path_of(const std::string& key) const {
  return folder_ / key.substr(0, 2) / (key + ".json");
}

std::optional<StoredVerdict> VerdictStore::lookup(const std::string& key, std::string* problem) const {
  if (key.size() < 3) return std::nullopt;
  const std::filesystem::path file = path_of(key);
  auto unusable = [&](std::string_view why) -> std::optional<StoredVerdict> {
    if (problem) *problem = fmt::format("{} {}", file.string(), why);
    return std::nullopt;
  };
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return unusable("cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const nlohmann::json json = json_bytes::parse(text);
  if (!json.is_object()) return unusable("is not JSON (a damaged cache file)");
  // Another format (an older or newer hmt) is not an error: not ours to read.
  if (json.value("format", 0) != kFormat) return std::nullopt;
  if (json.value("key", "") != key) return unusable("holds the verdict of another key");
  try {
    StoredVerdict verdict;
    if (json.contains("result")) verdict.result = json["result"].get<CaseResult>();
    if (json.contains("manifest"))
      verdict.manifest = ManifestPaths{json["manifest"].at("drv").get<std::string>(),
                                       json["manifest"].at("out").get<std::string>()};
    verdict.warnings = json.value("warnings", std::vector<std::string>{});
    if (!verdict.result && !verdict.manifest) return unusable("holds neither a verdict nor a manifest");
    verdict.inputs = json.value("inputs", std::map<std::string, std::string>{});
    verdict.evaluation_ms = json.value("evaluation_ms", 0LL);
    verdict.check_ms = json.value("check_ms", 0LL);
    // Used now: kept by evict_unused for a while yet (best effort).
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now(), ec);
    return verdict;
  } catch (const nlohmann::json::exception&) {
    return unusable("has a field of the wrong type (a damaged cache file)");
  }
}

bool VerdictStore::store(const std::string& key, const StoredVerdict& verdict, std::string* problem) const {
  if (key.size() < 3) return false;
  const std::filesystem::path target = path_of(key);
  auto failed = [&](std::string_view why) {
    if (problem) *problem = fmt::format("cannot write {}: {}", target.string(), why);
    return false;
  };
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return failed(ec.message());
  nlohmann::json json{{"format", kFormat},
                      {"key", key},
                      {"inputs", verdict.inputs},
                      {"warnings", verdict.warnings},
                      {"evaluation_ms", verdict.evaluation_ms},
                      {"check_ms", verdict.check_ms}};
  if (verdict.result) json["result"] = *verdict.result;
  if (verdict.manifest) json["manifest"] = {{"drv", verdict.manifest->drv}, {"out", verdict.manifest->out}};
  if (auto why = write_atomically(target, json_bytes::dump(json))) return failed(*why);
  return true;
}

std::size_t VerdictStore::evict_unused(std::chrono::hours unused_for, std::filesystem::file_time_type now) const {
  namespace fs = std::filesystem;
  const fs::path stamp = folder_ / ".last-eviction";
  std::error_code ec;
  if (const auto last = fs::last_write_time(stamp, ec); !ec && now - last < std::chrono::hours(24)) return 0;
  std::size_t removed = 0;
  for (fs::recursive_directory_iterator it(folder_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec) || it->path() == stamp) continue;
    const auto written = fs::last_write_time(it->path(), file_ec);
    if (!file_ec && now - written > unused_for && fs::remove(it->path(), file_ec)) ++removed;
  }
  if (!fs::exists(folder_, ec)) return removed;
  if (std::ofstream(stamp).good()) fs::last_write_time(stamp, now, ec);
  return removed;
}

}  // namespace hmt
