// The registry's records: organisations, people, positions and appointments, with the closed
// sets of codes they use (stable snake_case codes from GLOSSARY.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/clock.h"

namespace jiandu::registry {

enum class OrgKind {
  kRegion,                  // 行政区: the jurisdiction node of a province, city or county
  kPeoplesCongress,         // 人民代表大会: elects the standing committee's members
  kStandingCommittee,       // 人大常委会
  kDisciplineCommission,    // 纪委监委
  kGovernment,              // 人民政府
  kGovernmentDepartment,    // 政府工作部门
  kCourt,                   // 人民法院
  kProcuratorate,           // 人民检察院
  kTownship,                // 乡镇/街道
  kPartyCommittee,          // 党委
  kOrganizationDepartment,  // 组织部
  kOther,
};

enum class PositionCategory {
  kHead,             // 正职: one active holder at a time
  kDeputyHead,       // 副职
  kQuotaJudge,       // 员额法官
  kQuotaProsecutor,  // 员额检察官
  kCommissionMember, // 监委委员, 审判委员会委员, 检察委员会委员
  kOther,
};

// 组织法 art 50: 决定任命 / 任命 / 批准任命 / 代理; and 选举 for posts the congress elects
// (the standing committee's own members).
enum class DecisionType { kDecided, kAppointed, kApproved, kActing, kElected };

enum class EndReason { kRemoved, kResigned, kRecalled, kTermExpired, kDismissed };

// Exemptions from the pre-appointment law exam (local practice, DOMAIN.md §1.6).
enum class ExamExemption { kLateralTransfer, kInternalTransfer, kReAppointed };

std::string_view Code(OrgKind v);
std::string_view Code(PositionCategory v);
std::string_view Code(DecisionType v);
std::string_view Code(EndReason v);
std::string_view Code(ExamExemption v);
std::optional<OrgKind> ParseOrgKind(std::string_view s);
std::optional<PositionCategory> ParsePositionCategory(std::string_view s);
std::optional<DecisionType> ParseDecisionType(std::string_view s);
std::optional<EndReason> ParseEndReason(std::string_view s);
std::optional<ExamExemption> ParseExamExemption(std::string_view s);

struct Org {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kOther;
  std::string region_code;
  std::string path;  // "/1/2/5/"
  int depth = 0;
  bool has_children = false;
  int64_t version = 0;
};

struct Person {
  int64_t id = 0;
  std::string name;
  std::string id_number_masked;  // "4203**********0011"
  std::string gender;            // "male" / "female"
  core::CivilDate birth_date;
  std::string ethnicity;
  std::string phone_masked;
  int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string notes;
  int64_t version = 0;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

struct Position {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string title;
  PositionCategory category = PositionCategory::kOther;
  int active_holders = 0;
};

// 任前 steps: law exam (with one resit), statement speech, constitutional oath.
struct PreAppointment {
  std::optional<int> exam_score;
  std::optional<int> exam_pass_mark;
  std::optional<core::CivilDate> exam_taken_on;
  std::optional<int> resit_score;
  std::optional<core::CivilDate> resit_taken_on;
  std::optional<ExamExemption> exam_exemption;
  std::optional<core::CivilDate> statement_on;
  std::optional<core::CivilDate> oath_on;
};

struct Appointment {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string person_name;
  int64_t position_id = 0;
  std::string position_title;
  int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  int64_t appointing_body_id = 0;
  std::string appointing_body_name;
  DecisionType decision_type = DecisionType::kAppointed;
  std::string meeting;
  core::CivilDate appointed_on;
  core::CivilDate term_end;
  std::optional<core::CivilDate> ended_on;
  std::optional<EndReason> end_reason;
  std::optional<std::string> end_note;
  PreAppointment pre;
  int64_t version = 0;
  core::Timestamp created_at;
};

}  // namespace jiandu::registry
