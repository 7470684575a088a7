#include "harness/cache/verdict_store.h"

#include <unistd.h>

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

std::optional<StoredVerdict> VerdictStore::lookup(const std::string& key) const {
  if (key.size() < 3) return std::nullopt;
  std::ifstream in(path_of(key), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const nlohmann::json json = json_bytes::parse(text);
  if (!json.is_object() || json.value("format", 0) != kFormat || json.value("key", "") != key) return std::nullopt;
  try {
    StoredVerdict verdict;
    if (json.contains("result")) verdict.result = json["result"].get<CaseResult>();
    if (json.contains("manifest"))
      verdict.manifest = ManifestPaths{json["manifest"].at("drv").get<std::string>(),
                                       json["manifest"].at("out").get<std::string>()};
    verdict.warnings = json.value("warnings", std::vector<std::string>{});
    if (!verdict.result && !verdict.manifest) return std::nullopt;
    verdict.inputs = json.value("inputs", std::map<std::string, std::string>{});
    verdict.evaluation_ms = json.value("evaluation_ms", 0LL);
    verdict.check_ms = json.value("check_ms", 0LL);
    return verdict;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a field of another type: not a verdict of ours
  }
}

bool VerdictStore::store(const std::string& key, const StoredVerdict& verdict) const {
  if (key.size() < 3) return false;
  const std::filesystem::path target = path_of(key);
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return false;
  nlohmann::json json{{"format", kFormat},
                      {"key", key},
                      {"inputs", verdict.inputs},
                      {"warnings", verdict.warnings},
                      {"evaluation_ms", verdict.evaluation_ms},
                      {"check_ms", verdict.check_ms}};
  if (verdict.result) json["result"] = *verdict.result;
  if (verdict.manifest) json["manifest"] = {{"drv", verdict.manifest->drv}, {"out", verdict.manifest->out}};
  const std::filesystem::path fresh =
      target.string() + fmt::format(".{}.{}.tmp", ::getpid(), static_cast<const void*>(&verdict));
  {
    std::ofstream out(fresh, std::ios::binary | std::ios::trunc);
    out << json_bytes::dump(json);
    if (!out) {
      out.close();
      std::filesystem::remove(fresh, ec);
      return false;
    }
  }
  std::filesystem::rename(fresh, target, ec);
  if (ec) std::filesystem::remove(fresh, ec);
  return !ec;
}

}  // namespace hmt
