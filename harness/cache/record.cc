#include "harness/cache/record.h"
#include "harness/cache/atomic_write.h"

#include <fstream>
#include <iterator>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"

namespace hmt {

namespace {

constexpr int kFormat = 2;
using Json = nlohmann::json;

}  // namespace

// Paths are written once, in a table, and cases name them by index: a
// suite's cases share most of their definition files.
bool save_record(const std::filesystem::path& file, const Record& record, std::string* problem) {
  auto failed = [&](std::string_view why) {
    if (problem) *problem = fmt::format("cannot write {}: {}", file.string(), why);
    return false;
  };
  std::map<std::string, std::size_t> index;
  Json paths = Json::array();
  auto id = [&](const std::string& path) {
    auto [it, added] = index.emplace(path, index.size());
    if (added) paths.push_back(path);
    return it->second;
  };
  Json cases = Json::object();
  for (const auto& [name, c] : record.cases) {
    Json entry{{"recorded", c.recorded}, {"complete", c.complete}, {"folder", c.folder}, {"snapshot", c.snapshot}, {"evaluation_ms", c.evaluation_ms},
               {"check_ms", c.check_ms}};
    Json files = Json::array();
    for (const auto& f : c.files) files.push_back(id(f));
    entry["files"] = std::move(files);
    if (c.status) entry["status"] = std::string(to_string(*c.status));
    cases[name] = std::move(entry);
  }
  Json snapshots = Json::array();
  for (const auto& [number, snapshot] : record.snapshots) {
    Json files = Json::array();
    for (const auto& [path, hash] : snapshot.files) files.push_back({id(path), hash});
    snapshots.push_back({{"id", number}, {"base", snapshot.base}, {"files", std::move(files)}});
  }
  Json modules = Json::array();
  for (const auto& m : record.modules) modules.push_back(id(m));
  const Json json{{"format", kFormat},
                  {"paths", std::move(paths)},
                  {"snapshots", std::move(snapshots)},
                  {"cases", std::move(cases)},
                  {"modules", std::move(modules)}};

  if (auto why = write_atomically(file, json_bytes::dump(json))) return failed(*why);
  return true;
}

std::optional<Record> load_record(const std::filesystem::path& file, std::string* problem) {
  auto unusable = [&](std::string_view why) -> std::optional<Record> {
    if (problem) *problem = fmt::format("{} {}", file.string(), why);
    return std::nullopt;
  };
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return unusable("cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const Json json = json_bytes::parse(text);
  if (!json.is_object()) return unusable("is not JSON (a damaged cache file)");
  if (json.value("format", 0) != kFormat) return std::nullopt;
  try {
    const auto paths = json.at("paths").get<std::vector<std::string>>();
    auto path = [&](const Json& index) -> const std::string& { return paths.at(index.get<std::size_t>()); };
    Record record;
    for (const auto& item : json.at("snapshots")) {
      Snapshot& snapshot = record.snapshots[item.at("id").get<int>()];
      snapshot.base = item.at("base").get<std::string>();
      for (const auto& pair : item.at("files")) snapshot.files[path(pair.at(0))] = pair.at(1).get<std::string>();
    }
    for (const auto& [name, entry] : json.at("cases").items()) {
      CaseRecord c;
      c.recorded = entry.value("recorded", false);
      c.complete = entry.value("complete", false);
      c.folder = entry.value("folder", "");
      c.snapshot = entry.value("snapshot", -1);
      c.evaluation_ms = entry.value("evaluation_ms", -1LL);
      c.check_ms = entry.value("check_ms", -1LL);
      for (const auto& f : entry.at("files")) c.files.push_back(path(f));
      if (entry.contains("status")) c.status = status_from_string(entry["status"].get<std::string>());
      record.cases[name] = std::move(c);
    }
    for (const auto& m : json.at("modules")) record.modules.insert(path(m));
    return record;
  } catch (const std::exception&) {
    return unusable("has another shape (a damaged cache file)");
  }
}

}  // namespace hmt
