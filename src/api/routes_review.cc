// /api/v1/reviews, /review-plans, /meetings, /vote-sheets, /measures, /review-stats and the
// public review pages: thin handlers over the review services.
#include "api/render.h"
#include "api/routes.h"
#include "publish/spreadsheet.h"

namespace jiandu::api {
namespace {

Result<int> RequiredYear(Context& c, const std::string& name) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> y, c.QueryInt(name));
  if (!y) {
    return Status::InvalidArgument(name, "is required");
  }
  return static_cast<int>(*y);
}


// A body with only an optional "version" (stage transitions).
Result<std::optional<int64_t>> VersionOnly(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  return version;
}

// A body {"text": "...", "version": n}.
Result<std::pair<std::string, std::optional<int64_t>>> TextBody(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string text, body.String("text"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  return std::make_pair(std::move(text), version);
}

Result<HttpResponse> Coverage(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t committee, c.RequiredQueryInt("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(int first, RequiredYear(c, "first_year"));
  JIANDU_ASSIGN_OR_RETURN(int last, RequiredYear(c, "last_year"));
  JIANDU_ASSIGN_OR_RETURN(review::Coverage cov,
                          c.app().reviews().GetCoverage(c.who(), committee, first, last));
  return RecordResponse(cov);
}

Result<HttpResponse> GeneratePlan(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::PlanRequest in;
  JIANDU_ASSIGN_OR_RETURN(in.committee_id, body.Int("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> first, body.OptInt("first_year", 0, 9999));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> last, body.OptInt("last_year", 0, 9999));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> per_year, body.OptInt("per_year", 1, 50));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  if (!first) return Status::InvalidArgument("first_year", "is required");
  if (!last) return Status::InvalidArgument("last_year", "is required");
  in.first_year = *first;
  in.last_year = *last;
  in.per_year = per_year.value_or(6);
  JIANDU_ASSIGN_OR_RETURN(std::vector<review::Review> created,
                          c.app().reviews().GeneratePlan(c.who(), in));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const review::Review& r : created) Write(w, r);
  w.EndArray().EndObject();
  return HttpResponse::Json(201, w.Take());
}

Result<HttpResponse> ListReviews(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  review::ReviewFilter f;
  JIANDU_ASSIGN_OR_RETURN(f.committee_id, c.QueryInt("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> year, c.QueryInt("year"));
  if (year) f.year = static_cast<int>(*year);
  if (std::optional<std::string> s = c.Query("stage")) {
    f.stage = review::ParseStage(*s);
    if (!f.stage) return Status::InvalidArgument("stage", "unknown stage");
  }
  JIANDU_ASSIGN_OR_RETURN(f.person_id, c.QueryInt("person_id"));
  JIANDU_ASSIGN_OR_RETURN(core::Page<review::Review> out,
                          c.app().reviews().List(c.who(), f, page));
  return PageResponse(out.items, out.next_cursor);
}

Result<HttpResponse> ScheduleReview(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::NewReview in;
  JIANDU_ASSIGN_OR_RETURN(in.committee_id, body.Int("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(in.appointment_id, body.Int("appointment_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> year, body.OptInt("year", 0, 9999));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  if (!year) return Status::InvalidArgument("year", "is required");
  in.year = *year;
  JIANDU_ASSIGN_OR_RETURN(review::Review r, c.app().reviews().Schedule(c.who(), in));
  return RecordResponse(r, 201);
}

Result<HttpResponse> GetReview(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(review::ReviewDetail d, c.app().reviews().Get(c.who(), id));
  return RecordResponse(d);
}

Result<HttpResponse> StartInvestigation(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::InvestigationStart in;
  JIANDU_ASSIGN_OR_RETURN(std::vector<JsonReader> team, body.ObjectArray("team", 30));
  for (JsonReader& m : team) {
    review::TeamMember tm;
    JIANDU_ASSIGN_OR_RETURN(tm.name, m.String("name"));
    JIANDU_ASSIGN_OR_RETURN(tm.role, m.String("role"));
    JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> aff, m.OptString("affiliation"));
    tm.affiliation = aff.value_or("");
    JIANDU_RETURN_IF_ERROR(m.Finish());
    in.team.push_back(std::move(tm));
  }
  JIANDU_ASSIGN_OR_RETURN(std::vector<JsonReader> tasks, body.ObjectArray("tasks", 20));
  for (size_t i = 0; i < tasks.size(); ++i) {
    JIANDU_ASSIGN_OR_RETURN(std::string method, tasks[i].String("method"));
    std::optional<review::TaskMethod> m = review::ParseTaskMethod(method);
    if (!m) {
      return Status::InvalidArgument("tasks[" + std::to_string(i) + "].method",
                                     "must be interview, document_review, questionnaire, "
                                     "client_feedback or online_notice");
    }
    JIANDU_ASSIGN_OR_RETURN(std::string title, tasks[i].String("title"));
    JIANDU_RETURN_IF_ERROR(tasks[i].Finish());
    in.tasks.emplace_back(*m, std::move(title));
  }
  JIANDU_ASSIGN_OR_RETURN(in.version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Review r,
                          c.app().reviews().StartInvestigation(c.who(), id, in));
  return RecordResponse(r);
}

Result<HttpResponse> CompleteTask(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(int64_t task_id, c.PathId("task_id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string summary, body.String("summary"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Task t,
                          c.app().reviews().CompleteTask(c.who(), id, task_id, summary));
  JsonWriter w;
  w.BeginObject()
      .Field("id", t.id)
      .Field("method", review::TaskMethodCode(t.method))
      .Field("title", t.title)
      .Field("done_on", t.done_on ? std::optional<std::string>(t.done_on->ToString())
                                  : std::optional<std::string>())
      .Field("summary", t.summary)
      .EndObject();
  return HttpResponse::Json(200, w.Take());
}

template <typename Fn>
Result<HttpResponse> TextTransition(Context& c, Fn fn) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(auto in, TextBody(c));
  JIANDU_ASSIGN_OR_RETURN(review::Review r, fn(id, in.first, in.second));
  return RecordResponse(r);
}

Result<HttpResponse> InvestigationReport(Context& c) {
  return TextTransition(c, [&](int64_t id, const std::string& t, std::optional<int64_t> v) {
    return c.app().reviews().RecordInvestigationReport(c.who(), id, t, v);
  });
}

Result<HttpResponse> WorkReport(Context& c) {
  return TextTransition(c, [&](int64_t id, const std::string& t, std::optional<int64_t> v) {
    return c.app().reviews().SubmitWorkReport(c.who(), id, t, v);
  });
}

Result<HttpResponse> ReReport(Context& c) {
  return TextTransition(c, [&](int64_t id, const std::string& t, std::optional<int64_t> v) {
    return c.app().reviews().SubmitReReport(c.who(), id, t, v);
  });
}

Result<HttpResponse> AddOpinion(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string text, body.String("body"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Opinion o, c.app().reviews().AddOpinion(c.who(), id, text));
  JsonWriter w;
  w.BeginObject().Field("id", o.id).Field("seq", o.seq).Field("body", o.body).EndObject();
  return HttpResponse::Json(201, w.Take());
}

Result<HttpResponse> AdoptOpinions(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string council, body.String("chairpersons_council"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<core::CivilDate> on, OptDate(body, "adopted_on"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Review r,
                          c.app().reviews().AdoptOpinions(c.who(), id, council, on, version));
  return RecordResponse(r);
}

Result<HttpResponse> Deliver(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<JsonReader> recipients, body.ObjectArray("recipients", 5));
  std::vector<review::Delivered> to;
  for (size_t i = 0; i < recipients.size(); ++i) {
    JIANDU_ASSIGN_OR_RETURN(std::string who, recipients[i].String("recipient"));
    std::optional<review::Recipient> r = review::ParseRecipient(who);
    if (!r) {
      return Status::InvalidArgument("recipients[" + std::to_string(i) + "].recipient",
                                     "must be official, unit, party_committee, government or "
                                     "organization_department");
    }
    review::Delivered d{*r, {}};
    JIANDU_ASSIGN_OR_RETURN(d.delivered_on, OptDate(recipients[i], "delivered_on"));
    JIANDU_RETURN_IF_ERROR(recipients[i].Finish());
    to.push_back(d);
  }
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Review r, c.app().reviews().Deliver(c.who(), id, to, version));
  return RecordResponse(r);
}

Result<HttpResponse> Acknowledge(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string recipient, body.String("recipient"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  std::optional<review::Recipient> r = review::ParseRecipient(recipient);
  if (!r) return Status::InvalidArgument("recipient", "unknown recipient");
  JIANDU_ASSIGN_OR_RETURN(review::Review out, c.app().reviews().Acknowledge(c.who(), id, *r));
  return RecordResponse(out);
}

Result<HttpResponse> FollowUp(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, VersionOnly(c));
  JIANDU_ASSIGN_OR_RETURN(review::Review r, c.app().reviews().StartFollowUp(c.who(), id, version));
  return RecordResponse(r);
}

Result<HttpResponse> CloseReview(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> version, VersionOnly(c));
  JIANDU_ASSIGN_OR_RETURN(review::Review r, c.app().reviews().Close(c.who(), id, version));
  return RecordResponse(r);
}

Result<HttpResponse> Publish(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> published, body.OptBool("published"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  if (!published) return Status::InvalidArgument("published", "is required");
  JIANDU_ASSIGN_OR_RETURN(review::Review r,
                          c.app().reviews().SetPublished(c.who(), id, *published));
  return RecordResponse(r);
}

Result<HttpResponse> PublicOpinions(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> items,
                          c.app().reviews().ListPublicOpinions(c.who(), id));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const std::string& s : items) w.String(s);
  w.EndArray().EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ListMeasures(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<review::MeasureOption> options,
                          c.app().measures().Options(c.who(), id));
  JIANDU_ASSIGN_OR_RETURN(std::vector<review::Measure> items,
                          c.app().measures().List(c.who(), id));
  JsonWriter w;
  w.BeginObject().Key("options").BeginArray();
  for (const auto& o : options) Write(w, o);
  w.EndArray().Key("items").BeginArray();
  for (const auto& m : items) Write(w, m);
  w.EndArray().EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ProposeMeasure(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::NewMeasure in;
  JIANDU_ASSIGN_OR_RETURN(std::string kind, body.String("kind"));
  std::optional<review::MeasureKind> k = review::ParseMeasureKind(kind);
  if (!k) {
    return Status::InvalidArgument("kind",
                                   "must be inquiry, thematic_inquiry, interpellation, "
                                   "special_investigation or dismissal_motion");
  }
  in.kind = *k;
  JIANDU_ASSIGN_OR_RETURN(std::string proposer, body.String("proposer"));
  std::optional<review::Proposer> p = review::ParseProposer(proposer);
  if (!p) {
    return Status::InvalidArgument("proposer", "must be chairpersons_council, members or organ");
  }
  in.proposer = *p;
  JIANDU_ASSIGN_OR_RETURN(in.cosigners, body.OptIntArray("cosigners", 500));
  JIANDU_ASSIGN_OR_RETURN(in.committee, body.OptIntArray("committee", 100));
  JIANDU_ASSIGN_OR_RETURN(in.content, body.String("content"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Measure m, c.app().measures().Propose(c.who(), id, in));
  return RecordResponse(m, 201);
}

Result<HttpResponse> ConcludeMeasure(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::Conclusion in;
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> mode, body.OptString("answer_mode"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> answer, body.OptString("answer"));
  JIANDU_ASSIGN_OR_RETURN(in.outcome, body.String("outcome"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  in.answer_mode = mode.value_or("");
  in.answer = answer.value_or("");
  JIANDU_ASSIGN_OR_RETURN(review::Measure m, c.app().measures().Conclude(c.who(), id, in));
  return RecordResponse(m);
}

Result<HttpResponse> DismissalVote(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::DismissalVote in;
  JIANDU_ASSIGN_OR_RETURN(in.defense_statement, body.String("defense_statement"));
  JIANDU_ASSIGN_OR_RETURN(in.votes_for, body.Int("votes_for"));
  JIANDU_ASSIGN_OR_RETURN(in.votes_against, body.Int("votes_against"));
  JIANDU_ASSIGN_OR_RETURN(in.votes_abstain, body.Int("votes_abstain"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Measure m,
                          c.app().measures().RecordDismissalVote(c.who(), id, in));
  return RecordResponse(m);
}

Result<HttpResponse> Stats(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t committee, c.RequiredQueryInt("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(int first, RequiredYear(c, "first_year"));
  JIANDU_ASSIGN_OR_RETURN(int last, RequiredYear(c, "last_year"));
  JIANDU_ASSIGN_OR_RETURN(review::ReviewStats s,
                          c.app().reviews().Stats(c.who(), committee, first, last));
  return RecordResponse(s);
}

std::string_view GradeLabel(const std::optional<review::Grade>& g) {
  if (!g) return "";
  switch (*g) {
    case review::Grade::kSatisfied: return "满意";
    case review::Grade::kBasicallySatisfied: return "基本满意";
    case review::Grade::kDissatisfied: return "不满意";
  }
  return "";
}

double Ratio(int64_t num, int64_t den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

Result<HttpResponse> ExportStats(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t committee, c.RequiredQueryInt("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(int first, RequiredYear(c, "first_year"));
  JIANDU_ASSIGN_OR_RETURN(int last, RequiredYear(c, "last_year"));
  JIANDU_ASSIGN_OR_RETURN(review::ReviewStats s,
                          c.app().reviews().Stats(c.who(), committee, first, last));
  using publish::Cell;
  publish::Sheet summary{"统计", {"项目", "数值"}, {}};
  auto row = [&](const char* label, Cell v) { summary.rows.push_back({Cell::Text(label), v}); };
  row("起始年度", Cell::Number(s.first_year));
  row("截止年度", Cell::Number(s.last_year));
  row("计划评议人数", Cell::Number(static_cast<double>(s.scheduled)));
  row("已评议（测评）人数", Cell::Number(static_cast<double>(s.heard)));
  row("满意", Cell::Number(static_cast<double>(s.satisfied)));
  row("基本满意", Cell::Number(static_cast<double>(s.basically_satisfied)));
  row("不满意", Cell::Number(static_cast<double>(s.dissatisfied)));
  row("满意率（满意+基本满意票/有效票）", Cell::Percent(Ratio(s.rate_num, s.rate_den)));
  row("评议意见条数", Cell::Number(static_cast<double>(s.opinions)));
  row("整改事项", Cell::Number(static_cast<double>(s.findings)));
  row("已整改销号", Cell::Number(static_cast<double>(s.findings_closed)));
  row("逾期未整改", Cell::Number(static_cast<double>(s.findings_overdue)));
  row("整改率", Cell::Percent(Ratio(s.findings_closed, s.findings)));
  publish::Sheet years{"年度", {"年度", "计划", "已测评", "满意", "基本满意", "不满意", "评议意见"}, {}};
  for (const review::ReviewStats::Year& y : s.years) {
    years.rows.push_back({Cell::Number(y.year), Cell::Number(static_cast<double>(y.scheduled)),
                          Cell::Number(static_cast<double>(y.heard)),
                          Cell::Number(static_cast<double>(y.satisfied)),
                          Cell::Number(static_cast<double>(y.basically_satisfied)),
                          Cell::Number(static_cast<double>(y.dissatisfied)),
                          Cell::Number(static_cast<double>(y.opinions))});
  }
  publish::Sheet list{"评议对象",
                      {"年度", "姓名", "职务", "单位", "阶段", "测评等次", "再次测评", "回头看测评"},
                      {}};
  for (int year = first; year <= last; ++year) {
    core::PageRequest page;
    page.limit = core::kMaxPageSize;
    while (true) {
      review::ReviewFilter f;
      f.committee_id = committee;
      f.year = year;
      JIANDU_ASSIGN_OR_RETURN(core::Page<review::Review> p,
                              c.app().reviews().List(c.who(), f, page));
      for (const review::Review& r : p.items) {
        list.rows.push_back({Cell::Number(r.year), Cell::Text(r.person_name),
                             Cell::Text(r.position_title), Cell::Text(r.target_org_name),
                             Cell::Text(std::string(review::StageCode(r.stage))),
                             Cell::Text(std::string(GradeLabel(r.grade))),
                             Cell::Text(std::string(GradeLabel(r.re_vote_grade))),
                             Cell::Text(std::string(GradeLabel(r.follow_up_grade)))});
      }
      if (!p.next_cursor) break;
      JIANDU_ASSIGN_OR_RETURN(page.after, core::DecodeCursor(*p.next_cursor));
    }
  }
  JIANDU_ASSIGN_OR_RETURN(std::string xlsx, publish::WriteXlsx({summary, years, list}));
  HttpResponse r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(xlsx);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"review-stats-" + std::to_string(first) + "-" +
                             std::to_string(last) + ".xlsx\"");
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

// --- meetings and the ballot ---

Result<HttpResponse> ListMeetings(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  JIANDU_ASSIGN_OR_RETURN(core::Page<review::Meeting> out, c.app().meetings().List(c.who(), page));
  return PageResponse(out.items, out.next_cursor);
}

Result<HttpResponse> CreateMeeting(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::NewMeeting in;
  JIANDU_ASSIGN_OR_RETURN(in.committee_id, body.Int("committee_id"));
  JIANDU_ASSIGN_OR_RETURN(in.name, body.String("name"));
  JIANDU_ASSIGN_OR_RETURN(in.held_on, OptDate(body, "held_on"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Meeting m, c.app().meetings().Create(c.who(), in));
  return RecordResponse(m, 201);
}

Result<HttpResponse> GetMeeting(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(review::Meeting m, c.app().meetings().Get(c.who(), id));
  return RecordResponse(m);
}

Result<HttpResponse> AddAgendaItem(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t review_id, body.Int("review_id"));
  JIANDU_ASSIGN_OR_RETURN(std::string purpose, body.String("purpose"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Meeting m,
                          c.app().meetings().AddItem(c.who(), id, review_id, purpose));
  return RecordResponse(m);
}

Result<HttpResponse> SetAttendance(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<int64_t> ids, body.IntArray("person_ids", 500));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Meeting m, c.app().meetings().SetAttendance(c.who(), id, ids));
  return RecordResponse(m);
}

Result<HttpResponse> DrawQuestioner(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t review_id, body.Int("review_id"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Draw d, c.app().meetings().DrawQuestioner(c.who(), id, review_id));
  return RecordResponse(d, 201);
}

Result<HttpResponse> AddQuestion(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t review_id, body.Int("review_id"));
  JIANDU_ASSIGN_OR_RETURN(int64_t asker, body.Int("asker_person_id"));
  JIANDU_ASSIGN_OR_RETURN(std::string question, body.String("question"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> answer, body.OptString("answer"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> draw_id, body.OptInt64("draw_id"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Question q,
                          c.app().meetings().AddQuestion(c.who(), id, review_id, asker, question,
                                                         answer.value_or(""), draw_id));
  return RecordResponse(q, 201);
}

Result<HttpResponse> OpenSheet(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> rule, body.OptString("grading_rule"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> delay, body.OptInt("delay_seconds", 0, 604800));
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> duration, body.OptInt("duration_minutes", 1, 1440));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s,
                          c.app().meetings().OpenSheet(c.who(), id, rule.value_or(""),
                                                       delay.value_or(0), duration));
  return RecordResponse(s, 201);
}

Result<HttpResponse> GetSheet(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s, c.app().meetings().GetSheet(c.who(), id));
  return RecordResponse(s);
}

Result<HttpResponse> ListSheets(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> mine, c.QueryBool("mine"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> open, c.QueryBool("open"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<review::Sheet> sheets,
                          c.app().meetings().ListSheets(c.who(), mine.value_or(false),
                                                        open.value_or(false)));
  return PageResponse(sheets);
}

Result<HttpResponse> GetResults(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s, c.app().meetings().GetResults(c.who(), id));
  return RecordResponse(s);
}

Result<HttpResponse> CastBallot(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<JsonReader> items, body.ObjectArray("choices", 100));
  std::vector<review::BallotChoice> choices;
  for (size_t i = 0; i < items.size(); ++i) {
    review::BallotChoice bc;
    JIANDU_ASSIGN_OR_RETURN(bc.review_id, items[i].Int("review_id"));
    JIANDU_ASSIGN_OR_RETURN(std::string choice, items[i].String("choice"));
    std::optional<review::Choice> ch = review::ParseChoice(choice);
    if (!ch) {
      return Status::InvalidArgument("choices[" + std::to_string(i) + "].choice",
                                     "must be satisfied, basically_satisfied, dissatisfied or "
                                     "abstain");
    }
    bc.choice = *ch;
    JIANDU_RETURN_IF_ERROR(items[i].Finish());
    choices.push_back(bc);
  }
  JIANDU_RETURN_IF_ERROR(body.Finish());
  // Answered when the ballot's group commit is durable, from the thread that committed it: no
  // server thread waits for the fsync (docs/benchmarks.md, "Ballot").
  HttpResponse deferred;
  deferred.defer = [&app = c.app(), who = c.who(), id,
                    choices = std::move(choices)](HttpReply reply) {
    app.meetings().CastAsync(who, id, choices,
                             [reply = std::move(reply)](Result<std::string> receipt) {
                               if (!receipt.ok()) return reply(receipt.status());
                               JsonWriter w;
                               w.BeginObject().Field("receipt", *receipt).EndObject();
                               HttpResponse r = HttpResponse::Json(201, w.Take());
                               r.headers.emplace_back("Cache-Control", "no-store");
                               reply(std::move(r));
                             });
  };
  return deferred;
}

Result<HttpResponse> CheckReceipt(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string receipt, body.String("receipt"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(bool counted, c.app().meetings().CheckReceipt(c.who(), id, receipt));
  JsonWriter w;
  w.BeginObject().Field("counted", counted).EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> PaperVoters(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<int64_t> ids, body.IntArray("person_ids", 500));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s, c.app().meetings().MarkPaperVoters(c.who(), id, ids));
  return RecordResponse(s);
}

Result<HttpResponse> PaperCounts(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::vector<JsonReader> items, body.ObjectArray("counts", 100));
  std::vector<review::PaperCounts> counts;
  for (JsonReader& item : items) {
    review::PaperCounts pc;
    JIANDU_ASSIGN_OR_RETURN(pc.review_id, item.Int("review_id"));
    JIANDU_ASSIGN_OR_RETURN(pc.satisfied, item.Int("satisfied"));
    JIANDU_ASSIGN_OR_RETURN(pc.basically_satisfied, item.Int("basically_satisfied"));
    JIANDU_ASSIGN_OR_RETURN(pc.dissatisfied, item.Int("dissatisfied"));
    JIANDU_ASSIGN_OR_RETURN(pc.abstain, item.Int("abstain"));
    JIANDU_ASSIGN_OR_RETURN(pc.invalid, item.Int("invalid"));
    JIANDU_RETURN_IF_ERROR(item.Finish());
    counts.push_back(pc);
  }
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s,
                          c.app().meetings().EnterPaperCounts(c.who(), id, counts));
  return RecordResponse(s);
}

Result<HttpResponse> CloseSheet(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s, c.app().meetings().CloseSheet(c.who(), id));
  return RecordResponse(s);
}

// --- public pages (no session; nothing about the sender is stored) ---

Result<HttpResponse> PublicNotice(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(review::PublicNotice n, c.app().reviews().GetPublicNotice(id));
  return RecordResponse(n);
}

Result<HttpResponse> PublicOpinion(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string text, body.String("body"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_RETURN_IF_ERROR(c.app().reviews().SubmitPublicOpinion(id, text));
  return HttpResponse::NoContent();
}

Result<HttpResponse> PublicQuestionnaire(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  review::QuestionnaireAnswer a;
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> ratings, body.StringArray("ratings"));
  for (size_t i = 0; i < ratings.size(); ++i) {
    std::optional<review::Grade> g = review::ParseGrade(ratings[i]);
    if (!g) {
      return Status::InvalidArgument("ratings[" + std::to_string(i) + "]",
                                     "must be satisfied, basically_satisfied or dissatisfied");
    }
    a.ratings.push_back(*g);
  }
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> comment, body.OptString("comment"));
  a.comment = comment.value_or("");
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_RETURN_IF_ERROR(c.app().reviews().SubmitQuestionnaire(id, a));
  return HttpResponse::NoContent();
}

Result<HttpResponse> PublicResults(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> year, c.QueryInt("year"));
  JIANDU_ASSIGN_OR_RETURN(
      std::vector<review::PublishedResult> items,
      c.app().reviews().PublishedResults(year ? std::optional<int>(static_cast<int>(*year))
                                              : std::nullopt));
  return PageResponse(items);
}

}  // namespace

void AddReviewRoutes(Router& r) {
  const std::string v1 = "/api/v1";
  const char* kRead = "review.read";
  const char* kWrite = "review.write";
  r.Add("GET", v1 + "/review-plans/coverage",
        {.summary = "Coverage of a term plan: every official the committee appointed",
         .tag = "reviews", .permission = kRead, .response_schema = "Coverage",
         .query = {{"committee_id", "integer", "the standing committee (required)"},
                   {"first_year", "integer", "first year of the term (required)"},
                   {"last_year", "integer", "last year of the term (required)"}}},
        Coverage);
  r.Add("POST", v1 + "/review-plans/generate",
        {.summary = "Schedule every unscheduled official across the term", .tag = "reviews",
         .permission = kWrite, .request_schema = "PlanRequest", .response_schema = "ReviewList",
         .success_status = 201},
        GeneratePlan);
  r.Add("GET", v1 + "/reviews",
        {.summary = "Reviews in scope", .tag = "reviews", .permission = kRead,
         .response_schema = "Review", .paged = true,
         .query = WithPaging({{"committee_id", "integer", "of one committee"},
                              {"year", "integer", "of one year"},
                              {"stage", "string", "at one stage"},
                              {"person_id", "integer", "of one official"}})},
        ListReviews);
  r.Add("POST", v1 + "/reviews",
        {.summary = "Schedule a review of one official", .tag = "reviews", .permission = kWrite,
         .request_schema = "NewReview", .response_schema = "Review", .success_status = 201},
        ScheduleReview);
  r.Add("GET", v1 + "/reviews/{id}",
        {.summary = "A review with its team, tasks, votes, opinions and findings",
         .tag = "reviews", .permission = kRead, .response_schema = "ReviewDetail"},
        GetReview);
  r.Add("POST", v1 + "/reviews/{id}/investigation",
        {.summary = "Form the 调研组 and its tasks (planned → investigating)", .tag = "reviews",
         .permission = kWrite, .request_schema = "InvestigationStart",
         .response_schema = "Review"},
        StartInvestigation);
  r.Add("POST", v1 + "/reviews/{id}/tasks/{task_id}/complete",
        {.summary = "Complete an investigation task", .tag = "reviews", .permission = kWrite,
         .request_schema = "TaskCompletion", .response_schema = "Task"},
        CompleteTask);
  r.Add("POST", v1 + "/reviews/{id}/investigation-report",
        {.summary = "Record the 调研报告", .tag = "reviews", .permission = kWrite,
         .request_schema = "TextBody", .response_schema = "Review"},
        InvestigationReport);
  r.Add("POST", v1 + "/reviews/{id}/work-report",
        {.summary = "Submit the official's work report (investigating → report_submitted)",
         .tag = "reviews", .permission = "review.report|review.write",
         .request_schema = "TextBody", .response_schema = "Review"},
        WorkReport);
  r.Add("POST", v1 + "/reviews/{id}/opinions",
        {.summary = "Draft a review opinion", .tag = "reviews", .permission = kWrite,
         .request_schema = "NewOpinion", .response_schema = "Opinion", .success_status = 201},
        AddOpinion);
  r.Add("POST", v1 + "/reviews/{id}/adopt",
        {.summary = "The 主任会议 adopts the opinions (voted → opinions_adopted)",
         .tag = "reviews", .permission = kWrite, .request_schema = "Adoption",
         .response_schema = "Review"},
        AdoptOpinions);
  r.Add("POST", v1 + "/reviews/{id}/deliver",
        {.summary = "Deliver the adopted opinions; opens the findings", .tag = "reviews",
         .permission = kWrite, .request_schema = "Delivery", .response_schema = "Review"},
        Deliver);
  r.Add("POST", v1 + "/reviews/{id}/acknowledge",
        {.summary = "Record a recipient's receipt (回执)", .tag = "reviews",
         .permission = "review.report|review.write", .request_schema = "Acknowledgement",
         .response_schema = "Review"},
        Acknowledge);
  r.Add("POST", v1 + "/reviews/{id}/re-report",
        {.summary = "Re-report after a 不满意 grade (re_reporting → re_reported)",
         .tag = "reviews", .permission = "review.report|review.write",
         .request_schema = "TextBody", .response_schema = "Review"},
        ReReport);
  r.Add("POST", v1 + "/reviews/{id}/follow-up",
        {.summary = "Start 回头看 (rectifying → follow_up)", .tag = "reviews",
         .permission = kWrite, .request_schema = "VersionBody", .response_schema = "Review"},
        FollowUp);
  r.Add("POST", v1 + "/reviews/{id}/close",
        {.summary = "Close the review", .tag = "reviews", .permission = kWrite,
         .request_schema = "VersionBody", .response_schema = "Review"},
        CloseReview);
  r.Add("POST", v1 + "/reviews/{id}/publish",
        {.summary = "Mark the result for publication (or withdraw it)", .tag = "reviews",
         .permission = kWrite, .request_schema = "PublishBody", .response_schema = "Review"},
        Publish);
  r.Add("GET", v1 + "/reviews/{id}/public-opinions",
        {.summary = "Opinions the public left on the online notice", .tag = "reviews",
         .permission = kRead, .response_schema = "StringList"},
        PublicOpinions);
  r.Add("GET", v1 + "/reviews/{id}/measures",
        {.summary = "Statutory measures offered and taken", .tag = "reviews",
         .permission = kRead, .response_schema = "Measures"},
        ListMeasures);
  r.Add("POST", v1 + "/reviews/{id}/measures",
        {.summary = "Propose a statutory measure (询问, 质询, 特定问题调查, 撤职案)",
         .tag = "reviews", .permission = kWrite, .request_schema = "NewMeasure",
         .response_schema = "Measure", .success_status = 201},
        ProposeMeasure);
  r.Add("POST", v1 + "/measures/{id}/conclude",
        {.summary = "Record a measure's answer and outcome", .tag = "reviews",
         .permission = kWrite, .request_schema = "Conclusion", .response_schema = "Measure"},
        ConcludeMeasure);
  r.Add("POST", v1 + "/measures/{id}/dismissal-vote",
        {.summary = "Record the 撤职案 defence and vote", .tag = "reviews",
         .permission = kWrite, .request_schema = "DismissalVote", .response_schema = "Measure"},
        DismissalVote);
  r.Add("GET", v1 + "/review-stats",
        {.summary = "Year or term statistics (heard, opinions, 整改率, 满意率)", .tag = "reviews",
         .permission = kRead, .response_schema = "ReviewStats",
         .query = {{"committee_id", "integer", "the standing committee (required)"},
                   {"first_year", "integer", "(required)"},
                   {"last_year", "integer", "(required)"}}},
        Stats);
  r.Add("GET", v1 + "/review-stats/export",
        {.summary = "The statistics and the reviews as an XLSX workbook", .tag = "reviews",
         .permission = kRead,
         .query = {{"committee_id", "integer", "the standing committee (required)"},
                   {"first_year", "integer", "(required)"},
                   {"last_year", "integer", "(required)"}},
         .binary_response = true},
        ExportStats);

  r.Add("GET", v1 + "/meetings",
        {.summary = "Review meetings in scope, newest first", .tag = "meetings",
         .permission = kRead, .response_schema = "Meeting", .paged = true,
         .query = WithPaging()},
        ListMeetings);
  r.Add("POST", v1 + "/meetings",
        {.summary = "Create a review meeting (专题评议会议)", .tag = "meetings",
         .permission = kWrite, .request_schema = "NewMeeting", .response_schema = "Meeting",
         .success_status = 201},
        CreateMeeting);
  r.Add("GET", v1 + "/meetings/{id}",
        {.summary = "A meeting with agenda, members, attendance, questions and draws",
         .tag = "meetings", .permission = kRead, .response_schema = "Meeting"},
        GetMeeting);
  r.Add("POST", v1 + "/meetings/{id}/agenda",
        {.summary = "Put a review on the agenda", .tag = "meetings", .permission = kWrite,
         .request_schema = "AgendaItemInput", .response_schema = "Meeting"},
        AddAgendaItem);
  r.Add("PUT", v1 + "/meetings/{id}/attendance",
        {.summary = "Record the members present", .tag = "meetings", .permission = kWrite,
         .request_schema = "Attendance", .response_schema = "Meeting"},
        SetAttendance);
  r.Add("POST", v1 + "/meetings/{id}/draws",
        {.summary = "Draw a questioner at random among the members present",
         .tag = "meetings", .permission = kWrite, .request_schema = "DrawInput",
         .response_schema = "Draw", .success_status = 201},
        DrawQuestioner);
  r.Add("POST", v1 + "/meetings/{id}/questions",
        {.summary = "Record a question and its answer", .tag = "meetings",
         .permission = kWrite, .request_schema = "NewQuestion", .response_schema = "Question",
         .success_status = 201},
        AddQuestion);
  r.Add("POST", v1 + "/meetings/{id}/sheet",
        {.summary = "Open the secret ballot of the meeting", .tag = "meetings",
         .permission = kWrite, .request_schema = "SheetInput", .response_schema = "Sheet",
         .success_status = 201},
        OpenSheet);
  r.Add("GET", v1 + "/vote-sheets",
        {.summary = "Ballot sheets: the caller's own (mine=true, vote.cast) or those in scope",
         .tag = "meetings", .permission = "review.read|vote.cast", .response_schema = "Sheet",
         .paged = true,
         .query = {{"mine", "boolean", "sheets the caller is recorded present for"},
                   {"open", "boolean", "only sheets not yet closed"}}},
        ListSheets);
  r.Add("GET", v1 + "/vote-sheets/{id}",
        {.summary = "A ballot sheet: turnout while open, results once closed", .tag = "meetings",
         .permission = "review.read|vote.cast", .response_schema = "Sheet"},
        GetSheet);
  r.Add("GET", v1 + "/vote-sheets/{id}/results",
        {.summary = "The results of a closed ballot (409 while it is open)", .tag = "meetings",
         .permission = "review.read|vote.cast", .response_schema = "Sheet"},
        GetResults);
  r.Add("POST", v1 + "/vote-sheets/{id}/ballots",
        {.summary = "Cast the caller's secret ballot", .tag = "meetings",
         .permission = "vote.cast", .request_schema = "Ballot", .response_schema = "Receipt",
         .success_status = 201},
        CastBallot);
  r.Add("POST", v1 + "/vote-sheets/{id}/receipts/check",
        {.summary = "Check that a ballot with this receipt was counted", .tag = "meetings",
         .permission = "review.read|vote.cast", .request_schema = "ReceiptInput",
         .response_schema = "ReceiptCheck"},
        CheckReceipt);
  r.Add("POST", v1 + "/vote-sheets/{id}/paper-voters",
        {.summary = "Mark members voting on paper", .tag = "meetings", .permission = kWrite,
         .request_schema = "Attendance", .response_schema = "Sheet"},
        PaperVoters);
  r.Add("POST", v1 + "/vote-sheets/{id}/paper-counts",
        {.summary = "A teller's entry of the paper counts (two must agree)", .tag = "meetings",
         .permission = kWrite, .request_schema = "PaperCountsInput", .response_schema = "Sheet"},
        PaperCounts);
  r.Add("POST", v1 + "/vote-sheets/{id}/close",
        {.summary = "Close the ballot and grade each review", .tag = "meetings",
         .permission = kWrite, .request_schema = "Empty", .response_schema = "Sheet"},
        CloseSheet);

  r.Add("GET", v1 + "/public/reviews/{id}/notice",
        {.summary = "The online notice of a review collecting public opinions",
         .tag = "public", .access = Access::kPublic, .permission = "public",
         .response_schema = "PublicNotice"},
        PublicNotice);
  r.Add("POST", v1 + "/public/reviews/{id}/opinions",
        {.summary = "Leave an opinion on a review (anonymous)", .tag = "public",
         .access = Access::kPublic, .permission = "public", .request_schema = "NewOpinion",
         .success_status = 204},
        PublicOpinion);
  r.Add("POST", v1 + "/public/reviews/{id}/questionnaire",
        {.summary = "Answer a review's questionnaire (anonymous)", .tag = "public",
         .access = Access::kPublic, .permission = "public",
         .request_schema = "QuestionnaireAnswer", .success_status = 204},
        PublicQuestionnaire);
  r.Add("GET", v1 + "/public/review-results",
        {.summary = "Published review results", .tag = "public", .access = Access::kPublic,
         .permission = "public", .response_schema = "PublishedResult", .paged = true,
         .query = {{"year", "integer", "of one year"}}},
        PublicResults);
}

}  // namespace jiandu::api
