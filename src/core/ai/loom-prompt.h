/* loom-prompt.h: the messages sent to the model for a scene
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "loom-types.h"
#include "loom-prompt-memory.h"

G_BEGIN_DECLS

/**
 * LoomPromptOptions:
 * @target_words: length guidance for the scene, in words (0: 1000)
 * @previous_words: how much of the previous scene's prose to quote, in words (0: 400)
 * @character_budget: bytes of TOON that the characters not named in the outline or the previous
 *   scene may take (0: 3000); characters who are named are always included
 * @context_budget: the tokens the whole prompt may take (0: %LOOM_PROMPT_DEFAULT_BUDGET); the
 *   story bible and the summaries of earlier scenes fill what the rest leaves of it
 *   (loom-prompt-memory.h); loom_context_budget_get() gives the library's
 * @previous_prose: (nullable): the previous scene's prose as it will be when the prompt is
 *   sent, in place of what it holds now: a batch's estimate gives the expected answer of a
 *   previous scene still to be drafted (loom_estimate_stand_in_prose())
 */
typedef struct
{
  guint       target_words;
  guint       previous_words;
  gsize       character_budget;
  guint       context_budget;
  const char *previous_prose;
} LoomPromptOptions;

#define LOOM_PROMPT_OPTIONS_INIT { 0, 0, 0, 0, NULL }

#define LOOM_TYPE_PROMPT (loom_prompt_get_type ())

G_DECLARE_FINAL_TYPE (LoomPrompt, loom_prompt, LOOM, PROMPT, GObject)

/* Reads the story, its characters and the neighbouring scenes (loading prose as needed). */
LoomPrompt   *loom_prompt_new_for_scene        (LoomScene               *scene,
                                                const LoomPromptOptions *options,
                                                GError                 **error);

LoomScene    *loom_prompt_get_scene            (LoomPrompt              *self);
/* The exact messages to send: [{role, content}, …]. */
JsonArray    *loom_prompt_get_messages         (LoomPrompt              *self);
/* The messages as indented JSON, for `storyloom-cli prompt`. */
char         *loom_prompt_to_json              (LoomPrompt              *self);
/* A rough count (about four characters a token), for the writer's eyes and for budgets. */
guint         loom_prompt_get_token_estimate   (LoomPrompt              *self);
gboolean      loom_prompt_get_previous_unwritten (LoomPrompt            *self);
/* The characters included, in story order (element-type LoomCharacter). */
GPtrArray    *loom_prompt_get_characters       (LoomPrompt              *self);
/* What the prompt's context holds, shortened or left out, and why (element-type
 * LoomPromptPart), for the prompt dialog and `storyloom-cli prompt`. */
GPtrArray    *loom_prompt_get_parts            (LoomPrompt              *self);
/* The tokens the prompt was built to fit. */
guint         loom_prompt_get_budget           (LoomPrompt              *self);
/* The story bible entries included, in story order (element-type LoomEntry). */
GPtrArray    *loom_prompt_get_entries          (LoomPrompt              *self);
/* A short string naming the inputs, kept with the request (generations.inputs). */
const char   *loom_prompt_get_fingerprint      (LoomPrompt              *self);
/* Each input with its own fingerprint (element-type LoomSceneInput), for the outdated marks. */
GArray       *loom_prompt_get_inputs           (LoomPrompt              *self);

/* Whole-word, case-sensitive: is @name, or its first word, in @text? */
gboolean      loom_prompt_text_mentions        (const char              *text,
                                                const char              *name);

/* The last @n_words words of @text, from the start of a word, with "…" before when cut. */
char         *loom_prompt_last_words           (const char              *text,
                                                guint                    n_words);

/* The first @n_words words of @text, with "…" after when cut. */
char         *loom_prompt_first_words          (const char              *text,
                                                guint                    n_words);
guint         loom_prompt_estimate_tokens      (JsonArray               *messages);
guint         loom_prompt_estimate_text_tokens (const char              *text);
guint         loom_prompt_estimate_chat_tokens (const char              *system,
                                                const char              *user);
char         *loom_prompt_scene_characters     (LoomScene               *scene,
                                                const char              *also_in,
                                                gsize                    budget,
                                                GPtrArray               *chosen,
                                                GError                 **error);

G_END_DECLS
