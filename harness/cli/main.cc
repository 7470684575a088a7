// hmt: builds home-manager test cases with Nix and asserts what was built.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assertions/assert_command.h"
#include "harness/cli/cli.h"
#include "harness/report/console_reporter.h"
#include "harness/cli/man_page.h"
#include "harness/nix/manifest.h"
#include "harness/nix/nix_driver.h"
#include "process/process.h"
#include "process/temporary_folder.h"
#include "process/output_watch.h"
#include "process/watchdog.h"
#include "harness/report/report_formats.h"
#include "harness/report/workflow_guard.h"
#include "harness/cli/report_setup.h"
#include "harness/cli/rerun.h"
#include "harness/pipeline/runner.h"
#include "harness/cli/nix_run.h"
#include "harness/cli/watch.h"
#include "process/file_watch.h"

namespace {

using namespace hmt;

constexpr int kExitSignalBase = 128;  // + the signal's number, as shells do

// Where the Nix glue, the bundled module and the bundled cases live: next
// to an installed binary (share/hmt), else in the source tree it was built
// from. HMT_DATA_DIR overrides both.
DataDirs locate_data() {
  auto from_root = [](const std::filesystem::path& root) {
    return DataDirs{root / "nix", root / "modules", root / "cases"};
  };
  if (const char* dir = std::getenv("HMT_DATA_DIR"); dir && *dir) return from_root(dir);
  std::error_code ec;
  auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "hmt";
    if (std::filesystem::exists(installed / "nix" / "driver.nix", ec)) return from_root(installed);
  }
  return DataDirs{HMT_SOURCE_NIX_DIR, HMT_SOURCE_MODULES_DIR,
                  std::filesystem::path(HMT_SOURCE_NIX_DIR).parent_path().parent_path() / "cases"};
}

// The stop signals are blocked everywhere and handled by one thread, which
// cancels the run: every child's process group is stopped and the run
// reports what was cut off.
class SignalWatcher {
 public:
  explicit SignalWatcher(Cancellation& cancellation) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    sigaddset(&signals_, SIGQUIT);
    sigaddset(&signals_, SIGUSR1);  // our own "stop watching"
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    thread_ = std::thread([this, &cancellation] {
      int received = 0;
      while (sigwait(&signals_, &received) == 0) {
        if (received == SIGUSR1) return;
        received_ = received;
        cancellation.cancel(fmt::format("hmt received SIG{}", sigabbrev_np(received)));
      }
    });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;
  int received() const { return received_; }

 private:
  sigset_t signals_;
  std::thread thread_;
  std::atomic<int> received_{0};
};

struct Setup {
  CliOptions options;
  DataDirs data;
};

// The reports asked for, on this terminal and in this environment; a
// problem with one is a setup error.
std::optional<std::string> build_reporters(const CliOptions& options, ReporterSet& reporters,
                                           std::ostream& annotations) {
  ReportContext context{std::cout};
  context.tty = ::isatty(STDOUT_FILENO) != 0;
  // The live status line rewrites itself with ANSI codes a dumb terminal lacks.
  const char* term = std::getenv("TERM");
  context.live = context.tty && !(term && std::string_view(term) == "dumb");
  context.color = console_wants_color(context.tty);
  context.tap_version = options.tap_version;
  const ReportEnvironment environment{[](const char* name) { return std::getenv(name); }, &annotations};
  return add_reporters(options, context, environment, reporters);
}

int run(const std::vector<std::string>& args, std::ostream& annotations) {
  auto parsed = parse_cli(args);
  if (!parsed) {
    std::cerr << "hmt: " << parsed.error() << "\nTry 'hmt --help'.\n";
    return kExitUsage;
  }
  Setup setup{*parsed, locate_data()};
  const CliOptions& options = setup.options;
  if (options.help) {
    std::cout << cli_help();
    return kExitPassed;
  }
  if (options.help_man) {
    std::cout << man_page(cli_option_docs(), HMT_VERSION);
    return kExitPassed;
  }
  if (options.help_options) {
    std::cout << cli_option_table();
    return kExitPassed;
  }
  if (options.version) {
    std::cout << "hmt " << HMT_VERSION << "\n";
    return kExitPassed;
  }

  // --home-manager / --nixpkgs become search path entries for every call.
  CliOptions& mutable_options = setup.options;
  for (const auto& [value, name] : {std::pair{options.nixpkgs, "nixpkgs"}, std::pair{options.home_manager, "home-manager"}})
    if (value)
      for (auto* target : {&mutable_options.nix_eval_args, &mutable_options.nix_build_args})
        target->insert(target->end(), {"-I", fmt::format("{}={}", name, absolute_path(*value).string())});

  // Every temporary file of the run, hmt's and its children's (TMPDIR
  // points here), lives in one folder: removed by hmt, or by the watchdog
  // when hmt is killed.
  auto temporary_root = TemporaryFolder::create("hmt-run-");
  if (!temporary_root) {
    std::cerr << "hmt: " << temporary_root.error() << "\n";
    return kExitUsage;
  }
  // Nix's build users must reach their build folders inside it.
  std::error_code ignored;
  std::filesystem::permissions(temporary_root->path(),
                               std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                   std::filesystem::perms::others_exec,
                               ignored);
  ::setenv("TMPDIR", temporary_root->path().c_str(), 1);
  auto watchdog = Watchdog::start(temporary_root->path(), kStopGrace);
  if (!watchdog) {
    std::cerr << "hmt: " << watchdog.error() << "\n";
    return kExitUsage;
  }
  SystemProcessRunner processes(watchdog->get());
  SignalWatcher signals(processes.cancellation());
  RunOptions run_options;
  run_options.jobs = options.jobs;
  run_options.chunk_size = static_cast<std::size_t>(options.chunk_size);
  run_options.fail_fast = options.fail_fast;
  run_options.update_golden = options.update_golden;
  run_options.warnings_as_errors = options.warnings_as_errors;
  run_options.verbose = options.verbose;
  std::error_code ec;
  run_options.helper = std::filesystem::canonical("/proc/self/exe", ec);
  if (options.timeout_seconds > 0) run_options.script_timeout = std::chrono::seconds(options.timeout_seconds);
  if (const char* store = std::getenv("NIX_STORE_DIR"); store && *store) run_options.store_dir = store;

  // --list prints names, not a report.
  ReporterSet reporters;
  // --watch makes a set for each round.
  if (!options.list && !options.watch)
    if (auto problem = build_reporters(options, reporters, annotations)) return setup_failed(reporters, *problem);
  // With stdout gone there is no report to run for: stop, at once when its
  // reader goes away, else at the first write that fails.
  reporters.on_write_failure([&processes](const std::string& why) { processes.cancellation().cancel(why); });
  OutputWatch stdout_watch(STDOUT_FILENO, [&processes] {
    processes.cancellation().cancel("stdout was closed: nothing reads the report any more");
  });
  int status;
  if (options.verify) {
    std::vector<std::filesystem::path> manifests(options.patterns.begin(), options.patterns.end());
    std::vector<std::pair<std::string, std::filesystem::path>> named;
    for (const auto& path : manifests)
      if (auto manifest = read_manifest(path)) named.emplace_back(manifest->name, absolute_path(path));
    run_options.rerun_command = verify_rerun_commands(named);
    Runner runner(processes, reporters, run_options);
    status = runner.verify_manifests(manifests).failed > 0 ? kExitFailed : kExitPassed;
  } else if (options.watch) {
    auto files = inotify_watch();
    if (!files) return setup_failed(reporters, "--watch: " + files.error());
    const NixRun nix_run{options, setup.data, processes, run_options};
    status = watch(
        nix_run,
        [&]() -> std::unique_ptr<ReporterSet> {
          auto set = std::make_unique<ReporterSet>();
          if (auto problem = build_reporters(options, *set, annotations)) {
            setup_failed(*set, *problem);
            return nullptr;
          }
          set->on_write_failure([&processes](const std::string& why) { processes.cancellation().cancel(why); });
          return set;
        },
        **files, std::cerr);
  } else {
    status = run_with_nix(NixRun{options, setup.data, processes, run_options}, reporters);
  }
  if (int sig = signals.received()) {
    std::cerr << fmt::format("hmt: interrupted by {}\n", strsignal(sig));
    return kExitSignalBase + sig;
  }
  if (auto failure = reporters.write_failure()) {
    std::cerr << "hmt: " << *failure << "\n";
    return kExitUsage;
  }
  // Stopped for its output's sake (stdout's reader went away) before any
  // write could fail.
  if (processes.cancellation().requested()) {
    std::cerr << "hmt: " << processes.cancellation().reason() << "\n";
    return kExitUsage;
  }
  return status;
}

// What --list, --help and --version printed must have arrived too.
int with_stdout_checked(int status) {
  errno = 0;
  std::cout.flush();
  if (status >= kExitUsage || !std::cout.fail()) return status;
  std::cerr << "hmt: cannot write to stdout: " << (errno ? std::strerror(errno) : "write failed") << "\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout is a write error to report, not a silent death.
  ::signal(SIGPIPE, SIG_IGN);
  // The bash fallback calls back into hmt for each assertion.
  if (argc >= 2 && (std::strcmp(argv[1], "__assert") == 0 || std::strcmp(argv[1], "__normalize") == 0))
    return hmt::assert_command_main(argc - 1, argv + 1);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Caught here so that unwinding stops the children and removes the
  // temporary files before hmt exits.
  try {
    // No text hmt prints, its own workflow commands aside, can start a line
    // a CI log parser would take for a command.
    GuardedStandardStreams streams;
    return with_stdout_checked(run(args, streams.raw_stderr()));
  } catch (const std::exception& e) {
    std::cerr << "hmt: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "hmt: internal error\n";
  }
  return kExitUsage;
}
