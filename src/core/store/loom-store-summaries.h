/* loom-store-summaries.h: a short summary of each scene, kept in the library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-types.h"

G_BEGIN_DECLS

/**
 * LoomSummary:
 * @scene_id: the scene summarised
 * @summary: the summary, never empty
 * @facts: (nullable): the facts the scene established, one a line, as the model listed them
 * @origin: who wrote it
 * @prose_fingerprint: loom_summary_fingerprint_prose() of the prose it summarises
 * @model: (nullable): the model that wrote it
 * @updated_at: when it was written, in ms since the epoch
 */
typedef struct
{
  gint64             scene_id;
  char              *summary;
  char              *facts;
  LoomSummaryOrigin  origin;
  char              *prose_fingerprint;
  char              *model;
  gint64             updated_at;
} LoomSummary;

void         loom_summary_free                (LoomSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomSummary, loom_summary_free)

const char  *loom_summary_origin_to_string    (LoomSummaryOrigin  origin);
/* A short hash of @prose (%NULL counts as ""), what a summary records of the prose it
 * summarises. */
char        *loom_summary_fingerprint_prose   (const char        *prose);
/* Whether the scene's prose is no longer what @summary summarises (reads the prose if it is
 * not loaded; a prose that cannot be read counts as changed). */
gboolean     loom_summary_is_outdated         (LoomSummary       *summary,
                                               LoomScene         *scene);
/* The facts as an array, blank lines and list marks dropped. */
GStrv        loom_summary_dup_facts           (LoomSummary       *summary);

void         loom_summary_append_input        (GArray            *inputs,
                                               gint64             scene_id,
                                               const char        *summary);

/* %NULL without @error when the scene has no summary. */
LoomSummary *loom_store_get_summary           (LoomStore         *self,
                                               LoomScene         *scene,
                                               GError           **error);
/* Every summary of @story's scenes, keyed by scene id (gint64 *) (transfer full). */
GHashTable  *loom_store_list_summaries        (LoomStore         *self,
                                               LoomStory         *story,
                                               GError           **error);
gboolean     loom_store_set_summary           (LoomStore         *self,
                                               LoomScene         *scene,
                                               const char        *summary,
                                               const char        *facts,
                                               LoomSummaryOrigin  origin,
                                               const char        *model,
                                               const char        *prose_fingerprint,
                                               GError           **error);
gboolean     loom_store_delete_summary        (LoomStore         *self,
                                               LoomScene         *scene,
                                               GError           **error);
/* The scenes of @story (in story order) whose prose has no summary, or a generated one that
 * is outdated: what Summarize Story asks the model for. The writer's own summaries are never
 * in it (element-type LoomScene). */
GPtrArray   *loom_store_list_unsummarized     (LoomStore         *self,
                                               LoomStory         *story,
                                               GError           **error);
/* A request for @scene's summary, recorded before it is sent; end it with
 * loom_store_finish_request(). */
gint64       loom_store_begin_summary_request (LoomStore         *self,
                                               LoomScene         *scene,
                                               const char        *model,
                                               GError           **error);

G_END_DECLS
