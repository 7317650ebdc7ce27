/* loom-toon.h: TOON v4.0 (Token-Oriented Object Notation) decoding and encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "loom-toon-value.h"

G_BEGIN_DECLS

#define LOOM_TOON_ERROR (loom_toon_error_quark ())

typedef enum {
  LOOM_TOON_ERROR_SYNTAX,       /* not TOON: missing colon, bad header, bad escape… */
  LOOM_TOON_ERROR_INDENTATION,  /* tabs, non-multiple or skipped indentation levels */
  LOOM_TOON_ERROR_COUNT,        /* a declared length or row width does not match */
  LOOM_TOON_ERROR_DUPLICATE_KEY,
  LOOM_TOON_ERROR_BLANK_LINE,   /* a blank line inside an array */
  LOOM_TOON_ERROR_INVALID_UTF8,
  LOOM_TOON_ERROR_TOO_DEEP,     /* nesting beyond LOOM_TOON_MAX_DEPTH */
  LOOM_TOON_ERROR_INVALID_VALUE, /* a value that cannot be encoded */
  LOOM_TOON_ERROR_TOO_LARGE,    /* a text beyond a reader's size limit */
} LoomToonError;

GQuark loom_toon_error_quark (void);

/* Deeper nesting is refused with LOOM_TOON_ERROR_TOO_DEEP rather than risking the stack. */
#define LOOM_TOON_MAX_DEPTH 1000

typedef enum {
  LOOM_TOON_DELIMITER_COMMA = ',',
  LOOM_TOON_DELIMITER_TAB = '\t',
  LOOM_TOON_DELIMITER_PIPE = '|',
} LoomToonDelimiter;

typedef struct
{
  gboolean strict;       /* default TRUE */
  guint    indent_size;  /* spaces per level, default 2 */
} LoomToonDecodeOptions;

typedef struct
{
  guint             indent_size; /* default 2 */
  LoomToonDelimiter delimiter;   /* default comma */
} LoomToonEncodeOptions;

void loom_toon_decode_options_init (LoomToonDecodeOptions *options);
void loom_toon_encode_options_init (LoomToonEncodeOptions *options);

/* @length may be -1 for a NUL-terminated @text; @options may be NULL for the defaults. */
LoomToonValue *loom_toon_decode (const char                  *text,
                                 gssize                       length,
                                 const LoomToonDecodeOptions *options,
                                 GError                     **error);

/* Returns the document without a trailing newline (an empty object is the empty string).
 * Fails only for nesting deeper than LOOM_TOON_MAX_DEPTH (LOOM_TOON_ERROR_TOO_DEEP). */
char          *loom_toon_encode (const LoomToonValue         *value,
                                 const LoomToonEncodeOptions *options,
                                 GError                     **error);

LoomToonValue *loom_toon_decode_lenient (const char *text,
                                         gssize      length,
                                         GError    **error);

gboolean       loom_toon_extract_block  (const char  *text,
                                         gssize       length,
                                         const char **block,
                                         gsize       *block_len);

G_END_DECLS
