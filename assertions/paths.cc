#include "assertions/paths.h"

#include <sys/stat.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <optional>
#include <system_error>
#include <vector>

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

// The roots a path or a link may lead into, each as given and as its real
// path (the tree itself may be reached through a link, e.g. a result link).
class AllowedRoots {
 public:
  explicit AllowedRoots(const AssertionContext& context) {
    std::vector<const fs::path*> given{&context.tested, &context.work_dir, &context.store_dir};
    for (const fs::path& input : context.input_roots) given.push_back(&input);
    has_inputs_ = !context.input_roots.empty();
    for (const fs::path* root : given) {
      const fs::path absolute = absolute_root(*root);
      if (absolute.empty()) continue;
      roots_.push_back(absolute);
      std::error_code ec;
      const fs::path real = fs::weakly_canonical(absolute, ec);
      if (!ec && real != absolute) roots_.push_back(normal_form(real));
    }
  }

  bool has_inputs() const { return has_inputs_; }

  bool contains(const fs::path& path) const {
    return std::any_of(roots_.begin(), roots_.end(), [&](const fs::path& root) { return is_within(path, root); });
  }

  // The longest root holding path, which the link walk trusts.
  fs::path root_of(const fs::path& path) const {
    fs::path best;
    for (const fs::path& root : roots_)
      if (is_within(path, root) && std::distance(root.begin(), root.end()) > std::distance(best.begin(), best.end()))
        best = root;
    return best;
  }

 private:
  std::vector<fs::path> roots_;
  bool has_inputs_ = false;
};

// A link met on the way, whose destination is checked once every component
// of its target has been walked.
struct FollowedLink {
  fs::path link;
  std::string target;
};

struct Component {
  std::string name;
  int closes = 0;  // how many of the open links' targets end with this component
};

std::string shown_path(const fs::path& path, const fs::path& tested) {
  return is_within(path, tested) ? path.lexically_relative(tested).string() : path.string();
}

// Walks `path` below its root the way the kernel resolves it, following
// each link (the final one only when follow_final), and names the first link
// that leads outside the allowed roots. A loop stops the walk: the kernel
// will refuse to follow it, so nothing outside can be read through it.
std::optional<std::string> link_out_of_roots(const fs::path& path, const AllowedRoots& roots,
                                             const fs::path& tested, bool follow_final) {
  constexpr int kMaxLinks = 40;  // Linux's own limit
  const fs::path root = roots.root_of(path);
  std::deque<Component> pending;
  for (const fs::path& part : path.lexically_relative(root))
    if (!part.empty() && part != ".") pending.push_back({part.string(), 0});
  fs::path current = root;
  int followed = 0;
  // Links being followed, outermost first: the one met in the tree is the
  // one to name, whichever link of its chain left the roots.
  std::vector<FollowedLink> open;
  while (!pending.empty()) {
    Component step = std::move(pending.front());
    pending.pop_front();
    if (step.name == "..") {
      current = current.parent_path();
    } else if (step.name != ".") {
      const fs::path next = current / step.name;
      struct stat info{};
      const bool keep_final = pending.empty() && !follow_final;
      if (keep_final || ::lstat(next.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) {
        current = next;
      } else {
        if (++followed > kMaxLinks) return std::nullopt;
        std::error_code ec;
        const fs::path target = fs::read_symlink(next, ec);
        if (ec) return std::nullopt;
        std::vector<Component> parts;
        for (const fs::path& part : target.relative_path())
          if (!part.empty() && part != ".") parts.push_back({part.string(), 0});
        if (target.is_absolute()) current = "/";
        open.push_back({next, target.string()});
        ++step.closes;
        if (!parts.empty()) {
          parts.back().closes += step.closes;
          pending.insert(pending.begin(), std::make_move_iterator(parts.begin()),
                         std::make_move_iterator(parts.end()));
          continue;
        }
      }
    }
    for (int i = 0; i < step.closes; ++i) {
      if (!roots.contains(normal_form(current))) {
        // Where a later link of the chain left, say where the chain ends.
        const std::string ends = normal_form(current).string();
        const std::string via = open.size() > 1 ? fmt::format(", which leads to '{}'", ends) : "";
        return fmt::format("the link '{}' points to '{}'{}, outside the tested tree and the store{}",
                           shown_path(open.front().link, tested), open.front().target, via,
                           roots.has_inputs() ? " and the case's sources" : "");
      }
      open.pop_back();
    }
  }
  return std::nullopt;
}

// Both kinds of argument follow one policy; `what` names the kind in errors.
ResolvedPath resolve_in_allowed_roots(std::string_view arg, const AssertionContext& context,
                                      std::string_view what, FinalLink final_link) {
  if (arg.empty()) return {{}, fmt::format("{} is empty", what)};
  const fs::path tested = absolute_root(context.tested);
  const AllowedRoots roots(context);
  const fs::path given(arg);
  fs::path resolved;
  if (given.is_relative()) {
    resolved = normal_form(tested / given);
    if (!is_within(resolved, tested))
      return {{}, fmt::format("{} '{}' escapes the tested tree", what, arg)};
  } else {
    resolved = normal_form(given);
    if (!roots.contains(resolved))
      return {{}, fmt::format("{} '{}' is outside the tested tree, the work dir{} and the store", what, arg,
                              roots.has_inputs() ? ", the case's sources" : "")};
  }
  if (auto link = link_out_of_roots(resolved, roots, tested, final_link == FinalLink::Follow))
    return {{}, fmt::format("{} '{}' leads out of the tested tree: {}", what, arg, *link)};
  return {resolved, {}};
}

}  // namespace

ResolvedPath resolve_tested_path(std::string_view arg, const AssertionContext& context,
                                 FinalLink final_link) {
  return resolve_in_allowed_roots(arg, context, "path", final_link);
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
  return resolve_in_allowed_roots(arg, context, "expected file path", FinalLink::Follow);
}

}  // namespace hmt
