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
  // Ask the evaluator where the case's definitions came from (hmt's
  // record); costs about half an evaluation more.
  bool record = false;
};

// Where a case's configuration definitions came from, as its evaluator
// says (harness/nix/definition-files.nix).
struct DefinitionRecord {
  // False when they could not be worked out (the case's evaluation failed,
  // or its evaluator does not say): any change may affect the case.
  bool complete = false;
  std::vector<std::string> files;    // absolute; a folder stands for a module given as a folder
  std::vector<std::string> modules;  // every file that declares an option, when asked for
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
  // The evaluator answered with this error and went on: the same inputs
  // give the same error (not a crash, a time limit or a failed build).
  bool deterministic = false;
};

struct ManifestPaths {
  std::string drv;  // the manifest's derivation
  std::string out;  // where building it puts the manifest
};

// One case's answer: its manifest, or why it has none, and the warnings
// its evaluation printed (lib.warn and the like).
struct CaseEvaluation {
  std::optional<ManifestPaths> manifest;
  std::optional<NixFailure> failure;
  std::vector<std::string> warnings = {};
  std::optional<DefinitionRecord> definitions = {};  // when the entry asked for it
  std::chrono::milliseconds elapsed{0};                // what evaluating it took
};

// What serving cases cost the evaluators, for --verbose.
struct EvaluatorUse {
  std::size_t peak_memory_kib = 0;
  std::size_t evaluators_started = 0;  // first use, after a crash, a time-out or the memory limit
};

// The evaluation of a chunk: an answer per case, in order. Persistent
// evaluators survive a case's error, so a failing case costs only itself.
struct ChunkEvaluation {
  std::vector<CaseEvaluation> cases;
  std::size_t peak_memory_kib = 0;  // of the evaluator(s) that served it
  std::chrono::milliseconds elapsed{0};
  std::size_t evaluators_started = 0;
};

// Evaluates cases one at a time; each worker thread of the scheduler may
// keep an evaluator of its own between cases, and says when it is done.
class CaseEvaluator {
 public:
  virtual ~CaseEvaluator() = default;
  virtual CaseEvaluation evaluate_case(const CaseEntry& entry, EvaluatorUse& use) = 0;
  // The calling thread will evaluate nothing more: what it kept can go.
  virtual void worker_finished() {}
};

}  // namespace hmt
