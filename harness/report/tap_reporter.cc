#include "harness/report/tap_reporter.h"

#include <string_view>

#include <fmt/format.h>

#include "harness/report/report_common.h"
#include "harness/report/display_text.h"
#include "harness/report/report_text.h"
#include "harness/report/yaml_writer.h"

namespace hmt {

namespace {

using report_text::append_utf8;
using report_text::for_each_code_point;

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
  if (a.case_line > 0) put_number(out, indent, "case_line", a.case_line);
  if (!a.file.empty()) field("file", a.file);
  if (a.expected) field("expected", *a.expected);
  if (a.actual) field("actual", *a.actual);
  if (a.diff) field("diff", *a.diff);
}

// Everything on one line, TAP's "#" and "\" escaped, control characters as
// spaces so they cannot break the line structure.
std::string tap_description(std::string_view text) {
  std::string out;
  for_each_code_point(display_text(text), [&](char32_t cp) {
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
  for_each_code_point(display_text(text), [&](char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
      out += ' ';
    else
      append_utf8(out, cp);
  });
  return out;
}

// A cached verdict is told by a comment after the case's test point (and
// its YAML block): TAP has no directive for it, and every consumer skips
// comments.
std::string cached_comment(const CaseResult& result) {
  return result.cached ? "# cached: " + one_line(result.name) + "\n" : "";
}

std::string skip_directive(const std::string& reason) {
  return reason.empty() ? " # SKIP" : " # SKIP " + one_line(reason);
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

// Where to look after a failure: the case's file and line, the tested
// tree, the command that runs the case alone.
void put_where_fields(std::string& out, std::size_t key_column, const CaseResult& result, YamlDialect dialect) {
  const std::string indent(key_column, ' ');
  if (!result.file.empty()) put_field(out, indent, key_column, "file", result.file, dialect);
  if (result.line > 0) put_number(out, indent, "line", result.line);
  if (!result.tested.empty()) put_field(out, indent, key_column, "tested", result.tested, dialect);
  if (!result.rerun.empty()) put_field(out, indent, key_column, "rerun", result.rerun, dialect);
}

void put_case_fields(std::string& out, std::size_t key_column, const CaseResult& result,
                     YamlDialect dialect) {
  const std::string indent(key_column, ' ');
  put_field(out, indent, key_column, "message", case_message(result), dialect);
  put_field(out, indent, key_column, "severity", severity(result.status), dialect);
  put_where_fields(out, key_column, result, dialect);
  if (!result.nix_error.empty())
    put_field(out, indent, key_column, "nix_error", result.nix_error, dialect, YamlStyle::PreferBlock);
}

// What the case's evaluation warned about and what --update-golden did:
// shown for passing cases too.
void put_note_fields(std::string& out, std::size_t key_column, const CaseResult& result, YamlDialect dialect) {
  const std::string indent(key_column, ' ');
  const std::string item = indent + "  - ";
  if (!result.warnings.empty()) {
    out += indent + "warnings:\n";
    for (const auto& warning : result.warnings) put_field(out, item, key_column + 4, "warning", warning, dialect);
  }
  if (!result.golden.empty()) {
    out += indent + "golden:\n";
    for (const auto& note : result.golden) {
      put_field(out, item, key_column + 4, "expected", note.expected, dialect);
      put_field(out, indent + "    ", key_column + 4, "result", note.message, dialect);
    }
  }
}

bool has_notes(const CaseResult& result) { return !result.warnings.empty() || !result.golden.empty(); }

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
  constexpr auto dialect = YamlDialect::ProveYamlish;
  if (failed) {
    text += "  ---\n";
    put_case_fields(text, 2, result, dialect);
    bool listed = false;
    for (const auto& a : result.assertions) {
      if (!is_failure(a.status)) continue;
      if (!listed) text += "  failures:\n";
      listed = true;
      put_assertion_fields(text, "    - ", 6, a, dialect, AssertionPlace::CaseFailureList);
    }
    put_note_fields(text, 2, result, dialect);
    text += "  ...\n";
  } else if (has_notes(result)) {
    text += "  ---\n";
    put_note_fields(text, 2, result, dialect);
    text += "  ...\n";
  }
  out_ << text << cached_comment(result);
}

void TapReporter::write_tap14_case(const CaseResult& result) {
  const bool failed = is_failure(result.status);
  const std::string parent = fmt::format("{} {} - {}", failed ? "not ok" : "ok", next_number_,
                                         tap_description(result.name));
  if (result.status == Status::Skip) {
    out_ << parent << skip_directive(result.reason) << '\n' << cached_comment(result);
    return;
  }
  const bool case_point = needs_case_point(result);
  if (result.assertions.empty() && !case_point && !has_notes(result)) {
    out_ << parent << '\n' << cached_comment(result);
    return;
  }
  constexpr auto dialect = YamlDialect::Yaml12;
  std::string text;
  if (!result.assertions.empty() || case_point) {
    text += "# Subtest: " + one_line(result.name) + '\n';
    text += fmt::format("    1..{}\n", result.assertions.size() + (case_point ? 1 : 0));
  }
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
  text += parent + '\n';
  // Failed assertions alone do not say where to look: the case's test
  // point does (a case point already did).
  std::string where;
  if (failed && !case_point) put_where_fields(where, 2, result, dialect);
  put_note_fields(where, 2, result, dialect);
  if (!where.empty()) text += "  ---\n" + where + "  ...\n";
  out_ << text << cached_comment(result);
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
  out_ << fmt::format("# {} passed, {} failed, {} skipped{}\n", summary.passed, summary.failed,
                      summary.skipped, summary.cached > 0 ? fmt::format("; {} cached", summary.cached) : "");
  out_.flush();
  stream_check_.after_write(out_);
}

}  // namespace hmt
