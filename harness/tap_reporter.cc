#include "harness/tap_reporter.h"

#include <string_view>

#include <fmt/format.h>

#include "harness/report_text.h"

namespace hmt {

namespace {

using report_text::append_utf8;
using report_text::for_each_code_point;

// TAP 13 is read by prove, whose YAMLish reader knows only plain,
// double-quoted and "|" / ">" scalars; TAP 14 consumers have full YAML.
enum class YamlDialect { ProveYamlish, Yaml12 };

bool is_failure(Status status) {
  return status == Status::Fail || status == Status::Error || status == Status::Timeout;
}

std::string_view severity(Status status) {
  switch (status) {
    case Status::Error:
      return "error";
    case Status::Timeout:
      return "timeout";
    default:
      return "fail";
  }
}

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
  if (dialect == YamlDialect::ProveYamlish) {
    // prove counts a tab as one column of indentation, so a line starting
    // with a tab would lose it.
    if (body.find("\n\t") != std::string_view::npos) return {};
    // prove has no "|-": the value is read back with one final newline.
    return "|";
  }
  return ends_with_newline ? "|" : "|-";
}

enum class Style { Auto, PreferBlock };

// Appends "key: value" with lead before the key (indentation, or "- " for
// the first field of a list item); block content goes two columns deeper
// than key_column. Blank lines inside a block keep their indentation because
// both TAP parsers end a YAML block at a line that lacks it.
void put_field(std::string& out, std::string_view lead, std::size_t key_column,
               std::string_view key, std::string_view value, YamlDialect dialect,
               Style style = Style::Auto) {
  // Blocks and plain scalars copy bytes as they are: make them UTF-8 first.
  const std::string valid = report_text::valid_utf8(value);
  value = valid;
  out += lead;
  out += key;
  out += ':';
  const bool multi_line = value.find('\n') != std::string_view::npos;
  const auto header = literal_block_header(value, dialect);
  if ((multi_line || style == Style::PreferBlock) && !header.empty()) {
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

// TAP 13 lists a case's failed assertions, each named by its title; in
// TAP 14 an assertion is a test point named by its description, and its
// severity is no longer implied by the case's.
enum class AssertionPlace { CaseFailureList, OwnTestPoint };

void put_assertion_fields(std::string& out, std::string_view first_lead, std::size_t key_column,
                          const AssertionResult& a, YamlDialect dialect, AssertionPlace place) {
  const std::string indent(key_column, ' ');
  std::string_view lead = first_lead;
  auto field = [&](std::string_view key, std::string_view value) {
    put_field(out, lead, key_column, key, value, dialect);
    lead = indent;
  };
  const bool listed = place == AssertionPlace::CaseFailureList;
  if (listed) field("assertion", report_text::assertion_title(a));
  field("message", a.message);
  if (!listed) field("severity", severity(a.status));
  if (a.line > 0) put_number(out, indent, "line", a.line);
  if (!a.file.empty()) field("file", a.file);
  if (a.expected) field("expected", *a.expected);
  if (a.actual) field("actual", *a.actual);
  if (a.diff) field("diff", *a.diff);
}

// Everything on one line, TAP's "#" and "\" escaped, control characters as
// spaces so they cannot break the line structure.
std::string tap_description(std::string_view text) {
  std::string out;
  for_each_code_point(text, [&](char32_t cp) {
    if (cp == U'\\')
      out += "\\\\";
    else if (cp == U'#')
      out += "\\#";
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
      out += ' ';
    else
      append_utf8(out, cp);
  });
  return out;
}

// For directives, "Bail out!" and comments: one line, but no TAP escapes.
std::string one_line(std::string_view text) {
  std::string out;
  for_each_code_point(text, [&](char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
      out += ' ';
    else
      append_utf8(out, cp);
  });
  return out;
}

std::string skip_directive(const std::string& reason) {
  return reason.empty() ? " # SKIP" : " # SKIP " + one_line(reason);
}

std::string case_message(const CaseResult& result) {
  if (!result.reason.empty()) return result.reason;
  std::size_t failed = 0;
  for (const auto& a : result.assertions) failed += is_failure(a.status) ? 1 : 0;
  if (result.status == Status::Fail && failed > 0)
    return fmt::format("{} of {} assertions failed", failed, result.assertions.size());
  switch (result.status) {
    case Status::Timeout:
      return "timed out";
    case Status::Error:
      return "error";
    default:
      return "failed";
  }
}

// A failed case whose failure is not (only) a failed assertion: an
// evaluation or build error, a timeout, a script error. TAP 14 gives it a
// test point of its own so the subtest says what went wrong.
bool needs_case_point(const CaseResult& result) {
  if (!is_failure(result.status)) return false;
  bool any_failed = false;
  bool reason_covered = result.reason.empty();
  for (const auto& a : result.assertions) {
    if (!is_failure(a.status)) continue;
    any_failed = true;
    reason_covered = reason_covered || a.message == result.reason;
  }
  return !any_failed || !result.nix_error.empty() ||
         (result.status != Status::Fail && !reason_covered);
}

void put_case_fields(std::string& out, std::size_t key_column, const CaseResult& result,
                     YamlDialect dialect) {
  const std::string indent(key_column, ' ');
  put_field(out, indent, key_column, "message", case_message(result), dialect);
  put_field(out, indent, key_column, "severity", severity(result.status), dialect);
  if (!result.file.empty()) put_field(out, indent, key_column, "file", result.file, dialect);
  if (!result.nix_error.empty())
    put_field(out, indent, key_column, "nix_error", result.nix_error, dialect, Style::PreferBlock);
}

}  // namespace

TapReporter::TapReporter(std::ostream& out, int version)
    : out_(out), version_(version == 14 ? 14 : 13) {}

void TapReporter::run_started(const RunInfo& info) {
  out_ << "TAP version " << version_ << '\n' << "1.." << info.case_names.size() << '\n';
  started_ = true;
  out_.flush();
  stream_check_.after_write(out_);
}

void TapReporter::case_finished(const CaseResult& result) {
  if (version_ == 14)
    write_tap14_case(result);
  else
    write_tap13_case(result);
  ++next_number_;
  out_.flush();
  stream_check_.after_write(out_);
}

void TapReporter::write_tap13_case(const CaseResult& result) {
  const bool failed = is_failure(result.status);
  std::string text = fmt::format("{} {} - {}", failed ? "not ok" : "ok", next_number_,
                                 tap_description(result.name));
  if (result.status == Status::Skip) text += skip_directive(result.reason);
  text += '\n';
  if (failed) {
    constexpr auto dialect = YamlDialect::ProveYamlish;
    text += "  ---\n";
    put_case_fields(text, 2, result, dialect);
    bool listed = false;
    for (const auto& a : result.assertions) {
      if (!is_failure(a.status)) continue;
      if (!listed) text += "  failures:\n";
      listed = true;
      put_assertion_fields(text, "    - ", 6, a, dialect, AssertionPlace::CaseFailureList);
    }
    text += "  ...\n";
  }
  out_ << text;
}

void TapReporter::write_tap14_case(const CaseResult& result) {
  const bool failed = is_failure(result.status);
  const std::string parent = fmt::format("{} {} - {}", failed ? "not ok" : "ok", next_number_,
                                         tap_description(result.name));
  if (result.status == Status::Skip) {
    out_ << parent << skip_directive(result.reason) << '\n';
    return;
  }
  const bool case_point = needs_case_point(result);
  if (result.assertions.empty() && !case_point) {
    out_ << parent << '\n';
    return;
  }
  constexpr auto dialect = YamlDialect::Yaml12;
  std::string text = "# Subtest: " + one_line(result.name) + '\n';
  text += fmt::format("    1..{}\n", result.assertions.size() + (case_point ? 1 : 0));
  int number = 1;
  for (const auto& a : result.assertions) {
    const bool bad = is_failure(a.status);
    text += fmt::format("    {} {} - {}", bad ? "not ok" : "ok", number++,
                        tap_description(report_text::assertion_title(a)));
    if (a.status == Status::Skip) text += skip_directive(a.message);
    text += '\n';
    if (!bad) continue;
    text += "      ---\n";
    put_assertion_fields(text, "      ", 6, a, dialect, AssertionPlace::OwnTestPoint);
    text += "      ...\n";
  }
  if (case_point) {
    text += fmt::format("    not ok {} - {}\n", number, tap_description(case_message(result)));
    text += "      ---\n";
    put_case_fields(text, 6, result, dialect);
    text += "      ...\n";
  }
  out_ << text << parent << '\n';
}

void TapReporter::bail_out(const std::string& reason) {
  // A setup error comes before the plan; consumers want a stream with one.
  if (!started_) run_started(RunInfo{});
  out_ << "Bail out!";
  if (!reason.empty()) out_ << ' ' << one_line(reason);
  out_ << '\n';
  out_.flush();
  stream_check_.after_write(out_);
}

void TapReporter::run_finished(const RunSummary& summary) {
  out_ << fmt::format("# {} passed, {} failed, {} skipped\n", summary.passed, summary.failed,
                      summary.skipped);
  out_.flush();
  stream_check_.after_write(out_);
}

}  // namespace hmt
