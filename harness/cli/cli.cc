#include "harness/cli/cli.h"

#include <fnmatch.h>

#include <sstream>
#include <thread>

#include <boost/program_options.hpp>
#include <fmt/core.h>

#include "harness/report/report_formats.h"

namespace po = boost::program_options;

namespace hmt {

namespace {

po::options_description visible_options() {
  po::options_description options("Options");
  // program_options keeps the pointer, not a copy.
  static const std::string format_help = "report format on stdout: " + report_format_names() + " (default: tap)";
  // clang-format off
  options.add_options()
    ("cases", po::value<std::vector<std::string>>()->composing()->value_name("PATH"),
     "add cases: a folder or .nix file mapping case names to modules, or an nmt suite such as home-manager's tests/; repeatable")
    ("no-default-cases", "do not run hmt's own cases/ folder")
    ("list", "list the selected cases and exit")
    ("json", "with --list: print JSON")
    ("jobs,j", po::value<int>()->value_name("N"), "evaluator processes to run at once (default: the number of cores)")
    ("chunk-size", po::value<int>()->value_name("N"), "the most cases a chunk holds: one build call each (default 25)")
    ("evaluator-memory", po::value<int>()->value_name("MIB"), "replace an evaluator once its peak memory passes MIB (default 1024)")
    ("timeout", po::value<int>()->value_name("SECONDS"), "seconds one Nix call or script may take before its process group is killed (default 1800, 0: none)")
    ("format", po::value<std::string>()->value_name("FORMAT"), format_help.c_str())
    ("tap-version", po::value<int>()->value_name("VERSION"), "13 (default; one test point per case) or 14 (one subtest per case)")
    ;
  for (const auto& report : file_report_formats())
    options.add_options()(std::string(report.option).c_str(), po::value<std::string>()->value_name("FILE"),
                          std::string(report.summary).c_str());
  options.add_options()
    ("shard", po::value<std::string>()->value_name("K/N"), "run only the K-th of N parts of the selected cases, for CI matrices; parts take about the same time when the record has their durations")
    ("no-cache", "evaluate and build every case: use no cached verdict, write neither verdicts nor the record, and deal --shard parts by name (the record is still read for --affected, --last-failed and --failed-first)")
    ("affected", po::value<std::string>()->value_name("REF"), "run only the cases a change since git commit REF can affect, and those whose record is not current")
    ("last-failed", "run only the cases that failed last time (every case when none did)")
    ("failed-first", "run the cases that failed last time first")
    ("watch", "run, then run the affected cases again whenever a file of the case sources or the home-manager checkout changes; Ctrl-C ends it")
    ("update-golden", "rewrite the expected file of each failing assertFileContent inside its case folder")
    ("warnings-as-errors", "fail a case whose evaluation printed a warning (lib.warn), as CI may want")
    ("home-manager", po::value<std::string>()->value_name("PATH"), "home-manager source to test with (default: <home-manager>)")
    ("nixpkgs", po::value<std::string>()->value_name("PATH"), "nixpkgs to test with (default: <nixpkgs>)")
    ("module", po::value<std::vector<std::string>>()->composing()->value_name("PATH"),
     "a module to add to every case; repeatable (default: hmt's home.services, for cases outside an nmt suite)")
    ("evaluator", po::value<std::string>()->value_name("FILE"), "Nix file that turns cases into trees (default: home-manager's)")
    ("verify", "assert already built manifests given as arguments, without calling Nix")
    ("fail-fast", "stop starting cases after the first failure")
    ("verbose,v", "show the Nix commands and script output")
    ("help,h", "show this help")
    ("version", "print hmt's version");
  // clang-format on
  return options;
}

// Handed to Nix unchanged; --arg and --argstr reach nixpkgs' import.
const OptionDoc kNixOptions[] = {
    {"-I", "", "PATH", "", "add PATH (or NAME=PATH) to Nix's search path", true},
    {"--arg", "", "NAME EXPR", "", "pass a Nix expression argument to the evaluation", true},
    {"--argstr", "", "NAME VALUE", "", "pass a string argument to the evaluation", true},
    {"--option", "", "NAME VALUE", "", "set a Nix configuration option for every Nix call", true},
    {"--builders", "", "SPEC", "", "Nix's remote builders for the builds, e.g. 'ssh://host x86_64-linux'", true},
};

// Nix options that take two values do not fit program_options; they are
// taken out first and handed to Nix unchanged.
Expected<std::vector<std::string>> take_nix_options(const std::vector<std::string>& args, CliOptions& options) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto need = [&](std::size_t count) -> bool { return i + count < args.size(); };
    // After "--" every word is a case pattern, even one that looks like an option.
    if (arg == "--") {
      rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (arg == "--arg" || arg == "--argstr") {
      if (!need(2)) return Error{fmt::format("{} takes a name and a value, e.g. {} system x86_64-linux", arg, arg)};
      options.nix_eval_args.insert(options.nix_eval_args.end(), {arg, args[i + 1], args[i + 2]});
      i += 2;
    } else if (arg == "--option") {
      if (!need(2)) return Error{"--option takes a name and a value, e.g. --option substituters ''"};
      for (auto* target : {&options.nix_eval_args, &options.nix_build_args})
        target->insert(target->end(), {arg, args[i + 1], args[i + 2]});
      i += 2;
    } else if (arg == "-I" || arg == "--builders") {
      if (!need(1)) return Error{fmt::format("{} takes a value", arg)};
      for (auto* target : {&options.nix_eval_args, &options.nix_build_args})
        target->insert(target->end(), {arg, args[i + 1]});
      i += 1;
    } else if (arg.rfind("-I", 0) == 0 && arg.size() > 2 && arg[2] != '-') {
      for (auto* target : {&options.nix_eval_args, &options.nix_build_args})
        target->insert(target->end(), {"-I", arg.substr(2)});
    } else {
      rest.push_back(arg);
    }
  }
  return rest;
}

}  // namespace

std::string cli_help() {
  std::ostringstream text;
  text << "Usage: hmt [OPTIONS] [CASE...]\n"
          "       hmt --verify MANIFEST...\n\n"
          "Builds each home-manager test case with nix-build and runs its nmt.script\n"
          "assertions. CASE is a case name or a glob (default: every case).\n\n"
       << visible_options()
       << "\nNix options passed through unchanged:\n";
  for (const auto& nix : kNixOptions) text << fmt::format("  {:<22} {}\n", nix.name + " " + nix.value, nix.help);
  text << "\nExit status: 0 all cases passed, 1 a case failed, 2 usage or setup error.\n";
  return text.str();
}

std::vector<OptionDoc> cli_option_docs() {
  std::vector<OptionDoc> docs;
  const po::options_description visible = visible_options();
  for (const auto& option : visible.options()) {
    const auto& semantic = *option->semantic();
    const std::string value = semantic.max_tokens() == 0 ? "" : semantic.name();
    // format_name() is "-j [ --jobs ]" for an option with a short alias.
    const std::string shown = option->format_name();
    const bool has_short = shown.size() > 1 && shown[0] == '-' && shown[1] != '-';
    docs.push_back({"--" + option->long_name(), has_short ? shown.substr(0, 2) : "", value, "", option->description()});
    if (option->long_name() == "tap-version") docs.back().choices = "13 14";
    if (option->long_name() == "format")
      for (const auto& format : report_formats())
        docs.back().choices += (docs.back().choices.empty() ? "" : " ") + std::string(format.name);
  }
  docs.insert(docs.end(), std::begin(kNixOptions), std::end(kNixOptions));
  return docs;
}

std::string cli_option_table() {
  std::string out;
  for (const auto& doc : cli_option_docs())
    for (const auto& name : {doc.name, doc.short_name})
      if (!name.empty()) out += fmt::format("{}\t{}\t{}\t{}\n", name, doc.value, doc.choices, doc.help);
  return out;
}

bool case_matches(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

Expected<CliOptions> parse_cli(const std::vector<std::string>& args) {
  CliOptions options;
  options.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto rest = take_nix_options(args, options);
  if (!rest) return Error{rest.error()};

  po::options_description all = visible_options();
  all.add_options()("positional", po::value<std::vector<std::string>>(), "")("help-man", "")("help-options", "");
  po::positional_options_description positional;
  positional.add("positional", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(*rest).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return Error{e.what()};
  }

  auto paths = [&](const char* key) {
    std::vector<std::filesystem::path> out;
    if (vm.count(key))
      for (const auto& p : vm[key].as<std::vector<std::string>>()) out.emplace_back(p);
    return out;
  };

  options.help = vm.count("help") > 0;
  options.version = vm.count("version") > 0;
  options.help_man = vm.count("help-man") > 0;
  options.help_options = vm.count("help-options") > 0;
  options.list = vm.count("list") > 0;
  options.json = vm.count("json") > 0;
  options.update_golden = vm.count("update-golden") > 0;
  options.warnings_as_errors = vm.count("warnings-as-errors") > 0;
  options.fail_fast = vm.count("fail-fast") > 0;
  options.verbose = vm.count("verbose") > 0;
  options.verify = vm.count("verify") > 0;
  options.default_cases = vm.count("no-default-cases") == 0;
  options.cache = vm.count("no-cache") == 0;
  options.last_failed = vm.count("last-failed") > 0;
  options.failed_first = vm.count("failed-first") > 0;
  options.watch = vm.count("watch") > 0;
  if (vm.count("affected")) options.affected = vm["affected"].as<std::string>();
  options.case_dirs = paths("cases");
  options.modules = paths("module");
  if (vm.count("positional")) options.patterns = vm["positional"].as<std::vector<std::string>>();

  if (vm.count("jobs")) {
    options.jobs = vm["jobs"].as<int>();
    if (options.jobs < 1) return Error{"--jobs must be at least 1"};
  }
  if (vm.count("chunk-size")) {
    options.chunk_size = vm["chunk-size"].as<int>();
    if (options.chunk_size < 1) return Error{"--chunk-size must be at least 1"};
  }
  if (vm.count("evaluator-memory")) {
    options.evaluator_memory_mib = vm["evaluator-memory"].as<int>();
    if (options.evaluator_memory_mib < 1) return Error{"--evaluator-memory must be at least 1 (MiB)"};
  }
  if (vm.count("timeout")) {
    options.timeout_seconds = vm["timeout"].as<int>();
    if (options.timeout_seconds < 0) return Error{"--timeout must be 0 (none) or a number of seconds"};
  }
  if (vm.count("format")) {
    options.format = vm["format"].as<std::string>();
    if (!find_report_format(options.format))
      return Error{fmt::format("unknown --format '{}': use {}", options.format, report_format_names())};
  }
  if (vm.count("tap-version")) {
    options.tap_version = vm["tap-version"].as<int>();
    if (options.tap_version != 13 && options.tap_version != 14)
      return Error{fmt::format("unsupported --tap-version {}: use 13 or 14", options.tap_version)};
  }
  if (vm.count("shard")) {
    auto shard = parse_shard(vm["shard"].as<std::string>());
    if (!shard) return Error{shard.error()};
    options.shard = *shard;
  }
  for (const auto& report : file_report_formats())
    if (const std::string option(report.option); vm.count(option))
      options.report_files[option] = vm[option].as<std::string>();
  if (vm.count("home-manager")) options.home_manager = vm["home-manager"].as<std::string>();
  if (vm.count("nixpkgs")) options.nixpkgs = vm["nixpkgs"].as<std::string>();
  if (vm.count("evaluator")) options.evaluator = vm["evaluator"].as<std::string>();

  if (options.json && !options.list) return Error{"--json goes with --list"};
  if (options.verify && options.patterns.empty())
    return Error{"--verify needs the manifest files to check, e.g. hmt --verify ./result"};
  if (options.verify && options.list) return Error{"--verify and --list do not go together"};
  if (options.verify && options.shard) return Error{"--shard selects cases to build; it does not go with --verify"};
  if (options.verify && (options.affected || options.last_failed || options.failed_first || options.watch))
    return Error{"--affected, --last-failed, --failed-first and --watch select cases to build; they do not go with --verify"};
  if (options.affected && options.affected->empty()) return Error{"--affected takes a git commit, e.g. --affected HEAD"};
  if (options.watch && options.list) return Error{"--watch runs cases; it does not go with --list"};
  if (options.watch && options.update_golden) return Error{"--watch does not go with --update-golden: run that once"};
  return options;
}

}  // namespace hmt
