// Made-up people for write benchmarks: distinct, well-formed 身份证 numbers of region 420322
// (郧西县), like the demo county's. They belong to no one.
//
//   registry::NewPerson p = bench::TestPerson(n, org_id);   // n = 0, 1, 2, ... all distinct
#pragma once

#include <cstdint>
#include <string>

#include "registry/person_service.h"

namespace jiandu::bench {

// The n-th number: birth date 1950-01-01 plus n / 999 days, sequence 1 + n % 999, and its
// computed check character. Distinct for n < 999 × 20,000 (birth dates up to 2004).
std::string TestIdNumber(int64_t n);

// A person with TestIdNumber(n), a two- or three-character name, kept by `org_id`.
registry::NewPerson TestPerson(int64_t n, int64_t org_id);

}  // namespace jiandu::bench
