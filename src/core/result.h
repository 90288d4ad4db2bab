// Result<T>: a value of type T, or the error Status explaining why there is none.
//
//   Result<ResidentId> id = ParseResidentId(text, today);
//   if (!id.ok()) return id.status();
//   use(*id);
//
// Inside functions returning Status or Result<U>, prefer the macros:
//   JIANDU_ASSIGN_OR_RETURN(ResidentId id, ParseResidentId(text, today));
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "core/status.h"

namespace jiandu {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value and from an error Status, so `return value;` and `return status;`
  // both work. Constructing from an OK Status is a bug and becomes an internal error.
  Result(const T& value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result<T>>>>
  Result(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) {
      status_ = Status::Internal("Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  // Precondition: ok(). Accessing the value of an error is a bug and aborts.
  T& value() & { CheckOk(); return *value_; }
  const T& value() const& { CheckOk(); return *value_; }
  T&& value() && { CheckOk(); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  void CheckOk() const;
  Status status_;
  std::optional<T> value_;
};

namespace internal_status {
[[noreturn]] void DieOnBadResultAccess(const Status& status);
template <typename T>
Status ToStatus(Result<T> r) {
  return std::move(r).status();
}
}  // namespace internal_status

template <typename T>
void Result<T>::CheckOk() const {
  if (!status_.ok()) {
    internal_status::DieOnBadResultAccess(status_);
  }
}

}  // namespace jiandu

#define JIANDU_CONCAT_INNER_(a, b) a##b
#define JIANDU_CONCAT_(a, b) JIANDU_CONCAT_INNER_(a, b)

// JIANDU_ASSIGN_OR_RETURN(decl, expr): evaluates `expr` (a Result<T>); on error returns its
// Status from the enclosing function, else move-assigns the value to `decl`.
#define JIANDU_ASSIGN_OR_RETURN(decl, expr) \
  JIANDU_ASSIGN_OR_RETURN_IMPL_(JIANDU_CONCAT_(jiandu_result_, __LINE__), decl, expr)
#define JIANDU_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) {                                     \
    return std::move(tmp).status();                    \
  }                                                    \
  decl = std::move(tmp).value()
