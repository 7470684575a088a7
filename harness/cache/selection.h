// Which cases a change can affect, from the record (see record.h), and the
// orders and subsets the record makes possible (--last-failed,
// --failed-first). Pure functions: the trees, git and the clock are the
// caller's.
//
// A changed file affects
//   - every case when it is part of the shared core (see SharedCore);
//   - when it is one of home-manager's news entries, which no generation
//     contains, only the cases of home-manager's tests of the news
//     (tests/modules/misc/news/, which put all entries in a file);
//   - no case when it is a module that declares options but gave no
//     recorded case a definition;
//   - the cases whose record lists it as a definition file or holds it in
//     their folder;
//   - every case otherwise: a file no record accounts for (a library a
//     module imports, a file read with readFile) may be read by any.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "harness/cache/record.h"
#include "harness/nix/evaluation.h"

namespace hmt {

// What counts as shared core: everything in the checkouts of home-manager
// the cases are evaluated with that is not a module of one program or
// service: the module system's libraries (modules/lib, lib), the module
// list (modules/modules.nix, modules/default.nix), misc/, the home
// environment and files machinery, and the test scaffolding (tests/*.nix).
// nixpkgs, hmt's own Nix files, Nix and the options are part of the run
// identity instead.
struct SharedCore {
  std::vector<std::filesystem::path> home_manager_roots;
  bool is_core(const std::filesystem::path& file) const;
  bool is_news_entry(const std::filesystem::path& file) const;
  // A case in this folder puts the news entries in its tree.
  bool tests_news(const std::filesystem::path& folder) const;
};

struct Affected {
  bool everything = false;
  std::string why;              // when everything: the file or reason
  std::set<std::string> cases;  // otherwise
};

// The cases `changed` can affect. `modules`: files known to declare options
// (from the record's evaluations).
Affected affected_by(const std::vector<std::filesystem::path>& changed, const Record& record,
                     const SharedCore& core, const std::set<std::string>& modules);

// Files added, removed or changed between two snapshots (path -> hash).
std::vector<std::filesystem::path> changed_between(const std::map<std::string, std::string>& before,
                                                   const std::map<std::string, std::string>& after);

// The cases whose last recorded verdict failed (Fail, Error, Timeout).
std::vector<CaseEntry> last_failed(const std::vector<CaseEntry>& cases, const Record& record);

// The same cases, those that failed last time first, each part in its
// original order.
std::vector<CaseEntry> failed_first(const std::vector<CaseEntry>& cases, const Record& record);

}  // namespace hmt
