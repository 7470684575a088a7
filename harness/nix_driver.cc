#include "harness/nix_driver.h"

#include <algorithm>
#include <regex>
#include <exception>
#include <sstream>

#include <boost/uuid/detail/sha1.hpp>
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

Expected<std::vector<CaseEntry>> cases_of(const Json& listed, std::size_t index) {
  if (!listed.is_object() || !listed.contains("cases") || !listed["cases"].is_array())
    return Error{"listing gave output of an unexpected shape"};
  std::vector<CaseEntry> cases;
  for (const auto& item : listed["cases"]) {
    CaseEntry entry;
    entry.name = item.value("name", "");
    entry.file = item.value("file", "");
    entry.line = item.value("line", 0);
    entry.folder = std::filesystem::path(entry.file).parent_path().string();
    entry.source = static_cast<int>(index);
    cases.push_back(std::move(entry));
  }
  std::sort(cases.begin(), cases.end(), [](const CaseEntry& a, const CaseEntry& b) { return a.name < b.name; });
  return cases;
}

std::optional<ManifestPaths> manifest_of(const Json& item) {
  if (!item.is_object() || !item.contains("drv") || !item["drv"].is_string() || !item.contains("out") ||
      !item["out"].is_string())
    return std::nullopt;
  return ManifestPaths{item["drv"].get<std::string>(), item["out"].get<std::string>()};
}

// What driver.nix traces while it evaluates a chunk.
constexpr std::string_view kDriverTrace = "trace: hmt: ";
constexpr std::string_view kCaseTrace = "trace: hmt: evaluating case ";
constexpr std::string_view kResultTrace = "trace: hmt: evaluated case ";

// Where an aborted chunk was, and what it had evaluated before: the traced
// results of cases 0, 1, ... for as long as they follow one another.
struct ChunkTrace {
  std::optional<std::size_t> last_started;
  std::vector<std::optional<ManifestPaths>> results;
};

ChunkTrace read_chunk_trace(const std::string& stderr_text) {
  ChunkTrace trace;
  std::istringstream lines(stderr_text);
  std::string line;
  while (std::getline(lines, line)) {
    try {
      if (line.rfind(kCaseTrace, 0) == 0) {
        trace.last_started = std::stoul(line.substr(kCaseTrace.size()));
      } else if (line.rfind(kResultTrace, 0) == 0) {
        const std::string rest = line.substr(kResultTrace.size());
        std::size_t digits = 0;
        const std::size_t index = std::stoul(rest, &digits);
        auto json = parse_json(rest.substr(digits));
        if (index == trace.results.size() && json) trace.results.push_back(manifest_of(*json));
      }
    } catch (const std::exception&) {
    }
  }
  return trace;
}

bool is_utf8(const std::string& text) { return json_bytes::protect(text) == text; }

std::string sha1_hex(const std::string& text) {
  boost::uuids::detail::sha1 hash;
  hash.process_bytes(text.data(), text.size());
  boost::uuids::detail::sha1::digest_type digest;
  hash.get_digest(digest);
  std::string hex;
  for (unsigned word : digest) hex += fmt::format("{:08x}", word);
  return hex;
}

// A case name as the driver's spec names it: itself, or its SHA-1 when its
// bytes are not UTF-8, which Nix's fromJSON refuses.
Json name_reference(const std::string& name) {
  if (is_utf8(name)) return name;
  return {{"sha1", sha1_hex(name)}};
}

}  // namespace

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

std::string summarize_nix_error(const std::string& stderr_text) {
  std::istringstream in(stderr_text);
  std::vector<std::string> kept;
  std::string line;
  while (std::getline(in, line)) {
    // Progress lines say nothing about the failure.
    if (line.rfind("these ", 0) == 0 || line.rfind("this derivation will be built", 0) == 0 ||
        line.rfind("building '", 0) == 0 || line.rfind("  /nix/store/", 0) == 0 ||
        line.rfind("copying path", 0) == 0 || line.rfind("warning: unknown setting", 0) == 0 ||
        line.rfind(kDriverTrace, 0) == 0)
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

std::vector<std::string> NixDriver::evaluation_command(const std::string& attribute,
                                                       const std::vector<CaseEntry>& cases) const {
  return command_for(attribute, sources_, cases);
}

std::vector<std::string> NixDriver::command_for(const std::string& attribute, const std::vector<std::string>& sources,
                                                const std::vector<CaseEntry>& cases) const {
  Json spec;
  spec["evaluator"] = settings_.evaluator.string();
  spec["modules"] = Json::array();
  for (const auto& m : settings_.modules) spec["modules"].push_back(m.string());
  spec["defaultModules"] = Json::array();
  for (const auto& m : settings_.default_modules) spec["defaultModules"].push_back(m.string());
  spec["sources"] = sources;
  spec["cases"] = Json::array();
  for (const auto& c : cases) spec["cases"].push_back(Json::array({c.source, name_reference(c.name)}));
  std::vector<std::string> argv{"nix-instantiate", "--eval", "--strict", "--json",
                                // Derivations must be written to the store to be built.
                                "--read-write-mode", settings_.driver.string(), "-A", attribute,
                                "--argstr", "spec", spec.dump()};
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
  ProcessResult result = run(command_for("listStrict", {sources_[index]}, {}));
  if (!result.ok()) return Error{failure_of(result, "loading the cases").message};
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

  ProcessResult result = run(command_for("list", sources_, {}));
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

ChunkEvaluation NixDriver::evaluate_chunk(const std::vector<CaseEntry>& cases) {
  ChunkEvaluation evaluation;
  ProcessResult result = run(command_for("chunk", sources_, cases));
  evaluation.peak_memory_kib = result.peak_memory_kib;
  evaluation.elapsed = result.elapsed;
  if (!result.ok()) {
    evaluation.failure = failure_of(result, "evaluating the cases");
    ChunkTrace trace = read_chunk_trace(result.err);
    evaluation.aborted_at = trace.last_started;
    if (evaluation.aborted_at && *evaluation.aborted_at >= cases.size()) evaluation.aborted_at.reset();
    if (evaluation.aborted_at) {
      trace.results.resize(std::min(trace.results.size(), *evaluation.aborted_at));
      evaluation.cases = std::move(trace.results);
    }
    return evaluation;
  }
  auto json = parse_json(result.out);
  if (!json || !json->is_array() || json->size() != cases.size()) {
    evaluation.failure = NixFailure{NixFailure::Kind::Failed, "evaluating the cases gave output of an unexpected shape"};
    return evaluation;
  }
  for (const auto& item : *json) evaluation.cases.push_back(manifest_of(item));
  return evaluation;
}

CaseEvaluation NixDriver::evaluate_case(const CaseEntry& entry) {
  CaseEvaluation evaluation;
  ProcessResult result = run(command_for("strict", sources_, {entry}));
  if (!result.ok()) {
    evaluation.failure = failure_of(result, fmt::format("evaluating case '{}'", entry.name));
    return evaluation;
  }
  auto json = parse_json(result.out);
  if (json && json->is_array() && json->size() == 1) evaluation.manifest = manifest_of((*json)[0]);
  if (!evaluation.manifest) evaluation.failure = NixFailure{NixFailure::Kind::Failed, "evaluation gave no derivation"};
  return evaluation;
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
