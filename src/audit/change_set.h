// ChangeSet: the fields a write changed, with their old and new values, reduced to field names
// and one digest for the audit log.
//
//   ChangeSet c;
//   c.Set("name", "李明", "李敏");   // recorded: the values differ
//   c.Set("phone", "1", "1");        // ignored: unchanged
//   c.fields();                      // {"name"}
//   c.Digest();                      // hex SHA-256 of the canonical encoding
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace jiandu::audit {

class ChangeSet {
 public:
  // Records a field whose value changed from `before` to `after` (no-op when equal).
  void Set(std::string_view field, std::string_view before, std::string_view after);
  // Records a field of a newly created entity.
  void Created(std::string_view field, std::string_view value) { Set(field, "", value); }
  // Records a field without values (e.g. a reveal of an ID number: who saw it, not what).
  void Touch(std::string_view field);

  bool empty() const { return fields_.empty(); }
  std::vector<std::string> fields() const;
  // "name,phone": sorted field names.
  std::string Summary() const;
  // Hex SHA-256 over the canonical encoding: fields sorted by name, each as
  // u32be len(name) name u32be len(before) before u32be len(after) after.
  std::string Digest() const;

 private:
  struct Values {
    std::string before, after;
  };
  std::map<std::string, Values, std::less<>> fields_;
};

}  // namespace jiandu::audit
