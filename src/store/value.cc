#include "store/value.h"

#include <charconv>

namespace jiandu::store {

int64_t Value::AsInt() const {
  if (auto* i = std::get_if<int64_t>(&rep_)) {
    return *i;
  }
  if (auto* d = std::get_if<double>(&rep_)) {
    return static_cast<int64_t>(*d);
  }
  if (auto* s = std::get_if<std::string>(&rep_)) {
    int64_t v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

double Value::AsDouble() const {
  if (auto* d = std::get_if<double>(&rep_)) {
    return *d;
  }
  if (auto* i = std::get_if<int64_t>(&rep_)) {
    return static_cast<double>(*i);
  }
  if (auto* s = std::get_if<std::string>(&rep_)) {
    double v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

std::string Value::AsText() const {
  if (auto* s = std::get_if<std::string>(&rep_)) {
    return *s;
  }
  if (auto* i = std::get_if<int64_t>(&rep_)) {
    return std::to_string(*i);
  }
  if (auto* d = std::get_if<double>(&rep_)) {
    return std::to_string(*d);
  }
  if (auto* b = std::get_if<Blob>(&rep_)) {
    return b->bytes;
  }
  return "";
}

const Blob& Value::AsBlob() const {
  static const Blob kEmpty;
  if (auto* b = std::get_if<Blob>(&rep_)) {
    return *b;
  }
  return kEmpty;
}

}  // namespace jiandu::store
