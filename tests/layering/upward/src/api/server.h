#pragma once
#include "core/status.h"
