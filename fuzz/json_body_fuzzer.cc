// Fuzzes the strict JSON body reader (api::JsonReader) and the person-name check with arbitrary
// bytes: every outcome is a value or an invalid_argument naming a field; nothing throws or
// crashes, and serialising an error never fails on invalid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/json_io.h"
#include "registry/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = jiandu::api::JsonReader::Parse(text);
  if (!body.ok()) {
    if (!body.status().IsInvalidArgument() || body.status().field() != "body") {
      std::abort();
    }
  } else {
    auto name = body->OptString("name");
    auto n = body->OptInt("exam_score", 0, 100);
    auto pre = body->OptObject("pre_appointment");
    if (pre.ok() && pre->has_value()) {
      (void)(*pre)->OptString("oath_on");
      (void)(*pre)->Finish();
    }
    jiandu::Status finish = body->Finish();
    if (!finish.ok() && finish.field().empty()) {
      std::abort();
    }
    (void)jiandu::api::ErrorBody("invalid_argument", finish.message(), finish.field());
    (void)n;
    if (name.ok() && name->has_value()) {
      auto checked = jiandu::registry::CheckPersonName(**name);
      if (!checked.ok() && checked.status().field() != "name") {
        std::abort();
      }
    }
  }
  auto checked = jiandu::registry::CheckPersonName(text);
  if (!checked.ok() && !checked.status().IsInvalidArgument()) {
    std::abort();
  }
  return 0;
}
