// The OpenAPI 3.0 document, generated from the route table plus the component schemas.
#pragma once

#include "api/json_io.h"
#include "api/router.h"

namespace jiandu::api {

Json OpenApiDocument(const Router& router);

}  // namespace jiandu::api
