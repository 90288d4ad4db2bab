#include "bench/audit/test_people.h"

#include <cstdio>

#include "core/civil_date.h"
#include "core/resident_id.h"

namespace jiandu::bench {
namespace {

constexpr char kRegion[] = "420322";
constexpr int kSequences = 999;
constexpr const char* kSurnames[] = {"李", "王", "张", "刘", "陈", "杨", "赵", "黄"};
constexpr const char* kGivenNames[] = {"明", "芳", "建国", "秀英", "伟", "静", "志强", "丽"};

}  // namespace

std::string TestIdNumber(int64_t n) {
  const core::CivilDate first = *core::CivilDate::FromYmd(1950, 1, 1);
  const core::CivilDate birth = first.AddDays(static_cast<int32_t>(n / kSequences));
  char seq[8];
  std::snprintf(seq, sizeof seq, "%03d", static_cast<int>(1 + n % kSequences));
  std::string date = birth.ToString();  // YYYY-MM-DD
  std::string first17 =
      std::string(kRegion) + date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + seq;
  return first17 + core::ComputeResidentIdCheckChar(first17);
}

registry::NewPerson TestPerson(int64_t n, int64_t org_id) {
  registry::NewPerson p;
  p.name = std::string(kSurnames[n % 8]) + kGivenNames[(n / 8) % 8];
  p.id_number = TestIdNumber(n);
  p.ethnicity = "汉族";
  p.org_id = org_id;
  return p;
}

}  // namespace jiandu::bench
