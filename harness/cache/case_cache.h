// What the pipeline asks of the verdict cache and the record: the
// interface harness/pipeline/runner.cc consults before scheduling a case
// and tells after finishing one (InnerLoop in production, fakes in tests).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "assertions/result.h"
#include "harness/nix/evaluation.h"

namespace hmt {

// What a run learned about a case besides its verdict.
struct CaseFacts {
  bool ran = false;            // evaluated (and built and checked, as far as it got); not a case not run
  bool deterministic = false;  // the verdict follows from the inputs alone: it may be cached
  std::optional<std::chrono::milliseconds> evaluation;  // when it was evaluated (a trivial case may take 0 ms)
  std::optional<DefinitionRecord> definitions;  // when the evaluation recorded them
  std::string script;                           // the script that ran, when one did
  std::optional<ManifestPaths> manifest;        // what it evaluated to, when it did
};

// A case evaluated by an earlier run with the same inputs: its manifest
// (still in the store) and the warnings its evaluation printed.
struct StoredEvaluation {
  ManifestPaths manifest;
  std::vector<std::string> warnings;
};

class CaseCache {
 public:
  virtual ~CaseCache() = default;
  // The case's stored verdict, marked cached, when nothing it depends on
  // changed; nullopt: run it.
  virtual std::optional<CaseResult> lookup(const CaseEntry& entry) = 0;
  // When there is no verdict: the case's evaluation, when nothing it
  // depends on changed and its manifest is still in the store.
  virtual std::optional<StoredEvaluation> evaluation(const CaseEntry& entry) = 0;
  // Whether evaluating it should record where its definitions came from.
  virtual bool wants_record(const CaseEntry& entry) = 0;
  // Every case the run reports, cached ones included. From worker threads.
  virtual void finished(const CaseEntry& entry, const CaseResult& result, const CaseFacts& facts) = 0;
};

}  // namespace hmt
