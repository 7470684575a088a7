// What evaluating cases gives, and the interface the scheduler evaluates
// through (the Nix driver in hmt, a fake in tests).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hmt {

struct CaseEntry {
  std::string name;
  std::string file;    // the case module, or the file defining it inline
  std::string folder;  // the folder --update-golden writes into
  int source = 0;      // index into the sources the cases were listed from
  int line = 0;        // where `file` defines the case, when inline
};

// How one Nix call ended, when it did not give an answer.
struct NixFailure {
  enum class Kind { Failed, TimedOut, Cancelled };
  NixFailure() = default;
  NixFailure(Kind kind_, std::string message_, std::string summary_ = "")
      : kind(kind_), message(std::move(message_)), summary(std::move(summary_)) {}
  Kind kind = Kind::Failed;
  std::string message;  // Nix's own error output, trimmed, the innermost error first
  std::string summary;  // that error in one line, with its position; may be empty
};

struct ManifestPaths {
  std::string drv;  // the manifest's derivation
  std::string out;  // where building it puts the manifest
};

// One case's answer: its manifest, or why it has none.
struct CaseEvaluation {
  std::optional<ManifestPaths> manifest;
  std::optional<NixFailure> failure;
};

// One evaluation of a chunk: an answer per case, in order. Persistent
// evaluators survive a case's error, so a failing case costs only itself.
struct ChunkEvaluation {
  std::vector<CaseEvaluation> cases;
  std::size_t peak_memory_kib = 0;    // of the evaluator(s) that served it
  std::chrono::milliseconds elapsed{0};
  std::size_t evaluators_started = 0;  // for this chunk: first use, after a crash, a time-out or the memory limit
};

// Evaluates chunks of cases; each worker thread of the scheduler may keep an
// evaluator of its own between chunks, and says when it is done with it.
class ChunkEvaluator {
 public:
  virtual ~ChunkEvaluator() = default;
  virtual ChunkEvaluation evaluate_chunk(const std::vector<CaseEntry>& cases) = 0;
  // The calling thread will evaluate nothing more: what it kept can go.
  virtual void worker_finished() {}
};

}  // namespace hmt
