// The inner loop's state for one run: the verdict cache's keys, the record
// of each case's definition files, and what changed since it was made.
//
// A run's identity covers everything a verdict depends on that is the same
// for every case: hmt itself (its binary and its Nix files), Nix's version,
// the Nix arguments and options, the environment variables modules read,
// the host tools scripts use, nixpkgs (its store path, or its files), the
// evaluator, and the modules outside the trees below. A case's key adds,
// file by file, the home-manager checkouts and the tree of the case's own
// source (its git work tree, else its folder), then the case itself: a
// change anywhere in that tree reruns every case of it, and a change in
// another source's tree none. Its stored verdict also lists the files
// outside those trees that its script names or its definitions came from,
// with their hashes then.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness/cache/case_cache.h"
#include "harness/cache/file_hashes.h"
#include "harness/cache/record.h"
#include "harness/cache/selection.h"
#include "harness/cache/trees.h"
#include "harness/cache/verdict_store.h"
#include "process/expected.h"
#include "process/process.h"

namespace hmt {

struct InnerLoopSettings {
  std::filesystem::path folder;  // $XDG_CACHE_HOME/hmt
  bool use_verdicts = true;      // false: evaluate every case (--no-cache); nothing is written
  bool failures_run = false;     // --update-golden: a failed case runs again to update its files
  // --affected, --watch: evaluating a case also records where its
  // definitions came from (about half an evaluation more), so that later
  // selections can be narrower than "everything".
  bool record_definitions = false;
  // --shard: the durations stay as they were, so that the N parts of one
  // record are the same parts whichever ran first.
  bool keep_durations = false;
  // The run identity: named values, and trees whose files are part of it.
  std::vector<std::pair<std::string, std::string>> identity;
  std::vector<std::filesystem::path> identity_trees;
  std::vector<std::filesystem::path> identity_files;
  // The trees keyed file by file (and watched): home-manager checkouts
  // (outside the store) and the case sources; the tree of each is its git
  // work tree, else its folder.
  std::vector<std::filesystem::path> home_manager;
  std::vector<std::filesystem::path> sources;
  std::filesystem::path store_dir = "/nix/store";
  // Told, once per kind, when a cache file cannot be read or written: the
  // run goes on without it (the case runs, the verdict is not kept).
  std::function<void(const std::string&)> warn;
};

class InnerLoop : public CaseCache {
 public:
  // Reads the record and hashes the trees; an error when a tree cannot be
  // listed (the run then goes on without the cache).
  static Expected<std::unique_ptr<InnerLoop>> open(const InnerLoopSettings& settings, ProcessRunner& processes);

  std::optional<CaseResult> lookup(const CaseEntry& entry) override;
  std::optional<StoredEvaluation> evaluation(const CaseEntry& entry) override;
  bool wants_record(const CaseEntry& entry) override;
  void finished(const CaseEntry& entry, const CaseResult& result, const CaseFacts& facts) override;

  // Every case of the sources, for dropping the entries of cases that are
  // gone (not called when a source could not be listed).
  void listing(const std::vector<CaseEntry>& all);

  // Writes the record and the file hashes back: the entries this run
  // recorded, and those that were current, are current for the trees as
  // they are now.
  void save();

  // The entries a change since they were recorded can affect; `why` says
  // what changed for the first of them.
  const std::set<std::string>& stale() const { return stale_; }
  const std::string& stale_why() const { return stale_why_; }
  // The cases a change since `ref` (in every git work tree among the trees)
  // can affect, with those whose entry is stale or missing.
  Expected<Affected> affected_since(const std::string& ref, const std::vector<CaseEntry>& cases);
  // Which of `cases` are affected (by stale() and missing entries).
  Affected affected_now(const std::vector<CaseEntry>& cases) const;

  const Record& record() const { return record_; }
  const std::vector<std::filesystem::path>& roots() const { return roots_; }
  const std::map<std::string, std::string>& snapshot() const { return snapshot_; }
  const std::string& base() const { return base_; }
  // What every key shares: the identity and the home-manager checkouts.
  const std::string& run_key() const { return run_key_; }
  std::string case_key(const CaseEntry& entry) const;

 private:
  InnerLoop(InnerLoopSettings settings, ProcessRunner& processes);
  Expected<bool> prepare();
  bool entry_current(const std::string& name) const;
  // The case's stored entry, when its record is current and its inputs
  // did not change.
  std::optional<StoredVerdict> stored(const CaseEntry& entry);
  // settings_.warn, the first time for each `kind`.
  void warn_once(const std::string& kind, const std::string& message);

  InnerLoopSettings settings_;
  ProcessRunner& processes_;
  FileHashes hashes_;
  VerdictStore verdicts_;
  std::filesystem::path record_file_;
  std::vector<std::filesystem::path> roots_;  // the keyed trees, none inside another
  std::map<std::string, std::string> root_digests_;    // root -> digest of its files
  std::vector<std::filesystem::path> source_roots_;    // per source: the root holding it
  std::vector<std::filesystem::path> home_manager_roots_;
  // The keyed trees a case of `source` depends on: the home-manager
  // checkouts and its own source's tree.
  std::vector<std::filesystem::path> trees_of(int source) const;
  std::map<std::string, std::string> snapshot_;
  std::string base_;
  std::string run_key_;
  SharedCore core_;

  std::mutex mutex_;
  Record record_;
  std::set<std::string> stale_;
  std::string stale_why_;
  std::set<std::string> recorded_now_;  // entries made by this run
  std::optional<std::set<std::string>> listed_;  // every case of the sources
  std::mutex warned_mutex_;
  std::set<std::string> warned_;
};

// $XDG_CACHE_HOME/hmt, else $HOME/.cache/hmt.
std::filesystem::path default_cache_folder();

}  // namespace hmt
