#include "assertions/unit_file.h"

#include <algorithm>
#include <optional>

#include <fmt/core.h>

namespace hmt {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

bool is_comment(std::string_view stripped_line) {
  return !stripped_line.empty() && (stripped_line.front() == '#' || stripped_line.front() == ';');
}

// A trailing backslash continues the line unless it is itself escaped, i.e.
// the line ends in an even run of backslashes.
bool continues(std::string_view stripped_line) {
  const auto last_other = stripped_line.find_last_not_of('\\');
  const auto run = stripped_line.size() - (last_other == std::string_view::npos ? 0 : last_other + 1);
  return run % 2 == 1;
}

// Error messages quote the offending line; keep them one readable line.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return fmt::format("{}...", text.substr(0, kMax));
}

class UnitParser {
 public:
  UnitFile parse(std::string_view text) {
    if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
    int line_number = 0;
    while (!text.empty()) {
      const auto newline = text.find('\n');
      const auto physical = text.substr(0, newline);
      text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
      add_physical_line(trim(physical), ++line_number);
    }
    if (pending_) finish_logical_line(*pending_, pending_line_);
    return std::move(unit_);
  }

 private:
  void add_physical_line(std::string_view line, int line_number) {
    // Comments are skipped even between the parts of a continued line.
    if (is_comment(line)) return;
    if (!pending_ && line.empty()) return;
    if (!pending_) pending_line_ = line_number;
    std::string joined = pending_.value_or(std::string{});
    if (continues(line)) {
      joined.append(line.substr(0, line.size() - 1));
      joined.push_back(' ');
      pending_ = std::move(joined);
      return;
    }
    joined.append(line);
    pending_.reset();
    finish_logical_line(joined, pending_line_);
  }

  void finish_logical_line(std::string_view raw, int line) {
    const auto text = trim(raw);
    if (text.empty()) return;
    if (text.front() == '[') {
      open_section(text, line);
      return;
    }
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
      error(line, fmt::format("expected Key=Value or [Section], got '{}'", excerpt(text)));
      return;
    }
    const auto key = trim(text.substr(0, equals));
    if (key.empty()) {
      error(line, fmt::format("missing key before '=' in '{}'", excerpt(text)));
      return;
    }
    if (!current_section_) {
      error(line, fmt::format("assignment '{}' outside any [Section]", excerpt(text)));
      return;
    }
    assign(unit_.sections[*current_section_], key, trim(text.substr(equals + 1)), line);
  }

  void open_section(std::string_view header, int line) {
    if (header.size() < 3 || header.back() != ']') {
      error(line, fmt::format("invalid section header '{}'", excerpt(header)));
      current_section_.reset();  // keep its assignments out of the previous section
      return;
    }
    const auto name = header.substr(1, header.size() - 2);
    auto& sections = unit_.sections;
    const auto existing = std::find_if(sections.begin(), sections.end(),
                                       [&](const UnitSection& s) { return s.name == name; });
    if (existing != sections.end()) {
      current_section_ = static_cast<std::size_t>(existing - sections.begin());
      return;
    }
    sections.push_back(UnitSection{std::string(name), line, {}});
    current_section_ = sections.size() - 1;
  }

  static void assign(UnitSection& section, std::string_view key, std::string_view value, int line) {
    auto entry = std::find_if(section.keys.begin(), section.keys.end(),
                              [&](const UnitKey& k) { return k.name == key; });
    if (entry == section.keys.end()) {
      section.keys.push_back(UnitKey{std::string(key), {}, 0});
      entry = section.keys.end() - 1;
    }
    if (value.empty()) {
      entry->values.clear();
      entry->reset_line = line;
    } else {
      entry->values.push_back(UnitValue{std::string(value), line});
    }
  }

  void error(int line, std::string message) {
    unit_.errors.push_back(UnitParseError{line, std::move(message)});
  }

  UnitFile unit_;
  std::optional<std::size_t> current_section_;
  std::optional<std::string> pending_;  // a continued line waiting for its end
  int pending_line_ = 0;                // where the pending logical line started
};

}  // namespace

const UnitKey* UnitSection::find(std::string_view key) const {
  const auto it = std::find_if(keys.begin(), keys.end(), [&](const UnitKey& k) { return k.name == key; });
  return it == keys.end() ? nullptr : &*it;
}

const UnitSection* UnitFile::find(std::string_view section) const {
  const auto it = std::find_if(sections.begin(), sections.end(),
                               [&](const UnitSection& s) { return s.name == section; });
  return it == sections.end() ? nullptr : &*it;
}

std::vector<UnitValue> UnitFile::values(std::string_view section, std::string_view key) const {
  const UnitSection* found_section = find(section);
  if (!found_section) return {};
  const UnitKey* found_key = found_section->find(key);
  return found_key ? found_key->values : std::vector<UnitValue>{};
}

UnitFile parse_unit_file(std::string_view text) { return UnitParser{}.parse(text); }

}  // namespace hmt
