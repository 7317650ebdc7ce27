/* loom-model-private.h: what the model objects share beyond the store's private API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-store-private.h"

G_BEGIN_DECLS

/* One text column the writer edits in a bible item (a character, an entry). The column and
 * the property that mirrors it share @name. */
typedef struct
{
  const char    *name;
  goffset        field;          /* G_STRUCT_OFFSET of the instance's char * mirror */
  LoomTextFlags  flags;
  gboolean       null_is_empty;  /* a NULL text or base stands for "": the column keeps "" */
} LoomTextColumn;

/* The text columns of one table. */
typedef struct
{
  const char           *table;
  const LoomTextColumn *columns;
  guint                 n_columns;
} LoomTextColumns;

/* Stores the writer's @text for @object's @property, edited from @base (see #LoomTextEdit),
 * then mirrors it and notifies. @before (optional) gets what the row held before, for undo.
 * An unknown @property is a programmer error. */
gboolean      _loom_model_edit_text         (GObject                *object,
                                             LoomStore              *store,
                                             gint64                  id,
                                             const LoomTextColumns  *columns,
                                             const char             *property,
                                             const char             *text,
                                             const char             *base,
                                             char                  **before,
                                             GError                **error);

G_END_DECLS
