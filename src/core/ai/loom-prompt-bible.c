/* loom-prompt-bible.c: the story bible's part of a prompt
 *
 * A prompt includes the entries whose rule is "always", and those whose rule is "when
 * mentioned" when their name or an alias is in what the prompt is about: the scene's outline,
 * how the previous scene ends, and the selection being revised (loom-mentions.h). Entries
 * whose rule is "never" stay out. They go to the model as one TOON table, in story order, as
 * many as the prompt's budget allows (loom-prompt-memory.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-prompt"

#include "config.h"

#include "loom-chapter.h"
#include "loom-entry.h"
#include "loom-mentions.h"
#include "loom-prompt-bible.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-toon.h"
#include "loom-words.h"

#define DEFAULT_PREVIOUS_WORDS 400

/**
 * loom_prompt_find_mentions:
 *
 * Reads @text once for every name and alias of @story's bible and characters.
 *
 * Returns: (transfer full): the set of the #LoomCharacter and #LoomEntry items @text
 *   mentions (borrowed: the story holds them)
 */
GHashTable *
loom_prompt_find_mentions (LoomStory  *story,
                           const char *text)
{
  g_autoptr(LoomMentions) mentions = NULL;
  GHashTable *found = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (LOOM_IS_STORY (story), found);

  mentions = loom_mentions_new_for_story (story);
  loom_mentions_collect (mentions, text, found);
  return found;
}

/**
 * loom_prompt_includes:
 *
 * Returns: whether an item with @inclusion goes into the prompt for certain; an "always"
 *   character not mentioned is included only while the characters fit their budget
 */
gboolean
loom_prompt_includes (LoomInclusion inclusion,
                      gboolean      mentioned)
{
  switch (inclusion)
    {
    case LOOM_INCLUSION_ALWAYS:
      return TRUE;
    case LOOM_INCLUSION_MENTIONED:
      return mentioned;
    case LOOM_INCLUSION_NEVER:
    default:
      return FALSE;
    }
}

static LoomToonValue *
toon_text (const char *text)
{
  return text != NULL && *text != '\0' ? loom_toon_value_new_string (text)
                                       : loom_toon_value_new_null ();
}

static LoomToonValue *
entry_row (LoomEntry *entry)
{
  LoomToonValue *row = loom_toon_value_new_object ();

  loom_toon_value_object_set (row, "kind",
                              loom_toon_value_new_string (
                                loom_entry_kind_to_string (loom_entry_get_kind (entry))));
  loom_toon_value_object_set (row, "name", toon_text (loom_entry_get_name (entry)));
  loom_toon_value_object_set (row, "aliases", toon_text (loom_entry_get_aliases (entry)));
  loom_toon_value_object_set (row, "description",
                              toon_text (loom_entry_get_description (entry)));
  return row;
}

/**
 * loom_prompt_bible_encode:
 * @entries: (element-type LoomEntry): the entries a prompt includes, in story order
 *
 * Returns: (transfer full): @entries as a TOON table named "bible", "" when there are none, or
 *   %NULL with @error set
 */
char *
loom_prompt_bible_encode (GPtrArray  *entries,
                          GError    **error)
{
  g_autoptr(LoomToonValue) rows = loom_toon_value_new_array ();
  g_autoptr(LoomToonValue) document = NULL;

  g_return_val_if_fail (entries != NULL, NULL);

  if (entries->len == 0)
    return g_strdup ("");
  for (guint i = 0; i < entries->len; i++)
    loom_toon_value_array_append (rows, entry_row (g_ptr_array_index (entries, i)));
  document = loom_toon_value_new_object ();
  loom_toon_value_object_set (document, "bible", g_steal_pointer (&rows));
  return loom_toon_encode (document, NULL, error);
}

/**
 * loom_prompt_mentioned_in:
 * @previous_words: how much of the previous scene's end the prompt quotes (0: 400)
 * @also_in: (nullable): more text, such as the selection being revised
 *
 * Returns: (transfer full): the text whose mentions count for @scene: its outline, the end
 *   of the scene before (loaded as needed) and @also_in; %NULL with @error set
 */
char *
loom_prompt_mentioned_in (LoomScene   *scene,
                          guint        previous_words,
                          const char  *also_in,
                          GError     **error)
{
  g_autoptr(LoomScene) previous = loom_scene_dup_previous (scene);
  GString *text = g_string_new (loom_scene_get_outline (scene));

  g_string_append_c (text, '\n');
  if (previous != NULL)
    {
      g_autofree char *tail = NULL;

      if (!loom_scene_load_prose (previous, error))
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      tail = loom_last_words (loom_scene_get_prose (previous),
                              previous_words ? previous_words : DEFAULT_PREVIOUS_WORDS);
      /* an unwritten scene's outline stands in for its end, in the prompt as here */
      if (tail != NULL && *tail != '\0')
        g_string_append (text, tail);
      else
        g_string_append (text, loom_scene_get_outline (previous));
    }
  g_string_append_c (text, '\n');
  if (also_in != NULL)
    g_string_append (text, also_in);
  return g_string_free (text, FALSE);
}
