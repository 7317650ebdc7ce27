/* loom-generator.h: the queue that drafts scenes with the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-ai-client.h"
#include "loom-budget.h"
#include "loom-prompt.h"
#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_GENERATOR_DEFAULT_MAX_JOBS 3

#define LOOM_TYPE_GENERATOR (loom_generator_get_type ())

G_DECLARE_FINAL_TYPE (LoomGenerator, loom_generator, LOOM, GENERATOR, GObject)

LoomGenerator *loom_generator_new                (LoomStore      *store,
                                                  LoomAiClient   *client);
LoomStore     *loom_generator_get_store          (LoomGenerator  *self);
LoomAiClient  *loom_generator_get_client         (LoomGenerator  *self);
guint          loom_generator_get_max_jobs       (LoomGenerator  *self);
void           loom_generator_set_max_jobs       (LoomGenerator  *self,
                                                  guint           max_jobs);
gboolean       loom_generator_get_parallel_batches (LoomGenerator *self);
void           loom_generator_set_parallel_batches (LoomGenerator *self,
                                                  gboolean        parallel);
guint          loom_generator_get_n_running      (LoomGenerator  *self);
guint          loom_generator_get_n_queued       (LoomGenerator  *self);
gboolean       loom_generator_get_busy           (LoomGenerator  *self);
gboolean       loom_generator_is_scene_pending   (LoomGenerator  *self,
                                                  LoomScene      *scene);

gboolean       loom_generator_generate_scene     (LoomGenerator  *self,
                                                  LoomScene      *scene,
                                                  GError        **error);
guint          loom_generator_generate_chapter   (LoomGenerator  *self,
                                                  LoomChapter    *chapter,
                                                  LoomGenerateFlags flags,
                                                  GError        **error);
guint          loom_generator_generate_story     (LoomGenerator  *self,
                                                  LoomStory      *story,
                                                  LoomGenerateFlags flags,
                                                  GError        **error);
GPtrArray     *loom_generator_list_writers_scenes (LoomGenerator *self,
                                                  LoomStory      *story,
                                                  LoomChapter    *chapter,
                                                  LoomGenerateFlags flags);
/* Estimates and spending limits (loom-budget.h). */
gboolean       loom_generator_check_budget       (LoomGenerator  *self,
                                                  LoomStory      *story,
                                                  gint64          prompt_tokens,
                                                  gint64          answer_tokens,
                                                  double         *estimate,
                                                  GError        **error);
LoomPrompt    *loom_generator_new_prompt         (LoomGenerator  *self,
                                                  LoomScene      *scene,
                                                  GError        **error);
gboolean       loom_generator_estimate_scene     (LoomGenerator  *self,
                                                  LoomScene      *scene,
                                                  LoomEstimate   *estimate,
                                                  GError        **error);
void           loom_generator_cancel_scene       (LoomGenerator  *self,
                                                  LoomScene      *scene);
void           loom_generator_cancel_all         (LoomGenerator  *self);

/* Structured answers in TOON (loom-generator-structured.c). */
void           loom_generator_outline_story_async       (LoomGenerator        *self,
                                                         LoomStory            *story,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gssize         loom_generator_outline_story_finish      (LoomGenerator        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void           loom_generator_suggest_characters_async  (LoomGenerator        *self,
                                                         LoomStory            *story,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gssize         loom_generator_suggest_characters_finish (LoomGenerator        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void           loom_generator_summarize_scene_async     (LoomGenerator        *self,
                                                         LoomScene            *scene,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean       loom_generator_summarize_scene_finish    (LoomGenerator        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void           loom_generator_replace_summary_async     (LoomGenerator        *self,
                                                         LoomScene            *scene,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);

G_END_DECLS
