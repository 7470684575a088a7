// SystemProcessRunner::open: a child on two pipes (its stdin, its stderr)
// that lives until its Session is destroyed.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>

#include <fmt/core.h>

#include "process/child.h"

namespace hmt {

namespace {

using namespace child;

// How long a session's child has to exit on its own once its stdin closes.
constexpr std::chrono::milliseconds kExitGrace{1000};
constexpr int kReadPollMs = 20;

// Puts the session's pipe ends on the child's stdin and stderr.
struct ConnectPipes : bp::extend::handler {
  int input;
  int errors;

  template <class Executor>
  void on_exec_setup(Executor&) const {
    ::dup2(input, STDIN_FILENO);
    ::dup2(errors, STDERR_FILENO);
  }
};

class Pipe {
 public:
  Pipe() {
    if (::pipe2(ends_, O_CLOEXEC) != 0) ends_[0] = ends_[1] = -1;
  }
  ~Pipe() {
    close_reader();
    close_writer();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  bool ok() const { return ends_[0] >= 0; }
  int reader() const { return ends_[0]; }
  int writer() const { return ends_[1]; }
  int take_reader() { return std::exchange(ends_[0], -1); }
  int take_writer() { return std::exchange(ends_[1], -1); }
  void close_reader() { close_end(ends_[0]); }
  void close_writer() { close_end(ends_[1]); }

 private:
  static void close_end(int& fd) {
    if (fd >= 0) ::close(std::exchange(fd, -1));
  }
  int ends_[2];
};

class SystemSession : public Session {
 public:
  SystemSession(bp::child process, bp::group group, int input, int errors, Watchdog* watchdog,
                Cancellation& cancellation)
      : process_(std::move(process)),
        group_(std::move(group)),
        group_id_(process_.id()),
        input_(input),
        errors_(errors),
        watched_(watchdog, group_id_),
        cancellation_(cancellation) {}

  ~SystemSession() override {
    close_input();
    std::error_code ec;
    const auto deadline = Clock::now() + kExitGrace;
    while (process_.running(ec) && Clock::now() < deadline) std::this_thread::sleep_for(kPollInterval);
    if (process_.running(ec)) stop_group(process_, group_id_);
    process_.wait(ec);
    signal_group(group_id_, SIGKILL);
    group_.detach();
    ::close(errors_);
  }

  bool send(const std::string& input) override {
    std::size_t written = 0;
    while (input_ >= 0 && written < input.size()) {
      // hmt ignores SIGPIPE: a child that is gone is EPIPE here.
      const ssize_t n = ::write(input_, input.data() + written, input.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      written += static_cast<std::size_t>(n);
    }
    return input_ >= 0;
  }

  SessionReply read_until(const std::string& marker, std::optional<std::chrono::milliseconds> timeout) override {
    const Clock::time_point deadline = timeout ? Clock::now() + *timeout : Clock::time_point::max();
    for (;;) {
      if (auto text = take_through(marker)) return {SessionReply::Outcome::Answered, std::move(*text), 0};
      if (ended_) return finish(SessionReply::Outcome::Exited);
      peak_ = std::max(peak_, peak_memory_kib_of(group_id_));
      if (cancellation_.requested()) return stop(SessionReply::Outcome::Cancelled);
      if (Clock::now() >= deadline) return stop(SessionReply::Outcome::TimedOut);
      pollfd ready{errors_, POLLIN, 0};
      if (::poll(&ready, 1, kReadPollMs) <= 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(errors_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        ended_ = true;  // every writer of the pipe is gone
      else
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  std::size_t peak_memory_kib() override { return peak_ = std::max(peak_, peak_memory_kib_of(group_id_)); }

 private:
  // The buffer up to a line that is exactly `marker`, taking both out of it.
  std::optional<std::string> take_through(const std::string& marker) {
    const std::string line = marker + "\n";
    for (std::size_t at = buffer_.find(line); at != std::string::npos; at = buffer_.find(line, at + 1)) {
      if (at != 0 && buffer_[at - 1] != '\n') continue;
      std::string text = buffer_.substr(0, at);
      buffer_.erase(0, at + line.size());
      return text;
    }
    return std::nullopt;
  }

  SessionReply stop(SessionReply::Outcome outcome) {
    stop_group(process_, group_id_);
    ended_ = true;
    return finish(outcome);
  }

  SessionReply finish(SessionReply::Outcome outcome) {
    close_input();
    std::error_code ec;
    process_.wait(ec);
    SessionReply reply{outcome, std::exchange(buffer_, {}), 0};
    const int status = process_.native_exit_code();
    reply.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    return reply;
  }

  void close_input() {
    if (input_ >= 0) ::close(std::exchange(input_, -1));
  }

  bp::child process_;
  bp::group group_;
  pid_t group_id_;
  int input_;
  int errors_;
  WatchedGroup watched_;
  Cancellation& cancellation_;
  std::string buffer_;
  bool ended_ = false;
  std::size_t peak_ = 0;
};

}  // namespace

Expected<std::unique_ptr<Session>> SystemProcessRunner::open(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Error{"empty command line"};
  if (cancellation().requested()) return Error{"the run is stopping"};
  std::filesystem::path program = spec.argv.front();
  if (program.string().find('/') == std::string::npos) {
    program = find_on_path(spec.argv.front());
    if (program.empty()) return Error{fmt::format("'{}' was not found on PATH", spec.argv.front())};
  }
  Pipe input, errors;
  if (!input.ok() || !errors.ok()) return Error{fmt::format("no pipe for '{}': {}", program.string(), std::strerror(errno))};

  const ChildEnvironment child_env(spec.env, spec.unset_env);
  const std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  const std::string cwd = spec.cwd ? spec.cwd->string() : std::filesystem::current_path().string();
  bp::group group;
  std::error_code ec;
  bp::child process(bp::exe = program.string(), bp::args = args, bp::std_out > bp::null, bp::start_dir = cwd, group,
                    child_env, PrepareChild{}, ConnectPipes{{}, input.reader(), errors.writer()}, ec);
  input.close_reader();
  errors.close_writer();
  if (ec) return Error{fmt::format("could not start '{}': {}", program.string(), ec.message())};
  return std::unique_ptr<Session>(std::make_unique<SystemSession>(std::move(process), std::move(group), input.take_writer(),
                                                                  errors.take_reader(), watchdog_, cancellation()));
}

}  // namespace hmt
