#include "harness/cache/inner_loop.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/core.h>

#include "harness/cache/digest.h"
#include "harness/cache/git_changes.h"
#include "harness/cache/script_inputs.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

// A verdict no run has used for this long belongs to a checkout long gone.
constexpr std::chrono::hours kVerdictsKeptUnused{24 * 30};

bool failed(Status status) { return status == Status::Fail || status == Status::Error || status == Status::Timeout; }

}  // namespace

fs::path default_cache_folder() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "hmt";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "hmt";
  return fs::temp_directory_path() / "hmt-cache";
}

InnerLoop::InnerLoop(InnerLoopSettings settings, ProcessRunner& processes)
    : settings_(std::move(settings)),
      processes_(processes),
      hashes_(settings_.folder / "file-hashes"),
      verdicts_(settings_.folder / "verdicts") {}

Expected<std::unique_ptr<InnerLoop>> InnerLoop::open(const InnerLoopSettings& settings, ProcessRunner& processes) {
  std::unique_ptr<InnerLoop> loop(new InnerLoop(settings, processes));
  auto prepared = loop->prepare();
  if (!prepared) return Error{prepared.error()};
  return loop;
}

void InnerLoop::warn_once(const std::string& kind, const std::string& message) {
  std::lock_guard lock(warned_mutex_);
  if (!warned_.insert(kind).second || !settings_.warn) return;
  settings_.warn(message);
}

Expected<bool> InnerLoop::prepare() {
  if (settings_.use_verdicts) {
    std::error_code ec;
    std::filesystem::create_directories(settings_.folder, ec);
    if (ec) return Error{fmt::format("cannot create the cache folder {}: {}", settings_.folder.string(), ec.message())};
  }
  // The identity: named values, then trees and files hashed.
  Digest base;
  base.field("hmt-inner-loop", "1");
  for (const auto& [name, value] : settings_.identity) base.field(name, value);
  for (const auto& tree : settings_.identity_trees) {
    auto listing = list_tree(tree, processes_);
    if (!listing) return Error{listing.error()};
    base.field("tree", tree_digest(*listing, hashes_));
  }
  for (const auto& file : settings_.identity_files) base.field(file.string(), hashes_.of(file));
  base_ = base.hex();

  std::vector<fs::path> trees;
  for (const auto& hm : settings_.home_manager) trees.push_back(tree_root_of(hm));
  for (const auto& source : settings_.sources) trees.push_back(tree_root_of(source));
  roots_ = outermost(trees);
  core_.home_manager_roots = settings_.home_manager;

  // Each root's files, hashed once; a source's root is the one holding
  // its tree.
  for (const auto& root : roots_) {
    auto listing = list_tree(root, processes_);
    if (!listing) return Error{listing.error()};
    Digest digest;
    digest.field("root", root.string());
    for (const auto& file : listing->files) {
      const fs::path path = root / file;
      const std::string hash = hashes_.of(path);
      digest.field(file, hash);
      snapshot_[path.string()] = hash;
    }
    root_digests_[root.string()] = digest.hex();
  }
  auto root_holding = [&](const fs::path& tree) {
    for (const auto& root : roots_)
      if (is_within(tree, root)) return root;
    return tree.lexically_normal();
  };
  for (const auto& source : settings_.sources) source_roots_.push_back(root_holding(tree_root_of(source)));
  for (const auto& hm : settings_.home_manager) {
    const fs::path root = root_holding(tree_root_of(hm));
    if (std::find(home_manager_roots_.begin(), home_manager_roots_.end(), root) == home_manager_roots_.end())
      home_manager_roots_.push_back(root);
  }
  Digest key;
  key.field("base", base_);
  for (const auto& root : home_manager_roots_) key.field("home-manager", root_digests_[root.string()]);
  run_key_ = key.hex();

  // The record of these sources with this evaluator and these checkouts.
  Digest record_id;
  for (const auto& source : settings_.sources) record_id.field("source", source.string());
  for (const auto& hm : settings_.home_manager) record_id.field("home-manager", hm.string());
  record_file_ = settings_.folder / "records" / (record_id.hex() + ".json");
  std::string problem;
  if (auto loaded = load_record(record_file_, &problem))
    record_ = std::move(*loaded);
  else if (!problem.empty())
    warn_once("record", fmt::format("the record {}; starting a new one", problem));

  // Each snapshot's entries: stale when the identity changed, or when
  // what changed since can affect them.
  for (const auto& [id, snapshot] : record_.snapshots) {
    Affected affected;
    if (snapshot.base != base_)
      affected = {true, "hmt, Nix, nixpkgs, the options or the environment changed", {}};
    else
      affected = affected_by(changed_between(snapshot.files, snapshot_), record_, core_, record_.modules);
    if (!affected.everything && affected.cases.empty()) continue;
    for (const auto& [name, c] : record_.cases) {
      if (c.snapshot != id || (!affected.everything && !affected.cases.count(name))) continue;
      stale_.insert(name);
      if (stale_why_.empty())
        stale_why_ = affected.everything ? affected.why : fmt::format("what {} depends on changed", name);
    }
  }
  for (const auto& [name, c] : record_.cases)
    if (!record_.snapshots.count(c.snapshot)) stale_.insert(name);
  return true;
}

bool InnerLoop::entry_current(const std::string& name) const {
  if (stale_.count(name)) return false;
  auto it = record_.cases.find(name);
  return it != record_.cases.end() && it->second.recorded;
}

std::vector<fs::path> InnerLoop::trees_of(int source) const {
  std::vector<fs::path> trees = home_manager_roots_;
  const std::size_t index = static_cast<std::size_t>(source);
  if (source >= 0 && index < source_roots_.size() &&
      std::find(trees.begin(), trees.end(), source_roots_[index]) == trees.end())
    trees.push_back(source_roots_[index]);
  return trees;
}

std::string InnerLoop::case_key(const CaseEntry& entry) const {
  Digest key;
  key.field("run", run_key_);
  const std::size_t index = static_cast<std::size_t>(entry.source);
  const bool known = entry.source >= 0 && index < settings_.sources.size();
  key.field("source", known ? settings_.sources[index].string() : "");
  // The source's own tree, unless it is a home-manager checkout (already
  // in the run key).
  if (known) {
    const auto digest = root_digests_.find(source_roots_[index].string());
    key.field("tree", digest != root_digests_.end() ? digest->second : "?");
  }
  key.field("name", entry.name);
  key.field("file", entry.file);
  key.field("line", std::to_string(entry.line));
  return key.hex();
}

std::optional<StoredVerdict> InnerLoop::stored(const CaseEntry& entry) {
  // The key alone decides: it covers the trees the case depends on, file
  // by file. (The record's view of what a change affects is for
  // --affected and --watch; it is not sound enough for a verdict.)
  if (!settings_.use_verdicts) return std::nullopt;
  std::string problem;
  auto stored = verdicts_.lookup(case_key(entry), &problem);
  if (!problem.empty()) warn_once("verdict-read", fmt::format("the cached verdict {}; the case runs", problem));
  if (!stored) return std::nullopt;
  for (const auto& [path, hash] : stored->inputs)
    if (hashes_.of(path) != hash) return std::nullopt;
  return stored;
}

std::optional<CaseResult> InnerLoop::lookup(const CaseEntry& entry) {
  auto found = stored(entry);
  if (!found || !found->result) return std::nullopt;
  if (settings_.failures_run && failed(found->result->status)) return std::nullopt;
  CaseResult result = std::move(*found->result);
  result.cached = true;
  result.duration = std::chrono::milliseconds(0);
  return result;
}

std::optional<StoredEvaluation> InnerLoop::evaluation(const CaseEntry& entry) {
  auto found = stored(entry);
  if (!found || !found->manifest) return std::nullopt;
  // A garbage collection may have taken it.
  std::error_code ec;
  if (!fs::exists(found->manifest->drv, ec)) return std::nullopt;
  return StoredEvaluation{*found->manifest, found->warnings};
}

bool InnerLoop::wants_record(const CaseEntry& entry) {
  if (!settings_.use_verdicts || !settings_.record_definitions) return false;
  std::lock_guard lock(mutex_);
  return !entry_current(entry.name);
}

void InnerLoop::finished(const CaseEntry& entry, const CaseResult& result, const CaseFacts& facts) {
  if (!settings_.use_verdicts || !facts.ran) return;
  std::vector<std::string> outside;  // definition files outside the keyed trees
  {
    std::lock_guard lock(mutex_);
    CaseRecord& c = record_.cases[entry.name];
    c.folder = entry.folder;
    c.status = result.status;
    if (!result.cached && !settings_.keep_durations) {
      if (facts.evaluation) c.evaluation_ms = facts.evaluation->count();
      c.check_ms = result.duration.count();
    }
    if (facts.definitions) {
      c.recorded = true;
      c.complete = facts.definitions->complete;
      c.files.clear();
      const std::string store = settings_.store_dir.lexically_normal().string() + "/";
      for (const auto& f : facts.definitions->files)
        if (f.rfind(store, 0) != 0) c.files.push_back(fs::path(f).lexically_normal().string());
      std::sort(c.files.begin(), c.files.end());
      c.files.erase(std::unique(c.files.begin(), c.files.end()), c.files.end());
      for (const auto& m : facts.definitions->modules)
        if (m.rfind(store, 0) != 0) record_.modules.insert(fs::path(m).lexically_normal().string());
      recorded_now_.insert(entry.name);
    }
    const std::vector<fs::path> keyed = trees_of(entry.source);
    for (const auto& f : c.files)
      if (std::none_of(keyed.begin(), keyed.end(), [&](const fs::path& r) { return is_within(f, r); }))
        outside.push_back(f);
  }
  if (result.cached) return;
  // Only a verdict the inputs alone decide is kept: not a time-out, an
  // interrupted case, a failed build, a case the run did not get to, or
  // one whose golden files were just rewritten. Its evaluation is kept
  // when it gave a manifest.
  StoredVerdict verdict;
  if (facts.deterministic && result.status != Status::Timeout && result.status != Status::Skip &&
      result.golden.empty()) {
    verdict.result = result;
    verdict.result->rerun.clear();
  }
  verdict.manifest = facts.manifest;
  if (!verdict.result && !verdict.manifest) return;
  verdict.warnings = result.warnings;
  verdict.evaluation_ms = facts.evaluation ? facts.evaluation->count() : 0;
  verdict.check_ms = result.duration.count();
  for (const auto& path : script_inputs(facts.script, settings_.store_dir)) verdict.inputs[path] = hashes_.of(path);
  for (const auto& path : outside) verdict.inputs[path] = hashes_.of(path);
  std::string problem;
  if (!verdicts_.store(case_key(entry), verdict, &problem))
    warn_once("verdict-write", fmt::format("verdicts are not kept this run: {}", problem));
}

void InnerLoop::listing(const std::vector<CaseEntry>& all) {
  std::lock_guard lock(mutex_);
  listed_.emplace();
  for (const auto& entry : all) listed_->insert(entry.name);
}

Affected InnerLoop::affected_now(const std::vector<CaseEntry>& cases) const {
  Affected out;
  for (const auto& entry : cases)
    if (!entry_current(entry.name)) out.cases.insert(entry.name);
  if (!cases.empty() && out.cases.size() == cases.size()) {
    out.everything = true;
    out.why = stale_why_.empty() ? "no case has a current record" : stale_why_;
  }
  return out;
}

Expected<Affected> InnerLoop::affected_since(const std::string& ref, const std::vector<CaseEntry>& cases) {
  // The diff first: a REF git does not know is an error even when every
  // case would run anyway.
  std::vector<fs::path> changed;
  bool any_git = false;
  for (const auto& root : roots_) {
    std::error_code ec;
    if (!fs::exists(root / ".git", ec)) continue;
    any_git = true;
    auto files = changed_since(processes_, root, ref);
    if (!files) return Error{files.error()};
    changed.insert(changed.end(), files->begin(), files->end());
  }
  if (!any_git)
    return Error{fmt::format("--affected {}: none of the trees is a git work tree ({})", ref,
                             roots_.empty() ? std::string("none") : roots_.front().string())};
  Affected out = affected_now(cases);
  if (out.everything) return out;
  Affected by_diff = affected_by(changed, record_, core_, record_.modules);
  if (by_diff.everything) return by_diff;
  out.cases.insert(by_diff.cases.begin(), by_diff.cases.end());
  return out;
}

void InnerLoop::save() {
  if (!settings_.use_verdicts) return;
  std::lock_guard lock(mutex_);
  if (listed_)
    for (auto it = record_.cases.begin(); it != record_.cases.end();)
      it = listed_->count(it->first) ? std::next(it) : record_.cases.erase(it);
  // The trees as they are now, for the entries made now and those current.
  const int now = record_.snapshots.empty() ? 0 : record_.snapshots.rbegin()->first + 1;
  bool used = false;
  for (auto& [name, c] : record_.cases)
    if (recorded_now_.count(name) || (c.recorded && !stale_.count(name) && record_.snapshots.count(c.snapshot))) {
      c.snapshot = now;
      used = true;
    }
  if (used) record_.snapshots[now] = Snapshot{base_, snapshot_};
  // Only snapshots an entry refers to are kept, the newest few.
  constexpr std::size_t kKept = 4;
  std::set<int> referred;
  for (const auto& [name, c] : record_.cases) referred.insert(c.snapshot);
  for (auto it = record_.snapshots.begin(); it != record_.snapshots.end();)
    it = referred.count(it->first) ? std::next(it) : record_.snapshots.erase(it);
  while (record_.snapshots.size() > kKept) record_.snapshots.erase(record_.snapshots.begin());
  std::string problem;
  if (!save_record(record_file_, record_, &problem))
    warn_once("record-write", fmt::format("the record is not kept this run: {}", problem));
  hashes_.save();
  verdicts_.evict_unused(kVerdictsKeptUnused, fs::file_time_type::clock::now());
}

}  // namespace hmt
