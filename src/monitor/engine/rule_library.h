// The built-in rule library: data/rules/*.toml, compiled into the binary (issue 5 (a)–(j)).
//
//   JIANDU_ASSIGN_OR_RETURN(std::vector<Rule> rules, LoadBuiltinRules(schemas));
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "monitor/engine/rule.h"

namespace jiandu::monitor {

struct RuleFile {
  std::string_view path;  // "data/rules/r01_deceased_payee.toml"
  std::string_view text;
};

// The embedded rule files, in library order.
std::vector<RuleFile> BuiltinRuleFiles();

// Parses and validates every built-in rule against `schemas`; the first error is returned
// (a build bug for the embedded files, caught by builtin_rules_test).
Result<std::vector<Rule>> LoadBuiltinRules(const SchemaLookup& schemas);

// The built-in rule with this id, parsed and validated; not_found when there is none.
Result<Rule> LoadBuiltinRule(std::string_view id, const SchemaLookup& schemas);

}  // namespace jiandu::monitor
