/* loom-side-pane.h: a pane beside the editor, as wide as the writer drags it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LOOM_TYPE_SIDE_PANE (loom_side_pane_get_type ())

G_DECLARE_FINAL_TYPE (LoomSidePane, loom_side_pane, LOOM, SIDE_PANE, GtkWidget)

GtkWidget *loom_side_pane_new             (void);
GtkWidget *loom_side_pane_get_child       (LoomSidePane *self);
void       loom_side_pane_set_child       (LoomSidePane *self,
                                           GtkWidget    *child);
int        loom_side_pane_get_pane_width  (LoomSidePane *self);
void       loom_side_pane_set_pane_width  (LoomSidePane *self,
                                           int           width);
GtkWidget *loom_side_pane_get_handle      (LoomSidePane *self);
gboolean   loom_side_pane_focus_handle    (LoomSidePane *self);

G_END_DECLS
