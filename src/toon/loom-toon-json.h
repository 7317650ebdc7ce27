/* loom-toon-json.h: converting TOON values to and from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-toon.h"

G_BEGIN_DECLS

/* JSON text is read by a reader of our own: json-glib 1.6 reads 100000000000000000000 as -1.
 * Integers in the gint64 range stay exact, larger ones become the nearest double, and a number
 * beyond the double range is an error. Nesting is capped at LOOM_TOON_MAX_DEPTH. */
LoomToonValue *loom_toon_json_parse (const char *text,
                                     gssize      length,
                                     GError    **error);

/* Compact JSON (no spaces), numbers in the canonical shortest form, NaN/Inf as null. */
char          *loom_toon_json_write (const LoomToonValue *value);

typedef struct _LoomToonJsonReader LoomToonJsonReader;

LoomToonJsonReader *loom_toon_json_reader_new  (guint                max_depth,
                                                gsize                max_length);
void                loom_toon_json_reader_free (LoomToonJsonReader  *reader);
LoomToonValue      *loom_toon_json_reader_read (LoomToonJsonReader  *reader,
                                                const char          *text,
                                                gsize                length,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomToonJsonReader, loom_toon_json_reader_free)

G_END_DECLS
