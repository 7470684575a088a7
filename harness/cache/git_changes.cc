#include "harness/cache/git_changes.h"

#include <algorithm>

#include <fmt/core.h>

namespace hmt {

namespace {

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\0', start)) != std::string::npos; start = end + 1)
    if (end > start) out.emplace_back(text, start, end - start);
  return out;
}

ProcessResult git(ProcessRunner& processes, const std::filesystem::path& work_tree, std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {"git", "-C", work_tree.string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(120);
  return processes.run(spec);
}

std::string said(const ProcessResult& result) {
  std::string text = result.err.empty() ? result.error : result.err;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Expected<std::vector<std::filesystem::path>> changed_since(ProcessRunner& processes,
                                                           const std::filesystem::path& work_tree,
                                                           const std::string& ref) {
  // The commit first, so that a REF that names a file is not taken for one.
  const ProcessResult commit = git(processes, work_tree, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"});
  if (!commit.ok())
    return Error{fmt::format("--affected {}: not a commit in {}{}", ref, work_tree.string(),
                             commit.err.empty() ? "" : ": " + said(commit))};
  const ProcessResult diff =
      git(processes, work_tree, {"diff", "--name-only", "--no-renames", "-z", ref, "--", "."});
  if (!diff.ok()) return Error{fmt::format("git diff {} in {} failed: {}", ref, work_tree.string(), said(diff))};
  const ProcessResult untracked =
      git(processes, work_tree, {"ls-files", "-z", "--others", "--exclude-standard", "--full-name"});
  if (!untracked.ok())
    return Error{fmt::format("git ls-files in {} failed: {}", work_tree.string(), said(untracked))};
  // diff names files relative to the top of the repository.
  const ProcessResult top = git(processes, work_tree, {"rev-parse", "--show-toplevel"});
  if (!top.ok()) return Error{fmt::format("{} is not a git work tree: {}", work_tree.string(), said(top))};
  std::string toplevel = top.out;
  while (!toplevel.empty() && toplevel.back() == '\n') toplevel.pop_back();
  // The work tree as the caller spells it, when it is the top (git spells
  // it with links resolved).
  std::error_code ec;
  if (std::filesystem::equivalent(work_tree, toplevel, ec)) toplevel = work_tree.string();

  std::vector<std::filesystem::path> changed;
  for (const auto& name : split_nul(diff.out)) changed.push_back(std::filesystem::path(toplevel) / name);
  for (const auto& name : split_nul(untracked.out)) changed.push_back(std::filesystem::path(toplevel) / name);
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  return changed;
}

}  // namespace hmt
