/* loom-prose-column.h: the prose in a readable column, and typewriter scrolling (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LOOM_TYPE_PROSE_COLUMN (loom_prose_column_get_type ())

G_DECLARE_FINAL_TYPE (LoomProseColumn, loom_prose_column, LOOM, PROSE_COLUMN, GObject)

LoomProseColumn *loom_prose_column_new             (GtkTextView     *view);
gboolean         loom_prose_column_get_typewriter  (LoomProseColumn *self);
void             loom_prose_column_set_typewriter  (LoomProseColumn *self,
                                                    gboolean         typewriter);

G_END_DECLS
