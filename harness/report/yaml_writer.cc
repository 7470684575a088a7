// The YAML the TAP reporter writes (see yaml_writer.h).
#include "harness/report/yaml_writer.h"

#include <fmt/format.h>

#include "harness/report/display_text.h"
#include "harness/report/report_text.h"
#include "harness/report/workflow_guard.h"

namespace hmt {

namespace {

using report_text::append_utf8;
using report_text::for_each_code_point;

// Code points YAML cannot carry unescaped (outside c-printable, line breaks
// other than LF, and the BOM), plus CR, which parsers would fold into LF.
bool yaml_needs_escape(char32_t cp) {
  if (cp == U'\t' || cp == U'\n') return false;
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  return cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

bool has_yaml_escapes(std::string_view text) {
  bool found = false;
  for_each_code_point(text, [&](char32_t cp) { found = found || yaml_needs_escape(cp); });
  return found;
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for_each_code_point(text, [&](char32_t cp) {
    switch (cp) {
      case U'"':
        out += "\\\"";
        return;
      case U'\\':
        out += "\\\\";
        return;
      case U'\n':
        out += "\\n";
        return;
      case U'\t':
        out += "\\t";
        return;
      case U'\r':
        out += "\\r";
        return;
      default:
        break;
    }
    if (!yaml_needs_escape(cp))
      append_utf8(out, cp);
    else if (cp <= 0xFF)
      out += fmt::format("\\x{:02X}", static_cast<unsigned>(cp));
    else
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(cp));
  });
  out += '"';
  return out;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Conservative: a plain scalar must read back as the same string in YAML 1.1,
// YAML 1.2 and prove's reader, so no indicators, no ": " or " #", nothing that
// could be a number, boolean or null.
bool can_be_plain(std::string_view text) {
  if (text.empty() || text.back() == ' ') return false;
  const char first = text.front();
  const bool first_ok = is_ascii_letter(first) || first == '/' || first == '_' ||
                        static_cast<unsigned char>(first) >= 0x80;
  if (!first_ok) return false;
  for (char c : text) {
    const bool ok = is_ascii_letter(c) || (c >= '0' && c <= '9') ||
                    static_cast<unsigned char>(c) >= 0x80 ||
                    std::string_view(" _./+=,()'-").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (std::string_view word : {"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
    if (lower == word) return false;
  return !has_yaml_escapes(text);
}

// The header of a literal block for text, or "" when the text cannot be a
// block: leading or trailing blank lines, leading whitespace on the first
// line (both would need indentation indicators prove cannot read), or
// characters that need escapes.
std::string_view literal_block_header(std::string_view text, YamlDialect dialect) {
  const bool ends_with_newline = !text.empty() && text.back() == '\n';
  const std::string_view body = ends_with_newline ? text.substr(0, text.size() - 1) : text;
  if (body.empty() || body.front() == ' ' || body.front() == '\t' || body.front() == '\n' ||
      body.back() == '\n' || has_yaml_escapes(body))
    return {};
  const auto last_line = body.substr(body.rfind('\n') + 1);
  if (last_line.find_first_not_of(" \t") == std::string_view::npos) return {};
  // A line a CI log parser would obey once its indentation is trimmed goes
  // into a double-quoted scalar instead, on the key's line.
  for (std::string_view rest = body; !rest.empty();) {
    const auto end = rest.find('\n');
    if (looks_like_workflow_command(rest.substr(0, end))) return {};
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  if (dialect == YamlDialect::ProveYamlish) {
    // prove counts a tab as one column of indentation, so a line starting
    // with a tab would lose it.
    if (body.find("\n\t") != std::string_view::npos) return {};
    // prove has no "|-": the value is read back with one final newline.
    return "|";
  }
  return ends_with_newline ? "|" : "|-";
}

}  // namespace

// Appends "key: value" with lead before the key (indentation, or "- " for
// the first field of a list item); block content goes two columns deeper
// than key_column. Blank lines inside a block keep their indentation because
// both TAP parsers end a YAML block at a line that lacks it.
void put_field(std::string& out, std::string_view lead, std::size_t key_column,
               std::string_view key, std::string_view value, YamlDialect dialect,
               YamlStyle style) {
  // Blocks and plain scalars copy bytes as they are: make them UTF-8 first.
  const std::string valid = display_text(value);
  value = valid;
  out += lead;
  out += key;
  out += ':';
  const bool multi_line = value.find('\n') != std::string_view::npos;
  const auto header = literal_block_header(value, dialect);
  if ((multi_line || style == YamlStyle::PreferBlock) && !header.empty()) {
    out += ' ';
    out += header;
    out += '\n';
    const std::string indent(key_column + 2, ' ');
    std::string_view rest = value;
    if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    while (true) {
      const auto end = rest.find('\n');
      out += indent;
      out += rest.substr(0, end);
      out += '\n';
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
    return;
  }
  out += ' ';
  out += can_be_plain(value) ? std::string(value) : double_quoted(value);
  out += '\n';
}

void put_number(std::string& out, std::string_view lead, std::string_view key, int value) {
  out += fmt::format("{}{}: {}\n", lead, key, value);
}

}  // namespace hmt
