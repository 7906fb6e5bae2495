#pragma once
// The `linear` family: the standard softmax-gated MoE (Shazeer et al. 2017; Switch) over FFN experts —
// the baseline every run trains beside the student, and a student of its own.

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

Family linear_family();

}  // namespace ndtmoe
