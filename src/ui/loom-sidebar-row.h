/* loom-sidebar-row.h: one chapter or scene in the story sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  LOOM_DROP_NONE,
  LOOM_DROP_BEFORE,
  LOOM_DROP_AFTER,
  LOOM_DROP_INTO,
} LoomDropPosition;

#define LOOM_TYPE_SIDEBAR_ROW (loom_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (LoomSidebarRow, loom_sidebar_row, LOOM, SIDEBAR_ROW, GtkWidget)

LoomSidebarRow *loom_sidebar_row_new              (void);
GtkTreeListRow *loom_sidebar_row_get_list_row     (LoomSidebarRow   *self);
void            loom_sidebar_row_set_list_row     (LoomSidebarRow   *self,
                                                   GtkTreeListRow   *list_row);
GObject        *loom_sidebar_row_get_item         (LoomSidebarRow   *self);
void            loom_sidebar_row_set_drop         (LoomSidebarRow   *self,
                                                   LoomDropPosition  position);
void            loom_sidebar_row_popup_menu       (LoomSidebarRow   *self,
                                                   GMenuModel       *menu,
                                                   double            x,
                                                   double            y);

/* For the tests: what the row shows. */
const char     *loom_sidebar_row_get_title_text   (LoomSidebarRow   *self);
const char     *loom_sidebar_row_get_status_shown (LoomSidebarRow   *self);

G_END_DECLS
