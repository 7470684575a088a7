#include "assertions/paths.h"

#include <system_error>

#include <fmt/core.h>

namespace hmt {

namespace fs = std::filesystem;

namespace {

// Lexically normal and without a trailing separator, so "/a/b/" and "/a/b"
// compare equal component by component.
fs::path normal_form(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  if (!normal.has_filename() && normal.has_relative_path()) normal = normal.parent_path();
  return normal;
}

fs::path absolute_root(const fs::path& root) {
  if (root.empty()) return {};
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  return normal_form(ec ? root : absolute);
}

// An empty root contains nothing: an unset work dir must not admit every path.
bool is_within(const fs::path& path, const fs::path& root) {
  if (root.empty()) return false;
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p)
    if (p == path.end() || *p != *r) return false;
  return true;
}

// Both kinds of argument follow one policy; `what` names the kind in errors.
ResolvedPath resolve_in_allowed_roots(std::string_view arg, const AssertionContext& context,
                                      std::string_view what) {
  if (arg.empty()) return {{}, fmt::format("{} is empty", what)};
  const fs::path tested = absolute_root(context.tested);
  const fs::path given(arg);
  if (given.is_relative()) {
    fs::path resolved = normal_form(tested / given);
    if (!is_within(resolved, tested))
      return {{}, fmt::format("{} '{}' escapes the tested tree", what, arg)};
    return {resolved, {}};
  }
  fs::path resolved = normal_form(given);
  if (is_within(resolved, tested) || is_within(resolved, absolute_root(context.work_dir)) ||
      is_within(resolved, absolute_root(context.store_dir)))
    return {resolved, {}};
  return {{},
          fmt::format("{} '{}' is outside the tested tree, the work dir and the store", what, arg)};
}

}  // namespace

ResolvedPath resolve_tested_path(std::string_view arg, const AssertionContext& context) {
  return resolve_in_allowed_roots(arg, context, "path");
}

// Expected files are inputs, not what is tested: as under nmt, any readable
// file will do (a store path, /dev/fd/N from `<(...)`), and a relative one
// is found where the script runs (its work dir), else in the tested tree.
ResolvedPath resolve_expected_path(std::string_view arg, const AssertionContext& context) {
  if (arg.empty()) return {{}, "expected file path is empty"};
  const fs::path given(arg);
  if (given.is_absolute()) return {given, {}};
  std::error_code ec;
  if (!context.work_dir.empty() && fs::exists(context.work_dir / given, ec))
    return {normal_form(absolute_root(context.work_dir) / given), {}};
  return resolve_in_allowed_roots(arg, context, "expected file path");
}

}  // namespace hmt
