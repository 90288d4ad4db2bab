#include "auth/auth_schema.h"

namespace jiandu::auth {

std::vector<store::Migration> Migrations() {
  return {{"auth", 1, "users and sessions", R"sql(
CREATE TABLE app_user (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id BIGINT NOT NULL,
  org_path TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret {{blob}},
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX app_user_org ON app_user (org_path, id);
CREATE TABLE auth_session (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user (id),
  stage TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  pending_totp_secret {{blob}},
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX auth_session_user ON auth_session (user_id);
)sql"},
          {"auth", 2, "link an account to a person record", R"sql(
ALTER TABLE app_user ADD COLUMN person_id BIGINT;
CREATE INDEX app_user_person ON app_user (person_id);
)sql"}};
}

}  // namespace jiandu::auth
