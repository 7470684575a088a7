#include "harness/cache/script_inputs.h"

#include <algorithm>

namespace hmt {

namespace {

// Characters that end a path in shell text: blanks, quotes, operators,
// the start of an expansion, and ':' (PATH-like lists name each file).
bool ends_path(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '`' || c == ';' ||
         c == '|' || c == '&' || c == '<' || c == '>' || c == '(' || c == ')' || c == '$' || c == '{' ||
         c == '}' || c == '\\' || c == '*' || c == '?' || c == '[' || c == ']' || c == '=' || c == ',' ||
         c == ':';
}

bool starts_path(std::string_view text, std::size_t at) {
  if (text[at] != '/') return false;
  if (at == 0) return true;
  const char before = text[at - 1];
  return ends_path(before) || before == ':';
}

}  // namespace

std::vector<std::string> script_inputs(std::string_view script, const std::filesystem::path& store_dir) {
  const std::string store = store_dir.lexically_normal().string() + "/";
  std::vector<std::string> found;
  for (std::size_t i = 0; i < script.size(); ++i) {
    if (!starts_path(script, i)) continue;
    std::size_t end = i;
    while (end < script.size() && !ends_path(script[end])) ++end;
    std::string path(script.substr(i, end - i));
    i = end;
    while (path.size() > 1 && (path.back() == '/' || path.back() == '.')) path.pop_back();
    if (path.size() < 2 || path.rfind(store, 0) == 0) continue;
    if (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0 || path.rfind("/sys/", 0) == 0 ||
        path == "/dev" || path == "/proc" || path == "/sys")
      continue;
    found.push_back(std::filesystem::path(path).lexically_normal().string());
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace hmt
