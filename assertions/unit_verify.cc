#include "assertions/unit_verify.h"

#include <array>
#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "assertions/paths.h"
#include "process/process.h"
#include "process/temporary_folder.h"

namespace hmt {
namespace {

namespace fs = std::filesystem;

// systemd-analyze reads a handful of small files; a minute means it hangs.
constexpr std::chrono::seconds kVerifyTimeout{60};

bool is_placeholder_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '+';
}

// Where a path in a unit ends: at a space, a quote or a separator.
bool ends_word(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == ';' || c == ':' || c == '=';
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Paths systemd prints, written back as the script knows them: the copied
// unit folder as the tested one, placeholder targets as `@name@`.
std::string as_tested(std::string text, const fs::path& units, std::string_view tested_dir,
                      const fs::path& placeholders) {
  replace_all(text, units.string() + "/", tested_dir.empty() ? "" : fmt::format("{}/", tested_dir));
  const std::string root = placeholders.string() + "/";
  for (std::size_t at = text.find(root); at != std::string::npos; at = text.find(root, at)) {
    std::size_t end = at + root.size();
    while (end < text.size() && is_placeholder_char(text[end])) ++end;
    const std::string name = text.substr(at + root.size(), end - at - root.size());
    text.replace(at, end - at, fmt::format("@{}@", name));
  }
  return text;
}

std::string first_line(std::string_view text) {
  const auto end = text.find('\n');
  return std::string(text.substr(0, end));
}

ProcessRunner& default_runner() {
  static SystemProcessRunner runner;
  return runner;
}

AssertionResult assert_unit_verifies(const Invocation& call, const AssertionContext& context) {
  const std::string& arg = call.args.front();
  const ResolvedPath resolved = resolve_tested_path(arg, context);
  if (!resolved.ok()) return verdict_for(call, Status::Error, resolved.error);
  std::error_code error;
  const auto status = fs::status(resolved.path, error);
  if (status.type() == fs::file_type::not_found)
    return verdict_for(call, Status::Fail, fmt::format("unit file {} not found", arg));
  if (!fs::is_regular_file(status))
    return verdict_for(call, Status::Error, fmt::format("unit file {} is not a regular file", arg));

  auto created = TemporaryFolder::create("hmt-verify-");
  if (!created) return verdict_for(call, Status::Error, fmt::format("cannot verify {}: {}", arg, created.error()));
  const TemporaryFolder scratch = std::move(created).value();
  const fs::path units = scratch.path() / "units";
  const fs::path placeholders = scratch.path() / "placeholders";
  const fs::path runtime = scratch.path() / "runtime";
  for (const auto& dir : {units, placeholders, runtime, scratch.path() / "home"}) fs::create_directory(dir);
  fs::permissions(runtime, fs::perms::owner_all, fs::perm_options::replace);

  // Siblings too: a socket's service, a unit's OnFailure= target.
  std::set<std::string> needed;
  for (const auto& entry : fs::directory_iterator(resolved.path.parent_path())) {
    if (!fs::is_regular_file(entry.path())) continue;
    write_file(units / entry.path().filename(),
               resolve_placeholders(read_file(entry.path()), placeholders, needed));
  }
  create_placeholder_targets(placeholders, needed);

  const std::string name = resolved.path.filename().string();
  const fs::path copy = units / name;
  ProcessSpec spec;
  spec.argv = {"systemd-analyze", "verify", "--user", "--man=no", "--recursive-errors=no", copy.string()};
  // Nothing of the caller's own user units, and a runtime folder the user
  // manager's setup insists on.
  spec.env = {{"XDG_RUNTIME_DIR", runtime.string()},
              {"HOME", (scratch.path() / "home").string()},
              {"XDG_CONFIG_HOME", (scratch.path() / "home/.config").string()},
              {"TMPDIR", scratch.path().string()},
              {"SYSTEMD_COLORS", "0"}};
  spec.timeout = kVerifyTimeout;
  ProcessRunner& runner = context.processes ? *context.processes : default_runner();
  const ProcessResult ran = runner.run(spec);

  if (ran.outcome == ProcessResult::Outcome::FailedToStart)
    return verdict_for(call, Status::Skip,
                       fmt::format("systemd-analyze cannot run ({}); install Debian's systemd package "
                                   "to verify {}",
                                   ran.error, arg));
  if (ran.outcome == ProcessResult::Outcome::Exited && ran.exit_code == 127)
    return verdict_for(call, Status::Skip,
                       fmt::format("systemd-analyze is not usable here (exit 127: {}); {} not verified",
                                   first_line(ran.err), arg));
  if (ran.outcome == ProcessResult::Outcome::TimedOut)
    return verdict_for(call, Status::Error,
                       fmt::format("systemd-analyze verify {} timed out after {}s", arg, kVerifyTimeout.count()));
  if (ran.outcome != ProcessResult::Outcome::Exited)
    return verdict_for(call, Status::Error, fmt::format("systemd-analyze verify {} was stopped", arg));

  const std::string tested_dir = fs::path(arg).parent_path().string();
  const std::string output = as_tested(ran.err + ran.out, units, tested_dir, placeholders);
  const auto complaints = parse_verify_output(output, arg, name);
  if (complaints.empty() && ran.exit_code == 0) return verdict_for(call, Status::Pass, "");
  if (complaints.empty()) {
    AssertionResult result = verdict_for(
        call, Status::Error,
        fmt::format("systemd-analyze verify {} exited {} without naming the unit", arg, ran.exit_code));
    result.actual = output;
    return result;
  }

  std::vector<std::string> lines;
  for (const auto& complaint : complaints)
    lines.push_back(complaint.line > 0 ? fmt::format("line {}: {}", complaint.line, complaint.text)
                                       : complaint.text);
  AssertionResult result = verdict_for(
      call, Status::Fail,
      fmt::format("systemd rejects {} ({} complaint{}): {}", arg, complaints.size(),
                  complaints.size() == 1 ? "" : "s", fmt::join(lines, "; ")));
  result.actual = fmt::format("{}", fmt::join(lines, "\n"));
  return result;
}

const std::array kUnitVerifyAssertions{
    AssertionSpec{"assertUnitVerifies", 1, 1, &assert_unit_verifies, "assertUnitVerifies UNIT"},
};

}  // namespace

std::string resolve_placeholders(std::string_view text, const fs::path& root, std::set<std::string>& needed) {
  std::string result;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('@', at);
    if (open == std::string_view::npos) break;
    std::size_t close = open + 1;
    while (close < text.size() && is_placeholder_char(text[close])) ++close;
    if (close == open + 1 || close >= text.size() || text[close] != '@') {
      result.append(text.substr(at, open + 1 - at));
      at = open + 1;
      continue;
    }
    const std::string_view name = text.substr(open + 1, close - open - 1);
    std::size_t end = close + 1;
    while (end < text.size() && !ends_word(text[end])) ++end;
    needed.insert(fmt::format("{}{}", name, text.substr(close + 1, end - close - 1)));
    result.append(text.substr(at, open - at));
    result.append((root / name).string());
    at = close + 1;
  }
  result.append(text.substr(at));
  return result;
}

void create_placeholder_targets(const fs::path& root, const std::set<std::string>& needed) {
  for (const auto& relative : needed) {
    const fs::path normal = fs::path(relative).lexically_normal();
    if (normal.empty() || *normal.begin() == "..") continue;  // stays below root
    const fs::path target = root / normal;
    const auto inside = needed.lower_bound(relative + "/");
    const bool holds_others = inside != needed.end() && inside->starts_with(relative + "/");
    if (holds_others || relative.find('/') == std::string::npos || relative.ends_with("/")) {
      fs::create_directories(target);
      continue;
    }
    fs::create_directories(target.parent_path());
    if (fs::exists(target)) continue;
    write_file(target, "#!/bin/sh\nexit 0\n");
    fs::permissions(target, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  }
}

std::vector<VerifyComplaint> parse_verify_output(std::string_view output, std::string_view unit_path,
                                                 std::string_view unit_name) {
  std::vector<VerifyComplaint> complaints;
  std::istringstream lines{std::string(output)};
  std::string line;
  while (std::getline(lines, line)) {
    VerifyComplaint complaint;
    const std::string path_prefix = fmt::format("{}:", unit_path);
    const std::string name_prefix = fmt::format("{}: ", unit_name);
    if (line.starts_with(path_prefix)) {
      std::string_view rest = std::string_view(line).substr(path_prefix.size());
      std::size_t digits = 0;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
      if (digits > 0 && digits < rest.size() && rest[digits] == ':') {
        complaint.line = std::stoi(std::string(rest.substr(0, digits)));
        rest.remove_prefix(digits + 1);
      }
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      complaint.text = std::string(rest);
    } else if (line.starts_with(name_prefix)) {
      complaint.text = line.substr(name_prefix.size());
    } else {
      continue;
    }
    complaints.push_back(std::move(complaint));
  }
  return complaints;
}

std::span<const AssertionSpec> unit_verify_specs() { return kUnitVerifyAssertions; }

}  // namespace hmt
