#include "monitor/engine/rule_library.h"

#include <string>
#include <utility>

namespace jiandu::embedded {
std::vector<std::pair<std::string_view, std::string_view>> BuiltinRuleFiles();
}  // namespace jiandu::embedded

namespace jiandu::monitor {

std::vector<RuleFile> BuiltinRuleFiles() {
  std::vector<RuleFile> out;
  for (const auto& [path, text] : embedded::BuiltinRuleFiles()) {
    out.push_back(RuleFile{path, text});
  }
  return out;
}

Result<std::vector<Rule>> LoadBuiltinRules(const SchemaLookup& schemas) {
  std::vector<Rule> rules;
  for (const RuleFile& f : BuiltinRuleFiles()) {
    JIANDU_ASSIGN_OR_RETURN(Rule rule, LoadRule(f.text, f.path, schemas));
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<Rule> LoadBuiltinRule(std::string_view id, const SchemaLookup& schemas) {
  for (const RuleFile& f : BuiltinRuleFiles()) {
    JIANDU_ASSIGN_OR_RETURN(Rule rule, ParseRule(f.text, f.path));
    if (rule.id == id) {
      JIANDU_RETURN_IF_ERROR(ValidateRule(rule, schemas));
      return rule;
    }
  }
  return Status::NotFound("no built-in rule " + std::string(id));
}

}  // namespace jiandu::monitor
