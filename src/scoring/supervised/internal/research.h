// Research hook for bench/asap_sas.cc (--dump): lets the benchmark see each learner's
// out-of-fold predictions so that ensembling and threshold strategies can be compared offline
// without retraining. Not part of the public API; production code never sets it.
#pragma once

#include <array>
#include <vector>

#include "scoring/supervised/internal/model_impl.h"

namespace zm::scoring::supervised::internal {

struct OofDump {
  std::vector<std::array<double, kLearners>> oof;  // per example, per learner (0: inactive)
  std::vector<int> labels;
  std::vector<int> folds;
};

// When non-null on the thread that calls Train, Train copies its out-of-fold predictions there.
extern thread_local OofDump* oof_dump;

}  // namespace zm::scoring::supervised::internal
