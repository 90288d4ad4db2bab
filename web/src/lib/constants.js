// Stable codes of docs/api.md (GLOSSARY.md), in display order.
export const ORG_KINDS = [
  'region',
  'peoples_congress',
  'standing_committee',
  'discipline_commission',
  'government',
  'government_department',
  'court',
  'procuratorate',
  'township',
  'party_committee',
  'organization_department',
  'other',
]
export const POSITION_CATEGORIES = ['head', 'deputy_head', 'quota_judge', 'quota_prosecutor', 'commission_member', 'other']
export const DECISION_TYPES = ['decided', 'appointed', 'approved', 'acting', 'elected']

// Who makes each kind of decision: the standing committee appoints, the congress elects.
export function appointingBodyKinds(decisionType) {
  return decisionType === 'elected' ? ['peoples_congress'] : ['standing_committee']
}
export const END_REASONS = ['removed', 'resigned', 'recalled', 'term_expired', 'dismissed']
export const EXAM_EXEMPTIONS = ['lateral_transfer', 'internal_transfer', 're_appointed']
export const ROLES = [
  'congress_officer',
  'discipline_officer',
  'department_liaison',
  'deputy',
  'analyst',
  'viewer',
  'sys_admin',
  'security_admin',
  'audit_admin',
]

// 56 民族 (data values, stored in Chinese whatever the UI language).
export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
]
