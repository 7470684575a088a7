// hmt's command line (Boost.Program_options), parsed into plain options.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "process/expected.h"
#include "harness/pipeline/shard.h"

namespace hmt {

struct CliOptions {
  std::vector<std::string> patterns;  // case names or globs; empty: all
  std::vector<std::filesystem::path> case_dirs;
  bool default_cases = true;  // include hmt's own cases/ folder
  bool list = false;
  bool json = false;
  int jobs = 1;
  int chunk_size = 25;  // the most cases a chunk holds
  int evaluator_memory_mib = 1024;  // an evaluator above it is replaced
  int timeout_seconds = 1800;  // per Nix process and per bash script; 0: none
  std::string format = "tap";  // a name from report_formats()
  int tap_version = 13;
  // Report files by their format's option (file_report_formats()): "junit" -> FILE.
  std::map<std::string, std::filesystem::path> report_files;
  std::optional<Shard> shard;  // --shard K/N
  // The inner loop (harness/cache/): cached verdicts, the record.
  bool cache = true;                    // --no-cache: neither use nor write them
  std::optional<std::string> affected;  // --affected REF
  bool last_failed = false;
  bool failed_first = false;
  bool watch = false;
  bool update_golden = false;
  bool warnings_as_errors = false;  // a case whose evaluation warns fails
  bool fail_fast = false;
  bool verbose = false;
  bool verify = false;  // patterns are manifest paths; no Nix
  std::optional<std::filesystem::path> home_manager;
  std::optional<std::filesystem::path> nixpkgs;
  std::optional<std::filesystem::path> evaluator;
  std::vector<std::filesystem::path> modules;  // empty: hmt's own home.services module
  std::vector<std::string> nix_eval_args;      // -I, --arg, --argstr, --option, --builders
  std::vector<std::string> nix_build_args;     // -I, --option, --builders
  bool help = false;
  bool help_man = false;      // hidden: print the man page (roff)
  bool help_options = false;  // hidden: print the option table, for completions
  bool version = false;
};

// One option as --help, the man page and the completions show it.
struct OptionDoc {
  std::string name;        // "--jobs", or "-I" for an option with no long name
  std::string short_name;  // "-j", or empty
  std::string value;       // "N", "NAME VALUE"; empty for a flag
  std::string choices;     // the values it takes, space-separated, where they are few
  std::string help;
  bool nix = false;        // handed to Nix unchanged
};

// Every option, hmt's own and then the ones passed through to Nix: the one
// table behind --help, --help-man and --help-options.
std::vector<OptionDoc> cli_option_docs();

// One line per option name (a short alias on a line of its own): name TAB
// value TAB choices TAB help.
std::string cli_option_table();

// Errors say what was wrong and how to fix it; the caller exits with 2.
Expected<CliOptions> parse_cli(const std::vector<std::string>& args);
std::string cli_help();

// fnmatch-style glob against a case name.
bool case_matches(const std::string& pattern, const std::string& name);

}  // namespace hmt
