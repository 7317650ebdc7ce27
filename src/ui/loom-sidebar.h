/* loom-sidebar.h: the story's chapters and scenes, as a tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-story.h"
#include "loom-sidebar-row.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SIDEBAR (loom_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (LoomSidebar, loom_sidebar, LOOM, SIDEBAR, GtkWidget)

LoomStory      *loom_sidebar_get_story         (LoomSidebar       *self);
void            loom_sidebar_set_story         (LoomSidebar       *self,
                                                LoomStory         *story);
GObject        *loom_sidebar_get_selected_item (LoomSidebar       *self);
void            loom_sidebar_select_item       (LoomSidebar       *self,
                                                GObject           *item);

void            loom_sidebar_set_all_expanded  (LoomSidebar       *self,
                                                gboolean           expanded);
void            loom_sidebar_set_generation_section
                                               (LoomSidebar       *self,
                                                GMenuModel        *section);
guint           loom_sidebar_get_selected_position
                                               (LoomSidebar       *self);
void            loom_sidebar_select_position   (LoomSidebar       *self,
                                                guint              position);

/* Moves: the drop code path and the keyboard path. */
gboolean        loom_sidebar_resolve_drop      (GObject           *item,
                                                GObject           *target,
                                                LoomDropPosition   where,
                                                GObject          **into,
                                                guint             *position);
gboolean        loom_sidebar_drop              (LoomSidebar       *self,
                                                GObject           *item,
                                                GObject           *target,
                                                LoomDropPosition   where,
                                                GError           **error);
gboolean        loom_sidebar_move_to           (LoomSidebar       *self,
                                                GObject           *item,
                                                GObject           *into,
                                                guint              position,
                                                GError           **error);
gboolean        loom_sidebar_can_move          (LoomSidebar       *self,
                                                GObject           *item,
                                                int                direction);
gboolean        loom_sidebar_move              (LoomSidebar       *self,
                                                GObject           *item,
                                                int                direction,
                                                GError           **error);

/* For the tests and the benchmark. */
GtkListView    *loom_sidebar_get_list_view     (LoomSidebar       *self);
GtkAdjustment  *loom_sidebar_get_vadjustment   (LoomSidebar       *self);

/* For the tests: the row widget showing ITEM, if it is on screen. */
LoomSidebarRow *loom_sidebar_find_row          (LoomSidebar       *self,
                                                GObject           *item);

G_END_DECLS
