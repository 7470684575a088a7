#include "harness/nix_driver.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace hmt {

namespace {

constexpr std::size_t kMaxErrorLines = 60;

NixFailure failure_of(const ProcessResult& result, const std::string& what) {
  using Outcome = ProcessResult::Outcome;
  switch (result.outcome) {
    case Outcome::TimedOut:
      return {NixFailure::Kind::TimedOut,
              fmt::format("{} timed out after {:.1f}s and was stopped", what, result.elapsed.count() / 1000.0)};
    case Outcome::Cancelled:
      return {NixFailure::Kind::Cancelled, fmt::format("{} was interrupted", what)};
    case Outcome::FailedToStart:
      return {NixFailure::Kind::Failed, fmt::format("{} could not start: {}", what, result.error)};
    case Outcome::Signaled:
      return {NixFailure::Kind::Failed,
              fmt::format("{} was killed by signal {}\n{}", what, result.exit_code, summarize_nix_error(result.err))};
    case Outcome::Exited:
      break;
  }
  std::string message = summarize_nix_error(result.err);
  if (message.empty()) message = fmt::format("{} failed with exit status {}", what, result.exit_code);
  return {NixFailure::Kind::Failed, message};
}

}  // namespace

std::string summarize_nix_error(const std::string& stderr_text) {
  std::istringstream in(stderr_text);
  std::vector<std::string> kept;
  std::string line;
  while (std::getline(in, line)) {
    // Progress lines say nothing about the failure.
    if (line.rfind("these ", 0) == 0 || line.rfind("this derivation will be built", 0) == 0 ||
        line.rfind("building '", 0) == 0 || line.rfind("  /nix/store/", 0) == 0 ||
        line.rfind("copying path", 0) == 0 || line.rfind("warning: unknown setting", 0) == 0)
      continue;
    kept.push_back(line);
  }
  while (!kept.empty() && kept.back().find_first_not_of(" \t\r") == std::string::npos) kept.pop_back();
  if (kept.size() > kMaxErrorLines) {
    std::vector<std::string> tail(kept.end() - kMaxErrorLines, kept.end());
    tail.insert(tail.begin(), fmt::format("[... {} earlier lines]", kept.size() - kMaxErrorLines));
    kept = std::move(tail);
  }
  std::string out;
  for (const auto& l : kept) out += l + "\n";
  if (!out.empty()) out.pop_back();
  return out;
}

NixDriver::NixDriver(ProcessRunner& runner, NixSettings settings)
    : runner_(runner), settings_(std::move(settings)) {}

std::string NixDriver::spec_json(const std::vector<std::string>& folders,
                                 const std::vector<std::string>& names) const {
  nlohmann::json spec;
  spec["evaluator"] = settings_.evaluator.string();
  spec["modules"] = nlohmann::json::array();
  for (const auto& m : settings_.modules) spec["modules"].push_back(m.string());
  spec["caseDirs"] = folders;
  spec["names"] = names;
  return spec.dump();
}

std::vector<std::string> NixDriver::evaluation_command(const std::string& attribute,
                                                       const std::vector<CaseEntry>& cases) const {
  std::vector<std::string> folders, names;
  std::set<std::string> seen;
  for (const auto& c : cases) {
    if (seen.insert(c.folder).second) folders.push_back(c.folder);
    names.push_back(c.name);
  }
  return command_for(attribute, folders, names);
}

std::vector<std::string> NixDriver::command_for(const std::string& attribute,
                                                const std::vector<std::string>& folders,
                                                const std::vector<std::string>& names) const {
  std::vector<std::string> argv{"nix-instantiate", "--eval", "--strict", "--json",
                                // Derivations must be written to the store to be built.
                                "--read-write-mode", settings_.driver.string(), "-A", attribute,
                                "--argstr", "spec", spec_json(folders, names)};
  argv.insert(argv.end(), settings_.eval_args.begin(), settings_.eval_args.end());
  return argv;
}

ProcessResult NixDriver::run(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.timeout = settings_.timeout;
  ProcessResult result = runner_.run(spec);
  // However Nix ended after an interrupt, the interrupt is the reason.
  if (runner_.cancellation().requested() && result.outcome != ProcessResult::Outcome::TimedOut)
    result.outcome = ProcessResult::Outcome::Cancelled;
  return result;
}

Expected<std::vector<CaseEntry>> NixDriver::list_cases(const std::filesystem::path& folder) {
  ProcessResult result = run(command_for("list", {folder.string()}, {}));
  if (!result.ok()) return Error{failure_of(result, "listing the cases").message};
  nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
  if (json.is_discarded() || !json.is_array())
    return Error{fmt::format("listing the cases gave unexpected output: {}", result.out.substr(0, 200))};
  std::vector<CaseEntry> cases;
  for (const auto& item : json)
    cases.push_back({item.value("name", ""), item.value("file", ""), item.value("folder", folder.string())});
  std::sort(cases.begin(), cases.end(), [](const CaseEntry& a, const CaseEntry& b) { return a.name < b.name; });
  return cases;
}

ShardEvaluation NixDriver::evaluate_shard(const std::vector<CaseEntry>& cases) {
  ShardEvaluation evaluation;
  ProcessResult result = run(evaluation_command("shard", cases));
  if (!result.ok()) {
    evaluation.failure = failure_of(result, "evaluating the cases");
    return evaluation;
  }
  nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    evaluation.failure = NixFailure{NixFailure::Kind::Failed, "evaluating the cases gave output that is not JSON"};
    return evaluation;
  }
  for (const auto& entry : cases) {
    auto it = json.find(entry.name);
    if (it != json.end() && it->contains("drvPath") && (*it)["drvPath"].is_string())
      evaluation.drv_paths[entry.name] = (*it)["drvPath"].get<std::string>();
    else
      evaluation.failed.push_back(entry.name);
  }
  return evaluation;
}

CaseEvaluation NixDriver::evaluate_case(const CaseEntry& entry) {
  CaseEvaluation evaluation;
  ProcessResult result = run(evaluation_command("strict", {entry}));
  if (!result.ok()) {
    evaluation.failure = failure_of(result, fmt::format("evaluating case '{}'", entry.name));
    return evaluation;
  }
  nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
  if (!json.is_discarded() && json.contains(entry.name) && json[entry.name].contains("drvPath"))
    evaluation.drv_path = json[entry.name]["drvPath"].get<std::string>();
  else
    evaluation.failure = NixFailure{NixFailure::Kind::Failed, "evaluation gave no derivation"};
  return evaluation;
}

CaseBuild NixDriver::build(const std::string& drv_path) {
  CaseBuild build;
  std::vector<std::string> argv{"nix-build", "--no-out-link", drv_path};
  argv.insert(argv.end(), settings_.build_args.begin(), settings_.build_args.end());
  ProcessResult result = run(argv);
  if (!result.ok()) {
    build.failure = failure_of(result, "building the case");
    return build;
  }
  std::istringstream lines(result.out);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty()) last = line;
  if (last.empty()) {
    build.failure = NixFailure{NixFailure::Kind::Failed, "nix-build printed no output path"};
    return build;
  }
  build.manifest = last;
  return build;
}

}  // namespace hmt
