/* loom-window.h: the writing window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

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

G_END_DECLS
