// Registration of the API's routes, one function per area.
#pragma once

#include "api/router.h"

namespace jiandu::api {

void AddAuthRoutes(Router& r);
void AddRegistryRoutes(Router& r);
void AddAdminRoutes(Router& r);
void AddRectifyRoutes(Router& r);
void AddReviewRoutes(Router& r);
void AddMonitorRoutes(Router& r);
// POST /api/v1/test/clock {"now":"2024-10-15T09:00:00"} (China time): only with --test-clock.
void AddTestClockRoute(Router& r, core::FakeClock* clock);

}  // namespace jiandu::api
