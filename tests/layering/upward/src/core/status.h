#pragma once
#include "api/server.h"  // points up: the check must fail
