#pragma once
// A single live status line on stderr (rewritten with \r when stderr is a terminal, one line per epoch
// otherwise, so logs stay readable).

#include <string>

#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/tuner.h"

namespace ndtmoe::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::string prefix = {});
  ~ProgressLine();
  void update(const ExperimentProgress& p, const std::string& context = {});
  // A tuning trial's progress: the trial, its inner fold and the best score so far, then the training.
  void update(const TuningProgress& p);
  // Shows `line`; when stderr is not a terminal only milestones are printed (one per line).
  void show(std::string line, bool milestone);
  void finish();

 private:
  std::string prefix_;
  bool interactive_;
  size_t last_width_ = 0;
};

}  // namespace ndtmoe::cli
