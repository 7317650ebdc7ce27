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
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-toon.h"
#include "loom-words.h"

#define DEFAULT_TARGET_WORDS     1000
#define DEFAULT_PREVIOUS_WORDS   400
#define DEFAULT_CHARACTER_BUDGET 3000
#define FINGERPRINT_VERSION      "p1"

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

static guint
estimate_tokens (JsonArray *messages)
{
  guint tokens = 3; /* the reply's priming */

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *content = json_object_get_string_member_with_default (message, "content", "");

      /* ~4 characters a token for English prose; a few tokens of framing per message */
      tokens += 4 + (g_utf8_strlen (content, -1) + 3) / 4;
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

LoomPrompt *
loom_prompt_new_for_scene (LoomScene                *scene,
                           const LoomPromptOptions  *options,
                           GError                  **error)
{
  static const LoomPromptOptions defaults = LOOM_PROMPT_OPTIONS_INIT;
  g_autoptr(LoomPrompt) self = NULL;
  g_autoptr(LoomScene) previous = NULL;
  g_autoptr(LoomScene) next = NULL;
  g_autoptr(GString) system = g_string_new (NULL);
  g_autoptr(GString) user = g_string_new (NULL);
  g_autoptr(GString) neighbours = g_string_new (NULL);
  g_autoptr(GHashTable) mentioned = NULL;
  g_autofree char *mentioned_in = NULL;
  g_autofree char *characters = NULL;
  g_autofree char *bible = NULL;
  g_autofree char *scenes = NULL;
  LoomChapter *chapter;
  LoomStory *story;
  const char *premise;
  const char *style;
  const char *outline;
  const char *previous_prose = NULL;
  guint target_words;
  guint previous_words;
  gsize budget;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (options == NULL)
    options = &defaults;
  target_words = options->target_words ? options->target_words : DEFAULT_TARGET_WORDS;
  previous_words = options->previous_words ? options->previous_words : DEFAULT_PREVIOUS_WORDS;
  budget = options->character_budget ? options->character_budget : DEFAULT_CHARACTER_BUDGET;

  chapter = loom_scene_get_chapter (scene);
  story = loom_chapter_get_story (chapter);
  outline = loom_scene_get_outline (scene);
  premise = loom_story_get_premise (story);
  style = loom_story_get_style_notes (story);

  self = g_object_new (LOOM_TYPE_PROMPT, NULL);
  self->scene = g_object_ref (scene);

  previous = loom_scene_dup_previous (scene);
  next = next_scene (scene);
  if (previous != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!loom_scene_load_prose (previous, &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      previous_prose = loom_scene_get_prose (previous);
    }

  /* who and what to include: whatever the outline or the end of the previous scene names */
  mentioned_in = loom_prompt_mentioned_in (scene, previous_words, NULL, error);
  if (mentioned_in == NULL)
    return NULL;
  mentioned = loom_prompt_find_mentions (story, mentioned_in);
  characters = choose_characters (story, mentioned, budget, self->characters, error);
  if (characters == NULL)
    return NULL;
  bible = loom_prompt_bible_table (story, mentioned, self->entries, error);
  if (bible == NULL)
    return NULL;

  scenes = chapter_table (scene, error);
  if (scenes == NULL)
    return NULL;

  /* The system message: who the model is, the story, and what to answer with. */
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

  /* The user message: the context, then the request. */
  if (*characters != '\0')
    g_string_append_printf (user, "Characters:\n```toon\n%s\n```\n\n", characters);
  if (*bible != '\0')
    g_string_append_printf (user, "Story bible (places, objects, groups and lore):\n"
                            "```toon\n%s\n```\n\n", bible);

  g_string_append_printf (user,
                          "Chapter %u, “%s”, has these scenes (current: true marks the one to "
                          "write):\n```toon\n%s\n```\n\n",
                          loom_chapter_get_number (chapter), loom_chapter_get_title (chapter),
                          scenes);

  if (previous_prose != NULL && *previous_prose != '\0')
    {
      g_autofree char *tail = loom_prompt_last_words (previous_prose, previous_words);

      g_string_append_printf (user, "The previous scene ends:\n\"\"\"\n%s\n\"\"\"\n\n", tail);
    }
  else if (previous == NULL)
    g_string_append (user, "This is the first scene of the story.\n\n");
  else
    {
      const char *previous_outline = loom_scene_get_outline (previous);

      /* Said to the model (and shown in the preview) rather than left out silently. */
      self->previous_unwritten = TRUE;
      g_string_append_printf (user,
                              "The previous scene is not written yet. Its outline:\n%s\n\n",
                              previous_outline && *previous_outline ? previous_outline
                                                                    : "(no outline)");
    }

  g_string_append_printf (user, "Write scene %u of chapter %u now. Its outline:\n%s",
                          loom_scene_get_number (scene), loom_chapter_get_number (chapter),
                          outline && *outline ? outline : "(no outline: continue the story)");

  self->messages = json_array_new ();
  loom_ai_messages_append (self->messages, "system", system->str);
  loom_ai_messages_append (self->messages, "user", user->str);
  self->token_estimate = estimate_tokens (self->messages);

  if (previous != NULL)
    g_string_append (neighbours, loom_scene_get_outline (previous));
  g_string_append_c (neighbours, '\n');
  if (next != NULL)
    g_string_append (neighbours, loom_scene_get_outline (next));
  g_string_append (neighbours, bible);
  self->fingerprint = make_fingerprint (outline, characters, neighbours->str);
  if (loom_story_get_store (story) != NULL)
    self->inputs = loom_store_fingerprint_inputs (loom_story_get_store (story), scene,
                                                  self->characters, self->entries,
                                                  previous_words);

  return g_steal_pointer (&self);
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
}
