// Status: the outcome of an operation that can fail, carried across every module boundary.
//
// A Status is OK or an error with a code from the small set of DESIGN.md §2, a message for logs
// and operators, and optionally the name of the input field at fault. OK costs one null pointer
// (the shape of leveldb's Status). The message never holds a name, an ID number, a phone number
// or tip content: callers pass field names and reasons, not values.
//
//   Status s = Status::InvalidArgument("id_number", "check digit does not match");
//   if (!s.ok()) { ... s.code(), s.field(), s.message() ... }
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace jiandu {

// The code set of DESIGN.md §2. Adding a code is a design change made together with the two
// mappers (api/ to HTTP, cli/ to exit codes) and the table in docs/architecture.md.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // input fails validation; name the field
  kNotFound,            // absent, or must look absent to this caller
  kPermissionDenied,    // the caller may not do this
  kConflict,            // duplicate create, or a write conflict (retry the transaction)
  kFailedPrecondition,  // state must change first
  kUnavailable,         // backend down or overloaded; retry later
  kInternal,            // a bug or corrupt storage
  kUnauthenticated,     // no valid session (HTTP 401); distinct from permission_denied
  kResourceExhausted,   // rate limit reached (HTTP 429); retry later
};

// Stable snake_case name of a code, as used in JSON errors ("invalid_argument", ...).
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string_view message, std::string_view field = {});
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view field, std::string_view message) {
    return Status(StatusCode::kInvalidArgument, message, field);
  }
  static Status NotFound(std::string_view message) {
    return Status(StatusCode::kNotFound, message);
  }
  static Status PermissionDenied(std::string_view message) {
    return Status(StatusCode::kPermissionDenied, message);
  }
  static Status Conflict(std::string_view message, std::string_view field = {}) {
    return Status(StatusCode::kConflict, message, field);
  }
  static Status FailedPrecondition(std::string_view message, std::string_view field = {}) {
    return Status(StatusCode::kFailedPrecondition, message, field);
  }
  static Status Unavailable(std::string_view message) {
    return Status(StatusCode::kUnavailable, message);
  }
  static Status Internal(std::string_view message) {
    return Status(StatusCode::kInternal, message);
  }
  static Status Unauthenticated(std::string_view message) {
    return Status(StatusCode::kUnauthenticated, message);
  }
  static Status ResourceExhausted(std::string_view message) {
    return Status(StatusCode::kResourceExhausted, message);
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty for OK.
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  // The input field at fault ("id_number", "term_end"), or empty.
  std::string_view field() const { return rep_ ? std::string_view(rep_->field) : ""; }

  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsPermissionDenied() const { return code() == StatusCode::kPermissionDenied; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsFailedPrecondition() const { return code() == StatusCode::kFailedPrecondition; }

  // Returns a copy whose message is prefixed with `context: ` (code and field kept).
  Status WithContext(std::string_view context) const;

  // "invalid_argument: id_number: check digit does not match"
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string field;
  };
  std::unique_ptr<Rep> rep_;
};

}  // namespace jiandu

// Returns from the enclosing function if `expr` (a Status or Result) is an error.
#define JIANDU_RETURN_IF_ERROR(expr)                          \
  do {                                                        \
    auto jiandu_status_or_ = (expr);                          \
    if (!jiandu_status_or_.ok()) {                            \
      return ::jiandu::internal_status::ToStatus(             \
          std::move(jiandu_status_or_));                      \
    }                                                         \
  } while (false)

namespace jiandu::internal_status {
inline Status ToStatus(Status s) { return s; }
}  // namespace jiandu::internal_status
