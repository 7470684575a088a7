// Verdicts kept between runs, one small JSON file per key under the cache
// folder (verdicts/ab/abcdef...json), written by renaming a fresh file over
// it so that concurrent runs never read half a verdict. A case whose
// verdict cannot be kept (its build failed, its script timed out) may
// still keep its evaluation: the manifest it evaluated to. Each verdict lists
// the files outside the keyed trees it also depends on (files its script
// names, modules outside the checkouts), with their hashes then: a verdict
// whose inputs changed is not used. A verdict read is marked used (its
// modification time); those unused for long are removed (evict_unused).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "assertions/result.h"
#include "harness/nix/evaluation.h"

namespace hmt {

struct StoredVerdict {
  std::optional<CaseResult> result;       // the verdict, when it is kept
  std::optional<ManifestPaths> manifest;  // what the case evaluated to
  std::vector<std::string> warnings;      // what its evaluation warned about
  std::map<std::string, std::string> inputs;  // absolute path -> FileHashes hash
  long long evaluation_ms = 0;                // what it cost when it ran
  long long check_ms = 0;
};

class VerdictStore {
 public:
  explicit VerdictStore(std::filesystem::path folder) : folder_(std::move(folder)) {}

  // nullopt when there is none, or it cannot be read; `problem` (when
  // given) then says why a file that is there could not be used.
  std::optional<StoredVerdict> lookup(const std::string& key, std::string* problem = nullptr) const;
  // False when it could not be written (the run goes on without it);
  // `problem` then says why.
  bool store(const std::string& key, const StoredVerdict& verdict, std::string* problem = nullptr) const;

  std::filesystem::path path_of(const std::string& key) const;

  // Removes the files (verdicts, and temporary files an interrupted write
  // left) not used since `now - unused_for`, at most once a day (a stamp
  // file says when it last did): each change to a checkout makes a new key
  // for every case, and nothing else would ever remove the old ones.
  // Returns how many it removed; a file it cannot remove stays.
  std::size_t evict_unused(std::chrono::hours unused_for, std::filesystem::file_time_type now) const;

 private:
  std::filesystem::path folder_;
};

}  // namespace hmt
