// The command that runs one failed case again, alone, with what decided how
// it was tested (its source, the evaluator, the modules, Nix's options), so
// that a reader can paste it into a shell.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/nix/evaluation.h"

namespace hmt {

// word as one POSIX shell word: unchanged when it is made only of
// characters no shell treats specially, else in single quotes.
std::string shell_quote(std::string_view word);

// A case pattern (a glob) that matches exactly name: *, ?, [ and \ escaped.
std::string glob_literal(std::string_view name);

// The words of a command, each quoted for the shell, space-separated.
std::string shell_command(const std::vector<std::string>& words);

// The hmt words that test as this run tests, for cases of `source` (empty:
// hmt's own cases folder).
std::vector<std::string> rerun_prefix(const CliOptions& options, const std::filesystem::path& source);

// Case name -> the command that reruns it ("" for names not among cases).
// sources are what the cases' `source` indexes; default_source is hmt's
// own cases folder, which needs no --cases.
std::function<std::string(const std::string&)> rerun_commands(const CliOptions& options,
                                                              const std::vector<CaseEntry>& cases,
                                                              const std::vector<std::filesystem::path>& sources,
                                                              const std::filesystem::path& default_source);

// For --verify: each manifest path reruns as `hmt --verify PATH`.
std::function<std::string(const std::string&)> verify_rerun_commands(
    const std::vector<std::pair<std::string, std::filesystem::path>>& manifests);

}  // namespace hmt
