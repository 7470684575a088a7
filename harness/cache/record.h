// What the last runs learned about each case of a set of sources, kept in
// the cache folder (records/<id>.json) for --affected, --watch,
// --last-failed, --failed-first and --shard:
//
// - per case, the files that gave its configuration definitions (the module
//   system's `files` of the options it sets or that are active), its folder,
//   its last verdict and what evaluating and checking it cost;
// - per entry, the state of the checkouts and case trees (a snapshot of
//   their files, under a run identity: hmt, Nix, nixpkgs, the options) it
//   is current for: what changed since can have made it stale.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "assertions/result.h"

namespace hmt {

struct CaseRecord {
  bool recorded = false;            // files below come from an evaluation that recorded them
  bool complete = false;            // false: they could not be worked out; any change affects the case
  std::vector<std::string> files;   // definition files (or module folders), absolute, sorted
  std::string folder;               // the case's folder: its module, expected files
  int snapshot = -1;                // the state of the trees the entry is current for; -1: none
  std::optional<Status> status;     // its last verdict
  long long evaluation_ms = -1;     // last measured; -1: unknown
  long long check_ms = -1;
};

// The trees as they were: every file with its FileHashes hash, under a run
// identity.
struct Snapshot {
  std::string base;
  std::map<std::string, std::string> files;  // absolute path -> hash
};

struct Record {
  std::map<int, Snapshot> snapshots;  // those entries refer to, by id
  std::map<std::string, CaseRecord> cases;
  std::set<std::string> modules;      // files known to declare options
};

// nullopt when there is none, or it cannot be used (`problem`, when given,
// then says why: a damaged file; another format is not a problem).
std::optional<Record> load_record(const std::filesystem::path& file, std::string* problem = nullptr);
// Atomic (rename); false when it could not be written (`problem` says why).
bool save_record(const std::filesystem::path& file, const Record& record, std::string* problem = nullptr);

}  // namespace hmt
