/*
 * The static parts of the OpenAPI document, the JSON files of app/http/openapi/,
 * embedded into medex.so at build time (the assembler's .incbin, run
 * from the repository root as the Makefile does), each followed by a
 * NUL so that it reads as a C string.  openapi.c fills in what the
 * C tables know.
 */
#include "openapi.h"

#define OPENAPI_EMBED(sym, file)					\
	__asm__(".section .rodata\n"					\
	    ".global " #sym "\n"					\
	    ".hidden " #sym "\n"					\
	    ".type " #sym ", @object\n"					\
	    ".balign 16\n"						\
	    #sym ":\n"							\
	    ".incbin \"" file "\"\n"					\
	    ".byte 0\n"							\
	    ".size " #sym ", . - " #sym "\n"				\
	    ".previous\n")

OPENAPI_EMBED(openapi_base_json, "app/http/openapi/base.json");
OPENAPI_EMBED(openapi_schemas_json, "app/http/openapi/schemas.json");
OPENAPI_EMBED(openapi_operations_json, "app/http/openapi/operations.json");
