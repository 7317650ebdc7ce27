/* loom-toon-json.h: converting TOON values to and from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

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

JsonNode      *loom_toon_value_to_json_node   (const LoomToonValue *value);
LoomToonValue *loom_toon_value_from_json_node (JsonNode            *node);

G_END_DECLS
