/* loom-generator-private.h: what the generator's files share: the estimates before a paid
 * action (loom-paid-action.c) and the record of how a request ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-budget.h"
#include "loom-generator.h"
#include "loom-revise.h"
#include "loom-store.h"

G_BEGIN_DECLS

/* loom-generator.c: the scenes Generate Chapter (@chapter) or Generate Story (@chapter
 * %NULL) would queue now, or @scene alone (@story %NULL), each followed by its summary when
 * @summaries */
gboolean _loom_generator_estimate_batch      (LoomGenerator            *self,
                                              LoomStory                *story,
                                              LoomChapter              *chapter,
                                              LoomScene                *scene,
                                              LoomGenerateFlags         flags,
                                              gboolean                  summaries,
                                              LoomEstimate             *estimate,
                                              GError                  **error);

/* loom-generator-structured.c: an outline, the characters, or @scene's summary */
gboolean _loom_generator_estimate_structured (LoomGenerator            *self,
                                              LoomStory                *story,
                                              LoomScene                *scene,
                                              gboolean                  outline,
                                              LoomEstimate             *estimate,
                                              GError                  **error);

/* loom-generator-structured.c: the summary that follows @scene's draft, when its prose will
 * be @prose (the answer the estimate expects). Adds nothing when the writer wrote the scene's
 * summary, which a summary after a draft never replaces. */
gboolean _loom_generator_estimate_summary_after (LoomGenerator         *self,
                                                 LoomScene             *scene,
                                                 const char            *prose,
                                                 LoomEstimate          *estimate,
                                                 GError               **error);

/* loom-generator-revise.c */
gboolean _loom_generator_estimate_revise     (LoomGenerator            *self,
                                              LoomScene                *scene,
                                              const LoomReviseRequest  *request,
                                              LoomEstimate             *estimate,
                                              GError                  **error);

/* loom-generator.c: a request other than a draft (a summary, an outline, a revision) was sent,
 * recorded as @generation_id: until _loom_generator_finish_request () records its end, the
 * spending limits' checks count its @estimate as spent for @story, as they count the drafts
 * under way. */
void     _loom_generator_hold_request        (LoomGenerator            *self,
                                              LoomStory                *story,
                                              gint64                    generation_id,
                                              double                    estimate);

/* loom-generator.c: how a request ended, for the library's generations row (and the end of
 * its hold) */
void     _loom_generator_end_set_usage       (LoomGenerationEnd        *end,
                                              const LoomAiResult       *answer);
void     _loom_generator_finish_request      (LoomGenerator            *self,
                                              gint64                    generation_id,
                                              LoomGenerationEnd        *end,
                                              const GError             *error);

G_END_DECLS
