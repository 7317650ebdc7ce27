/* loom-window.h: the writing window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-scene-editor.h"
#include "loom-store.h"
#include "loom-story.h"

G_BEGIN_DECLS

#define LOOM_TYPE_WINDOW (loom_window_get_type ())

G_DECLARE_FINAL_TYPE (LoomWindow, loom_window, LOOM, WINDOW, AdwApplicationWindow)

LoomWindow *loom_window_new             (GtkApplication *application,
                                         LoomStore      *store);
LoomStore  *loom_window_get_store       (LoomWindow     *self);
LoomStory  *loom_window_get_story       (LoomWindow     *self);
void        loom_window_set_story       (LoomWindow     *self,
                                         LoomStory      *story);
void        loom_window_save            (LoomWindow     *self);
void        loom_window_show_open_error (LoomWindow     *self,
                                         const GError   *error);
void        loom_window_show_error      (LoomWindow     *self,
                                         const GError   *error);

/* The sidebar's selection: a chapter, a scene or NULL ("selected-item", with notify). */
GObject    *loom_window_get_selected_item (LoomWindow   *self);
LoomSceneEditor *loom_window_get_editor (LoomWindow     *self);

/* Wires generation in: ACTIONS are inserted as "gen", MENU becomes the Generate button's
 * menu, ROW_SECTION the generation entries of the sidebar's row menu. Any may be NULL. */
void        loom_window_set_generation  (LoomWindow     *self,
                                         GActionGroup   *actions,
                                         GMenuModel     *menu,
                                         GMenuModel     *row_section);

G_END_DECLS
