/* loom-revise.h: the AI on the writer's own text — continue, rewrite, expand, shorten,
 * describe, ask — answered as a review, never written into the prose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "loom-ai-types.h"
#include "loom-generator.h"
#include "loom-review.h"
#include "loom-store-revise.h"
#include "loom-types.h"

G_BEGIN_DECLS

/* The context a model is taken to have when the caller does not know it, in tokens. */
#define LOOM_REVISE_ASSUMED_CONTEXT    32768
#define LOOM_REVISE_DEFAULT_CONTINUE   150  /* words */
#define LOOM_REVISE_MAX_CONTINUE       2000
#define LOOM_REVISE_CONTEXT_WORDS      600  /* of the text before the passage */
#define LOOM_REVISE_AFTER_WORDS        250  /* of the text after it */

/**
 * LoomReviseRequest:
 * @action: what to do
 * @from: where the passage begins, in bytes of the scene's prose
 * @to: where it ends (Continue writes at @to; its passage is empty)
 * @instruction: (nullable): the action's instruction for this request; %NULL for the story's
 *   own wording, else the default
 * @extra: (nullable): the writer's free words for this request ("more tension"); Ask needs them
 * @continue_words: how much Continue writes, in words (0: %LOOM_REVISE_DEFAULT_CONTINUE)
 * @context_tokens: the model's context, in tokens; 0 when unknown: the generator then asks
 *   the model catalog, and %LOOM_REVISE_ASSUMED_CONTEXT is assumed when its server did not say
 * @model: (nullable): the model's name, for the sentence refusing a passage too long for it
 * @context_budget: the tokens the prompt may take; 0: the generator then takes the library's
 *   (loom-context-budget.h), and %LOOM_PROMPT_DEFAULT_BUDGET is used without a generator. The
 *   story bible and the story so far fill what the passage and its surroundings leave of it
 *
 * Initialise with %LOOM_REVISE_REQUEST_INIT.
 */
typedef struct
{
  LoomReviseAction  action;
  gsize             from;
  gsize             to;
  const char       *instruction;
  const char       *extra;
  guint             continue_words;
  gint64            context_tokens;
  const char       *model;
  guint             context_budget;
} LoomReviseRequest;

#define LOOM_REVISE_REQUEST_INIT { LOOM_REVISE_REWRITE, 0, 0, NULL, NULL, 0, 0, NULL, 0 }

const char *loom_revise_default_instruction (LoomReviseAction          action);
char       *loom_revise_get_instruction     (LoomStore                *store,
                                             LoomStory                *story,
                                             LoomReviseAction          action);
gboolean    loom_revise_check_request       (LoomScene                *scene,
                                             const LoomReviseRequest  *request,
                                             GError                  **error);
JsonArray  *loom_revise_build_messages      (LoomScene                *scene,
                                             const LoomReviseRequest  *request,
                                             guint                    *token_estimate,
                                             GError                  **error);

void        loom_generator_revise_async     (LoomGenerator            *generator,
                                             LoomScene                *scene,
                                             const LoomReviseRequest  *request,
                                             LoomAiDeltaFunc           delta_func,
                                             gpointer                  delta_data,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
LoomReview *loom_generator_revise_finish    (LoomGenerator            *generator,
                                             GAsyncResult             *result,
                                             GError                  **error);

G_END_DECLS
