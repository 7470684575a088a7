#include "harness/cli/man_page.h"

#include <fmt/format.h>

namespace hmt {

std::string roff_text(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

namespace {

// ".TP" paragraph: "-j, --jobs N" in bold and italics, then the help.
std::string option_item(const OptionDoc& option) {
  std::string names = fmt::format("\\fB{}\\fR", roff_text(option.name));
  if (!option.short_name.empty()) names = fmt::format("\\fB{}\\fR, ", roff_text(option.short_name)) + names;
  if (!option.value.empty()) names += fmt::format(" \\fI{}\\fR", roff_text(option.value));
  return fmt::format(".TP\n{}\n{}\n", names, roff_text(option.help));
}

constexpr std::string_view kDescription = R"(hmt builds each home\-manager test case (a module that sets
\fBnmt.script\fR) with \fBnix\-build\fR, in chunks evaluated in parallel,
and runs the case's nmt assertions natively against the built tree.
CASE is a case name or a glob; without one, every case of the sources
runs. Reports: TAP 13 or 14 (default), a console view, JSON Lines,
JUnit XML (\fB\-\-junit\fR) and a self\-contained HTML page (\fB\-\-html\fR).
Each failed case names its file and line, the tested tree's store path
and the command that reruns it alone.
)";

constexpr std::string_view kEnvironment = R"(.TP
.B GITHUB_ACTIONS
when \fBtrue\fR, each failed assertion is also printed on stderr as a
GitHub \fB::error\fR annotation.
.TP
.B GITHUB_STEP_SUMMARY
with GitHub Actions: the file the Markdown summary of the run is appended to.
.TP
.B GITHUB_WORKSPACE
annotations name case files relative to it.
.TP
.B NO_COLOR
when set and not empty, the console report has no colour.
.TP
.B HMT_DATA_DIR
where hmt's Nix files, module and cases are (default: next to the binary).
)";

constexpr std::string_view kExitStatus = R"(.TP
.B 0
every case passed
.TP
.B 1
a case failed
.TP
.B 2
a usage or setup error, or a report could not be written
.TP
.B 128+N
stopped by signal N
)";

constexpr std::string_view kExamples = R"(.nf
hmt \-\-format console
hmt \-\-no\-default\-cases \-\-cases ~/src/home\-manager/tests 'git\-*'
hmt \-\-shard 2/4 \-\-junit hmt\-2.xml \-\-html hmt\-2.html
hmt \-\-builders 'ssh://builder x86_64\-linux' \-\-jobs 8
.fi
)";

}  // namespace

std::string man_page(const std::vector<OptionDoc>& options, std::string_view version) {
  std::string out = fmt::format(".TH HMT 1 \"\" \"hmt {}\" \"User Commands\"\n", roff_text(version));
  out += ".SH NAME\nhmt \\- test home\\-manager modules with real Nix builds and nmt\\-style assertions\n";
  out += ".SH SYNOPSIS\n.B hmt\n[\\fIOPTIONS\\fR] [\\fICASE\\fR...]\n.br\n.B hmt \\-\\-verify\n\\fIMANIFEST\\fR...\n";
  out += ".SH DESCRIPTION\n";
  out += kDescription;
  out += ".SH OPTIONS\n";
  for (const auto& option : options)
    if (!option.nix) out += option_item(option);
  out += ".SH NIX OPTIONS\nPassed to every Nix call unchanged (\\fB\\-\\-arg\\fR and \\fB\\-\\-argstr\\fR to the evaluation only).\n";
  for (const auto& option : options)
    if (option.nix) out += option_item(option);
  out += ".SH ENVIRONMENT\n";
  out += kEnvironment;
  out += ".SH EXIT STATUS\n";
  out += kExitStatus;
  out += ".SH EXAMPLES\n";
  out += kExamples;
  out += ".SH SEE ALSO\n\\fBnix\\-build\\fR(1), \\fBprove\\fR(1)\n";
  return out;
}

}  // namespace hmt
