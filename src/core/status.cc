#include "core/status.h"

#include <cstdio>
#include <cstdlib>

#include "core/result.h"

namespace jiandu {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
  }
  return "internal";
}

Status::Status(StatusCode code, std::string_view message, std::string_view field) {
  if (code != StatusCode::kOk) {
    rep_ = std::make_unique<Rep>(Rep{code, std::string(message), std::string(field)});
  }
}

Status::Status(const Status& other)
    : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  }
  return *this;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) {
    return Status();
  }
  std::string msg(context);
  msg += ": ";
  msg += rep_->message;
  return Status(rep_->code, msg, rep_->field);
}

std::string Status::ToString() const {
  if (ok()) {
    return "ok";
  }
  std::string out(StatusCodeName(rep_->code));
  out += ": ";
  if (!rep_->field.empty()) {
    out += rep_->field;
    out += ": ";
  }
  out += rep_->message;
  return out;
}

namespace internal_status {
void DieOnBadResultAccess(const Status& status) {
  std::fprintf(stderr, "FATAL: value() on an error Result: %s\n", status.ToString().c_str());
  std::abort();
}
}  // namespace internal_status

}  // namespace jiandu
