/* loom-scene-editor.h: the outline and the prose of one scene
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-autosave.h"
#include "loom-find-bar.h"
#include "loom-scene.h"

#include "loom-mention-marks.h"
#include "loom-summary-pane.h"
#include "loom-spell-marks.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SCENE_EDITOR (loom_scene_editor_get_type ())

G_DECLARE_FINAL_TYPE (LoomSceneEditor, loom_scene_editor, LOOM, SCENE_EDITOR, GtkWidget)

LoomScene     *loom_scene_editor_get_scene          (LoomSceneEditor *self);
void           loom_scene_editor_set_scene          (LoomSceneEditor *self,
                                                     LoomScene       *scene);
void           loom_scene_editor_set_chapter        (LoomSceneEditor *self,
                                                     LoomChapter     *chapter);
gboolean       loom_scene_editor_save               (LoomSceneEditor *self);
LoomAutosave  *loom_scene_editor_get_autosave       (LoomSceneEditor *self);
char          *loom_scene_editor_take_unsaved_prose (LoomSceneEditor *self,
                                                     LoomScene       *scene);
void           loom_scene_editor_select_text        (LoomSceneEditor *self,
                                                     gboolean         in_outline,
                                                     gsize            start,
                                                     gsize            length);
LoomFindBar   *loom_scene_editor_get_find_bar       (LoomSceneEditor *self);
void           loom_scene_editor_set_focus_mode     (LoomSceneEditor *self,
                                                     gboolean         focus_mode);
gboolean       loom_scene_editor_get_focus_mode     (LoomSceneEditor *self);
void           loom_scene_editor_set_spell_checking (LoomSceneEditor *self,
                                                     gboolean         checking);

/* For the tests. */
GtkTextBuffer *loom_scene_editor_get_outline_buffer (LoomSceneEditor *self);
GtkTextBuffer *loom_scene_editor_get_prose_buffer   (LoomSceneEditor *self);
GtkTextView   *loom_scene_editor_get_prose_view     (LoomSceneEditor *self);
GtkTextView   *loom_scene_editor_get_outline_view   (LoomSceneEditor *self);
LoomMentionMarks *loom_scene_editor_get_mention_marks (LoomSceneEditor *self);
LoomSummaryPane  *loom_scene_editor_get_summary_pane  (LoomSceneEditor *self);
LoomSpellMarks *loom_scene_editor_get_spell_marks   (LoomSceneEditor *self,
                                                     gboolean         outline);
/* The scene's heading, or with none the empty page's title (a chapter's, say). */
const char    *loom_scene_editor_get_heading        (LoomSceneEditor *self);
const char    *loom_scene_editor_get_status_text    (LoomSceneEditor *self);

G_END_DECLS
