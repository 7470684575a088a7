// hmt's systemd-aware assertions: they read a unit file the way systemd
// does (unit_file.h) and compare settings and ExecStart= argv exactly
// (exec_split.h), where nmt's assertFileRegex would match text.

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "assertions/assertion.h"
#include "assertions/exec_split.h"
#include "assertions/paths.h"
#include "assertions/unit_cache.h"
#include "assertions/unit_file.h"

namespace hmt {
namespace {

namespace fs = std::filesystem;

using Args = std::span<const std::string>;

AssertionResult failure(const Invocation& call, std::string message, std::string expected,
                        std::string actual) {
  AssertionResult result = verdict_for(call, Status::Fail, std::move(message));
  result.expected = std::move(expected);
  result.actual = std::move(actual);
  return result;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const auto& line : lines) {
    if (!joined.empty()) joined.push_back('\n');
    joined += line;
  }
  return joined;
}

// Quoted so that spaces and empty arguments stay visible.
std::vector<std::string> quoted(Args words) {
  std::vector<std::string> result;
  for (const auto& word : words) result.push_back(quote_exec_word(word));
  return result;
}

std::string quoted_lines(Args words) { return join_lines(quoted(words)); }

std::string join_quoted(Args words) { return fmt::format("{}", fmt::join(quoted(words), " ")); }

std::string assignment_lines(std::string_view key, std::span<const UnitValue> values) {
  std::vector<std::string> lines;
  for (const auto& value : values) lines.push_back(fmt::format("{}={}", key, value.text));
  return join_lines(lines);
}

// Either the parsed unit or the verdict that ends the assertion early.
struct LoadedUnit {
  std::shared_ptr<const UnitFile> unit;
  std::optional<AssertionResult> problem;
};

// Parsed from the stream, or from the script's cache when it has seen the
// same file: a case's unit assertions share one parse.
std::variant<std::shared_ptr<const UnitFile>, std::string> parse_unit(const fs::path& path,
                                                                      const AssertionContext& context) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
  const FileIdentity identity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  if (context.units)
    if (auto cached = context.units->find(path, identity)) return cached;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string("cannot open it");
  UnitFile unit = parse_unit_file(in);
  if (in.bad()) return std::string("reading it failed");
  if (context.units) return context.units->store(path, identity, std::move(unit));
  return std::make_shared<const UnitFile>(std::move(unit));
}

LoadedUnit load_unit(const Invocation& call, const AssertionContext& context) {
  const std::string& arg = call.args.front();
  auto stop = [&](Status status, std::string message) {
    return LoadedUnit{{}, verdict_for(call, status, std::move(message))};
  };
  const ResolvedPath resolved = resolve_tested_path(arg, context);
  if (!resolved.ok()) return stop(Status::Error, resolved.error);

  std::error_code error;
  const auto status = fs::status(resolved.path, error);
  if (status.type() == fs::file_type::not_found) return stop(Status::Fail, fmt::format("unit file {} not found", arg));
  if (error) return stop(Status::Error, fmt::format("cannot inspect unit file {}: {}", arg, error.message()));
  if (!fs::is_regular_file(status)) return stop(Status::Error, fmt::format("unit file {} is not a regular file", arg));

  auto parsed = parse_unit(resolved.path, context);
  if (const auto* problem = std::get_if<std::string>(&parsed))
    return stop(Status::Error, fmt::format("cannot read unit file {}: {}", arg, *problem));
  auto unit = std::get<std::shared_ptr<const UnitFile>>(std::move(parsed));
  if (!unit->ok()) {
    const auto& first = unit->errors.front();
    LoadedUnit loaded = stop(Status::Error, fmt::format("unit file {} is malformed at line {}: {}",
                                                        arg, first.line, first.message));
    std::vector<std::string> all;
    for (const auto& e : unit->errors) all.push_back(fmt::format("line {}: {}", e.line, e.message));
    loaded.problem->actual = join_lines(all);
    return loaded;
  }
  return LoadedUnit{std::move(unit), std::nullopt};
}

// Scripts may name a section with or without its brackets.
std::string_view section_name(std::string_view arg) {
  if (arg.size() >= 2 && arg.front() == '[' && arg.back() == ']') return arg.substr(1, arg.size() - 2);
  return arg;
}

// Why KEY has no effective value: the section or key is absent, or reset.
// `actual` describes the same for the result's actual field.
struct Absence {
  std::string message;
  std::string actual;
};

Absence describe_absence(const UnitFile& unit, std::string_view file, std::string_view section,
                         std::string_view key) {
  const UnitSection* found = unit.find(section);
  if (!found) {
    std::vector<std::string> present;
    for (const auto& s : unit.sections) present.push_back(fmt::format("[{}]", s.name));
    return {fmt::format("unit file {} has no [{}] section", file, section),
            present.empty() ? "(no sections)" : join_lines(present)};
  }
  const UnitKey* entry = found->find(key);
  if (!entry) return {fmt::format("unit file {} has no {}= in [{}]", file, key, section), "(absent)"};
  return {fmt::format("unit file {} resets {}= in [{}] on line {} and assigns nothing after it", file,
                      key, section, entry->reset_line),
          fmt::format("{}= (line {})", key, entry->reset_line)};
}

// assertUnitValue UNIT SECTION KEY VALUE
//
// Passes when one of KEY's effective values in [SECTION] of UNIT equals VALUE
// exactly (after systemd's own trimming; list settings count every value
// assigned since the last empty assignment).
//
//   assertUnitValue home-files/.config/systemd/user/tunnel.service Service Restart on-failure
//   assertUnitValue home-files/.config/systemd/user/tunnel.service Unit After network-online.target
AssertionResult assert_unit_value(const Invocation& call, const AssertionContext& context) {
  LoadedUnit loaded = load_unit(call, context);
  if (loaded.problem) return *loaded.problem;
  const std::string& file = call.args[0];
  const auto section = section_name(call.args[1]);
  const std::string& key = call.args[2];
  const std::string& wanted = call.args[3];
  const std::string expected = fmt::format("{}={}", key, wanted);

  const auto values = loaded.unit->values(section, key);
  if (values.empty()) {
    Absence absence = describe_absence(*loaded.unit, file, section, key);
    return failure(call, std::move(absence.message), expected, std::move(absence.actual));
  }
  const auto match = std::find_if(values.begin(), values.end(),
                                  [&](const UnitValue& v) { return v.text == wanted; });
  if (match == values.end())
    return failure(call,
                   fmt::format("unit file {} sets {}= in [{}] but never to '{}'", file, key, section, wanted),
                   expected, assignment_lines(key, values));
  return verdict_for(call, Status::Pass,
                 fmt::format("unit file {} sets {}={} in [{}] on line {}", file, key, wanted, section, match->line));
}

// assertUnitNoKey UNIT SECTION KEY
//
// Passes when KEY has no effective value in [SECTION] of UNIT: the section or
// key is absent, or its last assignment is the empty one that resets it.
//
//   assertUnitNoKey home-files/.config/systemd/user/tunnel.service Service DynamicUser
AssertionResult assert_unit_no_key(const Invocation& call, const AssertionContext& context) {
  LoadedUnit loaded = load_unit(call, context);
  if (loaded.problem) return *loaded.problem;
  const std::string& file = call.args[0];
  const auto section = section_name(call.args[1]);
  const std::string& key = call.args[2];

  const auto values = loaded.unit->values(section, key);
  if (!values.empty())
    return failure(call, fmt::format("unit file {} sets {}= in [{}] on line {}", file, key, section, values.front().line),
                   fmt::format("no effective {}=", key), assignment_lines(key, values));
  return verdict_for(call, Status::Pass, fmt::format("unit file {} sets no {}= in [{}]", file, key, section));
}

// The effective ExecStart= values of [Service], split into commands; or the
// verdict when there is none or one cannot be split.
struct ExecStarts {
  std::span<const UnitValue> values;
  std::vector<ExecSplit> splits;  // parallel to values
  std::optional<AssertionResult> problem;
};

ExecStarts exec_starts(const Invocation& call, const UnitFile& unit) {
  const std::string& file = call.args.front();
  ExecStarts starts;
  starts.values = unit.values("Service", "ExecStart");
  if (starts.values.empty()) {
    Absence absence = describe_absence(unit, file, "Service", "ExecStart");
    starts.problem = failure(call, std::move(absence.message), quoted_lines(Args(call.args).subspan(1)),
                             std::move(absence.actual));
    return starts;
  }
  for (const auto& value : starts.values) {
    ExecSplit split = split_exec_command_line(value.text);
    if (!split.ok()) {
      starts.problem = verdict_for(call, Status::Error,
                               fmt::format("unit file {} has an ExecStart= on line {} that cannot be split: {}",
                                           file, value.line, split.error));
      return starts;
    }
    starts.splits.push_back(std::move(split));
  }
  return starts;
}

// Names the first position where the argv differ, for the failure message.
std::string first_difference(Args expected, Args actual) {
  const auto [expected_end, actual_end] = std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
  const auto index = static_cast<std::size_t>(expected_end - expected.begin());
  if (expected_end != expected.end() && actual_end != actual.end())
    return fmt::format("argv[{}] is {}, expected {}", index, quote_exec_word(*actual_end), quote_exec_word(*expected_end));
  if (expected_end != expected.end())
    return fmt::format("argv[{}] is missing, expected {}", index, quote_exec_word(*expected_end));
  return fmt::format("argv[{}] is {}, expected the command to end", index, quote_exec_word(*actual_end));
}

// assertExecStartArgv UNIT ARG...
//
// Passes when [Service] of UNIT has exactly one effective ExecStart= holding
// one command whose argv, prefixes (@-:+!) removed, is exactly ARG... . Quotes
// and escapes are resolved as systemd does; $VAR and %specifiers are compared
// as written.
//
//   assertExecStartArgv home-files/.config/systemd/user/tunnel.service @ghostunnel@/bin/ghostunnel server --listen 127.0.0.1:8443 '--cert=${CREDENTIALS_DIRECTORY}/cert'
AssertionResult assert_exec_start_argv(const Invocation& call, const AssertionContext& context) {
  LoadedUnit loaded = load_unit(call, context);
  if (loaded.problem) return *loaded.problem;
  ExecStarts starts = exec_starts(call, *loaded.unit);
  if (starts.problem) return *starts.problem;
  const std::string& file = call.args[0];
  const Args expected = Args(call.args).subspan(1);

  if (starts.values.size() > 1) {
    std::vector<std::string> lines;
    for (const auto& value : starts.values) lines.push_back(std::to_string(value.line));
    return failure(call,
                   fmt::format("unit file {} has {} effective ExecStart= assignments (lines {}), expected exactly one",
                               file, starts.values.size(), fmt::join(lines, ", ")),
                   quoted_lines(expected), assignment_lines("ExecStart", starts.values));
  }
  const auto& commands = starts.splits.front().commands;
  const int line = starts.values.front().line;
  if (commands.size() > 1)
    return failure(call,
                   fmt::format("unit file {} has {} ';'-separated commands in ExecStart= on line {}, expected exactly one",
                               file, commands.size(), line),
                   quoted_lines(expected), assignment_lines("ExecStart", starts.values));

  const auto& actual = commands.front().argv;
  if (!std::equal(expected.begin(), expected.end(), actual.begin(), actual.end()))
    return failure(call,
                   fmt::format("unit file {} has a different ExecStart= argv on line {}: {}", file, line,
                               first_difference(expected, actual)),
                   quoted_lines(expected), quoted_lines(actual));
  return verdict_for(call, Status::Pass,
                 fmt::format("unit file {} has the expected {}-word ExecStart= argv on line {}", file, actual.size(), line));
}

// assertExecStartHasArgs UNIT ARG...
//
// Passes when some command of an effective ExecStart= in [Service] of UNIT has
// ARG... as consecutive words of its argv, e.g. an option and its value.
//
//   assertExecStartHasArgs home-files/.config/systemd/user/tunnel.service --listen 127.0.0.1:8443
AssertionResult assert_exec_start_has_args(const Invocation& call, const AssertionContext& context) {
  LoadedUnit loaded = load_unit(call, context);
  if (loaded.problem) return *loaded.problem;
  ExecStarts starts = exec_starts(call, *loaded.unit);
  if (starts.problem) return *starts.problem;
  const std::string& file = call.args[0];
  const Args wanted = Args(call.args).subspan(1);

  std::vector<std::string> seen;  // every command's argv, for the failure
  for (std::size_t i = 0; i < starts.values.size(); ++i) {
    for (const auto& command : starts.splits[i].commands) {
      const auto& argv = command.argv;
      if (std::search(argv.begin(), argv.end(), wanted.begin(), wanted.end()) != argv.end())
        return verdict_for(call, Status::Pass,
                       fmt::format("unit file {} has ExecStart= arguments {} on line {}", file,
                                   join_quoted(wanted), starts.values[i].line));
      seen.push_back(quoted_lines(argv));
    }
  }
  std::string actual;
  for (const auto& argv : seen) actual += (actual.empty() ? "" : "\n\n") + argv;
  return failure(call,
                 fmt::format("unit file {} has no ExecStart= command with the arguments {}", file, join_quoted(wanted)),
                 quoted_lines(wanted), actual);
}

// assertLoadCredential UNIT ID PATH
//
// Passes when [Service] of UNIT has an effective LoadCredential=ID:PATH (one
// ID:PATH per assignment, split at the first ':').
//
//   assertLoadCredential home-files/.config/systemd/user/tunnel.service cert /run/secrets/tunnel-cert
AssertionResult assert_load_credential(const Invocation& call, const AssertionContext& context) {
  LoadedUnit loaded = load_unit(call, context);
  if (loaded.problem) return *loaded.problem;
  const std::string& file = call.args[0];
  const std::string& id = call.args[1];
  const std::string& path = call.args[2];
  const std::string expected = fmt::format("{}:{}", id, path);

  const auto values = loaded.unit->values("Service", "LoadCredential");
  if (values.empty()) {
    Absence absence = describe_absence(*loaded.unit, file, "Service", "LoadCredential");
    return failure(call, std::move(absence.message), expected, std::move(absence.actual));
  }
  std::vector<std::string> entries;
  std::vector<std::string> paths_for_id;
  for (const auto& value : values) {
    const std::string_view entry = value.text;
    const auto colon = entry.find(':');
    // Without ':' systemd loads the credential of the same name it was given.
    const auto entry_id = entry.substr(0, colon);
    const auto entry_path = colon == std::string_view::npos ? std::string_view{} : entry.substr(colon + 1);
    if (entry_id == id && entry_path == path)
      return verdict_for(call, Status::Pass,
                     fmt::format("unit file {} loads credential '{}' from '{}' on line {}", file, id, path, value.line));
    if (entry_id == id) paths_for_id.emplace_back(entry_path);
    entries.emplace_back(entry);
  }
  const std::string message =
      paths_for_id.empty()
          ? fmt::format("unit file {} has no LoadCredential= for '{}'", file, id)
          : fmt::format("unit file {} loads credential '{}' from '{}', not '{}'", file, id,
                        fmt::join(paths_for_id, "', '"), path);
  return failure(call, message, expected, join_lines(entries));
}

constexpr std::array kUnitAssertions = {
    AssertionSpec{"assertUnitValue", 4, 4, assert_unit_value, "assertUnitValue UNIT SECTION KEY VALUE"},
    AssertionSpec{"assertUnitNoKey", 3, 3, assert_unit_no_key, "assertUnitNoKey UNIT SECTION KEY"},
    AssertionSpec{"assertExecStartArgv", 2, -1, assert_exec_start_argv, "assertExecStartArgv UNIT ARG..."},
    AssertionSpec{"assertExecStartHasArgs", 2, -1, assert_exec_start_has_args,
                  "assertExecStartHasArgs UNIT ARG..."},
    AssertionSpec{"assertLoadCredential", 3, 3, assert_load_credential, "assertLoadCredential UNIT ID PATH"},
};

}  // namespace

std::span<const AssertionSpec> unit_assertion_specs() { return kUnitAssertions; }

}  // namespace hmt
