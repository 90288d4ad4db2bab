// Runs compiled rules (sql_compiler.h) on a database through store::Tx and builds the same
// Warnings as the native executor (evidence rows are left empty: SQL rows have no positions).
//
//   JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, RunRuleSql(rule, compiled, *tx));
#pragma once

#include <vector>

#include "core/result.h"
#include "monitor/engine/rule.h"
#include "monitor/engine/sql_compiler.h"
#include "monitor/engine/warning.h"
#include "store/store.h"

namespace jiandu::monitor {

// Errors of Tx::ForEachRow; internal when a result row does not have the compiled shape.
Result<std::vector<Warning>> RunRuleSql(const Rule& rule, const CompiledRule& compiled,
                                        store::Tx& tx);

}  // namespace jiandu::monitor
