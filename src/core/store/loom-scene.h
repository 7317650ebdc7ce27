/* loom-scene.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"
#include "loom-provenance.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SCENE (loom_scene_get_type ())

G_DECLARE_FINAL_TYPE (LoomScene, loom_scene, LOOM, SCENE, GObject)

/**
 * LoomProseMark:
 *
 * A place in a scene's prose, taken with loom_scene_mark_prose(), so that a view following a
 * stream adds only what arrived since (loom_scene_get_prose_since()). A zeroed mark is valid
 * and matches nothing.
 */
typedef struct
{
  /*< private >*/
  guint serial;
  gsize length;
} LoomProseMark;

gint64           loom_scene_get_id                 (LoomScene        *self);
LoomChapter     *loom_scene_get_chapter            (LoomScene        *self);
LoomStory       *loom_scene_get_story              (LoomScene        *self);
guint            loom_scene_get_number             (LoomScene        *self);
const char      *loom_scene_get_outline            (LoomScene        *self);
gboolean         loom_scene_set_outline            (LoomScene        *self,
                                                    const char       *outline,
                                                    GError          **error);
char            *loom_scene_dup_title              (LoomScene        *self);
gboolean         loom_scene_set_title              (LoomScene        *self,
                                                    const char       *title,
                                                    GError          **error);
const char      *loom_scene_get_prose              (LoomScene        *self);
gboolean         loom_scene_set_outline_edited     (LoomScene        *self,
                                                    const char       *outline,
                                                    const char       *base,
                                                    char            **before,
                                                    GError          **error);
gboolean         loom_scene_load_prose             (LoomScene        *self,
                                                    GError          **error);
gboolean         loom_scene_set_prose              (LoomScene        *self,
                                                    const char       *prose,
                                                    GError          **error);
guint            loom_scene_get_prose_version      (LoomScene        *self);
gboolean         loom_scene_set_prose_edited       (LoomScene        *self,
                                                    const char       *prose,
                                                    guint             base_version,
                                                    GError          **error);
gboolean         loom_scene_set_prose_tracked      (LoomScene        *self,
                                                    const char       *prose,
                                                    guint             base_version,
                                                    LoomProvenance   *spans,
                                                    GError          **error);
LoomSceneStatus  loom_scene_get_status             (LoomScene        *self);
const char      *loom_scene_get_error_message      (LoomScene        *self);
gboolean         loom_scene_set_status             (LoomScene        *self,
                                                    LoomSceneStatus   status,
                                                    const char       *error_message,
                                                    GError          **error);
void             loom_scene_stream_prose           (LoomScene        *self,
                                                    const char       *prose);
void             loom_scene_stream_append          (LoomScene        *self,
                                                    const char       *text,
                                                    gssize            length);
void             loom_scene_mark_prose             (LoomScene        *self,
                                                    LoomProseMark    *mark);
const char      *loom_scene_get_prose_since        (LoomScene        *self,
                                                    const LoomProseMark *mark);
gboolean         loom_scene_get_queued             (LoomScene        *self);
void             loom_scene_set_queued             (LoomScene        *self,
                                                    gboolean          queued);
guint            loom_scene_get_stale_inputs       (LoomScene        *self);
gboolean         loom_scene_get_outdated           (LoomScene        *self);
LoomScene       *loom_scene_dup_previous           (LoomScene        *self);
guint            loom_scene_get_regeneration_count (LoomScene        *self);
guint            loom_scene_get_word_count         (LoomScene        *self);
gint64           loom_scene_get_updated_at         (LoomScene        *self);

G_END_DECLS
