#pragma once
// The writer that turns a batch of model outputs (TraceBatch, libtorch tensors) into trace-store rows:
// samples, routing, tree leaves, the other models' predictions and the aggregates, in one transaction.
// It lives above the store so that the store itself needs no libtorch.

#include "ndtmoe/trace/trace_batch.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

// Appends the batch's samples to the tracing run; the batch must continue at its first untraced sample.
void append_batch(TraceStore& store, int64_t run, const TraceBatch& batch);

}  // namespace ndtmoe
