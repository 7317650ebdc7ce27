/* loom-paid-action.h: what an action that pays the model is expected to cost, before it runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-budget.h"
#include "loom-generator.h"
#include "loom-revise.h"

G_BEGIN_DECLS

/**
 * LoomPaidKind:
 * @LOOM_PAID_SCENE: generate or regenerate @scene
 * @LOOM_PAID_CHAPTER: Generate Chapter: the scenes of @chapter it would draft with @flags
 * @LOOM_PAID_STORY: Generate Story: the same for every chapter of @story
 * @LOOM_PAID_OUTLINE: outline @story from its premise
 * @LOOM_PAID_CHARACTERS: suggest characters for @story
 * @LOOM_PAID_SUMMARY: summarize @scene
 * @LOOM_PAID_REVISE: @revise on a passage of @scene (a selection action)
 *
 * With @summarize_after (the window's "summarize-after-draft" setting), the three drafting
 * kinds are each followed by a summary of every scene drafted, which the estimate counts.
 */
typedef enum
{
  LOOM_PAID_SCENE,
  LOOM_PAID_CHAPTER,
  LOOM_PAID_STORY,
  LOOM_PAID_OUTLINE,
  LOOM_PAID_CHARACTERS,
  LOOM_PAID_SUMMARY,
  LOOM_PAID_REVISE,
} LoomPaidKind;

/* Only the members @kind names are read. */
typedef struct
{
  LoomPaidKind              kind;
  LoomStory                *story;
  LoomChapter              *chapter;
  LoomScene                *scene;
  LoomGenerateFlags         flags;
  const LoomReviseRequest  *revise;
  gboolean                  summarize_after;
} LoomPaidAction;

/* Adds what @action would cost if it ran now to @estimate (a batch: every scene it would
 * draft, and with @summarize_after the summary of each, in #LoomEstimate's @summaries), from
 * the same prompts and expected answers the spending limits' check prices. Sends
 * nothing. FALSE with @error set when a request could not be built, as running it would fail. */
gboolean  loom_generator_estimate_action   (LoomGenerator         *self,
                                            const LoomPaidAction  *action,
                                            LoomEstimate          *estimate,
                                            GError               **error);

/* Reads the library's threshold and estimates @action: *@needed when the writer must confirm
 * it first (loom_estimate_needs_confirmation()). @estimate is filled unless the threshold is
 * off (then nothing is estimated). FALSE with @error set when it could not be estimated or the
 * threshold read. */
gboolean  loom_generator_needs_confirmation (LoomGenerator        *self,
                                             const LoomPaidAction *action,
                                             LoomEstimate         *estimate,
                                             gboolean             *needed,
                                             GError              **error);

G_END_DECLS
