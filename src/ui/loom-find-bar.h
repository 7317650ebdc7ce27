/* loom-find-bar.h: Ctrl+F over one text view, with GtkSourceView's search (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define LOOM_TYPE_FIND_BAR (loom_find_bar_get_type ())

G_DECLARE_FINAL_TYPE (LoomFindBar, loom_find_bar, LOOM, FIND_BAR, GtkWidget)

void           loom_find_bar_set_view        (LoomFindBar   *self,
                                              GtkSourceView *view);
void           loom_find_bar_open            (LoomFindBar   *self);
void           loom_find_bar_close           (LoomFindBar   *self);
gboolean       loom_find_bar_get_open        (LoomFindBar   *self);

/* For the tests: "3 of 12", "No matches", or "" without a query; the view searched. */
const char    *loom_find_bar_get_count_text  (LoomFindBar   *self);
GtkSourceView *loom_find_bar_get_view        (LoomFindBar   *self);

G_END_DECLS
