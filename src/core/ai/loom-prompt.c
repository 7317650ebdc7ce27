/* loom-prompt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-prompt"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-ai-types.h"
#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-entry.h"
#include "loom-prompt.h"
#include "loom-prompt-bible.h"
#include "loom-prompt-memory.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-toon.h"
#include "loom-words.h"

#define DEFAULT_TARGET_WORDS     1000
#define DEFAULT_PREVIOUS_WORDS   400
#define DEFAULT_CHARACTER_BUDGET 3000
#define FINGERPRINT_VERSION      "p1"
/* How the previous scene ends is never quoted in fewer words than this: shorter, it is left
 * out. */
#define MIN_PREVIOUS_WORDS       25

struct _LoomPrompt
{
  GObject     parent_instance;

  /* owned */
  LoomScene  *scene;
  JsonArray  *messages;
  GPtrArray  *characters;
  GPtrArray  *entries;      /* the bible entries included */
  char       *fingerprint;
  GArray     *inputs;       /* of LoomSceneInput */
  GPtrArray  *parts;        /* of LoomPromptPart: what was included, what was left out */
  guint       budget;
  guint       token_estimate;
  gboolean    previous_unwritten;
};

G_DEFINE_FINAL_TYPE (LoomPrompt, loom_prompt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCENE,
  PROP_TOKEN_ESTIMATE,
  PROP_FINGERPRINT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Text helpers */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gboolean
mentions_word (const char *text,
               const char *word,
               gsize       word_len)
{
  const char *p = text;

  if (word_len == 0)
    return FALSE;

  while ((p = strstr (p, word)) != NULL)
    {
      const char *after = p + word_len;
      gboolean start_ok = TRUE;
      gboolean end_ok = TRUE;

      if (p > text)
        {
          const char *prev = g_utf8_find_prev_char (text, p);

          start_ok = prev == NULL || !is_word_char (g_utf8_get_char (prev));
        }
      if (*after != '\0')
        end_ok = !is_word_char (g_utf8_get_char (after));

      if (start_ok && end_ok)
        return TRUE;

      p = g_utf8_next_char (p);
    }

  return FALSE;
}

gboolean
loom_prompt_text_mentions (const char *text,
                           const char *name)
{
  g_autofree char *trimmed = NULL;
  const char *space;

  if (text == NULL || name == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0')
    return FALSE;

  if (strstr (text, trimmed) != NULL && mentions_word (text, trimmed, strlen (trimmed)))
    return TRUE;

  /* "Mara Lind" is often just "Mara" in an outline */
  space = strpbrk (trimmed, " \t");
  if (space != NULL)
    {
      g_autofree char *first = g_strndup (trimmed, space - trimmed);

      return mentions_word (text, first, strlen (first));
    }

  return FALSE;
}

char *
loom_prompt_last_words (const char *text,
                        guint       n_words)
{
  return loom_last_words (text, n_words);
}

/* Fingerprints: a version, then a short hash for each input. */

static char *
short_hash (const char *text)
{
  g_autofree char *full = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text ? text : "", -1);

  return g_strndup (full, 16);
}

static char *
make_fingerprint (const char *outline,
                  const char *characters,
                  const char *neighbours)
{
  g_autofree char *o = short_hash (outline);
  g_autofree char *c = short_hash (characters);
  g_autofree char *n = short_hash (neighbours);

  return g_strdup_printf (FINGERPRINT_VERSION ":%s:%s:%s", o, c, n);
}

/* Building */

static LoomToonValue *
toon_string (const char *text)
{
  return text != NULL && *text != '\0' ? loom_toon_value_new_string (text)
                                       : loom_toon_value_new_null ();
}

static LoomToonValue *
character_row (LoomCharacter *character,
               gboolean       with_aliases)
{
  LoomToonValue *row = loom_toon_value_new_object ();

  loom_toon_value_object_set (row, "name", toon_string (loom_character_get_name (character)));
  if (with_aliases)
    loom_toon_value_object_set (row, "aliases",
                                toon_string (loom_character_get_aliases (character)));
  loom_toon_value_object_set (row, "traits", toon_string (loom_character_get_traits (character)));
  loom_toon_value_object_set (row, "backstory",
                              toon_string (loom_character_get_backstory (character)));

  return row;
}

static char *
encode_table (const char    *key,
              LoomToonValue *rows,
              GError       **error)
{
  g_autoptr(LoomToonValue) document = loom_toon_value_new_object ();

  loom_toon_value_object_set (document, key, loom_toon_value_ref (rows));

  return loom_toon_encode (document, NULL, error);
}

/* Whether any of the characters @take marks has aliases, so that the table gets the column. */
static gboolean
any_aliases (GListModel     *all,
             const gboolean *take)
{
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (all, i);

      if (take[i] && *loom_character_get_aliases (character) != '\0')
        return TRUE;
    }
  return FALSE;
}

/* Characters @mentioned always (unless their rule is never); the others whose rule is always
 * in story order while they fit. */
static char *
choose_characters (LoomStory   *story,
                   GHashTable  *mentioned,
                   gsize        budget,
                   GPtrArray   *chosen,
                   GError     **error)
{
  GListModel *all = loom_story_get_characters (story);
  guint n = g_list_model_get_n_items (all);
  g_autofree gboolean *take = g_new0 (gboolean, MAX (n, 1));
  g_autoptr(LoomToonValue) rows = NULL;
  g_autofree char *table = NULL;
  gboolean with_aliases;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (all, i);

      take[i] = g_hash_table_contains (mentioned, character) &&
                loom_prompt_includes (loom_character_get_inclusion (character), TRUE);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (all, i);
      g_autoptr(LoomToonValue) trial = NULL;
      g_autofree char *encoded = NULL;

      if (take[i] || loom_character_get_inclusion (character) != LOOM_INCLUSION_ALWAYS)
        continue;
      trial = loom_toon_value_new_array ();

      for (guint j = 0; j < n; j++)
        if (take[j] || j == i)
          {
            g_autoptr(LoomCharacter) c = g_list_model_get_item (all, j);

            loom_toon_value_array_append (trial, character_row (c, FALSE));
          }

      encoded = encode_table ("characters", trial, error);
      if (encoded == NULL)
        return NULL;
      if (strlen (encoded) <= budget)
        take[i] = TRUE;
    }

  rows = loom_toon_value_new_array ();
  with_aliases = any_aliases (all, take);
  for (guint i = 0; i < n; i++)
    if (take[i])
      {
        LoomCharacter *character = g_list_model_get_item (all, i);

        loom_toon_value_array_append (rows, character_row (character, with_aliases));
        g_ptr_array_add (chosen, character);
      }

  if (loom_toon_value_get_length (rows) == 0)
    return g_strdup ("");

  table = encode_table ("characters", rows, error);

  return g_steal_pointer (&table);
}

static LoomScene *
next_scene (LoomScene *scene)
{
  LoomChapter *chapter = loom_scene_get_chapter (scene);
  GListModel *chapters = loom_story_get_chapters (loom_chapter_get_story (chapter));
  guint n_chapters = g_list_model_get_n_items (chapters);
  gboolean seen = FALSE;

  for (guint ci = 0; ci < n_chapters; ci++)
    {
      g_autoptr(LoomChapter) c = g_list_model_get_item (chapters, ci);
      GListModel *scenes = loom_chapter_get_scenes (c);

      for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
        {
          LoomScene *s = g_list_model_get_item (scenes, i);

          if (seen)
            return s;
          if (s == scene)
            seen = TRUE;
          g_object_unref (s);
        }
    }

  return NULL;
}

static char *
chapter_table (LoomScene  *scene,
               GError    **error)
{
  GListModel *scenes = loom_chapter_get_scenes (loom_scene_get_chapter (scene));
  g_autoptr(LoomToonValue) rows = loom_toon_value_new_array ();

  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) s = g_list_model_get_item (scenes, i);
      LoomToonValue *row = loom_toon_value_new_object ();

      loom_toon_value_object_set (row, "scene", loom_toon_value_new_int (i + 1));
      loom_toon_value_object_set (row, "outline", toon_string (loom_scene_get_outline (s)));
      loom_toon_value_object_set (row, "current", loom_toon_value_new_boolean (s == scene));
      loom_toon_value_array_append (rows, row);
    }

  return encode_table ("scenes", rows, error);
}

/**
 * loom_prompt_estimate_text_tokens:
 *
 * The one estimate of tokens this program makes, for budgets and costs: about four characters
 * a token, as for English prose.
 *
 * Returns: the tokens @text takes, roughly
 */
guint
loom_prompt_estimate_text_tokens (const char *text)
{
  if (text == NULL)
    return 0;
  return (g_utf8_strlen (text, -1) + 3) / 4;
}

/* A few tokens of framing per message. */
static guint
message_tokens (const char *content)
{
  return 4 + loom_prompt_estimate_text_tokens (content);
}

/**
 * loom_prompt_estimate_chat_tokens:
 *
 * Returns: what loom_prompt_estimate_tokens() says of the messages @system and @user
 */
guint
loom_prompt_estimate_chat_tokens (const char *system,
                                  const char *user)
{
  return 3 + message_tokens (system) + message_tokens (user);
}

static guint
estimate_tokens (JsonArray *messages)
{
  guint tokens = 3; /* the reply's priming */

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      tokens += message_tokens (json_object_get_string_member_with_default (message, "content",
                                                                            ""));
    }

  return tokens;
}

/**
 * loom_prompt_estimate_tokens:
 *
 * Returns: a rough count of the tokens @messages take (about four characters a token)
 */
guint
loom_prompt_estimate_tokens (JsonArray *messages)
{
  g_return_val_if_fail (messages != NULL, 0);

  return estimate_tokens (messages);
}

/**
 * loom_prompt_first_words:
 *
 * Returns: (transfer full): the first @n_words words of @text, with "…" after when cut
 */
char *
loom_prompt_first_words (const char *text,
                         guint       n_words)
{
  gboolean in_word = FALSE;
  guint words = 0;

  if (text == NULL)
    return g_strdup ("");

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && !in_word && words++ == n_words)
        {
          g_autofree char *head = g_strndup (text, p - text);

          return g_strconcat (g_strchomp (head), "…", NULL);
        }
      in_word = !space;
    }
  return g_strdup (text);
}

/**
 * loom_prompt_scene_characters:
 * @also_in: (nullable): more text whose named characters are included
 * @budget: bytes of TOON for the characters nobody names (0: the default)
 * @chosen: (element-type LoomCharacter): the characters included are appended here
 *
 * The characters of @scene's story as a TOON table, by the rule scene drafting follows: those
 * named in the scene's outline, in how the previous scene ends, or in @also_in (unless their
 * rule is never), then the others whose rule is always while they fit @budget.
 *
 * Returns: (transfer full): the table, "" when the story has no characters, or %NULL with
 *   @error set
 */
char *
loom_prompt_scene_characters (LoomScene   *scene,
                              const char  *also_in,
                              gsize        budget,
                              GPtrArray   *chosen,
                              GError     **error)
{
  LoomStory *story;
  g_autofree char *mentioned_in = NULL;
  g_autoptr(GHashTable) mentioned = NULL;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);
  g_return_val_if_fail (chosen != NULL, NULL);

  story = loom_chapter_get_story (loom_scene_get_chapter (scene));
  mentioned_in = loom_prompt_mentioned_in (scene, 0, also_in, error);
  if (mentioned_in == NULL)
    return NULL;
  mentioned = loom_prompt_find_mentions (story, mentioned_in);
  return choose_characters (story, mentioned, budget ? budget : DEFAULT_CHARACTER_BUDGET,
                            chosen, error);
}

/* What a scene's prompt says besides its memory, worked out once. */
typedef struct
{
  LoomScene   *scene;
  LoomChapter *chapter;
  LoomScene   *previous;        /* nullable */
  const char  *previous_prose;  /* nullable */
  const char  *characters;
  const char  *scenes;
  char        *system;
  guint        previous_words;  /* of the previous scene's end, as asked */
  guint        tail_words;      /* as quoted: fewer when the budget is short, 0 for none */
  gboolean     previous_unwritten;
} SceneContext;

static char *
system_message (LoomStory *story,
                guint      target_words)
{
  const char *premise = loom_story_get_premise (story);
  const char *style = loom_story_get_style_notes (story);
  GString *system = g_string_new (NULL);

  /* Who the model is, the story, and what to answer with. */
  g_string_append_printf (system,
                          "You are a novelist's co-writer. You write the prose of one scene at "
                          "a time for the story “%s”, following the writer's outline.\n",
                          loom_story_get_title (story));
  if (premise != NULL && *premise != '\0')
    g_string_append_printf (system, "\nPremise: %s\n", premise);
  if (style != NULL && *style != '\0')
    g_string_append_printf (system, "\nStyle notes: %s\n", style);
  g_string_append_printf (system,
                          "\nAnswer with the scene's prose only: no title, no headings, no notes, "
                          "no commentary, no Markdown. Write about %u words. Continue naturally "
                          "from the previous scene, keep the characters true to their "
                          "descriptions, and end where the outline ends.\n",
                          target_words);
  g_string_append (system,
                   "\nStructured context is given in TOON: a table header "
                   "name[count]{fields}: followed by one comma-separated row per line.");
  return g_string_free (system, FALSE);
}

/* The context, the memory, how the previous scene ends, then the request. */
static char *
user_message (SceneContext *c,
              const char   *bible,
              const char   *story_so_far,
              gboolean      with_outdated)
{
  GString *user = g_string_new (NULL);
  const char *outline = loom_scene_get_outline (c->scene);

  c->previous_unwritten = FALSE;
  if (*c->characters != '\0')
    g_string_append_printf (user, "Characters:\n```toon\n%s\n```\n\n", c->characters);
  loom_prompt_memory_append_text (user, bible, story_so_far, with_outdated);

  g_string_append_printf (user,
                          "Chapter %u, “%s”, has these scenes (current: true marks the one to "
                          "write):\n```toon\n%s\n```\n\n",
                          loom_chapter_get_number (c->chapter),
                          loom_chapter_get_title (c->chapter), c->scenes);

  if (c->previous_prose != NULL && *c->previous_prose != '\0')
    {
      if (c->tail_words > 0)
        {
          g_autofree char *tail = loom_prompt_last_words (c->previous_prose, c->tail_words);

          g_string_append_printf (user, "The previous scene ends:\n\"\"\"\n%s\n\"\"\"\n\n",
                                  tail);
        }
    }
  else if (c->previous == NULL)
    g_string_append (user, "This is the first scene of the story.\n\n");
  else
    {
      const char *previous_outline = loom_scene_get_outline (c->previous);

      /* Said to the model (and shown in the preview) rather than left out silently. */
      c->previous_unwritten = TRUE;
      g_string_append_printf (user,
                              "The previous scene is not written yet. Its outline:\n%s\n\n",
                              previous_outline && *previous_outline ? previous_outline
                                                                    : "(no outline)");
    }

  g_string_append_printf (user, "Write scene %u of chapter %u now. Its outline:\n%s",
                          loom_scene_get_number (c->scene), loom_chapter_get_number (c->chapter),
                          outline && *outline ? outline : "(no outline: continue the story)");
  return g_string_free (user, FALSE);
}

static char *
render_user (const char *bible,
             const char *story_so_far,
             gboolean    with_outdated,
             gpointer    user_data)
{
  return user_message (user_data, bible, story_so_far, with_outdated);
}

/* The memory fits what the rest leaves of the budget; when the rest alone is over it, the
 * previous scene is quoted shorter, then not at all. */
static char *
fit_user_message (LoomPrompt        *self,
                  SceneContext      *c,
                  LoomPromptMemory  *memory,
                  char             **bible,
                  char             **story_so_far,
                  GError           **error)
{
  while (TRUE)
    {
      g_autofree char *user = NULL;

      g_clear_pointer (bible, g_free);
      g_clear_pointer (story_so_far, g_free);
      user = loom_prompt_memory_fit (memory, self->budget, c->system, render_user, c, bible,
                                     story_so_far, error);
      if (user == NULL)
        return NULL;
      if (loom_prompt_estimate_chat_tokens (c->system, user) <= self->budget ||
          c->tail_words == 0)
        return g_steal_pointer (&user);
      c->tail_words = c->tail_words / 2 >= MIN_PREVIOUS_WORDS ? c->tail_words / 2 : 0;
    }
}

static void
add_part (LoomPrompt          *self,
          LoomPromptPartState  state,
          const char          *label,
          const char          *note,
          guint                tokens)
{
  g_ptr_array_add (self->parts, loom_prompt_part_new (state, label, note, tokens));
}

static void
add_previous_part (LoomPrompt   *self,
                   SceneContext *c)
{
  g_autofree char *over = loom_prompt_over_budget (self->budget);
  g_autofree char *note = NULL;
  g_autofree char *tail = NULL;
  const char *label = _("End of the previous scene");
  guint quoted;

  if (c->previous == NULL)
    return;
  if (self->previous_unwritten)
    {
      add_part (self, LOOM_PROMPT_PART_SHORTENED, label,
                _("its outline: the scene is not written yet"),
                loom_prompt_estimate_text_tokens (loom_scene_get_outline (c->previous)));
      return;
    }
  if (c->tail_words == 0)
    {
      add_part (self, LOOM_PROMPT_PART_LEFT_OUT, label, over, 0);
      return;
    }
  tail = loom_prompt_last_words (c->previous_prose, c->tail_words);
  quoted = loom_count_words (tail, -1);
  if (c->tail_words < c->previous_words &&
      loom_count_words (c->previous_prose, -1) > c->tail_words)
    {
      /* Translators: how much of the previous scene a prompt quotes; the last %s is "over the
       * 8,000-token budget" */
      note = g_strdup_printf (_("its last %u words: %u are %s"), quoted, c->previous_words,
                              over);
      add_part (self, LOOM_PROMPT_PART_SHORTENED, label, note,
                loom_prompt_estimate_text_tokens (tail));
      return;
    }
  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "its last %u word",
                                       "its last %u words", quoted), quoted);
  add_part (self, LOOM_PROMPT_PART_INCLUDED, label, note, loom_prompt_estimate_text_tokens (tail));
}

static void
add_parts (LoomPrompt       *self,
           SceneContext     *c,
           LoomPromptMemory *memory)
{
  guint n = self->characters->len;

  if (n > 0)
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character",
                                                            "%u characters", n), n);

      add_part (self, LOOM_PROMPT_PART_INCLUDED, _("Characters"), note,
                loom_prompt_estimate_text_tokens (c->characters));
    }
  loom_prompt_memory_append_parts (memory, self->budget, self->parts);
  add_previous_part (self, c);
  if (self->token_estimate > self->budget)
    {
      g_autofree char *over = loom_prompt_over_budget (self->budget);
      /* Translators: said when even what every prompt must carry is over the budget; %s is
       * "over the 8,000-token budget" */
      g_autofree char *note = g_strdup_printf (_("always included, though alone they are %s"),
                                               over);

      add_part (self, LOOM_PROMPT_PART_INCLUDED,
                _("The outline, the characters and the chapter's scenes"), note, 0);
    }
}

/* What the prompt was made from, to tell later whether the scene's draft is outdated: its
 * outline, the characters, the neighbours' outlines and the memory it quoted. */
static void
set_fingerprint (LoomPrompt   *self,
                 SceneContext *c,
                 const char   *bible,
                 const char   *story_so_far)
{
  g_autoptr(LoomScene) next = next_scene (c->scene);
  g_autoptr(GString) neighbours = g_string_new (NULL);

  if (c->previous != NULL)
    g_string_append (neighbours, loom_scene_get_outline (c->previous));
  g_string_append_c (neighbours, '\n');
  if (next != NULL)
    g_string_append (neighbours, loom_scene_get_outline (next));
  g_string_append (neighbours, bible);
  g_string_append (neighbours, story_so_far);
  self->fingerprint = make_fingerprint (loom_scene_get_outline (c->scene), c->characters,
                                        neighbours->str);
}

/* The same inputs, one by one, as the library records them (none for a story without one). */
static void
set_inputs (LoomPrompt       *self,
            SceneContext     *c,
            LoomPromptMemory *memory)
{
  LoomStore *store = loom_story_get_store (loom_chapter_get_story (c->chapter));

  if (store == NULL)
    return;
  self->inputs = loom_store_fingerprint_inputs (store, c->scene, self->characters, self->entries,
                                                c->tail_words ? c->tail_words
                                                              : c->previous_words);
  loom_prompt_memory_append_inputs (memory, self->inputs);
}

LoomPrompt *
loom_prompt_new_for_scene (LoomScene                *scene,
                           const LoomPromptOptions  *options,
                           GError                  **error)
{
  static const LoomPromptOptions defaults = LOOM_PROMPT_OPTIONS_INIT;
  g_autoptr(LoomPrompt) self = NULL;
  g_autoptr(LoomScene) previous = NULL;
  g_autoptr(GHashTable) mentioned = NULL;
  g_autoptr(LoomPromptMemory) memory = NULL;
  g_autofree char *mentioned_in = NULL;
  g_autofree char *characters = NULL;
  g_autofree char *bible = NULL;
  g_autofree char *story_so_far = NULL;
  g_autofree char *scenes = NULL;
  g_autofree char *system = NULL;
  g_autofree char *user = NULL;
  SceneContext c = { NULL, };
  LoomStory *story;
  gsize character_budget;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (options == NULL)
    options = &defaults;
  c.previous_words = options->previous_words ? options->previous_words
                                             : DEFAULT_PREVIOUS_WORDS;
  character_budget = options->character_budget ? options->character_budget
                                               : DEFAULT_CHARACTER_BUDGET;

  c.scene = scene;
  c.chapter = loom_scene_get_chapter (scene);
  story = loom_chapter_get_story (c.chapter);

  self = g_object_new (LOOM_TYPE_PROMPT, NULL);
  self->scene = g_object_ref (scene);
  self->budget = options->context_budget ? options->context_budget : LOOM_PROMPT_DEFAULT_BUDGET;

  previous = loom_scene_dup_previous (scene);
  if (previous != NULL)
    {
      if (!loom_scene_load_prose (previous, error))
        return NULL;
      c.previous = previous;
      c.previous_prose = options->previous_prose ? options->previous_prose
                                                 : loom_scene_get_prose (previous);
    }
  c.tail_words = c.previous_words;

  /* who and what to include: whatever the outline or the end of the previous scene names */
  mentioned_in = loom_prompt_mentioned_in (scene, c.previous_words, NULL, error);
  if (mentioned_in == NULL)
    return NULL;
  mentioned = loom_prompt_find_mentions (story, mentioned_in);
  characters = choose_characters (story, mentioned, character_budget, self->characters, error);
  if (characters == NULL || (scenes = chapter_table (scene, error)) == NULL ||
      (memory = loom_prompt_memory_new (scene, mentioned, error)) == NULL)
    return NULL;
  c.characters = characters;
  c.scenes = scenes;
  c.system = system = system_message (story, options->target_words ? options->target_words
                                                                   : DEFAULT_TARGET_WORDS);

  user = fit_user_message (self, &c, memory, &bible, &story_so_far, error);
  if (user == NULL)
    return NULL;
  self->previous_unwritten = c.previous_unwritten;

  self->messages = json_array_new ();
  loom_ai_messages_append (self->messages, "system", system);
  loom_ai_messages_append (self->messages, "user", user);
  self->token_estimate = estimate_tokens (self->messages);
  g_ptr_array_extend_and_steal (self->entries, loom_prompt_memory_dup_entries (memory));
  add_parts (self, &c, memory);

  set_fingerprint (self, &c, bible, story_so_far);
  set_inputs (self, &c, memory);

  return g_steal_pointer (&self);
}

/**
 * loom_prompt_get_parts:
 *
 * Returns: (transfer none) (element-type LoomPromptPart): the parts of the prompt's context:
 *   what was included, shortened or left out, and why
 */
GPtrArray *
loom_prompt_get_parts (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);
  return self->parts;
}

/**
 * loom_prompt_get_budget:
 *
 * Returns: the tokens the prompt was built to fit
 */
guint
loom_prompt_get_budget (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), 0);
  return self->budget;
}

/**
 * loom_prompt_get_inputs:
 *
 * Returns: (transfer none) (element-type LoomSceneInput): every input the prompt was built
 *   from, with its fingerprint, for #LoomGenerationEnd.inputs
 */
GArray *
loom_prompt_get_inputs (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);
  return self->inputs;
}

/**
 * loom_prompt_get_previous_unwritten:
 *
 * Returns: whether a scene comes before this one but has no prose yet, so the prompt carries
 *   only its outline instead of how it ends
 */
gboolean
loom_prompt_get_previous_unwritten (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), FALSE);

  return self->previous_unwritten;
}

LoomScene *
loom_prompt_get_scene (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  return self->scene;
}

JsonArray *
loom_prompt_get_messages (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  return self->messages;
}

char *
loom_prompt_to_json (LoomPrompt *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_alloc ();

  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  json_node_init_array (root, self->messages);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

guint
loom_prompt_get_token_estimate (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), 0);

  return self->token_estimate;
}

GPtrArray *
loom_prompt_get_characters (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  return self->characters;
}

/**
 * loom_prompt_get_entries:
 *
 * Returns: (transfer none) (element-type LoomEntry): the story bible entries included, in
 *   story order
 */
GPtrArray *
loom_prompt_get_entries (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  return self->entries;
}

const char *
loom_prompt_get_fingerprint (LoomPrompt *self)
{
  g_return_val_if_fail (LOOM_IS_PROMPT (self), NULL);

  return self->fingerprint;
}

static void
loom_prompt_finalize (GObject *object)
{
  LoomPrompt *self = LOOM_PROMPT (object);

  g_clear_object (&self->scene);
  g_clear_pointer (&self->messages, json_array_unref);
  g_clear_pointer (&self->characters, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->inputs, g_array_unref);
  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (loom_prompt_parent_class)->finalize (object);
}

static void
loom_prompt_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LoomPrompt *self = LOOM_PROMPT (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;
    case PROP_TOKEN_ESTIMATE:
      g_value_set_uint (value, self->token_estimate);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_prompt_class_init (LoomPromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = loom_prompt_finalize;
  object_class->get_property = loom_prompt_get_property;

  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL,
                         LOOM_TYPE_SCENE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_ESTIMATE] =
    g_param_spec_uint ("token-estimate", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_prompt_init (LoomPrompt *self)
{
  self->characters = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) loom_prompt_part_free);
}
