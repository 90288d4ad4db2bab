#include "monitor/engine/sql_executor.h"

namespace jiandu::monitor {
namespace {

bool IsTextType(ColumnType t) {
  return t == ColumnType::kText || t == ColumnType::kCreditCode || t == ColumnType::kEnum;
}

}  // namespace

Result<std::vector<Warning>> RunRuleSql(const Rule& rule, const CompiledRule& compiled,
                                        store::Tx& tx) {
  std::vector<Warning> out;
  Status s = tx.ForEachRow(compiled.sql, {}, [&](const store::RowView& row) -> Status {
    if (row.size() != compiled.outputs.size()) {
      return Status::Internal("rule " + rule.id + ": the SQL returned " +
                              std::to_string(row.size()) + " columns, expected " +
                              std::to_string(compiled.outputs.size()));
    }
    std::vector<KeyValue> key;
    std::vector<Subject> subjects;
    for (size_t i = 0; i < row.size(); ++i) {
      const SqlOutput& o = compiled.outputs[i];
      KeyValue v;
      v.type = o.type;
      v.null = row.IsNull(i);
      if (!v.null) {
        if (IsTextType(o.type)) {
          v.text = std::string(row.Text(i));
        } else {
          v.number = row.Int(i);
        }
      }
      if (!o.subject_role.empty() && !v.null) {
        subjects.push_back(Subject{o.subject_role, v});
      }
      if (o.in_key) {
        key.push_back(std::move(v));
      }
    }
    Warning w;
    w.rule_id = rule.id;
    w.rule_version = rule.version;
    w.level = rule.level;
    w.key = StableKey(rule.id, key);
    w.key_values = std::move(key);
    w.subjects = std::move(subjects);
    w.summary = rule.id;
    out.push_back(std::move(w));
    return Status::Ok();
  });
  JIANDU_RETURN_IF_ERROR(s);
  SortAndMerge(&out);
  return out;
}

}  // namespace jiandu::monitor
