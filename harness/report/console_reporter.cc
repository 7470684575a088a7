#include "harness/report/console_reporter.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "harness/report/report_common.h"
#include "harness/report/display_text.h"
#include "harness/report/report_text.h"

namespace hmt {

namespace {

constexpr std::string_view kGreen = "32";
constexpr std::string_view kRed = "31";
constexpr std::string_view kBoldRed = "1;31";
constexpr std::string_view kYellow = "33";
constexpr std::string_view kMagenta = "35";
constexpr std::string_view kCyan = "36";
constexpr std::string_view kBold = "1";
constexpr std::string_view kDim = "2";

// Control characters from tested files or Nix could move the cursor or
// recolour the terminal; show them the way `cat -v` does instead.
void append_visible(std::string& out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte == 0x7F)
    out += "^?";
  else if (byte < 0x20)
    out += {'^', static_cast<char>(byte + 0x40)};
  else
    out += c;
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : display_text(text)) {
    if (c == '\n' || c == '\t')
      out += ' ';
    else
      append_visible(out, c);
  }
  return out;
}

std::string visible_line(std::string_view line) {
  std::string out;
  for (char c : display_text(line)) {
    if (c == '\t')
      out += c;
    else
      append_visible(out, c);
  }
  return out;
}

std::string_view status_colour(Status status) {
  switch (status) {
    case Status::Pass:
      return kGreen;
    case Status::Skip:
      return kYellow;
    case Status::Timeout:
      return kMagenta;
    default:
      return kBoldRed;
  }
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Cuts text to at most limit code points, keeping UTF-8 sequences whole.
std::string_view truncate(std::string_view text, std::size_t limit) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == limit) return text.substr(0, i);
  }
  return text;
}

}  // namespace

bool console_wants_color(bool is_tty) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return is_tty;
}

ConsoleReporter::ConsoleReporter(std::ostream& out, bool color, bool live, std::size_t width)
    : out_(out), color_(color), live_(live), width_(std::max<std::size_t>(width, 20)) {}

std::string ConsoleReporter::paint(std::string_view text, std::string_view sgr) const {
  if (!color_) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

std::string ConsoleReporter::diff_line(std::string_view line) const {
  const std::string shown = visible_line(line);
  switch (diff_line_kind(line)) {
    case DiffLine::FileHeader:
      return paint(shown, kBold);
    case DiffLine::Hunk:
      return paint(shown, kCyan);
    case DiffLine::Added:
      return paint(shown, kGreen);
    case DiffLine::Removed:
      return paint(shown, kRed);
    case DiffLine::Context:
      break;
  }
  return shown;
}

void ConsoleReporter::clear_status() {
  if (!status_shown_) return;
  out_ << "\r\x1b[2K";
  status_shown_ = false;
}

void ConsoleReporter::draw_status() {
  if (!live_) return;
  std::string line;
  if (!progress_.stage.empty())
    line = progress_.stage + "...";
  else
    line = fmt::format("[{}/{}]", done_, total_);
  if (progress_.total > 0 && progress_.evaluated < progress_.total)
    line += fmt::format(" evaluated {} of {}", progress_.evaluated, progress_.total);
  if (progress_.building > 0)
    line += fmt::format(", building {} chunk{}", progress_.building, progress_.building == 1 ? "" : "s");
  if (!running_.empty()) {
    line += " running: ";
    for (std::size_t i = 0; i < running_.size(); ++i) {
      if (i > 0) line += ", ";
      line += one_line(running_[i]);
    }
  }
  // One column short of the width: writing the last column wraps on some
  // terminals, and a wrapped line can no longer be cleared with \r.
  const std::size_t limit = width_ - 1;
  if (code_points(line) > limit) line = std::string(truncate(line, limit - 3)) + "...";
  clear_status();
  out_ << line << std::flush;
  stream_check_.after_write(out_);
  status_shown_ = true;
}

void ConsoleReporter::run_started(const RunInfo& info) {
  total_ = info.case_names.size();
  draw_status();
}

void ConsoleReporter::progress(const Progress& progress) {
  progress_ = progress;
  draw_status();
}

void ConsoleReporter::case_started(const std::string& name) {
  running_.push_back(name);
  draw_status();
}

void ConsoleReporter::case_finished(const CaseResult& result) {
  ++done_;
  if (const auto it = std::find(running_.begin(), running_.end(), result.name); it != running_.end())
    running_.erase(it);

  std::string text = paint(to_string(result.status), status_colour(result.status));
  text += ' ';
  text += one_line(result.name);
  if (result.cached)
    text += ' ' + paint("(cached)", kDim);
  else if (result.status != Status::Skip)
    text += ' ' + paint("(" + human_duration(result.duration) + ")", kDim);
  if (!result.reason.empty()) text += ": " + one_line(result.reason);
  text += '\n';

  if (is_failure(result.status)) {
    // Where to look: the case, the tree it was tested on, how to rerun it.
    const std::string where = file_and_line(result.file, result.line);
    if (!where.empty()) text += "  " + paint("case:", kDim) + ' ' + one_line(where) + '\n';
    if (!result.tested.empty()) text += "  " + paint("tested:", kDim) + ' ' + one_line(result.tested) + '\n';
    if (!result.rerun.empty()) text += "  " + paint("rerun:", kDim) + ' ' + one_line(result.rerun) + '\n';
    if (!result.nix_error.empty())
      for (const auto& line : lines_of(result.nix_error)) text += "  " + visible_line(line) + '\n';
    for (const auto& a : result.assertions) {
      if (!is_failure(a.status)) continue;
      text += "  ";
      text += assertion_location(a, result.file);
      text += one_line(report_text::assertion_title(a)) + '\n';
      text += "    " + one_line(a.message) + '\n';
      // A diff says it all; without one, show both sides.
      auto block = [&](std::string_view label, std::string_view value, bool is_diff) {
        text += fmt::format("    {}:\n", label);
        for (const auto& line : lines_of(value))
          text += "      " + (is_diff ? diff_line(line) : visible_line(line)) + '\n';
      };
      if (a.diff) {
        block("diff", *a.diff, true);
      } else {
        if (a.expected) block("expected", *a.expected, false);
        if (a.actual) block("actual", *a.actual, false);
      }
    }
    if (!result.output.empty()) {
      text += "  output:\n";
      for (const auto& line : lines_of(result.output)) text += "    " + visible_line(line) + '\n';
    }
  }
  for (const auto& warning : result.warnings) {
    const auto lines = lines_of(warning);
    for (std::size_t i = 0; i < lines.size(); ++i)
      text += (i == 0 ? "  " + paint("warning:", kYellow) + ' ' : std::string("    ")) + visible_line(lines[i]) + '\n';
  }
  for (const auto& note : result.golden)
    text += "  " + paint("--update-golden:", note.updated ? kDim : kYellow) + ' ' + one_line(note.message) + '\n';

  clear_status();
  out_ << text;
  draw_status();
  out_.flush();
  stream_check_.after_write(out_);
}

void ConsoleReporter::bail_out(const std::string& reason) {
  clear_status();
  out_ << paint("BAIL OUT", kBoldRed) << ' ' << one_line(reason) << '\n';
  out_.flush();
  stream_check_.after_write(out_);
}

void ConsoleReporter::run_finished(const RunSummary& summary) {
  clear_status();
  auto count = [&](int n, std::string_view word, std::string_view colour) {
    const std::string part = fmt::format("{} {}", n, word);
    return n > 0 ? paint(part, colour) : part;
  };
  out_ << count(summary.passed, "passed", kGreen) << ", " << count(summary.failed, "failed", kBoldRed)
       << ", " << count(summary.skipped, "skipped", kYellow)
       << (summary.cached > 0 ? fmt::format(" ({} cached)", summary.cached) : "") << " in "
       << human_duration(summary.duration) << '\n';
  out_.flush();
  stream_check_.after_write(out_);
}

}  // namespace hmt
