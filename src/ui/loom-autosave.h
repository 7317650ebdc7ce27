/* loom-autosave.h: when an editor writes its unsaved changes back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LOOM_TYPE_AUTOSAVE (loom_autosave_get_type ())

G_DECLARE_FINAL_TYPE (LoomAutosave, loom_autosave, LOOM, AUTOSAVE, GObject)

LoomAutosave *loom_autosave_new              (void);
void          loom_autosave_changed          (LoomAutosave *self);
void          loom_autosave_clear            (LoomAutosave *self);
gboolean      loom_autosave_get_pending      (LoomAutosave *self);
guint         loom_autosave_get_delay        (LoomAutosave *self);
void          loom_autosave_set_delay        (LoomAutosave *self,
                                              guint         delay);
guint         loom_autosave_get_max_interval (LoomAutosave *self);
void          loom_autosave_set_max_interval (LoomAutosave *self,
                                              guint         max_interval);

G_END_DECLS
