# Turns rules/web_miners.yar into a C array so the program carries its
# signatures (cmake -DIN=... -DOUT=... -DNAME=... -P embed.cmake).
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN} by rules/embed.cmake. */\nextern const char ${NAME}[];\nconst char ${NAME}[] = {${hex}0x00};\n")
