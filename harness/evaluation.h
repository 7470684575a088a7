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
  Kind kind = Kind::Failed;
  std::string message;  // Nix's own error output, trimmed
};

struct ManifestPaths {
  std::string drv;  // the manifest's derivation
  std::string out;  // where building it puts the manifest
};

// One evaluation of a chunk: per case, its manifest or nullopt when the
// case threw (caught inside Nix); or, when the evaluation as a whole gave
// no answer (an error tryEval cannot catch), `failure`.
struct ChunkEvaluation {
  std::vector<std::optional<ManifestPaths>> cases;
  std::optional<NixFailure> failure;
  // With `failure`: the index of the case being evaluated when it aborted,
  // where Nix said; `cases` then holds what the cases before it gave (all
  // of them, or the first few).
  std::optional<std::size_t> aborted_at;
  std::size_t peak_memory_kib = 0;  // of the evaluator process
  std::chrono::milliseconds elapsed{0};
};

struct CaseEvaluation {
  std::optional<ManifestPaths> manifest;
  std::optional<NixFailure> failure;
};

// Evaluates cases: many in one go, or one alone for its own error.
class ChunkEvaluator {
 public:
  virtual ~ChunkEvaluator() = default;
  virtual ChunkEvaluation evaluate_chunk(const std::vector<CaseEntry>& cases) = 0;
  virtual CaseEvaluation evaluate_case(const CaseEntry& entry) = 0;
};

}  // namespace hmt
