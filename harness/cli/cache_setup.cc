#include "harness/cli/cache_setup.h"

#include <algorithm>

namespace hmt {

namespace fs = std::filesystem;

namespace {

bool in_store(const fs::path& path, const fs::path& store_dir) { return is_within(path, store_dir); }

// A channel (<nixpkgs> from NIX_PATH, ~/.nix-defexpr) is a link into the
// store: keyed by the store path it leads to, not walked file by file.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  return ec ? path : real;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w + '\0';
  return out;
}

}  // namespace

bool keyed_variable(const std::string& name) {
  static const char* const exact[] = {"HOME", "USER", "LOGNAME", "PATH", "LANG", "TZ", "SHELL"};
  if (std::find(std::begin(exact), std::end(exact), name) != std::end(exact)) return true;
  for (std::string_view prefix : {"XDG_", "NIX_", "LC_"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

InnerLoopSettings cache_settings(const CliOptions& options, const CacheInputs& inputs) {
  InnerLoopSettings settings;
  settings.folder = inputs.cache_folder;
  settings.use_verdicts = options.cache;
  settings.failures_run = options.update_golden;
  settings.record_definitions = options.affected.has_value() || options.watch;
  settings.keep_durations = options.shard.has_value();
  settings.store_dir = inputs.store_dir;
  settings.sources = inputs.sources;
  auto& id = settings.identity;
  id.emplace_back("nix", inputs.nix_version);
  id.emplace_back("eval-args", joined(inputs.eval_args));
  id.emplace_back("build-args", joined(inputs.build_args));
  id.emplace_back("warnings-as-errors", options.warnings_as_errors ? "1" : "0");
  id.emplace_back("evaluator", inputs.evaluator.string());
  for (const auto& source : inputs.sources) id.emplace_back("source", source.string());
  std::vector<std::string> environment = inputs.environment;
  std::sort(environment.begin(), environment.end());
  for (const auto& variable : environment)
    if (keyed_variable(variable.substr(0, variable.find('=')))) id.emplace_back("env", variable);

  settings.identity_files.push_back(inputs.hmt_binary);
  settings.identity_files.push_back(inputs.evaluator);
  for (const auto& data : inputs.hmt_data) settings.identity_trees.push_back(data);
  // The programs scripts run: bash for the fallback, systemd-analyze for
  // assertUnitVerifies (present or not).
  if (inputs.find_program)
    for (const char* program : {"bash", "systemd-analyze"}) {
      const fs::path found = inputs.find_program(program);
      id.emplace_back(program, found.string());
      if (!found.empty()) settings.identity_files.push_back(found);
    }

  // A checkout in the store is its path; one outside is keyed file by file
  // (home-manager's, as part of the keyed trees; nixpkgs', in the identity).
  if (inputs.nixpkgs) {
    if (const fs::path real = resolved(*inputs.nixpkgs); in_store(real, inputs.store_dir))
      id.emplace_back("nixpkgs", real.string());
    else
      settings.identity_trees.push_back(tree_root_of(*inputs.nixpkgs));
  }
  if (inputs.home_manager) {
    if (const fs::path real = resolved(*inputs.home_manager); in_store(real, inputs.store_dir))
      id.emplace_back("home-manager", real.string());
    else
      settings.home_manager.push_back(*inputs.home_manager);
  }
  // A --module inside the keyed trees is part of them; one outside is part
  // of the identity.
  std::vector<fs::path> trees;
  for (const auto& hm : settings.home_manager) trees.push_back(tree_root_of(hm));
  for (const auto& source : settings.sources) trees.push_back(tree_root_of(source));
  for (const auto& module : inputs.modules) {
    id.emplace_back("module", module.string());
    if (std::any_of(trees.begin(), trees.end(), [&](const fs::path& t) { return is_within(module, t); })) continue;
    std::error_code ec;
    if (fs::is_directory(module, ec))
      settings.identity_trees.push_back(module);
    else
      settings.identity_files.push_back(module);
  }
  return settings;
}

}  // namespace hmt
