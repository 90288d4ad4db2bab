// The seeded data generator of bench/monitor: the five datasets rules (a)–(e) read, written as
// CSV (UTF-8, header of schema column names, schema column order) into a directory.
//
//   scale 1: 5,000,000 people (18-character ID numbers with valid check characters, about 2 %
//   with a death date in 2015–2024), 50,000 officials in 2,000 organisations, 200,000 declared
//   relatives (about 4 per official, drawn from the people), 10,000,000 payments (50 items, 24
//   monthly periods over 2023–2024, about 0.5 % injected duplicates and 0.1 % amounts × 6–20),
//   200,000 projects (70 % led by officials).
//
// Rows are generated in fixed-size chunks, each from its own generator seeded by (seed, file,
// chunk), in parallel; the files are identical whatever the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace jiandu::bench {

struct GeneratorOptions {
  std::string dir;
  double scale = 1.0;
  uint64_t seed = 20261124;
  int threads = 2;
};

struct GeneratedFile {
  std::string dataset;
  std::string path;
  uint64_t bytes = 0;
  uint64_t rows = 0;
};

// Writes people.csv, officials.csv, relatives.csv, payments.csv and projects.csv.
Result<std::vector<GeneratedFile>> GenerateMonitorData(const GeneratorOptions& options);

// `n` new payments (CSV text with header) for the incremental check, drawn like the bulk ones,
// with a few of each kind of case (deceased payees, relatives, duplicates of existing rows,
// outliers) so that the incremental run has something to find.
std::string GenerateNewPayments(const GeneratorOptions& options, int n);

}  // namespace jiandu::bench
