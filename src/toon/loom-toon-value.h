/* loom-toon-value.h: the value type TOON decodes to and encodes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LoomToonKind:
 *
 * The JSON data model. A number is %LOOM_TOON_INT when it is integral and
 * fits in a gint64, else %LOOM_TOON_DOUBLE; loom_toon_value_equal() compares
 * the two kinds by numeric value.
 */
typedef enum {
  LOOM_TOON_NULL,
  LOOM_TOON_BOOLEAN,
  LOOM_TOON_INT,
  LOOM_TOON_DOUBLE,
  LOOM_TOON_STRING,
  LOOM_TOON_ARRAY,
  LOOM_TOON_OBJECT,
} LoomToonKind;

typedef struct _LoomToonValue LoomToonValue;

/* Values are reference counted and, once shared, must not be modified. Objects keep their
 * members in insertion order. Strings are UTF-8 and may contain U+0000, hence the lengths. */

LoomToonValue *loom_toon_value_new_null    (void);
LoomToonValue *loom_toon_value_new_boolean (gboolean value);
LoomToonValue *loom_toon_value_new_int     (gint64 value);
LoomToonValue *loom_toon_value_new_double  (double value);
LoomToonValue *loom_toon_value_new_number  (double value);
LoomToonValue *loom_toon_value_new_string  (const char *str);
LoomToonValue *loom_toon_value_new_string_len (const char *str,
                                               gsize       len);
LoomToonValue *loom_toon_value_new_array   (void);
LoomToonValue *loom_toon_value_new_object  (void);

LoomToonValue *loom_toon_value_ref   (LoomToonValue *value);
void           loom_toon_value_unref (LoomToonValue *value);

LoomToonKind   loom_toon_value_get_kind    (const LoomToonValue *value);
gboolean       loom_toon_value_is_number   (const LoomToonValue *value);
gboolean       loom_toon_value_is_primitive (const LoomToonValue *value);
gboolean       loom_toon_value_get_boolean (const LoomToonValue *value);
gint64         loom_toon_value_get_int     (const LoomToonValue *value);
double         loom_toon_value_get_double  (const LoomToonValue *value);
const char    *loom_toon_value_get_string  (const LoomToonValue *value,
                                            gsize               *len);

guint          loom_toon_value_get_length  (const LoomToonValue *value);
LoomToonValue *loom_toon_value_array_get   (const LoomToonValue *array,
                                            guint                index);
void           loom_toon_value_array_append (LoomToonValue *array,
                                             LoomToonValue *element);

const char    *loom_toon_value_object_get_key    (const LoomToonValue *object,
                                                  guint                index,
                                                  gsize               *len);
LoomToonValue *loom_toon_value_object_get_value  (const LoomToonValue *object,
                                                  guint                index);
LoomToonValue *loom_toon_value_object_get_member (const LoomToonValue *object,
                                                  const char          *key);
gboolean       loom_toon_value_object_set        (LoomToonValue *object,
                                                  const char    *key,
                                                  LoomToonValue *value);
gboolean       loom_toon_value_object_set_len    (LoomToonValue *object,
                                                  const char    *key,
                                                  gsize          key_len,
                                                  LoomToonValue *value);

gboolean       loom_toon_value_equal (const LoomToonValue *a,
                                      const LoomToonValue *b);

char          *loom_toon_format_double (double value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomToonValue, loom_toon_value_unref)

G_END_DECLS
