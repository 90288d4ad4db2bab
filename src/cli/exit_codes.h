// Exit codes of the `jiandu` command (documented in docs/cli.md), mapped once from Status codes.
#pragma once

#include "core/status.h"

namespace jiandu::cli {

// 0 ok · 1 internal error or broken audit chain · 2 invalid argument or usage · 3 permission
// denied · 4 not found · 5 conflict · 6 failed precondition · 7 unavailable · 8 unauthenticated
// · 9 rate limited.
int ExitCodeFor(const Status& s);

}  // namespace jiandu::cli
