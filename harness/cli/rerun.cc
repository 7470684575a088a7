#include "harness/cli/rerun.h"

#include <map>
#include <memory>

namespace hmt {

std::string shell_quote(std::string_view word) {
  const bool plain = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789@%+=:,./_-") == std::string_view::npos;
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string glob_literal(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string shell_command(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += shell_quote(word);
  }
  return out;
}

std::vector<std::string> rerun_prefix(const CliOptions& options, const std::filesystem::path& source) {
  std::vector<std::string> words = {"hmt"};
  if (!source.empty()) words.insert(words.end(), {"--no-default-cases", "--cases", source.string()});
  // Absolute, so that the command works from any folder.
  auto absolute = [](const std::filesystem::path& path) {
    std::error_code ec;
    const auto result = std::filesystem::absolute(path, ec);
    return (ec ? path : result.lexically_normal()).string();
  };
  if (options.evaluator) words.insert(words.end(), {"--evaluator", absolute(*options.evaluator)});
  for (const auto& module : options.modules) words.insert(words.end(), {"--module", absolute(module)});
  // -I (also from --home-manager/--nixpkgs), --arg, --argstr, --option, --builders.
  words.insert(words.end(), options.nix_eval_args.begin(), options.nix_eval_args.end());
  return words;
}

namespace {

// "--" so that a name starting with "-" is not read as an option.
std::string with_case(const std::vector<std::string>& prefix, std::string_view name) {
  return shell_command(prefix) + " -- " + shell_quote(glob_literal(name));
}

std::function<std::string(const std::string&)> looked_up(std::map<std::string, std::string> commands) {
  auto shared = std::make_shared<const std::map<std::string, std::string>>(std::move(commands));
  return [shared](const std::string& name) {
    const auto it = shared->find(name);
    return it == shared->end() ? std::string() : it->second;
  };
}

}  // namespace

std::function<std::string(const std::string&)> rerun_commands(const CliOptions& options,
                                                              const std::vector<CaseEntry>& cases,
                                                              const std::vector<std::filesystem::path>& sources,
                                                              const std::filesystem::path& default_source) {
  std::map<std::string, std::string> commands;
  std::map<int, std::vector<std::string>> prefixes;
  for (const auto& entry : cases) {
    if (entry.source < 0 || static_cast<std::size_t>(entry.source) >= sources.size()) continue;
    const auto& source = sources[static_cast<std::size_t>(entry.source)];
    auto [it, fresh] = prefixes.try_emplace(entry.source);
    if (fresh) it->second = rerun_prefix(options, source == default_source ? std::filesystem::path() : source);
    commands.emplace(entry.name, with_case(it->second, entry.name));
  }
  return looked_up(std::move(commands));
}

std::function<std::string(const std::string&)> verify_rerun_commands(
    const std::vector<std::pair<std::string, std::filesystem::path>>& manifests) {
  std::map<std::string, std::string> commands;
  for (const auto& [name, path] : manifests) commands.emplace(name, shell_command({"hmt", "--verify", path.string()}));
  return looked_up(std::move(commands));
}

}  // namespace hmt
