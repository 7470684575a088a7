#include "assertions/script.h"

#include "assertions/nmt_shell.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "assertions/paths.h"
#include "assertions/shell_words.h"
#include "process/process.h"
#include "process/temporary_folder.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kNormalize = "normalizeStorePaths";
constexpr std::string_view kFail = "fail";
constexpr std::string_view kEcho = "echo";
constexpr std::size_t kMaxOutput = 64 * 1024;
constexpr std::size_t kMaxErrorTail = 400;
constexpr int kErrorTailLines = 5;

// "case, line 3: what", leaving out whatever is unknown.
std::string located(const ScriptContext& context, int line, std::string_view what) {
  std::string where = context.case_name;
  if (line > 0) where += fmt::format("{}line {}", where.empty() ? "" : ", ", line);
  return where.empty() ? std::string(what) : fmt::format("{}: {}", where, what);
}

AssertionResult error_result(std::string_view name, std::vector<std::string> args, int line,
                             std::string message) {
  AssertionResult result;
  result.name = std::string(name);
  result.args = std::move(args);
  result.line = line;
  result.status = Status::Error;
  result.message = std::move(message);
  return result;
}

AssertionResult unknown_command(const Invocation& call) {
  return error_result(call.name, call.args, call.line,
                      fmt::format("unknown command '{}': not an assertion, and bash found no "
                                  "such program",
                                  call.name));
}

// normalizeStorePaths as the script calls it: the copy's path, or the Error
// it reports. Shared by both modes so their verdicts agree.
struct Normalized {
  std::string path;
  std::optional<AssertionResult> failure;
};

Normalized normalize_command(const std::vector<std::string>& args, int line,
                             const AssertionContext& context) {
  if (args.size() != 1)
    return {{}, error_result(kNormalize, args, line,
                             fmt::format("{} takes exactly one path, got {} argument(s)",
                                         kNormalize, args.size()))};
  ResolvedPath copy = normalize_store_paths(args.front(), context);
  if (!copy.ok()) return {{}, error_result(kNormalize, args, line, copy.error)};
  return {copy.path.string(), std::nullopt};
}

// A recorded result that is a script-level error too: a failed
// normalizeStorePaths or a command nobody knows.
std::optional<std::string> script_error_of(const AssertionResult& result,
                                           const ScriptContext& context) {
  if (result.status != Status::Error) return std::nullopt;
  if (result.name == kNormalize)
    return located(context, result.line, fmt::format("{} failed: {}", kNormalize, result.message));
  if (!find_assertion(result.name)) return located(context, result.line, result.message);
  return std::nullopt;
}

void record(ScriptOutcome& outcome, AssertionResult result, const ScriptContext& context) {
  if (!outcome.error) outcome.error = script_error_of(result, context);
  outcome.assertions.push_back(std::move(result));
}

// Keeps the end of long output (where failures show) on a UTF-8 boundary.
std::string trimmed_output(std::string text) {
  if (text.size() <= kMaxOutput) return text;
  std::size_t cut = text.size() - kMaxOutput;
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
  return fmt::format("[... {} bytes of earlier output cut ...]\n{}", cut, text.substr(cut));
}

// The last few non-empty lines of stderr, on one line.
std::string error_tail(std::string_view err) {
  std::vector<std::string_view> lines;
  while (!err.empty() && static_cast<int>(lines.size()) < kErrorTailLines) {
    while (!err.empty() && err.back() == '\n') err.remove_suffix(1);
    const std::size_t start = err.rfind('\n') == std::string_view::npos ? 0 : err.rfind('\n') + 1;
    if (start < err.size()) lines.insert(lines.begin(), err.substr(start));
    err = err.substr(0, start);
  }
  std::string tail;
  for (std::string_view line : lines) tail += fmt::format("{}{}", tail.empty() ? "" : "; ", line);
  if (tail.size() > kMaxErrorTail) tail = "..." + tail.substr(tail.size() - kMaxErrorTail);
  return tail;
}

std::string with_tail(std::string message, std::string_view err) {
  const std::string tail = error_tail(err);
  return tail.empty() ? message : fmt::format("{}: {}", message, tail);
}

std::string describe_duration(std::chrono::milliseconds duration) {
  return duration.count() % 1000 == 0 ? fmt::format("{}s", duration.count() / 1000)
                                      : fmt::format("{}ms", duration.count());
}

// ---- native interpretation ----

std::optional<shell::Unsupported> native_obstacle(const shell::ParsedScript& parsed) {
  if (parsed.unsupported) return parsed.unsupported;
  // What bash would read from the environment, the script cannot know natively.
  std::set<std::string, std::less<>> defined{"TESTED", "out", "NIX_STORE"};
  auto undefined_variable = [&](const shell::Word& word) -> std::optional<std::string> {
    for (const std::string& name : shell::referenced_variables(word))
      if (!defined.contains(name)) return name;
    return std::nullopt;
  };
  auto unset_variable_reason = [](const std::string& name) {
    return fmt::format("${} (not set by the script: bash would read the environment)", name);
  };

  for (const shell::Statement& statement : parsed.statements) {
    if (statement.kind == shell::Statement::Kind::Assignment) {
      if (auto name = undefined_variable(statement.value))
        return shell::Unsupported{statement.line, unset_variable_reason(*name)};
      defined.insert(statement.variable);
      continue;
    }
    const auto command = shell::literal_text(statement.words.front());
    if (!command) return shell::Unsupported{statement.line, "a command name that is expanded"};
    if (*command == kEcho) {
      // echo's options (-n, -e) are bash's business; so is an argument that
      // might expand to one.
      if (statement.words.size() > 1) {
        const auto& first_arg = statement.words[1].parts;
        if (!first_arg.empty() && (first_arg.front().kind != shell::WordPart::Kind::Literal ||
                                   first_arg.front().text.starts_with('-')))
          return shell::Unsupported{statement.line, "echo with a possible option"};
      }
    } else if (!find_assertion(*command)) {
      return shell::Unsupported{statement.line,
                                fmt::format("the command '{}' (not an assertion)", *command)};
    }
    for (const shell::Word& word : statement.words)
      if (auto name = undefined_variable(word))
        return shell::Unsupported{statement.line, unset_variable_reason(*name)};
  }
  return std::nullopt;
}

ScriptOutcome run_natively(const shell::ParsedScript& parsed, const ScriptContext& context) {
  ScriptOutcome outcome;
  const AssertionContext& assertion_context = context.assertion;
  shell::Variables variables{{"TESTED", assertion_context.tested.string()},
                             {"out", assertion_context.work_dir.string()},
                             {"NIX_STORE", assertion_context.store_dir.string()}};

  for (const shell::Statement& statement : parsed.statements) {
    bool normalize_failed = false;
    const shell::Substitute substitute = [&](const std::vector<std::string>& args) {
      Normalized normalized = normalize_command(args, statement.line, assertion_context);
      if (normalized.failure) {
        record(outcome, std::move(*normalized.failure), context);
        normalize_failed = true;
      }
      return normalized.path;
    };

    if (statement.kind == shell::Statement::Kind::Assignment) {
      std::string value = shell::expand_value(statement.value, variables, substitute);
      // Under `bash -e` an assignment whose substitution failed ends the script.
      if (normalize_failed) break;
      variables.insert_or_assign(statement.variable, std::move(value));
      continue;
    }

    std::vector<std::string> fields;
    for (const shell::Word& word : statement.words) {
      std::vector<std::string> expanded = shell::expand_word(word, variables, substitute);
      fields.insert(fields.end(), std::make_move_iterator(expanded.begin()),
                    std::make_move_iterator(expanded.end()));
    }
    // The command word is plain text (native_obstacle checked), so it is field 0.
    const std::string name = fields.front();
    std::vector<std::string> args(fields.begin() + 1, fields.end());
    if (name == kEcho) {
      std::string line;
      for (const std::string& arg : args) line += fmt::format("{}{}", line.empty() ? "" : " ", arg);
      outcome.output += line + '\n';
      continue;
    }
    record(outcome, run_assertion(Invocation{name, std::move(args), statement.line}, assertion_context),
           context);
    if (name == kFail) break;  // nmt's fail ends the script
  }
  outcome.output = trimmed_output(std::move(outcome.output));
  return outcome;
}

// ---- the bash fallback ----

std::optional<std::string> write_file(const fs::path& path, std::string_view content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) return fmt::format("cannot write {}", path.string());
  return std::nullopt;
}

bool is_shell_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// Binds nmt's commands to the helper, records where a failing command
// stopped the script (the ERR trap), and finally sources the script itself
// so bash's line numbers are the script's own.
std::string bash_prelude() {
  std::string prelude = R"(# Generated by hmt for one nmt.script.
hmt_record_error() {
  local status=$1 frame
  [[ $- == *e* ]] || return 0  # only failures that end the script
  for ((frame = 1; frame < ${#BASH_SOURCE[@]}; frame++)); do
    if [[ ${BASH_SOURCE[frame]} == "$HMT_SCRIPT" ]]; then
      printf 'error %d %d\n' "$status" "${BASH_LINENO[frame - 1]}" >"$HMT_STATUS"
      return 0
    fi
  done
  printf 'error %d 0\n' "$status" >"$HMT_STATUS"
}
set -E
trap 'hmt_record_error $?' ERR
command_not_found_handle() {
  HMT_LINE=${BASH_LINENO[0]} "$HMT_HELPER" __assert "$@" || :
  return 127
}
normalizeStorePaths() { HMT_LINE=${BASH_LINENO[0]} "$HMT_HELPER" __normalize "$@"; }
)";
  for (auto family : {file_assertion_specs(), unit_assertion_specs(), unit_verify_specs()}) {
    for (const AssertionSpec& spec : family) {
      if (!is_shell_name(spec.name)) continue;  // could not be called from a script anyway
      const std::string stop =
          spec.name == kFail ? "; printf 'fail\\n' >\"$HMT_STATUS\"; exit 1" : "";
      prelude += fmt::format(
          "{0}() {{ HMT_LINE=${{BASH_LINENO[0]}} \"$HMT_HELPER\" __assert {0} \"$@\"{1}; }}\n",
          spec.name, stop);
    }
  }
  prelude += nmt_shell_functions();
  // nmt runs the script inside a function, so scripts may use `local`.
  prelude += "hmt_run_script() { source \"$HMT_SCRIPT\"; }\nhmt_run_script\n";
  return prelude;
}

// Why the bash process did not simply exit, if it did not.
std::optional<std::string> process_problem(const ProcessResult& result,
                                           const ScriptContext& context) {
  switch (result.outcome) {
    case ProcessResult::Outcome::Exited:
      return std::nullopt;
    case ProcessResult::Outcome::FailedToStart:
      return located(context, 0, fmt::format("could not run bash: {}", result.error));
    case ProcessResult::Outcome::TimedOut:
      return located(context, 0,
                     fmt::format("script timed out after {}", describe_duration(context.timeout)));
    case ProcessResult::Outcome::Cancelled:
      return located(context, 0, "script was cancelled");
    case ProcessResult::Outcome::Signaled:
      return located(context, 0,
                     with_tail(fmt::format("bash was killed by signal {}", result.exit_code),
                               result.err));
  }
  return std::nullopt;
}

// Bash's line of a multi-line command, as the native parser counts it.
int command_start(const std::vector<int>& starts, int line) {
  return line > 0 && static_cast<std::size_t>(line) < starts.size() ? starts[line] : line;
}

void read_results(const fs::path& path, const std::vector<int>& starts, ScriptOutcome& outcome,
                  const ScriptContext& context) {
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    AssertionResult result =
        error_result("hmt", {}, 0, fmt::format("unreadable assertion result: {}", line));
    if (!json.is_discarded()) {
      try {
        result = json.get<AssertionResult>();
        result.line = command_start(starts, result.line);
      } catch (const nlohmann::json::exception& e) {
        result.message = fmt::format("unreadable assertion result ({}): {}", e.what(), line);
      }
    }
    record(outcome, std::move(result), context);
  }
}

// What the prelude wrote when the script stopped early: "fail" or
// "error STATUS LINE".
struct StopRecord {
  bool by_fail = false;
  int status = 0;
  int line = 0;
};

std::optional<StopRecord> read_stop_record(const fs::path& path) {
  std::ifstream file(path);
  std::string kind;
  if (!(file >> kind)) return std::nullopt;
  StopRecord record;
  if (kind == kFail) {
    record.by_fail = true;
    return record;
  }
  if (kind == "error" && file >> record.status >> record.line) return record;
  return std::nullopt;
}

std::optional<std::string> exit_problem(const ProcessResult& result, const fs::path& status_file,
                                        const std::vector<int>& starts, const ScriptContext& context) {
  if (result.exit_code == 0) return std::nullopt;
  const auto stop = read_stop_record(status_file);
  if (stop && stop->by_fail) return std::nullopt;
  if (stop)
    return located(context, 0,
                   with_tail(fmt::format("script failed at line {} with status {}",
                                         command_start(starts, stop->line), stop->status),
                             result.err));
  return located(context, 0,
                 with_tail(fmt::format("script exited with status {}", result.exit_code),
                           result.err));
}

std::string without_path_prefix(std::string text, const std::string& path) {
  const std::string prefix = path + ": ";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
    text.erase(at, prefix.size());
  return text;
}

// ---- the hidden subcommands ----

std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

int line_from_environment() {
  const auto text = environment_value("HMT_LINE");
  if (!text) return 0;
  try {
    return std::stoi(*text);
  } catch (const std::exception&) {
    return 0;
  }
}

AssertionContext context_from_environment() {
  AssertionContext context;
  context.tested = environment_value("HMT_TESTED").value_or("");
  context.work_dir = environment_value("HMT_WORK_DIR").value_or("");
  if (auto store = environment_value("HMT_STORE_DIR")) context.store_dir = *store;
  return context;
}

bool append_result(const AssertionResult& result) {
  const auto path = environment_value("HMT_RESULTS");
  if (!path) {
    std::cerr << "hmt: HMT_RESULTS is not set\n";
    return false;
  }
  // File contents may be any bytes; the JSON must still be valid.
  const std::string line =
      nlohmann::json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::ofstream file(*path, std::ios::app | std::ios::binary);
  file << line << '\n';
  file.close();
  if (!file) {
    std::cerr << "hmt: cannot append to " << *path << '\n';
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> why_script_needs_bash(std::string_view script) {
  const auto obstacle = native_obstacle(shell::parse_script(script));
  if (!obstacle) return std::nullopt;
  return fmt::format("line {}: {}", obstacle->line, obstacle->reason);
}

ScriptOutcome run_script(std::string_view script, const ScriptContext& context) {
  const shell::ParsedScript parsed = shell::parse_script(script);
  if (!native_obstacle(parsed)) return run_natively(parsed, context);
  return run_script_in_bash(script, context);
}

ScriptOutcome run_script_in_bash(std::string_view script, const ScriptContext& context) {
  ScriptOutcome outcome;
  outcome.used_bash = true;
  if (!context.runner || context.helper.empty()) {
    outcome.error = located(context, 0, "the script needs bash, but hmt was given no way to run it");
    return outcome;
  }

  // A private folder in the work dir for the script, prelude and result files.
  const fs::path& work_dir = context.assertion.work_dir;
  if (!work_dir.empty()) {
    std::error_code ignored;
    fs::create_directories(work_dir, ignored);
  }
  const auto scratch = TemporaryFolder::create("hmt-bash-", work_dir);
  if (!scratch) {
    outcome.error = located(context, 0, scratch.error());
    return outcome;
  }
  const fs::path script_file = scratch->path() / "nmt.script";
  const fs::path prelude_file = scratch->path() / "prelude.bash";
  const fs::path results_file = scratch->path() / "results.jsonl";
  const fs::path status_file = scratch->path() / "status";
  for (const auto& [path, content] : {std::pair{script_file, std::string(script)},
                                      std::pair{prelude_file, bash_prelude()}}) {
    if (auto problem = write_file(path, content)) {
      outcome.error = located(context, 0, *problem);
      return outcome;
    }
  }

  ProcessSpec spec;
  spec.cwd = work_dir.empty() ? scratch->path() : work_dir;
  spec.timeout = context.timeout;
  spec.env = {
      {"BASH_ENV", ""},  // no startup file for a non-interactive bash
      {"HMT_HELPER", context.helper.string()},
      {"HMT_TESTED", context.assertion.tested.string()},
      {"HMT_WORK_DIR", work_dir.string()},
      {"HMT_STORE_DIR", context.assertion.store_dir.string()},
      {"HMT_RESULTS", results_file.string()},
      {"HMT_STATUS", status_file.string()},
      {"HMT_SCRIPT", script_file.string()},
      {"TESTED", context.assertion.tested.string()},
      {"out", work_dir.string()},
      {"NIX_STORE", context.assertion.store_dir.string()},
  };

  spec.argv = {"bash", "--noprofile", "--norc", "-n", script_file.string()};
  const ProcessResult checked = context.runner->run(spec);
  if (auto problem = process_problem(checked, context)) {
    outcome.error = problem;
    return outcome;
  }
  if (checked.exit_code != 0) {
    const std::string message = without_path_prefix(error_tail(checked.err), script_file.string());
    outcome.error = located(context, 0, fmt::format("syntax error in nmt.script: {}", message));
    return outcome;
  }

  spec.argv = {"bash", "--noprofile", "--norc", "-e", "-o", "pipefail", prelude_file.string()};
  const ProcessResult ran = context.runner->run(spec);
  outcome.output = trimmed_output(ran.out + ran.err);
  const std::vector<int> starts = shell::command_start_lines(script);
  read_results(results_file, starts, outcome, context);
  // A dead or stuck bash explains everything after it; a recorded script
  // error (unknown command, failed normalizeStorePaths) explains the exit.
  if (auto problem = process_problem(ran, context))
    outcome.error = problem;
  else if (!outcome.error)
    outcome.error = exit_problem(ran, status_file, starts, context);
  return outcome;
}

int assert_command_main(int argc, char** argv) {
  if (argc < 1) {
    std::cerr << "hmt: usage: __assert NAME ARGS... | __normalize PATH\n";
    return 2;
  }
  const std::string_view subcommand = argv[0];
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!environment_value("HMT_TESTED")) {
    std::cerr << "hmt: " << subcommand << " is run by nmt.script under hmt; HMT_TESTED is not set\n";
    return 2;
  }
  const AssertionContext context = context_from_environment();
  const int line = line_from_environment();

  if (subcommand == "__assert" && !args.empty()) {
    const Invocation call{args.front(), {args.begin() + 1, args.end()}, line};
    const bool known = find_assertion(call.name) != nullptr;
    if (!append_result(known ? run_assertion(call, context) : unknown_command(call))) return 2;
    return known ? 0 : 2;
  }
  if (subcommand == "__normalize") {
    const Normalized normalized = normalize_command(args, line, context);
    if (normalized.failure) {
      std::cerr << normalized.failure->message << '\n';
      append_result(*normalized.failure);
      return 1;
    }
    std::cout << normalized.path << '\n';
    return 0;
  }
  std::cerr << "hmt: usage: __assert NAME ARGS... | __normalize PATH\n";
  return 2;
}

}  // namespace hmt
