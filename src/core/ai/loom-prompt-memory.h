/* loom-prompt-memory.h: the story bible and the story so far, within a prompt's token budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

/* The budget of a prompt when nobody chose one, in tokens: what Preferences calls automatic
 * when the model's context length is unknown. */
#define LOOM_PROMPT_DEFAULT_BUDGET 8000

/* A chapter summary made from its scenes' summaries is at most this many words. */
#define LOOM_PROMPT_CHAPTER_SUMMARY_WORDS 60

/**
 * LoomPromptPartState:
 * @LOOM_PROMPT_PART_INCLUDED: the prompt carries it whole
 * @LOOM_PROMPT_PART_SHORTENED: the prompt carries a shorter form of it
 * @LOOM_PROMPT_PART_LEFT_OUT: the prompt does not carry it
 */
typedef enum
{
  LOOM_PROMPT_PART_INCLUDED,
  LOOM_PROMPT_PART_SHORTENED,
  LOOM_PROMPT_PART_LEFT_OUT,
} LoomPromptPartState;

/**
 * LoomPromptPart:
 * @state: whether the prompt carries it
 * @label: what it is, for the writer ("Chapter 2, “The House”: scene summaries")
 * @note: (nullable): how much of it, or why it was shortened or left out
 * @tokens: the tokens it takes in the prompt (0 when left out)
 *
 * One part of a prompt's context, as the prompt dialog and `storyloom-cli prompt` list it.
 */
typedef struct
{
  LoomPromptPartState  state;
  char                *label;
  char                *note;
  guint                tokens;
} LoomPromptPart;

LoomPromptPart   *loom_prompt_part_new              (LoomPromptPartState  state,
                                                     const char          *label,
                                                     const char          *note,
                                                     guint                tokens);
void              loom_prompt_part_free             (LoomPromptPart      *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomPromptPart, loom_prompt_part_free)

/* One line for the writer: "Chapter 2, “The House”: scene summaries — left out: over the
 * 8,000-token budget". */
char             *loom_prompt_part_describe         (const LoomPromptPart *part);
/* "left out: over the 8,000-token budget" */
char             *loom_prompt_part_describe_state   (const LoomPromptPart *part);

/* "over the 8,000-token budget" */
char             *loom_prompt_over_budget           (guint                budget);

typedef struct _LoomPromptMemory LoomPromptMemory;

LoomPromptMemory *loom_prompt_memory_new            (LoomScene           *scene,
                                                     GHashTable          *mentioned,
                                                     GError             **error);
void              loom_prompt_memory_free           (LoomPromptMemory    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomPromptMemory, loom_prompt_memory_free)

void              loom_prompt_memory_fill           (LoomPromptMemory    *self,
                                                     gint64               available);
gboolean          loom_prompt_memory_drop_last      (LoomPromptMemory    *self);
char             *loom_prompt_memory_bible          (LoomPromptMemory    *self,
                                                     GError             **error);
char             *loom_prompt_memory_story_so_far   (LoomPromptMemory    *self,
                                                     gboolean            *with_outdated,
                                                     GError             **error);
GPtrArray        *loom_prompt_memory_dup_entries    (LoomPromptMemory    *self);
void              loom_prompt_memory_append_inputs  (LoomPromptMemory    *self,
                                                     GArray              *inputs);
void              loom_prompt_memory_append_parts   (LoomPromptMemory    *self,
                                                     guint                budget,
                                                     GPtrArray           *parts);

/* Renders a prompt's user message with the memory's tables (empty when nothing is taken). */
typedef char *(*LoomPromptMemoryRender) (const char *bible,
                                         const char *story_so_far,
                                         gboolean    with_outdated,
                                         gpointer    user_data);

char             *loom_prompt_memory_fit            (LoomPromptMemory     *self,
                                                     guint                 budget,
                                                     const char           *system,
                                                     LoomPromptMemoryRender render,
                                                     gpointer              user_data,
                                                     char                **bible,
                                                     char                **story_so_far,
                                                     GError              **error);

/* The prompt text that introduces the tables (empty strings leave their part out). */
void              loom_prompt_memory_append_text    (GString             *user,
                                                     const char          *bible,
                                                     const char          *story_so_far,
                                                     gboolean             with_outdated);

G_END_DECLS
