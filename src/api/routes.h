// Registration of the API's routes, one function per area.
#pragma once

#include "api/router.h"

namespace jiandu::api {

void AddAuthRoutes(Router& r);
void AddRegistryRoutes(Router& r);
void AddAdminRoutes(Router& r);

}  // namespace jiandu::api
