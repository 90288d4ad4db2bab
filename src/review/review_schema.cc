// The schema of the review module: reviews and their investigation, meetings, the secret
// ballot, and the statutory measures.
#include "review/review_service.h"

namespace jiandu::review {

std::vector<store::Migration> Migrations() {
  return {{"review", 1, "reviews, meetings, secret ballots and measures", R"sql(
CREATE TABLE review (
  id {{id}},
  committee_org_id BIGINT NOT NULL REFERENCES org (id),
  appointment_id BIGINT NOT NULL REFERENCES appointment (id),
  year BIGINT NOT NULL,
  stage TEXT NOT NULL,
  grade TEXT,
  re_vote_grade TEXT,
  follow_up_grade TEXT,
  investigation_report TEXT NOT NULL,
  work_report TEXT NOT NULL,
  work_report_on TEXT,
  re_report TEXT NOT NULL,
  re_report_on TEXT,
  re_report_due_on TEXT,
  adopted_by TEXT NOT NULL,
  adopted_on TEXT,
  delivered_on TEXT,
  rectify_months BIGINT NOT NULL,
  published BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX review_committee ON review (committee_org_id, year);
CREATE INDEX review_appointment ON review (appointment_id);
CREATE TABLE review_team_member (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  affiliation TEXT NOT NULL
);
CREATE INDEX review_team_member_review ON review_team_member (review_id);
CREATE TABLE review_task (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  method TEXT NOT NULL,
  title TEXT NOT NULL,
  done_on TEXT,
  summary TEXT NOT NULL
);
CREATE INDEX review_task_review ON review_task (review_id);
CREATE TABLE public_opinion (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  body TEXT NOT NULL,
  received_on TEXT NOT NULL
);
CREATE INDEX public_opinion_review ON public_opinion (review_id);
CREATE TABLE questionnaire_response (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  ratings TEXT NOT NULL,
  comment TEXT NOT NULL,
  received_on TEXT NOT NULL
);
CREATE INDEX questionnaire_response_review ON questionnaire_response (review_id);
CREATE TABLE review_opinion (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  seq BIGINT NOT NULL,
  body TEXT NOT NULL,
  finding_id BIGINT REFERENCES finding (id),
  UNIQUE (review_id, seq)
);
CREATE TABLE review_delivery (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  recipient TEXT NOT NULL,
  delivered_on TEXT NOT NULL,
  acknowledged_on TEXT,
  acknowledged_by TEXT NOT NULL,
  UNIQUE (review_id, recipient)
);
CREATE TABLE review_meeting (
  id {{id}},
  committee_org_id BIGINT NOT NULL REFERENCES org (id),
  name TEXT NOT NULL,
  held_on TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE review_meeting_item (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES review_meeting (id),
  review_id BIGINT NOT NULL REFERENCES review (id),
  purpose TEXT NOT NULL,
  UNIQUE (meeting_id, review_id)
);
CREATE TABLE review_attendance (
  meeting_id BIGINT NOT NULL REFERENCES review_meeting (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  PRIMARY KEY (meeting_id, person_id)
);
CREATE TABLE review_draw (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES review_meeting (id),
  review_id BIGINT NOT NULL REFERENCES review (id),
  seed TEXT NOT NULL,
  candidates TEXT NOT NULL,
  chosen_person_id BIGINT NOT NULL REFERENCES person (id),
  created_at BIGINT NOT NULL
);
CREATE TABLE review_question (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES review_meeting (id),
  review_id BIGINT NOT NULL REFERENCES review (id),
  asker_person_id BIGINT NOT NULL REFERENCES person (id),
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  draw_id BIGINT REFERENCES review_draw (id),
  created_at BIGINT NOT NULL
);
CREATE TABLE vote_sheet (
  id {{id}},
  meeting_id BIGINT NOT NULL UNIQUE REFERENCES review_meeting (id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
  rule TEXT NOT NULL,
  members_total BIGINT NOT NULL,
  present BIGINT NOT NULL,
  opened_at BIGINT,
  closed_at BIGINT,
  opens_at BIGINT NOT NULL,
  closes_at BIGINT
);
CREATE TABLE vote_participation (
  sheet_id BIGINT NOT NULL REFERENCES vote_sheet (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  channel TEXT NOT NULL,
  PRIMARY KEY (sheet_id, person_id)
);
CREATE TABLE vote_count (
  sheet_id BIGINT NOT NULL REFERENCES vote_sheet (id),
  review_id BIGINT NOT NULL REFERENCES review (id),
  choice TEXT NOT NULL,
  n BIGINT NOT NULL CHECK (n >= 0),
  PRIMARY KEY (sheet_id, review_id, choice)
);
CREATE TABLE vote_receipt (
  sheet_id BIGINT NOT NULL REFERENCES vote_sheet (id),
  receipt_hash TEXT NOT NULL,
  PRIMARY KEY (sheet_id, receipt_hash)
);
CREATE TABLE vote_paper_entry (
  sheet_id BIGINT NOT NULL UNIQUE REFERENCES vote_sheet (id),
  teller_user_id BIGINT NOT NULL REFERENCES app_user (id),
  counts TEXT NOT NULL,
  confirmed_by BIGINT REFERENCES app_user (id)
);
CREATE TABLE vote_result (
  sheet_id BIGINT NOT NULL REFERENCES vote_sheet (id),
  review_id BIGINT NOT NULL REFERENCES review (id),
  purpose TEXT NOT NULL,
  members_total BIGINT NOT NULL,
  present BIGINT NOT NULL,
  satisfied BIGINT NOT NULL,
  basically_satisfied BIGINT NOT NULL,
  dissatisfied BIGINT NOT NULL,
  abstain BIGINT NOT NULL,
  invalid BIGINT NOT NULL,
  quorum_met BIGINT NOT NULL,
  grade TEXT,
  rate_num BIGINT NOT NULL,
  rate_den BIGINT NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (sheet_id, review_id)
);
CREATE INDEX vote_result_review ON vote_result (review_id);
CREATE TABLE supervision_measure (
  id {{id}},
  review_id BIGINT NOT NULL REFERENCES review (id),
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  proposer TEXT NOT NULL,
  cosigners TEXT NOT NULL,
  committee TEXT NOT NULL,
  content TEXT NOT NULL,
  answer_mode TEXT NOT NULL,
  answer TEXT NOT NULL,
  defense_statement TEXT NOT NULL,
  members_total BIGINT NOT NULL,
  votes_for BIGINT NOT NULL,
  votes_against BIGINT NOT NULL,
  votes_abstain BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX supervision_measure_review ON supervision_measure (review_id);
)sql"}};
}

}  // namespace jiandu::review
