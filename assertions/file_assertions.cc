// nmt's assertions on the tree's shape: files, executability, links,
// directories, and `fail`. Each one resolves its path through the path
// policy (paths.h), inspects the tested tree and says in one sentence what it
// expected and what it found. What files hold is content_assertions.cc.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/core.h>

#include "assertions/assertion.h"
#include "assertions/file_checks.h"
#include "assertions/file_probe.h"
#include "assertions/paths.h"

namespace hmt {

namespace fs = std::filesystem;

namespace {

using namespace file_checks;

// Entries assertDirectoryEmpty names in its message and lists in `actual`.
constexpr std::size_t kEntriesInMessage = 10;
constexpr std::size_t kEntriesListed = 200;

// --- existence ---------------------------------------------------------------

AssertionResult assert_file_exists(const Invocation& call, const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "to exist");
  if (file.problem) return *file.problem;
  return pass(call, fmt::format("File '{}' exists.", arg(call, 0)));
}

// nmt's test is bash's -e, which follows links: a dangling link (or a loop)
// does not exist.
AssertionResult assert_path_not_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.resolved != fs::file_type::not_found)
    return fail(call, fmt::format("Expected '{}' not to exist but {}.", arg(call, 0), found_phrase(entry)));
  if (entry.exists())
    return pass(call, fmt::format("Path '{}' does not exist ({}).", arg(call, 0), found_phrase(entry)));
  return pass(call, fmt::format("Path '{}' does not exist.", arg(call, 0)));
}

AssertionResult assert_directory_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (!entry.is_directory())
    return fail(call, fmt::format("Expected directory '{}' to exist but {}.", arg(call, 0),
                                  found_phrase(entry)));
  return pass(call, fmt::format("Directory '{}' exists.", arg(call, 0)));
}

// --- permissions -------------------------------------------------------------

// Any execute bit, rather than access(2), so the verdict does not depend on
// who runs the tests (root may execute anything with one bit set).
bool is_executable(fs::perms permissions) {
  return (permissions & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) !=
         fs::perms::none;
}

std::string mode_text(fs::perms permissions) {
  return fmt::format("{:04o}", static_cast<unsigned>(permissions & fs::perms::mask));
}

AssertionResult assert_file_is_executable(const Invocation& call, const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "to be executable");
  if (file.problem) return *file.problem;
  const fs::perms permissions = file.entry.permissions;
  if (!is_executable(permissions))
    return fail(call, fmt::format("Expected file '{}' to be executable but its mode is {}.",
                                  arg(call, 0), mode_text(permissions)));
  return pass(call, fmt::format("File '{}' is executable (mode {}).", arg(call, 0), mode_text(permissions)));
}

AssertionResult assert_file_is_not_executable(const Invocation& call,
                                              const AssertionContext& context) {
  const TestedFile file = tested_regular_file(call, context, "not to be executable");
  if (file.problem) return *file.problem;
  const fs::perms permissions = file.entry.permissions;
  if (is_executable(permissions))
    return fail(call, fmt::format("Expected file '{}' not to be executable but its mode is {}.",
                                  arg(call, 0), mode_text(permissions)));
  return pass(call,
              fmt::format("File '{}' is not executable (mode {}).", arg(call, 0), mode_text(permissions)));
}

// --- links -------------------------------------------------------------------

AssertionResult assert_link_exists(const Invocation& call, const AssertionContext& context) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context, FinalLink::Keep);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.own != fs::file_type::symlink)
    return fail(call, fmt::format("Expected '{}' to be a symlink but {}.", arg(call, 0), found_phrase(entry)));
  return pass(call, fmt::format("Symlink '{}' points to '{}'.", arg(call, 0), entry.link_target));
}

AssertionResult assert_link_points_to(const Invocation& call, const AssertionContext& context) {
  const std::string_view target = arg(call, 1);
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context, FinalLink::Keep);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (entry.own != fs::file_type::symlink)
    return fail(call, fmt::format("Expected '{}' to be a symlink to '{}' but {}.", arg(call, 0), target,
                                  found_phrase(entry)));
  if (entry.link_target != target) {
    AssertionResult result = fail(call, fmt::format("Expected symlink '{}' to point to '{}' but it points to '{}'.",
                                                    arg(call, 0), target, entry.link_target));
    result.expected = std::string(target);
    result.actual = entry.link_target;
    return result;
  }
  return pass(call, fmt::format("Symlink '{}' points to '{}'.", arg(call, 0), target));
}

// --- directories -------------------------------------------------------------

std::string join_names(const std::vector<std::string>& names, std::size_t limit, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i > 0) joined += separator;
    joined += names[i];
  }
  if (names.size() > limit) joined += fmt::format("{}and {} more", separator, names.size() - limit);
  return joined;
}

// assertDirectoryEmpty and assertDirectoryNotEmpty.
AssertionResult check_directory_empty(const Invocation& call, const AssertionContext& context,
                                      bool should_be_empty) {
  const std::string_view want = should_be_empty ? "to be empty" : "not to be empty";
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return error(call, resolved.error);
  const Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return error(call, entry.error);
  if (!entry.is_directory())
    return fail(call, fmt::format("Expected directory '{}' {} but {}.", arg(call, 0), want, found_phrase(entry)));
  const Listing listing = list_directory(resolved.path);
  if (!listing.error.empty()) return error(call, listing.error);

  const std::size_t count = listing.names.size();
  if (should_be_empty && count > 0) {
    AssertionResult result =
        fail(call, fmt::format("Expected directory '{}' to be empty but it contains {} {}: {}.", arg(call, 0),
                               count, count == 1 ? "entry" : "entries",
                               join_names(listing.names, kEntriesInMessage, ", ")));
    result.actual = join_names(listing.names, kEntriesListed, "\n");
    return result;
  }
  if (!should_be_empty && count == 0)
    return fail(call, fmt::format("Expected directory '{}' not to be empty but it is.", arg(call, 0)));
  if (should_be_empty) return pass(call, fmt::format("Directory '{}' is empty.", arg(call, 0)));
  return pass(call, fmt::format("Directory '{}' contains {} {}.", arg(call, 0), count,
                                count == 1 ? "entry" : "entries"));
}

AssertionResult assert_directory_empty(const Invocation& call, const AssertionContext& context) {
  return check_directory_empty(call, context, true);
}

AssertionResult assert_directory_not_empty(const Invocation& call, const AssertionContext& context) {
  return check_directory_empty(call, context, false);
}

// --- fail --------------------------------------------------------------------

// nmt's `fail` prints its arguments like echo: joined by spaces.
AssertionResult assert_fail(const Invocation& call, const AssertionContext&) {
  std::string message;
  for (const std::string& word : call.args) {
    if (!message.empty()) message += ' ';
    message += word;
  }
  AssertionResult result = fail(call, std::move(message));
  result.file.clear();
  return result;
}

constexpr std::array kSpecs{
    AssertionSpec{"assertFileExists", 1, 1, &assert_file_exists, "assertFileExists PATH"},
    AssertionSpec{"assertPathNotExists", 1, 1, &assert_path_not_exists, "assertPathNotExists PATH"},
    AssertionSpec{"assertFileIsExecutable", 1, 1, &assert_file_is_executable,
                  "assertFileIsExecutable PATH"},
    AssertionSpec{"assertFileIsNotExecutable", 1, 1, &assert_file_is_not_executable,
                  "assertFileIsNotExecutable PATH"},
    AssertionSpec{"assertLinkExists", 1, 1, &assert_link_exists, "assertLinkExists PATH"},
    AssertionSpec{"assertLinkPointsTo", 2, 2, &assert_link_points_to, "assertLinkPointsTo PATH TARGET"},
    AssertionSpec{"assertDirectoryExists", 1, 1, &assert_directory_exists, "assertDirectoryExists PATH"},
    AssertionSpec{"assertDirectoryEmpty", 1, 1, &assert_directory_empty, "assertDirectoryEmpty PATH"},
    AssertionSpec{"assertDirectoryNotEmpty", 1, 1, &assert_directory_not_empty,
                  "assertDirectoryNotEmpty PATH"},
    AssertionSpec{"fail", 1, -1, &assert_fail, "fail MESSAGE..."},
};

}  // namespace

std::span<const AssertionSpec> file_assertion_specs() { return kSpecs; }

}  // namespace hmt
