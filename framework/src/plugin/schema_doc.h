#pragma once

#include <forge/export.h>
#include <forge/schema.h>

#include <string>

namespace forge {

// A schema as readable text: one block per key with type, constraints, default and doc.
FORGE_API std::string render_schema(const Schema& schema, int indent = 2);
// "integer >= 0", "number in [0, 1]", "string: one of file, paragraph", "filter plugin".
FORGE_API std::string describe_type(const Param& param);
// A default as one line of YAML ("0", "'gzip'", "[]").
FORGE_API std::string describe_default(const Param& param);

}  // namespace forge
