#include "harness/cli/nix_run.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/cache/inner_loop.h"
#include "harness/cache/selection.h"
#include "harness/cli/cache_setup.h"
#include "harness/cli/rerun.h"
#include "harness/nix/nix_driver.h"
#include "harness/pipeline/shard.h"

extern char** environ;

namespace hmt {

namespace fs = std::filesystem;

std::filesystem::path absolute_path(const fs::path& p) {
  std::error_code ec;
  auto abs = fs::absolute(p, ec);
  return ec ? p : abs.lexically_normal();
}

int setup_failed(ReporterSet& reporters, const std::string& message) {
  std::cerr << "hmt: " << message << "\n";
  reporters.bail_out(message);
  return kExitUsage;
}

namespace {

// A source that could not be loaded is one failed test point naming it.
CaseResult unloaded_source(const SourceListing& listing) {
  CaseResult result;
  result.name = listing.path.string();
  result.file = listing.path.string();
  result.status = listing.failure->kind == NixFailure::Kind::TimedOut ? Status::Timeout : Status::Error;
  result.reason = fmt::format("cannot load the cases of {}", listing.path.string());
  result.nix_error = listing.failure->message;
  return result;
}

// Where <name> resolves to, or why it does not.
Expected<fs::path> resolve_nix_path_entry(ProcessRunner& processes, const std::string& name,
                                          const CliOptions& options, const std::string& flag) {
  ProcessSpec spec;
  spec.argv = {"nix-instantiate", "--eval", "--json", "--expr", fmt::format("toString <{}>", name)};
  spec.argv.insert(spec.argv.end(), options.nix_eval_args.begin(), options.nix_eval_args.end());
  spec.timeout = std::chrono::seconds(60);
  ProcessResult result = processes.run(spec);
  if (!result.ok())
    return Error{fmt::format(
        "<{}> does not resolve: pass {} PATH, or -I {}=PATH, or put {}= in NIX_PATH / nix.conf's nix-path", name,
        flag, name, name)};
  auto parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (!parsed.is_string()) return fs::path();
  return fs::path(parsed.get<std::string>());
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::vector<CaseEntry> only(const std::vector<CaseEntry>& cases, const std::set<std::string>& names) {
  std::vector<CaseEntry> out;
  for (const auto& entry : cases)
    if (names.count(entry.name)) out.push_back(entry);
  return out;
}

// The record's durations, for --shard.
std::map<std::string, long long> durations_of(const Record& record) {
  std::map<std::string, long long> out;
  for (const auto& [name, c] : record.cases)
    if (c.evaluation_ms >= 0) out[name] = c.evaluation_ms + std::max(0LL, c.check_ms);
  return out;
}

}  // namespace

int run_with_nix(const NixRun& run, ReporterSet& reporters, WatchRound* round) {
  const CliOptions& options = run.options;
  ProcessRunner& processes = run.processes;
  RunOptions run_options = run.run_options;
  for (const char* tool : {"nix-instantiate", "nix-build", "nix"})
    if (find_on_path(tool).empty())
      return setup_failed(reporters, fmt::format("{} was not found on PATH: install Nix (on Debian: apt-get "
                                                 "install nix-bin) or add its bin folder to PATH",
                                                 tool));

  NixSettings settings;
  settings.driver = run.data.nix / "driver.nix";
  const bool home_manager_cases = !options.evaluator;
  settings.evaluator = options.evaluator ? absolute_path(*options.evaluator) : run.data.nix / "home-manager.nix";
  if (!fs::exists(settings.evaluator))
    return setup_failed(reporters, fmt::format("evaluator {} does not exist", settings.evaluator.string()));
  // hmt's own home.services joins the cases that are not part of an nmt
  // suite; a suite (home-manager's tests/) runs as its own runner runs it.
  if (options.modules.empty()) {
    if (home_manager_cases) settings.default_modules.push_back(run.data.modules);
  } else {
    for (const auto& m : options.modules) settings.modules.push_back(absolute_path(m));
  }
  settings.eval_args = options.nix_eval_args;
  settings.build_args = options.nix_build_args;
  if (options.timeout_seconds > 0) settings.timeout = std::chrono::seconds(options.timeout_seconds);
  settings.evaluator_memory_limit_kib = static_cast<std::size_t>(options.evaluator_memory_mib) * 1024;

  // Cases are made from their sources and the checkouts they import: links
  // into those are as good as links into the store.
  std::optional<fs::path> nixpkgs, home_manager;
  if (home_manager_cases) {
    for (const auto& [name, flag] : {std::pair{"nixpkgs", "--nixpkgs"}, std::pair{"home-manager", "--home-manager"}}) {
      auto resolved = resolve_nix_path_entry(processes, name, options, flag);
      if (!resolved) return setup_failed(reporters, resolved.error());
      if (resolved->empty()) continue;
      run_options.input_roots.push_back(*resolved);
      (std::string_view(name) == "nixpkgs" ? nixpkgs : home_manager) = *resolved;
    }
  }

  std::vector<fs::path> sources;
  // An installed hmt may come without bundled cases (the flake's package).
  if (options.default_cases && (fs::exists(run.data.cases / "default.nix") || options.case_dirs.empty()))
    sources.push_back(run.data.cases);
  for (const auto& dir : options.case_dirs) sources.push_back(absolute_path(dir));
  if (sources.empty()) return setup_failed(reporters, "no case folders: drop --no-default-cases or add --cases DIR");
  for (const auto& source : sources) {
    std::error_code ec;
    if (!fs::exists(source, ec))
      return setup_failed(reporters, fmt::format("--cases {}: no such file or folder (it does not exist)", source.string()));
    if (fs::is_directory(source, ec) && !fs::exists(source / "default.nix", ec))
      return setup_failed(reporters, fmt::format("case folder {} has no default.nix", source.string()));
    run_options.input_roots.push_back(fs::is_directory(source, ec) ? source : source.parent_path());
  }
  if (round) {
    round->trees.clear();
    if (home_manager && !is_within(*home_manager, run_options.store_dir))
      round->trees.push_back(tree_root_of(*home_manager));
    for (const auto& source : sources) round->trees.push_back(tree_root_of(source));
    round->trees = outermost(std::move(round->trees));  // home-manager's tests/ is in its checkout
  }

  NixDriver nix(processes, settings);
  reporters.progress(Progress{"listing the cases", 0, 0, 0});
  std::vector<CaseEntry> all;
  std::vector<CaseResult> unloaded;
  std::set<std::string> names;
  for (const auto& listing : nix.list_sources(sources)) {
    if (listing.failure) {
      unloaded.push_back(unloaded_source(listing));
      continue;
    }
    for (const auto& entry : listing.cases) {
      if (!names.insert(entry.name).second) {
        std::cerr << fmt::format("hmt: warning: case '{}' of {} is hidden by an earlier source's case of that name\n",
                                 entry.name, listing.path.string());
        continue;
      }
      all.push_back(entry);
    }
  }

  std::vector<CaseEntry> selected;
  for (const auto& entry : all)
    if (options.patterns.empty() ||
        std::any_of(options.patterns.begin(), options.patterns.end(),
                    [&](const std::string& p) { return case_matches(p, entry.name); }))
      selected.push_back(entry);
  for (const auto& pattern : options.patterns)
    if (unloaded.empty() &&
        std::none_of(all.begin(), all.end(), [&](const CaseEntry& e) { return case_matches(pattern, e.name); }))
      return setup_failed(reporters, fmt::format("no case matches '{}'; hmt --list shows the cases", pattern));

  // The evaluators' Nix: Lix or not, and its version for the cache.
  auto probe = probe_nix(processes);
  if (!probe) return setup_failed(reporters, fmt::format("cannot start the evaluators: {}", probe.error()));
  nix.use_probe(*probe);

  // The inner loop: cached verdicts and the record.
  // --shard reads the record's durations when there is one, unless
  // --no-cache keeps the run from what ran before here; the others cannot
  // work without it.
  const bool needs_record = options.affected || options.last_failed || options.failed_first || (round && !round->first);
  std::unique_ptr<InnerLoop> loop;
  if ((options.cache && (!options.list || options.shard)) || needs_record) {
    CacheInputs inputs;
    inputs.cache_folder = default_cache_folder();
    std::error_code ec;
    inputs.hmt_binary = run_options.helper.empty() ? fs::canonical("/proc/self/exe", ec) : run_options.helper;
    inputs.hmt_data.push_back(run.data.nix);
    if (!settings.default_modules.empty()) inputs.hmt_data.push_back(run.data.modules);
    inputs.nix_version = probe->version;
    inputs.eval_args = options.nix_eval_args;
    inputs.build_args = options.nix_build_args;
    inputs.evaluator = settings.evaluator;
    inputs.modules = settings.modules;
    inputs.nixpkgs = nixpkgs;
    inputs.home_manager = home_manager;
    inputs.sources = sources;
    inputs.store_dir = run_options.store_dir;
    for (char** variable = environ; *variable; ++variable) inputs.environment.emplace_back(*variable);
    inputs.find_program = [](const std::string& program) { return find_on_path(program); };
    const auto opening = std::chrono::steady_clock::now();
    InnerLoopSettings loop_settings = cache_settings(options, inputs);
    loop_settings.warn = [](const std::string& message) { std::cerr << "hmt: warning: " << message << "\n"; };
    auto opened = InnerLoop::open(loop_settings, processes);
    if (options.verbose)
      std::cerr << fmt::format("hmt: the inner loop's trees and record took {} ms\n",
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - opening)
                                   .count());
    if (opened)
      loop = std::move(opened).value();
    else
      std::cerr << fmt::format("hmt: warning: no verdict cache or record this run: {}\n", opened.error());
    if (loop && unloaded.empty()) loop->listing(all);
  }
  if (needs_record && !loop)
    return setup_failed(reporters, "--affected, --last-failed, --failed-first and --watch need the record, "
                                   "which could not be read (see the warning above)");

  const std::size_t listed = selected.size();
  if (round && !round->first) {
    // A later round of --watch: what the change affected, of the selection.
    const Affected affected = loop->affected_now(selected);
    if (!affected.everything) selected = only(selected, affected.cases);
    round->ran = !selected.empty();
    if (!round->ran) return kExitPassed;
    std::cerr << fmt::format("hmt: --watch: {} of {} affected{}\n", selected.size(), plural(listed, "case"),
                             affected.everything ? " (" + affected.why + ")" : "");
  } else if (options.affected) {
    auto affected = loop->affected_since(*options.affected, selected);
    if (!affected) return setup_failed(reporters, affected.error());
    if (!affected->everything) selected = only(selected, affected->cases);
    std::cerr << fmt::format("hmt: --affected {}: {} of {}{}\n", *options.affected, selected.size(),
                             plural(listed, "case"), affected->everything ? " (" + affected->why + ")" : "");
  }
  if (options.last_failed) {
    auto failed = last_failed(selected, loop->record());
    if (failed.empty())
      std::cerr << "hmt: --last-failed: no case failed last time; running every selected case\n";
    else
      selected = std::move(failed);
  }
  if (options.failed_first) selected = failed_first(selected, loop->record());
  if (options.shard) {
    const auto durations =
        loop && options.cache ? durations_of(loop->record()) : std::map<std::string, long long>{};
    const auto timed = std::count_if(selected.begin(), selected.end(),
                                     [&](const CaseEntry& e) { return durations.count(e.name) > 0; });
    // Every shard's machine must see the same record: say which parts these are.
    if (timed > 0)
      std::cerr << fmt::format("hmt: --shard {}/{}: parts balanced on the recorded durations of {} of {}\n",
                               options.shard->index, options.shard->count, timed, plural(selected.size(), "case"));
    selected = cases_of_shard(selected, *options.shard, durations);
  }

  if (options.list) {
    if (options.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : selected)
        out.push_back({{"name", e.name}, {"file", e.file}, {"line", e.line}, {"folder", e.folder}});
      // Names Nix allows need not be UTF-8: shown with U+FFFD rather than failing.
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      for (const auto& e : selected) std::cout << e.name << "\n";
    }
    return kExitPassed;
  }

  if (options.verbose)
    std::cerr << fmt::format("hmt: evaluating with: {} (HMT_SPEC={}), set up with:\n{}",
                             fmt::join(nix.evaluator_spec().argv, " "), nix.evaluator_spec().env.at("HMT_SPEC"),
                             nix.evaluator_setup());

  run_options.rerun_command = rerun_commands(options, all, sources, run.data.cases);
  if (options.cache) run_options.cache = loop.get();
  Runner runner(processes, reporters, run_options);
  RunSummary summary = runner.run_cases(nix, selected, unloaded);
  if (loop && options.cache) loop->save();
  return summary.failed > 0 ? kExitFailed : kExitPassed;
}

}  // namespace hmt
