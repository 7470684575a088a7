#include "harness/report/reporter.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/catch.h"

namespace {

struct RecordingReporter : hmt::Reporter {
  std::vector<std::string>* log;
  std::string tag;
  RecordingReporter(std::vector<std::string>* l, std::string t) : log(l), tag(std::move(t)) {}
  void run_started(const hmt::RunInfo& info) override {
    log->push_back(tag + ":start:" + std::to_string(info.case_names.size()));
  }
  void case_started(const std::string& name) override { log->push_back(tag + ":begin:" + name); }
  void case_finished(const hmt::CaseResult& r) override { log->push_back(tag + ":end:" + r.name); }
  void bail_out(const std::string& reason) override { log->push_back(tag + ":bail:" + reason); }
  void run_finished(const hmt::RunSummary& s) override {
    log->push_back(tag + ":done:" + std::to_string(s.passed));
  }
};

}  // namespace

TEST_CASE("a reporter set forwards every event to each reporter in order") {
  std::vector<std::string> log;
  hmt::ReporterSet set;
  set.add(std::make_unique<RecordingReporter>(&log, "a"));
  set.add(std::make_unique<RecordingReporter>(&log, "b"));
  set.run_started({{"x", "y"}, ""});
  set.case_started("x");
  hmt::CaseResult r;
  r.name = "x";
  set.case_finished(r);
  set.bail_out("boom");
  hmt::RunSummary s;
  s.passed = 1;
  set.run_finished(s);
  CHECK(log == std::vector<std::string>{"a:start:2", "b:start:2", "a:begin:x", "b:begin:x", "a:end:x",
                                        "b:end:x", "a:bail:boom", "b:bail:boom", "a:done:1", "b:done:1"});
}

namespace {

// Fails to write from its second event on.
struct BreakingReporter : hmt::Reporter {
  int events = 0;
  void run_started(const hmt::RunInfo&) override { ++events; }
  void case_finished(const hmt::CaseResult&) override { ++events; }
  void bail_out(const std::string&) override { ++events; }
  void run_finished(const hmt::RunSummary&) override { ++events; }
  std::optional<std::string> write_failure() const override {
    if (events < 2) return std::nullopt;
    return "cannot write the test report: Broken pipe";
  }
};

}  // namespace

TEST_CASE("a reporter set tells the first write failure once, as it happens") {
  std::vector<std::string> log;
  hmt::ReporterSet set;
  set.add(std::make_unique<RecordingReporter>(&log, "a"));
  set.add(std::make_unique<BreakingReporter>());
  std::vector<std::string> told;
  set.on_write_failure([&](const std::string& why) { told.push_back(why); });
  set.run_started({{"x"}, ""});
  CHECK(told.empty());
  CHECK_FALSE(set.write_failure());
  hmt::CaseResult r;
  r.name = "x";
  set.case_finished(r);
  CHECK(told == std::vector<std::string>{"cannot write the test report: Broken pipe"});
  set.run_finished({});
  CHECK(told.size() == 1);
  CHECK(set.write_failure() == "cannot write the test report: Broken pipe");
  // The other reporters still get every event.
  CHECK(log.back() == "a:done:0");
}

TEST_CASE("a report file is checked before the run: missing folder, a file as folder, a folder as file") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("hmt-reporter-test-" + std::to_string(::getpid()));
  fs::create_directories(root / "folder");
  std::ofstream(root / "file") << "x";
  struct Remove {
    fs::path path;
    ~Remove() { fs::remove_all(path); }
  } cleanup{root};

  CHECK(hmt::output_file_problem(root / "missing" / "deeper" / "report.xml") ==
        "folder " + (root / "missing" / "deeper").string() + " does not exist");
  CHECK(hmt::output_file_problem(root / "file" / "report.xml") == (root / "file").string() + " is a file, not a folder");
  CHECK(hmt::output_file_problem(root / "file" / "sub" / "report.xml") ==
        (root / "file").string() + " is a file, not a folder");
  CHECK(hmt::output_file_problem(root / "folder") == (root / "folder").string() + " is a folder");
  CHECK_FALSE(hmt::output_file_problem(root / "folder" / "report.xml"));
  CHECK(fs::exists(root / "folder" / "report.xml"));
  CHECK_FALSE(hmt::output_file_problem(root / "file"));
  CHECK(std::ifstream(root / "file").get() == 'x');  // an existing file is not truncated by the check
}
