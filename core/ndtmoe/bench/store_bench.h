#pragma once
// Latency of the queries the workbench views send to the trace store, measured on a traced run
// (bench/trace.sh runs it on 100,000 samples x 4 layers).

#include <functional>
#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct QueryLatency {
  std::string name;
  double median_ms = 0, max_ms = 0;
  int64_t rows = 0;  // what the query returned (cells, samples, nodes)
};

std::vector<QueryLatency> measure_store_queries(TraceStore& store, int64_t run, int repeats = 21);

}  // namespace ndtmoe
