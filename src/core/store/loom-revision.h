/* loom-revision.h: a prose that generation or restore replaced, and who wrote it when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_REVISION (loom_revision_get_type ())

G_DECLARE_FINAL_TYPE (LoomRevision, loom_revision, LOOM, REVISION, GObject)

LoomRevision       *loom_revision_new            (gint64              id,
                                                  gint64              scene_id,
                                                  const char         *prose,
                                                  LoomRevisionOrigin  origin,
                                                  const char         *model,
                                                  gint64              created_at,
                                                  LoomProseOrigin     author,
                                                  gint64              written_at);
gint64              loom_revision_get_id         (LoomRevision       *self);
gint64              loom_revision_get_scene_id   (LoomRevision       *self);
const char         *loom_revision_get_prose      (LoomRevision       *self);
LoomRevisionOrigin  loom_revision_get_origin     (LoomRevision       *self);
const char         *loom_revision_get_model      (LoomRevision       *self);
gint64              loom_revision_get_created_at (LoomRevision       *self);
guint               loom_revision_get_word_count (LoomRevision       *self);
LoomProseOrigin     loom_revision_get_author     (LoomRevision       *self);
gint64              loom_revision_get_written_at (LoomRevision       *self);

const char         *loom_prose_origin_to_string      (LoomProseOrigin     origin);
LoomProseOrigin     loom_prose_origin_from_string    (const char         *text);
gboolean            loom_prose_origin_is_writers     (LoomProseOrigin     origin);

const char         *loom_revision_origin_to_string   (LoomRevisionOrigin  origin);
gboolean            loom_revision_origin_from_string (const char         *text,
                                                      LoomRevisionOrigin *origin);

G_END_DECLS
