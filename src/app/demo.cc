#include "app/demo.h"

#include <algorithm>

#include <cstdio>

#include "core/resident_id.h"

namespace jiandu::app {
namespace {

using registry::NewAppointment;
using registry::NewOrg;
using registry::NewPerson;
using registry::NewPosition;

struct Dept {
  const char* code;
  const char* name;
  const char* head_title;
};

// A county government's working departments (seed 001 counts 26 department heads).
constexpr Dept kDepartments[] = {
    {"bgs", "郧西县人民政府办公室", "主任"},   {"fgj", "郧西县发展和改革局", "局长"},
    {"jyj", "郧西县教育局", "局长"},           {"kjj", "郧西县科学技术和经济信息化局", "局长"},
    {"gaj", "郧西县公安局", "局长"},           {"mzj", "郧西县民政局", "局长"},
    {"sfj", "郧西县司法局", "局长"},           {"czj", "郧西县财政局", "局长"},
    {"rsj", "郧西县人力资源和社会保障局", "局长"}, {"zrj", "郧西县自然资源和规划局", "局长"},
    {"zjj", "郧西县住房和城乡建设局", "局长"}, {"jtj", "郧西县交通运输局", "局长"},
    {"slj", "郧西县水利和湖泊局", "局长"},     {"nyj", "郧西县农业农村局", "局长"},
    {"swj", "郧西县商务局", "局长"},           {"wlj", "郧西县文化和旅游局", "局长"},
    {"wjj", "郧西县卫生健康局", "局长"},       {"tjj", "郧西县退役军人事务局", "局长"},
    {"yjj", "郧西县应急管理局", "局长"},       {"sjj", "郧西县审计局", "局长"},
    {"scj", "郧西县市场监督管理局", "局长"},   {"tongji", "郧西县统计局", "局长"},
    {"lyj", "郧西县林业局", "局长"},           {"ybj", "郧西县医疗保障局", "局长"},
    {"cgj", "郧西县城市管理执法局", "局长"},   {"xfj", "郧西县信访局", "局长"},
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                     "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                     "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
constexpr const char* kGiven[] = {"建国", "志强", "秀英", "海燕", "文斌", "丽华", "明", "军",
                                  "红梅", "永刚", "晓东", "静", "国平", "春兰", "卫东", "涛",
                                  "德华", "玉兰", "振华", "敏", "立新", "桂芳", "宏伟", "琳",
                                  "学军", "淑珍", "勇", "慧", "长江", "芳"};

// Deterministic fictional people: name i and a well-formed ID number for region 420322.
struct PersonSpec {
  std::string name;
  std::string id_number;
};

PersonSpec DemoPerson(int i) {
  PersonSpec p;
  p.name = std::string(kSurnames[(i * 7) % 30]) + kGiven[(i * 11 + i / 30) % 30];
  const int year = 1966 + (i * 5) % 22;
  const int month = 1 + (i * 7) % 12;
  const int day = 1 + (i * 13) % 28;
  const int seq = 100 + i * 3;  // odd = male, even = female
  char first17[18];
  std::snprintf(first17, sizeof first17, "420322%04d%02d%02d%03d", year, month, day, seq % 1000);
  p.id_number = std::string(first17) + core::ComputeResidentIdCheckChar(first17);
  return p;
}

std::string Date(int y, int m, int d) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

class Builder {
 public:
  explicit Builder(App& app) : app_(app), who_(auth::Principal::System()) {}

  Result<int64_t> Org(std::optional<int64_t> parent, const std::string& code,
                      const std::string& name, const std::string& kind) {
    JIANDU_ASSIGN_OR_RETURN(registry::Org o,
                            app_.orgs().CreateOrg(who_, NewOrg{parent, code, name, kind,
                                                               code.substr(0, 6)}));
    ++summary.orgs;
    return o.id;
  }

  Result<int64_t> Position(int64_t org, const std::string& title, const std::string& category) {
    JIANDU_ASSIGN_OR_RETURN(registry::Position p,
                            app_.appointments().CreatePosition(who_, {org, title, category}));
    return p.id;
  }

  // Registers the next demo person (kept by `keeper`) and appoints them; returns the person.
  Result<int64_t> Appoint(int64_t keeper, int64_t position, int64_t body, const std::string& decision,
                 const std::string& meeting, const std::string& on, const std::string& term_end) {
    PersonSpec spec = DemoPerson(next_person_++);
    NewPerson np;
    np.name = spec.name;
    np.id_number = spec.id_number;
    np.ethnicity = next_person_ % 9 == 0 ? "土家族" : "汉族";
    char phone[16];
    std::snprintf(phone, sizeof phone, "139%08d", 71900000 + next_person_ * 37);
    np.phone = phone;
    np.org_id = keeper;
    JIANDU_ASSIGN_OR_RETURN(registry::Person person, app_.people().Create(who_, np));
    ++summary.people;

    NewAppointment a;
    a.person_id = person.id;
    a.position_id = position;
    a.appointing_body_id = body;
    a.decision_type = decision;
    a.meeting = meeting;
    a.appointed_on = on;
    a.term_end = term_end;
    const int n = next_person_;
    if (decision == "elected") {
      a.pre.exam_exemption = "re_appointed";
    } else if (n % 17 == 0) {
      a.pre.exam_exemption = "lateral_transfer";
    } else {
      a.pre.exam_score = n % 13 == 0 ? 55 : 70 + (n * 7) % 28;
      a.pre.exam_pass_mark = 60;
      a.pre.exam_taken_on = Date(std::stoi(on.substr(0, 4)), std::stoi(on.substr(5, 2)), 1);
      if (n % 13 == 0) {  // failed once, passed the single resit
        a.pre.resit_score = 78;
        a.pre.resit_taken_on = Date(std::stoi(on.substr(0, 4)), std::stoi(on.substr(5, 2)), 5);
      }
    }
    a.pre.statement_on = on;
    a.pre.oath_on = on;
    JIANDU_RETURN_IF_ERROR(app_.appointments().Create(who_, a).status());
    ++summary.appointments;
    return person.id;
  }

  Status User(const std::string& username, const std::string& display, auth::Role role,
              int64_t org, const std::string& org_name,
              std::optional<int64_t> person_id = std::nullopt) {
    JIANDU_RETURN_IF_ERROR(app_.users().CreateUser(
        who_, {username, display, role, org, kDemoPassword, person_id}));
    summary.logins.push_back(
        {username, std::string(auth::RoleName(role)), org_name, auth::IsAdministrator(role)});
    return Status::Ok();
  }

  DemoSummary summary;

 private:
  App& app_;
  auth::Principal who_;
  int next_person_ = 1;
};

constexpr char kCommitteeMeeting[] = "郧西县第十九届人民代表大会常务委员会第%d次会议";
constexpr char kTermEnd[] = "2026-12-31";

std::string Meeting(int n) {
  char buf[128];
  std::snprintf(buf, sizeof buf, kCommitteeMeeting, n);
  return buf;
}

}  // namespace

// A few small datasets of the county, brought together by its 纪委监委, and one run of the
// built-in rules, so the monitoring pages have something to show: two payments after a death
// (R01), a payment to an official's spouse (R02), an official leading seven projects (G01), a
// duplicated payment (R07) and one ten times the usual amount (G02). Everyone is fictional.
namespace {

Status CreateDemoMonitoring(App& app, int64_t county_id) {
  auto id = [](int n, const char* birth) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "420322%s%03d", birth, n % 1000);
    return std::string(first17) + core::ComputeResidentIdCheckChar(first17);
  };
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  const char* given[] = {"建国", "秀英", "桂兰", "志强", "玉梅", "德明", "春花", "国华"};
  std::string people = "id_number,name,death_date\n";
  std::string payments = "payee_id,item,period,amount,paid_on,payer_org\n";
  for (int i = 0; i < 40; ++i) {
    const std::string pid = id(100 + i, i < 20 ? "19420315" : "19550708");
    const bool dead = i == 3 || i == 17;  // died 2024-03-10; still paid in April and May
    people += pid + "," + surnames[i % 10] + given[i % 8] + "," + (dead ? "2024-03-10" : "") + "\n";
    for (int month = 1; month <= 5; ++month) {
      char row[160];
      const int amount = i == 25 && month == 4 ? 3350 : 335;  // one ten times the usual
      std::snprintf(row, sizeof row, "%s,低保金,2024-%02d-01,%d.00,2024-%02d-05,县民政局\n",
                    pid.c_str(), month, amount, month);
      payments += row;
      if (i == 30 && month == 2) payments += row;  // paid twice for February
    }
  }
  // Officials; the spouse of the first receives 低保 (she is resident 8 above).
  const std::string official1 = id(901, "19700212"), official2 = id(902, "19680930");
  std::string officials = "id_number,name,org,position\n" + official1 +
                          ",周德海,郧西县某镇人民政府,镇长\n" + official2 +
                          ",吴建军,郧西县交通运输局,副局长\n";
  std::string relatives = "official_id,relative_id,relation\n" + official1 + "," +
                          id(108, "19420315") + ",spouse\n" + official1 + "," +
                          id(950, "19950101") + ",child\n";
  std::string projects = "project_id,name,leader_id,org,start\n";
  for (int p = 1; p <= 7; ++p) {
    projects += "XM2024-" + std::to_string(p) + ",村级道路硬化工程" + std::to_string(p) + "标段," +
                official2 + ",郧西县交通运输局,2024-0" + std::to_string(p) + "-01\n";
  }
  const auth::Principal system = auth::Principal::System();
  for (const auto& [dataset, text] :
       std::vector<std::pair<std::string, std::string>>{{"people", people},
                                                        {"payments", payments},
                                                        {"officials", officials},
                                                        {"relatives", relatives},
                                                        {"projects", projects}}) {
    monitor::ImportRequest in{.dataset = dataset, .org_id = county_id,
                              .file_name = dataset + "-2024.csv", .bytes = text};
    JIANDU_RETURN_IF_ERROR(
        app.monitor().Import(system, in).status().WithContext("demo dataset " + dataset));
  }
  return app.monitor().RunRules(system, county_id, {}).status();
}

}  // namespace

Result<DemoSummary> CreateDemoCounty(App& app) {
  JIANDU_ASSIGN_OR_RETURN(
      bool exists, store::RunInTransaction<bool>(app.store(), store::TxMode::kReadOnly,
                                                 [&](store::Tx& tx) -> Result<bool> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<auth::OrgRef> o,
                                app.orgs().FindOrgByCode(tx, "420322"));
        return o.has_value();
      }));
  if (exists) {
    return DemoSummary{};
  }
  Builder b(app);
  JIANDU_ASSIGN_OR_RETURN(int64_t province, b.Org(std::nullopt, "420000", "湖北省", "region"));
  JIANDU_ASSIGN_OR_RETURN(int64_t city, b.Org(province, "420300", "十堰市", "region"));
  JIANDU_ASSIGN_OR_RETURN(int64_t county, b.Org(city, "420322", "郧西县", "region"));
  JIANDU_ASSIGN_OR_RETURN(int64_t congress,
                          b.Org(county, "420322.rd", "郧西县人民代表大会", "peoples_congress"));
  JIANDU_ASSIGN_OR_RETURN(int64_t committee,
                          b.Org(county, "420322.rdcwh", "郧西县人大常委会", "standing_committee"));
  JIANDU_RETURN_IF_ERROR(
      b.Org(county, "420322.jw", "郧西县纪委监委", "discipline_commission").status());
  JIANDU_ASSIGN_OR_RETURN(int64_t gov, b.Org(county, "420322.zf", "郧西县人民政府", "government"));
  JIANDU_ASSIGN_OR_RETURN(int64_t court, b.Org(county, "420322.fy", "郧西县人民法院", "court"));
  JIANDU_ASSIGN_OR_RETURN(int64_t procuratorate,
                          b.Org(county, "420322.jcy", "郧西县人民检察院", "procuratorate"));
  int town_no = 0;
  for (const char* town : {"城关镇", "涧池乡", "上津镇"}) {
    JIANDU_RETURN_IF_ERROR(b.Org(gov, "420322.xz" + std::to_string(++town_no),
                                 std::string("郧西县") + town, "township")
                               .status());
  }

  // The committee's members, elected by the congress at its first session (2021 换届).
  JIANDU_ASSIGN_OR_RETURN(int64_t chair, b.Position(committee, "主任", "head"));
  JIANDU_ASSIGN_OR_RETURN(int64_t vice, b.Position(committee, "副主任", "deputy_head"));
  JIANDU_ASSIGN_OR_RETURN(int64_t member, b.Position(committee, "委员", "commission_member"));
  const std::string session = "郧西县第十九届人民代表大会第一次会议";
  std::vector<int64_t> members;  // the 委员, who vote through linked accounts
  JIANDU_RETURN_IF_ERROR(
      b.Appoint(committee, chair, congress, "elected", session, "2021-12-28", kTermEnd)
          .status());
  for (int i = 0; i < 4; ++i) {
    JIANDU_RETURN_IF_ERROR(
        b.Appoint(committee, vice, congress, "elected", session, "2021-12-28", kTermEnd)
            .status());
  }
  for (int i = 0; i < 20; ++i) {
    JIANDU_ASSIGN_OR_RETURN(
        int64_t p,
        b.Appoint(committee, member, congress, "elected", session, "2021-12-28", kTermEnd));
    members.push_back(p);
  }

  // Department heads, appointed by the committee during the term.
  int meeting = 1;
  int64_t finance = 0;
  for (size_t i = 0; i < std::size(kDepartments); ++i) {
    const Dept& d = kDepartments[i];
    JIANDU_ASSIGN_OR_RETURN(int64_t dept, b.Org(gov, std::string("420322.zf.") + d.code, d.name,
                                                "government_department"));
    if (std::string_view(d.code) == "czj") {
      finance = dept;
    }
    JIANDU_ASSIGN_OR_RETURN(int64_t head, b.Position(dept, d.head_title, "head"));
    JIANDU_RETURN_IF_ERROR(b.Position(dept, std::string("副") + d.head_title, "deputy_head")
                               .status());
    const int month = 1 + static_cast<int>(i) % 11;
    const int year = i < 18 ? 2022 : 2023;
    if (i % 6 == 0) {
      ++meeting;
    }
    JIANDU_RETURN_IF_ERROR(b.Appoint(committee, head, committee, "appointed", Meeting(meeting),
                                     Date(year, month, 10 + static_cast<int>(i) % 15), kTermEnd)
                               .status());
  }

  // 员额法官 and 员额检察官 with their deputy chiefs.
  JIANDU_ASSIGN_OR_RETURN(int64_t vp, b.Position(court, "副院长", "deputy_head"));
  JIANDU_ASSIGN_OR_RETURN(int64_t judge, b.Position(court, "审判员", "quota_judge"));
  JIANDU_ASSIGN_OR_RETURN(int64_t vpro, b.Position(procuratorate, "副检察长", "deputy_head"));
  JIANDU_ASSIGN_OR_RETURN(int64_t pro, b.Position(procuratorate, "检察员", "quota_prosecutor"));
  for (int i = 0; i < 2; ++i) {
    JIANDU_RETURN_IF_ERROR(b.Appoint(committee, vp, committee, "appointed", Meeting(2),
                                     "2022-02-18", kTermEnd)
                               .status());
    JIANDU_RETURN_IF_ERROR(b.Appoint(committee, vpro, committee, "appointed", Meeting(2),
                                     "2022-02-18", kTermEnd)
                               .status());
  }
  for (int i = 0; i < 8; ++i) {
    JIANDU_RETURN_IF_ERROR(b.Appoint(committee, judge, committee, "appointed", Meeting(3 + i % 3),
                                     Date(2022, 4 + i % 3, 20), kTermEnd)
                               .status());
  }
  for (int i = 0; i < 6; ++i) {
    JIANDU_RETURN_IF_ERROR(b.Appoint(committee, pro, committee, "appointed", Meeting(3 + i % 3),
                                     Date(2022, 4 + i % 3, 22), kTermEnd)
                               .status());
  }

  // One login per role. County-wide roles act from the county node; a liaison from one unit.
  using auth::Role;
  JIANDU_RETURN_IF_ERROR(b.User("congress", "郧西县人大常委会 人事任免工委", Role::kCongressOfficer,
                                county, "郧西县"));
  JIANDU_RETURN_IF_ERROR(b.User("teller", "郧西县人大常委会 办公室（计票）", Role::kCongressOfficer,
                                county, "郧西县"));
  JIANDU_RETURN_IF_ERROR(
      b.User("jiwei", "郧西县纪委监委 监督检查室", Role::kDisciplineOfficer, county, "郧西县"));
  // The deputy login is a member of the standing committee: it votes in 民主测评. So do
  // member01…member08, further members, for trying the ballot from several devices.
  JIANDU_RETURN_IF_ERROR(
      b.User("deputy", "县人大代表、常委会委员", Role::kDeputy, county, "郧西县", members[0]));
  for (int i = 1; i <= 8; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "member%02d", i);
    JIANDU_RETURN_IF_ERROR(
        b.User(name, "常委会委员", Role::kDeputy, county, "郧西县", members[i]));
  }
  JIANDU_RETURN_IF_ERROR(b.User("analyst", "大数据监督分析员", Role::kAnalyst, county, "郧西县"));
  JIANDU_RETURN_IF_ERROR(b.User("caizheng", "县财政局 联络员", Role::kDepartmentLiaison, finance,
                                "郧西县财政局"));
  JIANDU_RETURN_IF_ERROR(b.User("viewer", "县政府办 查询员", Role::kViewer, gov, "郧西县人民政府"));
  JIANDU_RETURN_IF_ERROR(b.User("sysadmin", "系统管理员", Role::kSysAdmin, county, "郧西县"));
  JIANDU_RETURN_IF_ERROR(b.User("secadmin", "安全管理员", Role::kSecurityAdmin, county, "郧西县"));
  JIANDU_RETURN_IF_ERROR(b.User("auditadmin", "审计管理员", Role::kAuditAdmin, county, "郧西县"));

  // The term's review plan (2022–2026, six a year from this year on), and this year's first
  // review already investigating, with its online notice open to the public.
  const auth::Principal system = auth::Principal::System();
  JIANDU_ASSIGN_OR_RETURN(
      std::vector<review::Review> planned,
      app.reviews().GeneratePlan(system, {committee, 2022, std::max(2026, app.clock().Today().year()), 6}));
  if (!planned.empty()) {
    review::InvestigationStart start;
    start.team = {{"常委会副主任", "leader", "常委会组成人员"},
                  {"人大代表", "member", "人大代表"},
                  {"法律顾问", "member", "专家"}};
    start.tasks = {{review::TaskMethod::kInterview, "座谈走访服务对象"},
                   {review::TaskMethod::kDocumentReview, "查阅近三年工作资料"},
                   {review::TaskMethod::kQuestionnaire, "发放满意度调查问卷"},
                   {review::TaskMethod::kOnlineNotice, "网上发布公告征集意见"}};
    JIANDU_RETURN_IF_ERROR(
        app.reviews().StartInvestigation(system, planned.front().id, start).status());
  }
  JIANDU_RETURN_IF_ERROR(CreateDemoMonitoring(app, county));
  b.summary.created = true;
  return b.summary;
}

}  // namespace jiandu::app
