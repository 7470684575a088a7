// What the inner loop (harness/cache/) is told of a run: the run identity a
// verdict depends on besides the trees (hmt itself, Nix, the options, the
// environment, the host tools scripts use, nixpkgs), and the trees.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/cache/inner_loop.h"
#include "harness/cli/cli.h"

namespace hmt {

struct CacheInputs {
  std::filesystem::path cache_folder;                // $XDG_CACHE_HOME/hmt
  std::filesystem::path hmt_binary;                  // /proc/self/exe
  std::vector<std::filesystem::path> hmt_data;       // its Nix files, and the bundled module when used
  std::string nix_version;                           // `nix --version`
  std::vector<std::string> eval_args, build_args;    // handed to Nix
  std::filesystem::path evaluator;
  std::vector<std::filesystem::path> modules;        // --module
  std::optional<std::filesystem::path> nixpkgs;      // resolved <nixpkgs>
  std::optional<std::filesystem::path> home_manager; // resolved <home-manager>
  std::vector<std::filesystem::path> sources;
  std::filesystem::path store_dir = "/nix/store";
  std::vector<std::string> environment;              // NAME=VALUE, as environ holds them
  std::function<std::filesystem::path(const std::string&)> find_program;  // on PATH; empty path when none
};

// The environment variables a verdict may depend on: modules read HOME,
// USER and the XDG folders with builtins.getEnv (home-manager's xdg module
// does with xdg.enable off), Nix reads NIX_PATH and its NIX_* settings,
// scripts find their programs on PATH and sort and match by the locale.
bool keyed_variable(const std::string& name);

InnerLoopSettings cache_settings(const CliOptions& options, const CacheInputs& inputs);

}  // namespace hmt
