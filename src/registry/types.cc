#include "registry/types.h"

#include <utility>

#include "core/code_table.h"

namespace jiandu::registry {
namespace {

constexpr std::pair<OrgKind, std::string_view> kOrgKinds[] = {
    {OrgKind::kRegion, "region"},
    {OrgKind::kPeoplesCongress, "peoples_congress"},
    {OrgKind::kStandingCommittee, "standing_committee"},
    {OrgKind::kDisciplineCommission, "discipline_commission"},
    {OrgKind::kGovernment, "government"},
    {OrgKind::kGovernmentDepartment, "government_department"},
    {OrgKind::kCourt, "court"},
    {OrgKind::kProcuratorate, "procuratorate"},
    {OrgKind::kTownship, "township"},
    {OrgKind::kPartyCommittee, "party_committee"},
    {OrgKind::kOrganizationDepartment, "organization_department"},
    {OrgKind::kOther, "other"},
};

constexpr std::pair<PositionCategory, std::string_view> kCategories[] = {
    {PositionCategory::kHead, "head"},
    {PositionCategory::kDeputyHead, "deputy_head"},
    {PositionCategory::kQuotaJudge, "quota_judge"},
    {PositionCategory::kQuotaProsecutor, "quota_prosecutor"},
    {PositionCategory::kCommissionMember, "commission_member"},
    {PositionCategory::kOther, "other"},
};

constexpr std::pair<DecisionType, std::string_view> kDecisions[] = {
    {DecisionType::kDecided, "decided"},
    {DecisionType::kAppointed, "appointed"},
    {DecisionType::kApproved, "approved"},
    {DecisionType::kActing, "acting"},
    {DecisionType::kElected, "elected"},
};

constexpr std::pair<EndReason, std::string_view> kEndReasons[] = {
    {EndReason::kRemoved, "removed"},
    {EndReason::kResigned, "resigned"},
    {EndReason::kRecalled, "recalled"},
    {EndReason::kTermExpired, "term_expired"},
    {EndReason::kDismissed, "dismissed"},
};

constexpr std::pair<ExamExemption, std::string_view> kExemptions[] = {
    {ExamExemption::kLateralTransfer, "lateral_transfer"},
    {ExamExemption::kInternalTransfer, "internal_transfer"},
    {ExamExemption::kReAppointed, "re_appointed"},
};

}  // namespace

std::string_view Code(OrgKind v) { return core::CodeOf(kOrgKinds, v); }
std::string_view Code(PositionCategory v) { return core::CodeOf(kCategories, v); }
std::string_view Code(DecisionType v) { return core::CodeOf(kDecisions, v); }
std::string_view Code(EndReason v) { return core::CodeOf(kEndReasons, v); }
std::string_view Code(ExamExemption v) { return core::CodeOf(kExemptions, v); }
std::optional<OrgKind> ParseOrgKind(std::string_view s) { return core::ParseCode(kOrgKinds, s); }
std::optional<PositionCategory> ParsePositionCategory(std::string_view s) {
  return core::ParseCode(kCategories, s);
}
std::optional<DecisionType> ParseDecisionType(std::string_view s) {
  return core::ParseCode(kDecisions, s);
}
std::optional<EndReason> ParseEndReason(std::string_view s) { return core::ParseCode(kEndReasons, s); }
std::optional<ExamExemption> ParseExamExemption(std::string_view s) {
  return core::ParseCode(kExemptions, s);
}

}  // namespace jiandu::registry
