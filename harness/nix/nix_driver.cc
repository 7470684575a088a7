#include "harness/nix/nix_driver.h"

#include <algorithm>
#include <regex>
#include <exception>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"

namespace hmt {

namespace {

constexpr std::size_t kMaxErrorLines = 60;

using Json = nlohmann::json;

std::optional<Json> parse_json(const std::string& text) {
  // Names, paths and scripts may hold bytes that are not UTF-8.
  Json json = json_bytes::parse(text);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

// A listed case's text field: itself, or `<key>Hex` from listHex.
std::optional<std::string> text_of(const Json& item, const std::string& key) {
  if (item.contains(key + "Hex"))
    return item[key + "Hex"].is_string() ? json_bytes::from_hex(item[key + "Hex"].get<std::string>()) : std::nullopt;
  if (!item.contains(key)) return std::string();
  return item[key].is_string() ? std::optional(item[key].get<std::string>()) : std::nullopt;
}

Expected<std::vector<CaseEntry>> cases_of(const Json& listed, std::size_t index) {
  if (!listed.is_object() || !listed.contains("cases") || !listed["cases"].is_array())
    return Error{"listing gave output of an unexpected shape"};
  std::vector<CaseEntry> cases;
  for (const auto& item : listed["cases"]) {
    // value() would throw on a field of another type.
    if (!item.is_object() || (item.contains("line") && !item["line"].is_number_integer()))
      return Error{"listing gave a case of an unexpected shape"};
    const auto name = text_of(item, "name");
    const auto file = text_of(item, "file");
    if (!name || !file || (!item.contains("name") && !item.contains("nameHex")))
      return Error{"listing gave a case of an unexpected shape"};
    CaseEntry entry;
    entry.name = *name;
    entry.file = *file;
    entry.line = item.value("line", 0);
    entry.folder = std::filesystem::path(entry.file).parent_path().string();
    entry.source = static_cast<int>(index);
    cases.push_back(std::move(entry));
  }
  std::sort(cases.begin(), cases.end(), [](const CaseEntry& a, const CaseEntry& b) { return a.name < b.name; });
  return cases;
}

// What driver.nix traces: its own lines, left out of Nix errors.
constexpr std::string_view kDriverTrace = "trace: hmt: ";

}  // namespace

NixFailure failure_of(const ProcessResult& result, const std::string& what, std::string_view own_nix_dir) {
  using Outcome = ProcessResult::Outcome;
  switch (result.outcome) {
    case Outcome::TimedOut:
      return {NixFailure::Kind::TimedOut,
              fmt::format("{} timed out after {:.1f}s and was stopped", what, result.elapsed.count() / 1000.0), ""};
    case Outcome::Cancelled:
      return {NixFailure::Kind::Cancelled, fmt::format("{} was interrupted", what), ""};
    case Outcome::FailedToStart:
      return {NixFailure::Kind::Failed, fmt::format("{} could not start: {}", what, result.error), ""};
    case Outcome::Signaled: {
      const std::string killed = fmt::format("{} was killed by signal {}", what, result.exit_code);
      NixFailure failure = failed_with(result.err, own_nix_dir, killed);
      if (failure.message != killed) failure.message = killed + "\n" + failure.message;
      return failure;
    }
    case Outcome::Exited:
      break;
  }
  return failed_with(result.err, own_nix_dir, fmt::format("{} failed with exit status {}", what, result.exit_code));
}

NixFailure failed_with(std::string_view stderr_text, std::string_view own_nix_dir, std::string fallback) {
  const NixError error = explain_nix_error(stderr_text, own_nix_dir);
  if (error.text.empty()) return {NixFailure::Kind::Failed, std::move(fallback), ""};
  std::string summary = error.message;
  if (!summary.empty() && !error.position.empty()) summary += " at " + error.position;
  return {NixFailure::Kind::Failed, error.text, std::move(summary)};
}

NixError explain_nix_error(std::string_view stderr_text, std::string_view own_nix_dir) {
  std::vector<std::string> kept;
  {
    std::istringstream in(without_escape_codes(stderr_text));
    std::string line;
    while (std::getline(in, line)) {
      // Progress lines say nothing about the failure.
      if (line.rfind("these ", 0) == 0 || line.rfind("this derivation will be built", 0) == 0 ||
          line.rfind("building '", 0) == 0 || line.rfind("  /nix/store/", 0) == 0 ||
          line.rfind("copying path", 0) == 0 || line.rfind("warning: unknown setting", 0) == 0 ||
          line.rfind(kDriverTrace, 0) == 0 ||
          // nix repl 2.18 and later on a pipe: its line editor finds no terminal.
          line.rfind("Failed tcsetattr", 0) == 0)
        continue;
      kept.push_back(line);
    }
  }
  std::string cleaned;
  for (const auto& l : kept) cleaned += l + "\n";
  NixError error = read_nix_error(cleaned, own_nix_dir);

  // The error leads; of the rest, the end explains most (a build log's last lines).
  std::vector<std::string> lines;
  {
    std::istringstream in(error.text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  while (!lines.empty() && lines.back().find_first_not_of(" \t\r") == std::string::npos) lines.pop_back();
  if (lines.size() > kMaxErrorLines) {
    std::size_t lead = 0;
    while (lead < lines.size() && !lines[lead].empty()) ++lead;  // the innermost error's block
    lead = std::min(lead, kMaxErrorLines / 2);
    const std::size_t tail = kMaxErrorLines - lead;
    std::vector<std::string> cut(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(lead));
    cut.push_back(fmt::format("[... {} earlier lines]", lines.size() - lead - tail));
    cut.insert(cut.end(), lines.end() - static_cast<std::ptrdiff_t>(tail), lines.end());
    lines = std::move(cut);
  }
  error.text.clear();
  for (const auto& l : lines) error.text += l + "\n";
  if (!error.text.empty()) error.text.pop_back();
  return error;
}

std::string summarize_nix_error(std::string_view stderr_text) { return explain_nix_error(stderr_text).text; }

NixDriver::NixDriver(ProcessRunner& runner, NixSettings settings)
    : runner_(runner), settings_(std::move(settings)) {}

NixDriver::~NixDriver() = default;

std::string NixDriver::spec_json() const {
  Json spec;
  spec["evaluator"] = settings_.evaluator.string();
  spec["modules"] = Json::array();
  for (const auto& m : settings_.modules) spec["modules"].push_back(m.string());
  spec["defaultModules"] = Json::array();
  for (const auto& m : settings_.default_modules) spec["defaultModules"].push_back(m.string());
  spec["sources"] = sources_;
  return spec.dump();
}

std::vector<std::string> NixDriver::listing_command(const std::string& attribute,
                                                    const std::vector<std::string>& sources) const {
  Json spec = Json::parse(spec_json());
  spec["sources"] = sources;
  std::vector<std::string> argv{"nix-instantiate", "--eval", "--strict", "--json", "--show-trace", settings_.driver.string(),
                                "-A", attribute, "--argstr", "spec", spec.dump()};
  argv.insert(argv.end(), settings_.eval_args.begin(), settings_.eval_args.end());
  return argv;
}

ProcessResult NixDriver::run(std::vector<std::string> argv, std::optional<std::chrono::milliseconds> timeout) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.timeout = timeout;
  ProcessResult result = runner_.run(spec);
  // However Nix ended after an interrupt, the interrupt is the reason.
  if (runner_.cancellation().requested() && result.outcome != ProcessResult::Outcome::TimedOut)
    result.outcome = ProcessResult::Outcome::Cancelled;
  return result;
}

Expected<std::vector<CaseEntry>> NixDriver::list_alone(std::size_t index) {
  ProcessResult result = run(listing_command("listStrict", {sources_[index]}));
  // Names that are not UTF-8, on a Nix whose JSON refuses them: as hex.
  if (!result.ok() && refuses_text_as_json(result.err)) result = run(listing_command("listHex", {sources_[index]}));
  if (!result.ok()) return Error{failure_of(result, "loading the cases", own_nix_dir()).message};
  auto json = parse_json(result.out);
  if (!json || !json->is_array() || json->size() != 1)
    return Error{fmt::format("loading the cases gave unexpected output: {}", result.out.substr(0, 200))};
  auto cases = cases_of((*json)[0], 0);
  if (cases)
    for (auto& c : cases.value()) c.source = static_cast<int>(index);
  return cases;
}

std::vector<SourceListing> NixDriver::list_sources(const std::vector<std::filesystem::path>& sources) {
  sources_.clear();
  for (const auto& s : sources) sources_.push_back(s.string());
  std::vector<SourceListing> listings(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) listings[i].path = sources[i];
  if (sources.empty()) return listings;

  ProcessResult result = run(listing_command("list", sources_));
  std::optional<Json> json = result.ok() ? parse_json(result.out) : std::nullopt;
  const bool answered = json && json->is_array() && json->size() == sources.size();
  if (!answered && !result.ok() && failure_of(result, "listing").kind != NixFailure::Kind::Failed) {
    // Timed out or interrupted: listing each alone would only repeat that.
    for (auto& listing : listings) listing.failure = failure_of(result, "listing the cases");
    return listings;
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Expected<std::vector<CaseEntry>> cases =
        answered && !(*json)[i].contains("failed") ? cases_of((*json)[i], i) : list_alone(i);
    if (cases)
      listings[i].cases = std::move(cases).value();
    else
      listings[i].failure = NixFailure{NixFailure::Kind::Failed, cases.error()};
  }
  return listings;
}

std::vector<std::string> NixDriver::build_command(const std::vector<std::string>& drvs) const {
  std::vector<std::string> argv{"nix-build", "--no-out-link", "--keep-going"};
  argv.insert(argv.end(), drvs.begin(), drvs.end());
  if (settings_.timeout) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*settings_.timeout).count();
    argv.insert(argv.end(), {"--option", "timeout", std::to_string(std::max<long long>(1, seconds))});
  }
  argv.insert(argv.end(), settings_.build_args.begin(), settings_.build_args.end());
  return argv;
}

Realisation NixDriver::realise(const std::vector<std::string>& drvs) {
  Realisation realisation;
  if (drvs.empty()) return realisation;
  // Nix stops each build at the limit; the call as a whole gets one limit
  // per build, in case they ran one after another.
  std::optional<std::chrono::milliseconds> limit;
  if (settings_.timeout) limit = *settings_.timeout * static_cast<long>(drvs.size()) + std::chrono::seconds(30);
  ProcessResult result = run(build_command(drvs), limit);
  if (result.ok()) return realisation;
  static const std::regex timed_out("building of '(/[^'!]+\\.drv)[^']*'.* timed out");
  static const std::regex builder_failed("^error: builder for '(/[^']+\\.drv)' failed");
  std::istringstream lines(result.err);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, match, timed_out))
      realisation.timed_out.push_back(match[1]);
    else if (std::regex_search(line, match, builder_failed))
      realisation.failed_builds[match[1]] = line;
  }
  realisation.failure = failure_of(result, "building the cases");
  return realisation;
}

std::set<std::string> NixDriver::requisites(const std::string& drv) {
  ProcessResult result = run({"nix-store", "--query", "--requisites", drv});
  std::set<std::string> found{drv};
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty()) found.insert(line);
  return found;
}

std::optional<std::string> NixDriver::build_log(const std::string& drv) {
  ProcessResult result = run({"nix-store", "--read-log", drv});
  if (!result.ok()) return std::nullopt;
  return summarize_nix_error(result.out);
}

std::optional<NixFailure> NixDriver::build(const std::string& drv) {
  std::vector<std::string> argv = build_command({drv});
  argv.erase(argv.begin() + 2);  // --keep-going: one derivation
  ProcessResult result = run(argv, settings_.timeout ? std::optional(*settings_.timeout + std::chrono::seconds(30))
                                                      : std::nullopt);
  if (result.ok()) return std::nullopt;
  return failure_of(result, "building the case");
}

}  // namespace hmt
