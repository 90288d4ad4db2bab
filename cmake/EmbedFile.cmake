# Script mode: cmake -DIN=file -DOUT=file.cc -DSYMBOL=name -P EmbedFile.cmake
# Writes the bytes of IN as a string_view literal built from hex escapes (safe for any bytes).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
# Break the literal every 64 bytes so compilers and editors stay happy.
string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n\"" escaped "${escaped}")
file(WRITE ${OUT} "// Generated from ${IN} by cmake/EmbedFile.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace jiandu::embedded {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(\n\"${escaped}\", ${size});\n"
  "}  // namespace jiandu::embedded\n")
