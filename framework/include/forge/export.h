#pragma once

// Marks the SDK's types and functions as visible from libforge; everything else stays hidden.
#define FORGE_API __attribute__((visibility("default")))
