// Seeded, generated data for every dataset the built-in rules read, with cases each rule must
// find (deceased payees, duplicates, outliers, ...) mixed into ordinary rows. Small enough for
// a unit test; the same seed gives the same tables.
#pragma once

#include <cstdint>

#include "monitor/engine/testing/test_tables.h"

namespace jiandu::monitor::testing {

// `scale` multiplies the row counts (1: about 10,000 rows in all).
Tables GenerateData(uint64_t seed, int scale = 1);

}  // namespace jiandu::monitor::testing
