// NixDriver's evaluators: one `nix repl` per worker thread, set up once
// with driver.nix, then asked for one case per request:
//
//   hmt.evaluate <id> <source> <name>       its manifest, traced as JSON
//   builtins.trace "hmt: done <id>" null    the end of the answer
//
// or, when the case asks for hmt's record, hmt.evaluateRecorded, which goes
// on from the same evaluation to trace "hmt: recording <id>" and the
// record. Everything the repl writes to stderr before the end marker belongs
// to that case: the traced manifest, or Nix's own error for it. What
// recording prints (its warnings, its errors) comes after the recording
// marker and cannot change the case's answer. A record that did not come
// (the case failed first, or recording hit an error) is asked for alone:
//
//   builtins.trace "hmt: recording <id>" null
//   hmt.record <id> <source> <name> <modules> <loose>
#include <algorithm>
#include <sstream>

#include <boost/uuid/detail/sha1.hpp>
#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assertions/json_bytes.h"
#include "harness/nix/nix_driver.h"

namespace hmt {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kResultTrace = "trace: hmt: evaluated ";
constexpr std::string_view kRecordingTrace = "trace: hmt: recording ";
constexpr std::string_view kRecordTrace = "trace: hmt: recorded ";
const std::string kReadyMarker = "trace: hmt: ready";

std::string sha1_hex(const std::string& text) {
  boost::uuids::detail::sha1 hash;
  hash.process_bytes(text.data(), text.size());
  boost::uuids::detail::sha1::digest_type digest;
  hash.get_digest(digest);
  std::string hex;
  for (unsigned word : digest) hex += fmt::format("{:08x}", word);
  return hex;
}

// A Nix string literal on one line, for any text.
std::string nix_string(const std::string& text) {
  std::string literal = "\"";
  for (char c : text) {
    switch (c) {
      case '"': literal += "\\\""; break;
      case '\\': literal += "\\\\"; break;
      case '$': literal += "\\$"; break;  // no ${ antiquotation
      case '\n': literal += "\\n"; break;
      case '\r': literal += "\\r"; break;
      case '\t': literal += "\\t"; break;
      default: literal += c;
    }
  }
  return literal + "\"";
}

// How driver.nix is told a case's name: itself, or its SHA-1 when its bytes
// are not UTF-8 (driver.nix finds it among the listed names).
std::string name_reference(const std::string& name) {
  if (json_bytes::protect(name) == name) return nix_string(name);
  return fmt::format("{{ sha1 = \"{}\"; }}", sha1_hex(name));
}

std::optional<ManifestPaths> manifest_of(const Json& item) {
  if (!item.is_object() || !item.contains("drv") || !item["drv"].is_string() || !item.contains("out") ||
      !item["out"].is_string())
    return std::nullopt;
  return ManifestPaths{item["drv"].get<std::string>(), item["out"].get<std::string>()};
}

// The answer to request `id`, from what the repl wrote before its end
// marker, with the warnings the evaluation printed.
CaseEvaluation answer_of(const std::string& text, std::size_t id, std::string_view own_nix_dir) {
  const std::string result = fmt::format("{}{} ", kResultTrace, id);
  const std::string plain = without_escape_codes(text);
  CaseEvaluation answer;
  answer.warnings = evaluation_warnings(plain);
  std::istringstream lines(plain);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(result, 0) != 0) continue;
    Json json = json_bytes::parse(line.substr(result.size()));
    if ((answer.manifest = manifest_of(json))) return answer;
    answer.failure = NixFailure{NixFailure::Kind::Failed, "evaluating the case gave output of an unexpected shape"};
    return answer;
  }
  answer.failure = failed_with(plain, own_nix_dir, "evaluating the case gave no derivation");
  // The evaluator answered with an error: the same inputs give it again,
  // unless it came from a build the evaluation needed (import from
  // derivation), which may fail for reasons of its own.
  answer.failure->deterministic = plain.find("builder for '") == std::string::npos &&
                                  plain.find("cannot build '") == std::string::npos &&
                                  plain.find("while building") == std::string::npos;
  return answer;
}

// The text before the recording marker of request `id` (all of it when
// there is none), and the text after it.
std::pair<std::string, std::string> split_at_recording(const std::string& text, std::size_t id) {
  const std::string marker = fmt::format("{}{}\n", kRecordingTrace, id);
  const std::size_t at = text.rfind(marker, 0) == 0 ? 0 : text.find("\n" + marker);
  if (at == std::string::npos) return {text, ""};
  const std::size_t end = at == 0 ? 0 : at + 1;
  return {text.substr(0, end), text.substr(end + marker.size())};
}

// What recording said: the definition files, or incomplete when it failed
// or the evaluator does not say.
DefinitionRecord record_of(const std::string& text, std::size_t id) {
  const std::string prefix = fmt::format("{}{} ", kRecordTrace, id);
  DefinitionRecord record;
  std::istringstream lines(without_escape_codes(text));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const Json json = json_bytes::parse(line.substr(prefix.size()));
    if (!json.is_object() || json.contains("none") || !json.contains("files") || !json["files"].is_array())
      return record;
    auto paths = [](const Json& list, std::vector<std::string>& into) {
      for (const auto& item : list)
        if (item.is_string() && item.get_ref<const std::string&>().rfind('/', 0) == 0) into.push_back(item.get<std::string>());
    };
    paths(json["files"], record.files);
    if (json.contains("modules") && json["modules"].is_array()) paths(json["modules"], record.modules);
    record.complete = true;
    return record;
  }
  return record;
}

bool has_error_line(const std::string& text) {
  return text.rfind("error:", 0) == 0 || text.find("\nerror:") != std::string::npos;
}

// Why an evaluator gave no answer (anything but Answered).
NixFailure failure_of(const SessionReply& reply, const std::string& what, std::optional<std::chrono::milliseconds> limit,
                      std::string_view own_nix_dir) {
  switch (reply.outcome) {
    case SessionReply::Outcome::TimedOut:
      return {NixFailure::Kind::TimedOut,
              fmt::format("{} timed out after {:.1f}s and was stopped", what, limit ? limit->count() / 1000.0 : 0.0)};
    case SessionReply::Outcome::Cancelled:
      return {NixFailure::Kind::Cancelled, fmt::format("{} was interrupted", what)};
    default:
      break;
  }
  return failed_with(reply.text, own_nix_dir,
                     fmt::format("{}: the evaluator ended with status {}", what, reply.exit_code));
}

}  // namespace

Expected<NixProbe> probe_nix(ProcessRunner& runner) {
  ProcessSpec version;
  version.argv = {"nix", "--version"};
  version.timeout = std::chrono::seconds(60);
  const ProcessResult said = runner.run(version);
  if (!said.ok()) return Error{failure_of(said, "nix --version").message};
  NixProbe probe;
  probe.lix = said.out.find("Lix") != std::string::npos;
  probe.version = said.out;
  return probe;
}

ProcessSpec NixDriver::evaluator_spec() const {
  ProcessSpec spec;
  // Lix's repl has a mode for being driven by a program.
  // Whole traces: Nix 2.13 and later cut a trace to its outermost frames,
  // hmt's own, which read_nix_error leaves out; the case's are further in.
  spec.argv = {"nix", "--extra-experimental-features", settings_.lix ? "nix-command repl-automation" : "nix-command",
               "repl", "--show-trace"};
  // --arg and --argstr become arguments of driver.nix (evaluator_setup);
  // the rest (-I, --option, --builders) are the repl's own.
  for (std::size_t i = 0; i < settings_.eval_args.size(); ++i) {
    const std::string& arg = settings_.eval_args[i];
    if ((arg == "--arg" || arg == "--argstr") && i + 2 < settings_.eval_args.size()) {
      spec.env[fmt::format("HMT_ARG_{}", i)] = settings_.eval_args[i + 2];
      i += 2;
    } else {
      spec.argv.push_back(arg);
    }
  }
  spec.env["HMT_SPEC"] = spec_json();
  // Plain text on every Nix and Lix, whatever the user's terminal settings.
  spec.env["NO_COLOR"] = "1";
  spec.env["TERM"] = "dumb";
  spec.unset_env = {"FORCE_COLOR", "CLICOLOR_FORCE"};
  return spec;
}

std::string NixDriver::evaluator_setup() const {
  // Values come through the environment, so that no quoting can go wrong;
  // an --arg expression is parsed as a file of its own, so that a broken
  // one is a clear error rather than a repl waiting for the rest of it.
  std::string args;
  for (std::size_t i = 0; i < settings_.eval_args.size(); ++i) {
    const std::string& arg = settings_.eval_args[i];
    if ((arg != "--arg" && arg != "--argstr") || i + 2 >= settings_.eval_args.size()) continue;
    const std::string value = fmt::format("builtins.getEnv \"HMT_ARG_{}\"", i);
    args += fmt::format(" {} = {};", nix_string(settings_.eval_args[i + 1]),
                        arg == "--argstr" ? value : fmt::format("import (builtins.toFile \"hmt-arg.nix\" ({}))", value));
    i += 2;
  }
  return fmt::format(
      "hmt = import {} ({{ spec = builtins.getEnv \"HMT_SPEC\"; }} // {{{} }})\n"
      "builtins.seq hmt null\n"
      "builtins.trace \"{}\" null\n",
      nix_string(settings_.driver.string()), args, kReadyMarker.substr(std::string_view("trace: ").size()));
}

ChunkEvaluation NixDriver::evaluate_chunk(const std::vector<CaseEntry>& cases) {
  ChunkEvaluation evaluation;
  const auto started = Clock::now();
  EvaluatorUse use;
  for (const auto& entry : cases) evaluation.cases.push_back(evaluate_case(entry, use));
  evaluation.peak_memory_kib = use.peak_memory_kib;
  evaluation.evaluators_started = use.evaluators_started;
  evaluation.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return evaluation;
}

CaseEvaluation NixDriver::evaluate_case(const CaseEntry& entry, EvaluatorUse& use) {
  CaseEvaluation answer = evaluate_request(entry, "evaluate", use);
  // Text that is not UTF-8, on a Nix whose toJSON refuses it: as hex.
  if (answer.failure && refuses_text_as_json(answer.failure->message))
    answer = evaluate_request(entry, "evaluateHex", use);
  return answer;
}

CaseEvaluation NixDriver::evaluate_request(const CaseEntry& entry, std::string_view function, EvaluatorUse& use) {
  const std::string what = fmt::format("evaluating case '{}'", entry.name);
  // A repl that went away between cases gets one fresh start.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (runner_.cancellation().requested()) return {std::nullopt, NixFailure{NixFailure::Kind::Cancelled, what + " was interrupted"}};
    NixFailure failure;
    Session* session = thread_evaluator(use, failure);
    if (!session) return {std::nullopt, failure};
    const std::size_t id = next_id();
    const std::string request =
        entry.record ? fmt::format("hmt.{}Recorded {} {} {} {}\n", function, id, entry.source,
                                   name_reference(entry.name), wants_modules(entry.source) ? "true" : "false")
                     : fmt::format("hmt.{} {} {} {}\n", function, id, entry.source, name_reference(entry.name));
    const auto started = Clock::now();
    const std::optional<SessionReply> exchanged = exchange(*session, request, id, use);
    if (!exchanged) continue;
    const SessionReply& reply = *exchanged;
    const auto [answer_text, record_text] = split_at_recording(reply.text, id);
    const bool recording_started = answer_text.size() < reply.text.size();
    if (reply.outcome != SessionReply::Outcome::Answered && !recording_started) {
      end_thread_evaluator();
      return {std::nullopt, failure_of(reply, what, settings_.timeout, own_nix_dir())};
    }
    // An evaluator that went away while recording answered the case first.
    if (reply.outcome != SessionReply::Outcome::Answered ||
        session->peak_memory_kib() > settings_.evaluator_memory_limit_kib)
      end_thread_evaluator();
    CaseEvaluation answer = answer_of(answer_text, id, own_nix_dir());
    answer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (!entry.record) return answer;
    answer.definitions = DefinitionRecord{};
    if (reply.outcome != SessionReply::Outcome::Answered) return answer;
    answer.definitions = noted(entry.source, record_of(record_text, id));
    // A case that did not evaluate may still tell its definitions: its
    // error comes from one of them (or from what every case shares). Not
    // here when the caller asks again as hexadecimal.
    const bool asks_again = answer.failure && function == "evaluate" && refuses_text_as_json(answer.failure->message);
    if (!answer.definitions->complete && !asks_again)
      answer.definitions = record_alone(entry, use, /*precise=*/!recording_started);
    return answer;
  }
  return {std::nullopt, NixFailure{NixFailure::Kind::Failed, what + ": the evaluator went away twice before it could be asked"}};
}

std::size_t NixDriver::next_id() {
  std::lock_guard lock(evaluators_mutex_);
  return next_request_++;
}

std::optional<SessionReply> NixDriver::exchange(Session& session, const std::string& request, std::size_t id,
                                                EvaluatorUse& use) {
  if (!session.send(fmt::format("{}builtins.trace \"hmt: done {}\" null\n", request, id))) {
    end_thread_evaluator();
    return std::nullopt;
  }
  SessionReply reply = session.read_until(fmt::format("trace: hmt: done {}", id), settings_.timeout);
  use.peak_memory_kib = std::max(use.peak_memory_kib, session.peak_memory_kib());
  return reply;
}

DefinitionRecord NixDriver::record_alone(const CaseEntry& entry, EvaluatorUse& use, bool precise) {
  DefinitionRecord record;
  for (const bool loose : {false, true}) {
    if ((!loose && !precise) || runner_.cancellation().requested()) continue;
    NixFailure failure;
    Session* session = thread_evaluator(use, failure);
    if (!session) break;
    const std::size_t id = next_id();
    const std::string request =
        fmt::format("builtins.trace \"hmt: recording {}\" null\nhmt.record {} {} {} {} {}\n", id, id, entry.source,
                    name_reference(entry.name), wants_modules(entry.source) ? "true" : "false", loose ? "true" : "false");
    const std::optional<SessionReply> exchanged = exchange(*session, request, id, use);
    if (!exchanged) break;
    const SessionReply& reply = *exchanged;
    if (reply.outcome != SessionReply::Outcome::Answered ||
        session->peak_memory_kib() > settings_.evaluator_memory_limit_kib)
      end_thread_evaluator();
    if (reply.outcome != SessionReply::Outcome::Answered) break;
    record = noted(entry.source, record_of(split_at_recording(reply.text, id).second, id));
    if (record.complete) break;
  }
  return record;
}

Session* NixDriver::thread_evaluator(EvaluatorUse& use, NixFailure& failure) {
  auto fail = [&](NixFailure why) -> Session* {
    failure = runner_.cancellation().requested() ? NixFailure{NixFailure::Kind::Cancelled, "evaluating was interrupted"}
                                                 : std::move(why);
    return nullptr;
  };
  std::unique_lock lock(evaluators_mutex_);
  if (setup_failure_) return fail({NixFailure::Kind::Failed, *setup_failure_});
  // Nodes of a map stay put: the slot may be filled without the lock, and
  // only this thread touches it.
  std::unique_ptr<Session>& slot = evaluators_[std::this_thread::get_id()];
  if (slot) return slot.get();
  if (!repl_data_) {
    auto folder = TemporaryFolder::create("hmt-repl-");
    if (!folder) return fail({NixFailure::Kind::Failed, fmt::format("no folder for the evaluators: {}", folder.error())});
    repl_data_.emplace(std::move(folder).value());
  }
  ProcessSpec spec = evaluator_spec();
  // The repl keeps its history under XDG_DATA_HOME: not in the user's. HOME
  // and the rest stay the user's: modules read them (builtins.getEnv, as
  // home-manager's xdg module does with xdg.enable off), and the trees must
  // be the ones home-manager's own runner builds in the same environment.
  spec.env["XDG_DATA_HOME"] = repl_data_->path().string();
  lock.unlock();

  auto opened = runner_.open(spec);
  if (!opened) return fail({NixFailure::Kind::Failed, fmt::format("the evaluator could not start: {}", opened.error())});
  std::unique_ptr<Session> session = std::move(opened).value();
  const SessionReply ready = session->send(evaluator_setup())
                                 ? session->read_until(kReadyMarker, settings_.timeout)
                                 : SessionReply{SessionReply::Outcome::Exited, "", 1};
  use.peak_memory_kib = std::max(use.peak_memory_kib, session->peak_memory_kib());
  if (ready.outcome != SessionReply::Outcome::Answered)
    return fail(failure_of(ready, "setting the evaluator up", settings_.timeout, own_nix_dir()));
  if (has_error_line(ready.text)) {
    // driver.nix, the spec or an --arg is broken: the same for every case.
    lock.lock();
    setup_failure_ = "setting the evaluator up failed:\n" + summarize_nix_error(ready.text);
    return fail({NixFailure::Kind::Failed, *setup_failure_});
  }
  ++use.evaluators_started;
  slot = std::move(session);
  return slot.get();
}

void NixDriver::end_thread_evaluator() {
  std::unique_ptr<Session> ended;
  {
    std::lock_guard lock(evaluators_mutex_);
    auto it = evaluators_.find(std::this_thread::get_id());
    if (it == evaluators_.end()) return;
    ended = std::move(it->second);
    evaluators_.erase(it);
  }
  // Destroyed outside the lock: the child gets a moment to exit.
}

void NixDriver::worker_finished() { end_thread_evaluator(); }

bool NixDriver::wants_modules(int source) {
  std::lock_guard lock(evaluators_mutex_);
  return modules_known_.count(source) == 0;
}

DefinitionRecord NixDriver::noted(int source, DefinitionRecord record) {
  if (record.complete && !record.modules.empty()) {
    std::lock_guard lock(evaluators_mutex_);
    modules_known_.insert(source);
  }
  return record;
}

}  // namespace hmt
