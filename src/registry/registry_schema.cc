#include "registry/registry_schema.h"

namespace jiandu::registry {

std::vector<store::Migration> Migrations() {
  return {{"registry", 1, "organisations, people, positions, appointments", R"sql(
CREATE TABLE org (
  id {{id}},
  parent_id BIGINT REFERENCES org (id),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  region_code TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  depth BIGINT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX org_parent ON org (parent_id, id);
CREATE TABLE person (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org (id),
  org_path TEXT NOT NULL,
  name TEXT NOT NULL,
  id_number_hash TEXT NOT NULL UNIQUE,
  id_number_masked TEXT NOT NULL,
  id_number_sealed {{blob}} NOT NULL,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  ethnicity TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  phone_sealed {{blob}},
  notes TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX person_org ON person (org_path, id);
CREATE TABLE position (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org (id),
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, title)
);
CREATE TABLE appointment (
  id {{id}},
  person_id BIGINT NOT NULL REFERENCES person (id),
  position_id BIGINT NOT NULL REFERENCES position (id),
  org_id BIGINT NOT NULL REFERENCES org (id),
  org_path TEXT NOT NULL,
  appointing_body_id BIGINT NOT NULL REFERENCES org (id),
  decision_type TEXT NOT NULL,
  meeting TEXT NOT NULL,
  appointed_on TEXT NOT NULL,
  term_end TEXT NOT NULL,
  ended_on TEXT,
  end_reason TEXT,
  end_note TEXT,
  exam_score BIGINT,
  exam_pass_mark BIGINT,
  exam_taken_on TEXT,
  resit_score BIGINT,
  resit_taken_on TEXT,
  exam_exemption TEXT,
  statement_on TEXT,
  oath_on TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX appointment_person ON appointment (person_id, id);
CREATE INDEX appointment_org ON appointment (org_path, id);
CREATE INDEX appointment_position ON appointment (position_id, ended_on);
)sql"}};
}

}  // namespace jiandu::registry
