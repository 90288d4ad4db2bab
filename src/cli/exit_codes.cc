#include "cli/exit_codes.h"

namespace jiandu::cli {

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInternal: return 1;
    case StatusCode::kInvalidArgument: return 2;
    case StatusCode::kPermissionDenied: return 3;
    case StatusCode::kNotFound: return 4;
    case StatusCode::kConflict: return 5;
    case StatusCode::kFailedPrecondition: return 6;
    case StatusCode::kUnavailable: return 7;
    case StatusCode::kUnauthenticated: return 8;
    case StatusCode::kResourceExhausted: return 9;
  }
  return 1;
}

}  // namespace jiandu::cli
