/* loom-revise.c: requests about a passage of the writer's own prose
 *
 * The prompt carries what scene drafting carries — the story, its characters by the same
 * inclusion rule, the scene's outline — and then the text before the passage, the passage,
 * the text after it and the instruction. The answer streams to the caller only: it becomes a
 * LoomReview, and the prose changes when the writer applies what they accepted of it. So any
 * failure (an HTTP error, a broken stream, a stall, a cancel) leaves the prose as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-revise"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-chapter.h"
#include "loom-prompt.h"
#include "loom-prompt-bible.h"
#include "loom-prompt-memory.h"
#include "loom-revise.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

/* The instructions as the model reads them; a story may word its own (revise_templates). */
static const char *const default_instructions[] = {
  [LOOM_REVISE_CONTINUE] = "Continue the scene from where the text before stops, in the same "
                           "voice, tense and point of view.",
  [LOOM_REVISE_REWRITE] = "Rewrite the passage: the same events and meaning, better prose.",
  [LOOM_REVISE_EXPAND] = "Expand the passage to about twice its length with detail, action and "
                         "thought, keeping everything that happens in it.",
  [LOOM_REVISE_SHORTEN] = "Shorten the passage to about half its length, keeping what matters "
                          "and the voice.",
  [LOOM_REVISE_DESCRIBE] = "Rewrite the passage to bring in the senses — sight, sound, smell, "
                           "touch and taste — without changing what happens.",
  [LOOM_REVISE_ASK] = "Change the passage as the writer asks.",
};

G_STATIC_ASSERT (G_N_ELEMENTS (default_instructions) == LOOM_REVISE_N_ACTIONS);

const char *
loom_revise_default_instruction (LoomReviseAction action)
{
  g_return_val_if_fail (action < LOOM_REVISE_N_ACTIONS, "");
  return default_instructions[action];
}

/**
 * loom_revise_get_instruction:
 *
 * Returns: (transfer full): @story's wording of @action's instruction, else the default (also
 *   when the library cannot be read: a request is still possible)
 */
char *
loom_revise_get_instruction (LoomStore        *store,
                             LoomStory        *story,
                             LoomReviseAction  action)
{
  g_autoptr(GError) error = NULL;
  char *instruction = loom_store_get_revise_template (store, story, action, &error);

  if (error != NULL)
    g_debug ("Using the default instruction: %s", error->message);
  return instruction ? instruction : g_strdup (loom_revise_default_instruction (action));
}

static gboolean
on_boundary (const char *text,
             gsize       length,
             gsize       at)
{
  return at == 0 || at == length || (((guchar) text[at]) & 0xc0) != 0x80;
}

/**
 * loom_revise_check_request:
 *
 * Whether @request can be asked about @scene's prose as it is: a passage inside the prose, on
 * whole characters, not empty (but for Continue), and Ask with the writer's words. The prose
 * must have been loaded.
 */
gboolean
loom_revise_check_request (LoomScene                *scene,
                           const LoomReviseRequest  *request,
                           GError                  **error)
{
  const char *prose = loom_scene_get_prose (scene);
  gsize length = prose ? strlen (prose) : 0;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (request->action < LOOM_REVISE_N_ACTIONS, FALSE);

  if (request->from > request->to || request->to > length ||
      !on_boundary (prose, length, request->from) || !on_boundary (prose, length, request->to))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The passage is outside the scene’s text, which is %zu bytes long. "
                     "Choose a passage within it."), length);
      return FALSE;
    }
  if (request->action != LOOM_REVISE_CONTINUE)
    {
      g_autofree char *passage = g_strndup (prose + request->from, request->to - request->from);

      if (*g_strstrip (passage) == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Select the words to change first."));
          return FALSE;
        }
    }
  if (request->action == LOOM_REVISE_ASK &&
      (request->extra == NULL || *request->extra == '\0') &&
      (request->instruction == NULL || *request->instruction == '\0'))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Say what the AI should do with the passage."));
      return FALSE;
    }
  return TRUE;
}

static void
append_quoted (GString    *user,
               const char *label,
               const char *text)
{
  g_string_append_printf (user, "%s\n\"\"\"\n%s\n\"\"\"\n\n", label, text);
}

static char *
system_message (LoomStory        *story,
                LoomReviseAction  action)
{
  GString *system = g_string_new (NULL);
  const char *premise = loom_story_get_premise (story);
  const char *style = loom_story_get_style_notes (story);

  g_string_append_printf (system,
                          "You are a novelist's co-writer, working on the writer's own prose "
                          "of the story “%s”.\n", loom_story_get_title (story));
  if (premise != NULL && *premise != '\0')
    g_string_append_printf (system, "\nPremise: %s\n", premise);
  if (style != NULL && *style != '\0')
    g_string_append_printf (system, "\nStyle notes: %s\n", style);
  if (action == LOOM_REVISE_CONTINUE)
    g_string_append (system, "\nAnswer with the new text only, the words that come next: no "
                             "repetition of the text before, no notes, no commentary, no "
                             "Markdown.");
  else
    g_string_append (system, "\nAnswer with the new passage only, to replace the old one "
                             "word for word: no quotation marks around it, no notes, no "
                             "commentary, no Markdown. Keep the language of the text unless "
                             "told otherwise.");
  g_string_append (system, "\n\nStructured context is given in TOON: a table header "
                           "name[count]{fields}: followed by one comma-separated row per line.");
  return g_string_free (system, FALSE);
}

/* What a request says besides its memory. */
typedef struct
{
  LoomScene               *scene;
  const LoomReviseRequest *request;
  const char              *characters;
  const char              *instruction;
} ReviseContext;

static char *
user_message (const char *bible,
              const char *story_so_far,
              gboolean    with_outdated,
              gpointer    user_data)
{
  ReviseContext *c = user_data;
  LoomScene *scene = c->scene;
  const LoomReviseRequest *request = c->request;
  const char *characters = c->characters;
  const char *instruction = c->instruction;
  const char *prose = loom_scene_get_prose (scene);
  const char *outline = loom_scene_get_outline (scene);
  g_autofree char *before_all = g_strndup (prose ? prose : "", request->from);
  g_autofree char *before = loom_prompt_last_words (before_all, LOOM_REVISE_CONTEXT_WORDS);
  g_autofree char *after = loom_prompt_first_words (prose ? prose + request->to : "",
                                                    LOOM_REVISE_AFTER_WORDS);
  GString *user = g_string_new (NULL);

  if (*characters != '\0')
    g_string_append_printf (user, "Characters:\n```toon\n%s\n```\n\n", characters);
  loom_prompt_memory_append_text (user, bible, story_so_far, with_outdated);
  g_string_append_printf (user, "The scene's outline:\n%s\n\n",
                          outline && *outline ? outline : "(no outline)");
  if (*before != '\0')
    append_quoted (user, request->action == LOOM_REVISE_CONTINUE ? "The text so far:"
                                                                 : "The text before the passage:",
                   before);
  else
    g_string_append (user, "The passage begins the scene.\n\n");
  if (request->action != LOOM_REVISE_CONTINUE)
    {
      g_autofree char *passage = g_strndup (prose + request->from, request->to - request->from);

      append_quoted (user, "The passage:", passage);
    }
  if (*g_strstrip (after) != '\0')
    append_quoted (user, request->action == LOOM_REVISE_CONTINUE
                           ? "The text that follows (for what comes after; do not write it):"
                           : "The text after the passage (do not repeat it):",
                   after);

  g_string_append_printf (user, "Instruction: %s", instruction);
  if (request->extra != NULL && *request->extra != '\0')
    g_string_append_printf (user, "\nThe writer asks: %s", request->extra);
  if (request->action == LOOM_REVISE_CONTINUE)
    g_string_append_printf (user, "\nWrite about %u words.",
                            MIN (request->continue_words ? request->continue_words
                                                         : LOOM_REVISE_DEFAULT_CONTINUE,
                                 LOOM_REVISE_MAX_CONTINUE));
  return g_string_free (user, FALSE);
}

/* The answer's likely size in tokens, so that a request that cannot fit is never sent. */
static guint
answer_estimate (const LoomReviseRequest *request,
                 const char              *prose)
{
  guint passage = (g_utf8_strlen (prose + request->from, request->to - request->from) + 3) / 4;

  switch (request->action)
    {
    case LOOM_REVISE_CONTINUE:
      return 2 * MIN (request->continue_words ? request->continue_words
                                              : LOOM_REVISE_DEFAULT_CONTINUE,
                      LOOM_REVISE_MAX_CONTINUE);
    case LOOM_REVISE_EXPAND:
      return passage * 5 / 2 + 64;
    case LOOM_REVISE_SHORTEN:
      return passage + 64;
    case LOOM_REVISE_REWRITE:
    case LOOM_REVISE_DESCRIBE:
    case LOOM_REVISE_ASK:
    default:
      return passage * 3 / 2 + 64;
    }
}

/* Names the limit the passage met: the model's own when its server gave it, else the one
 * assumed, saying so, since the writer may know better (a local server's model). */
static void
set_too_long_error (GError                  **error,
                    const LoomReviseRequest  *request,
                    guint                     needed,
                    gint64                    context)
{
  const char *model = request->model && *request->model ? request->model : _("the model");
  g_autofree char *need = g_strdup_printf ("%'u", needed);
  g_autofree char *limit = g_strdup_printf ("%'u", (guint) MIN (context, G_MAXUINT));

  if (request->context_tokens > 0)
    g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_CONTEXT_TOO_LONG,
                 /* TRANSLATORS: the first %s is a model's name, e.g. "openai/gpt-4o", or
                  * "the model"; the others are numbers of tokens */
                 _("The passage is too long for %s: the request and its answer need about %s "
                   "tokens, and it reads at most %s tokens. Select a shorter passage and try "
                   "again; nothing was sent."),
                 model, need, limit);
  else
    g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_CONTEXT_TOO_LONG,
                 /* TRANSLATORS: the first %s is a model's name, e.g. "llama3", or "the model";
                  * the others are numbers of tokens */
                 _("The passage is too long for %s: the request and its answer need about %s "
                   "tokens, and its server does not say how much the model reads, so at most "
                   "%s tokens are assumed. Select a shorter passage and try again; nothing was "
                   "sent."),
                 model, need, limit);
}

/**
 * loom_revise_build_messages:
 * @token_estimate: (out) (optional): the request and its answer, in tokens
 *
 * Builds the request's messages from the scene's prose as it is (loaded), refusing with
 * %LOOM_AI_ERROR_CONTEXT_TOO_LONG, before anything is sent, a request that with its answer
 * would not fit the model's context.
 *
 * Returns: (transfer full): the messages, or %NULL with @error set
 */
JsonArray *
loom_revise_build_messages (LoomScene                *scene,
                            const LoomReviseRequest  *request,
                            guint                    *token_estimate,
                            GError                  **error)
{
  LoomStory *story = loom_chapter_get_story (loom_scene_get_chapter (scene));
  const char *prose;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) mentioned = NULL;
  g_autoptr(LoomPromptMemory) memory = NULL;
  g_autofree char *characters = NULL;
  g_autofree char *mentioned_in = NULL;
  g_autofree char *selection = NULL;
  g_autofree char *instruction = NULL;
  g_autofree char *system = NULL;
  g_autofree char *user = NULL;
  ReviseContext c = { scene, request, NULL, NULL };
  gint64 context;
  guint needed;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!loom_revise_check_request (scene, request, error))
    return NULL;
  prose = loom_scene_get_prose (scene) ? loom_scene_get_prose (scene) : "";

  characters = loom_prompt_scene_characters (scene, prose, 0, chosen, error);
  if (characters == NULL)
    return NULL;
  /* The bible follows the selection (for Continue, the text it continues). */
  if (request->action == LOOM_REVISE_CONTINUE)
    {
      g_autofree char *before = g_strndup (prose, request->from);

      selection = loom_prompt_last_words (before, LOOM_REVISE_CONTEXT_WORDS);
    }
  else
    selection = g_strndup (prose + request->from, request->to - request->from);
  if ((mentioned_in = loom_prompt_mentioned_in (scene, 0, selection, error)) == NULL)
    return NULL;
  mentioned = loom_prompt_find_mentions (story, mentioned_in);
  if ((memory = loom_prompt_memory_new (scene, mentioned, error)) == NULL)
    return NULL;
  instruction = request->instruction && *request->instruction
                  ? g_strdup (request->instruction)
                  : loom_revise_get_instruction (loom_story_get_store (story), story,
                                                 request->action);
  c.characters = characters;
  c.instruction = instruction;
  system = system_message (story, request->action);
  /* the passage and its surroundings first; the story bible and the story so far fill what
   * they leave of the budget */
  user = loom_prompt_memory_fit (memory, request->context_budget ? request->context_budget
                                                                 : LOOM_PROMPT_DEFAULT_BUDGET,
                                 system, user_message, &c, NULL, NULL, error);
  if (user == NULL)
    return NULL;

  messages = json_array_new ();
  loom_ai_messages_append (messages, "system", system);
  loom_ai_messages_append (messages, "user", user);

  needed = loom_prompt_estimate_tokens (messages) + answer_estimate (request, prose);
  context = request->context_tokens > 0 ? request->context_tokens : LOOM_REVISE_ASSUMED_CONTEXT;
  if (token_estimate != NULL)
    *token_estimate = needed;
  if (needed > context)
    {
      set_too_long_error (error, request, needed, context);
      return NULL;
    }
  return g_steal_pointer (&messages);
}
