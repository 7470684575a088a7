#include "harness/cache/selection.h"

#include "tests/catch.h"

using namespace hmt;

namespace {

const SharedCore kCore{{"/hm"}};

CaseRecord recorded(std::vector<std::string> files, std::string folder, std::optional<Status> status = Status::Pass) {
  CaseRecord c;
  c.recorded = true;
  c.complete = true;
  c.files = std::move(files);
  c.folder = std::move(folder);
  c.status = status;
  return c;
}

// git-basic and git-lfs read programs/git.nix; fish reads programs/fish;
// each has its own test folder.
Record suite() {
  Record record;
  record.cases["git-basic"] = recorded({"/hm/modules/programs/git.nix", "/hm/tests/modules/programs/git/basic.nix"},
                                       "/hm/tests/modules/programs/git");
  record.cases["git-lfs"] = recorded({"/hm/modules/programs/git.nix", "/hm/tests/modules/programs/git/lfs.nix"},
                                     "/hm/tests/modules/programs/git");
  record.cases["fish"] = recorded({"/hm/modules/programs/fish"}, "/hm/tests/modules/programs/fish");
  record.modules = {"/hm/modules/programs/git.nix", "/hm/modules/programs/fish", "/hm/modules/programs/zsh.nix"};
  return record;
}

Affected affected(std::vector<std::filesystem::path> changed, const Record& record = suite()) {
  return affected_by(changed, record, kCore, record.modules);
}

std::vector<CaseEntry> entries(std::vector<std::string> names) {
  std::vector<CaseEntry> out;
  for (auto& n : names) out.push_back(CaseEntry{n, "/cases/" + n + ".nix", "/cases"});
  return out;
}

std::vector<std::string> names_of(const std::vector<CaseEntry>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.name);
  return out;
}

}  // namespace

TEST_CASE("a changed definition file affects the cases whose record lists it") {
  auto a = affected({"/hm/modules/programs/git.nix"});
  CHECK_FALSE(a.everything);
  CHECK(a.cases == std::set<std::string>{"git-basic", "git-lfs"});
}

TEST_CASE("a file in a case's folder affects that case: its module and its expected files") {
  auto a = affected({"/hm/tests/modules/programs/git/lfs-expected.conf"});
  CHECK(a.cases == std::set<std::string>{"git-basic", "git-lfs"});  // the folder is theirs both
  CHECK(affected({"/hm/tests/modules/programs/fish/x.fish"}).cases == std::set<std::string>{"fish"});
}

TEST_CASE("a file inside a module given as a folder affects the cases that used the folder") {
  CHECK(affected({"/hm/modules/programs/fish/functions.nix"}).cases == std::set<std::string>{"fish"});
}

TEST_CASE("the shared core affects everything, and says which file") {
  for (const char* core : {"/hm/modules/lib/types.nix", "/hm/modules/modules.nix", "/hm/modules/misc/xdg.nix",
                           "/hm/lib/default.nix", "/hm/tests/default.nix", "/hm/tests/stubs.nix",
                           "/hm/modules/home-environment.nix", "/hm/flake.lock"}) {
    INFO(core);
    auto a = affected({core});
    CHECK(a.everything);
    CHECK(a.why == std::string(core) + " is shared by every case");
  }
  // A test folder is not the scaffolding.
  CHECK_FALSE(kCore.is_core("/hm/tests/modules/programs/git/basic.nix"));
  CHECK_FALSE(kCore.is_core("/elsewhere/lib/default.nix"));
}

TEST_CASE("a news entry affects only home-manager's tests of the news, which put every entry in a file") {
  auto a = affected({"/hm/modules/misc/news/2025/01/git.nix"});
  CHECK_FALSE(a.everything);
  CHECK(a.cases.empty());
  Record with_news = suite();
  with_news.cases["news-validation"] = recorded({"/hm/tests/modules/misc/news/default.nix"}, "/hm/tests/modules/misc/news");
  CHECK(affected({"/hm/modules/misc/news/2025/01/git.nix"}, with_news).cases ==
        std::set<std::string>{"news-validation"});
  // A case whose definitions are unknown may read the news too.
  with_news.cases["unknown"] = CaseRecord{};
  CHECK(affected({"/hm/modules/misc/news/2025/01/git.nix"}, with_news).cases ==
        std::set<std::string>{"news-validation", "unknown"});
  // The news module itself is core.
  CHECK(affected({"/hm/modules/misc/news/default.nix"}).everything);
}

TEST_CASE("a module no recorded case took a definition from affects none") {
  auto a = affected({"/hm/modules/programs/zsh.nix"});
  CHECK_FALSE(a.everything);
  CHECK(a.cases.empty());
}

TEST_CASE("a file no record accounts for affects everything: any case may read it") {
  auto a = affected({"/hm/modules/programs/git.nix", "/hm/modules/programs/helper-data.json"});
  CHECK(a.everything);
  CHECK(a.why == "/hm/modules/programs/helper-data.json is in no case's record");
}

TEST_CASE("a case whose definitions are not known is affected by any change") {
  Record record = suite();
  record.cases["broken"] = CaseRecord{};  // its evaluation failed: complete = false
  auto a = affected({"/hm/tests/modules/programs/fish/x.fish"}, record);
  CHECK(a.cases == std::set<std::string>{"broken", "fish"});
  // No change, nothing affected.
  CHECK(affected({}, record).cases.empty());
}

TEST_CASE("changed_between lists added, removed and changed files, sorted") {
  const std::map<std::string, std::string> before{{"/a", "f1"}, {"/b", "f2"}, {"/c", "f3"}};
  const std::map<std::string, std::string> after{{"/a", "f1"}, {"/b", "fX"}, {"/d", "f4"}};
  CHECK(changed_between(before, after) == std::vector<std::filesystem::path>{"/b", "/c", "/d"});
  CHECK(changed_between(before, before).empty());
}

TEST_CASE("last_failed keeps the cases whose last verdict failed, errored or timed out, in order") {
  Record record;
  record.cases["a"] = recorded({}, "", Status::Pass);
  record.cases["b"] = recorded({}, "", Status::Fail);
  record.cases["c"] = recorded({}, "", Status::Error);
  record.cases["d"] = recorded({}, "", Status::Timeout);
  record.cases["e"] = recorded({}, "", Status::Skip);
  record.cases["f"] = recorded({}, "", std::nullopt);
  CHECK(names_of(last_failed(entries({"d", "a", "b", "c", "e", "f", "new"}), record)) ==
        std::vector<std::string>{"d", "b", "c"});
  CHECK(last_failed(entries({"a"}), record).empty());
}

TEST_CASE("failed_first puts last time's failures first, each part in its order") {
  Record record;
  record.cases["b"] = recorded({}, "", Status::Fail);
  record.cases["d"] = recorded({}, "", Status::Error);
  record.cases["a"] = recorded({}, "", Status::Pass);
  CHECK(names_of(failed_first(entries({"a", "b", "c", "d", "e"}), record)) ==
        std::vector<std::string>{"b", "d", "a", "c", "e"});
  CHECK(names_of(failed_first(entries({"a", "c"}), record)) == std::vector<std::string>{"a", "c"});
}
