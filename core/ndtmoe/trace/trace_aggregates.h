#pragma once
// The aggregates the views read without scanning samples — expert x class, expert load, flow between
// consecutive layers' top-1 experts, samples per tree node — added batch by batch inside the batch's own
// transaction, so they always agree with the samples committed (also for a resumed trace).

#include "ndtmoe/store/sqlite.h"

namespace ndtmoe {

struct RunSummary;
struct TraceBatch;

void add_batch_aggregates(Database& db, int64_t run, const RunSummary& summary, const TraceBatch& batch);

}  // namespace ndtmoe
