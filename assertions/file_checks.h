// What every file assertion does first: read its arguments, word its
// verdict, and resolve the tested path it is about (through the path policy
// of paths.h) to a regular file. Shared by file_assertions.cc and
// content_assertions.cc.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "assertions/assertion.h"
#include "assertions/file_probe.h"
#include "assertions/paths.h"

namespace hmt::file_checks {

// The registry checks argument counts; a missing argument reads as empty so
// that a direct call can never index past the end.
inline std::string_view arg(const Invocation& call, std::size_t index) {
  return index < call.args.size() ? std::string_view(call.args[index]) : std::string_view();
}

inline AssertionResult pass(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Pass, std::move(message));
}
inline AssertionResult fail(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Fail, std::move(message));
}
inline AssertionResult error(const Invocation& call, std::string message) {
  return verdict_for(call, Status::Error, std::move(message));
}

// Resolves the PATH argument and checks it names a regular file; the
// assertion's own failure wording goes in `want` ("to contain 'x'").
struct TestedFile {
  std::filesystem::path path;
  Entry entry;
  std::optional<AssertionResult> problem;  // set when the assertion cannot go on
};

inline TestedFile tested_regular_file(const Invocation& call, const AssertionContext& context,
                               std::string_view want) {
  const ResolvedPath resolved = resolve_tested_path(arg(call, 0), context);
  if (!resolved.ok()) return {{}, {}, error(call, resolved.error)};
  Entry entry = inspect(resolved.path);
  if (!entry.error.empty()) return {{}, {}, error(call, entry.error)};
  if (!entry.is_regular())
    return {{}, {}, fail(call, fmt::format("Expected file '{}' {} but {}.", arg(call, 0), want,
                                            found_phrase(entry)))};
  return {resolved.path, std::move(entry), std::nullopt};
}

}  // namespace hmt::file_checks
