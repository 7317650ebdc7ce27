/* loom-story.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-story"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-entry.h"
#include "loom-spell-checker.h"
#include "loom-store-private.h"
#include "loom-word-stats.h"

G_DEFINE_FINAL_TYPE (LoomStory, loom_story, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PREMISE,
  PROP_STYLE_NOTES,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_CHAPTER_COUNT,
  PROP_SCENE_COUNT,
  PROP_WORD_COUNT,
  PROP_TARGET_WORDS,
  PROP_DEADLINE,
  PROP_DAILY_GOAL,
  PROP_SPELL_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loom_story_finalize (GObject *object)
{
  LoomStory *self = (LoomStory *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->premise, g_free);
  g_clear_pointer (&self->style_notes, g_free);
  g_clear_pointer (&self->deadline, g_free);
  g_clear_pointer (&self->spell_language, g_free);
  g_clear_object (&self->chapters);
  g_clear_object (&self->characters);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (loom_story_parent_class)->finalize (object);
}

static void
loom_story_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LoomStory *self = LOOM_STORY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PREMISE:
      g_value_set_string (value, self->premise);
      break;
    case PROP_STYLE_NOTES:
      g_value_set_string (value, self->style_notes);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_CHAPTER_COUNT:
      g_value_set_uint (value, self->chapter_count);
      break;
    case PROP_SCENE_COUNT:
      g_value_set_uint (value, self->scene_count);
      break;
    case PROP_WORD_COUNT:
      g_value_set_uint (value, self->word_count);
      break;
    case PROP_TARGET_WORDS:
      g_value_set_uint (value, self->target_words);
      break;
    case PROP_DEADLINE:
      g_value_set_string (value, self->deadline);
      break;
    case PROP_DAILY_GOAL:
      g_value_set_uint (value, self->daily_goal);
      break;
    case PROP_SPELL_LANGUAGE:
      g_value_set_string (value, self->spell_language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_story_class_init (LoomStoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_story_finalize;
  object_class->get_property = loom_story_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_PREMISE] = g_param_spec_string ("premise", NULL, NULL, NULL, flags);
  properties[PROP_STYLE_NOTES] = g_param_spec_string ("style-notes", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CHAPTER_COUNT] =
    g_param_spec_uint ("chapter-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SCENE_COUNT] =
    g_param_spec_uint ("scene-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_WORD_COUNT] =
    g_param_spec_uint ("word-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TARGET_WORDS] =
    g_param_spec_uint ("target-words", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DEADLINE] = g_param_spec_string ("deadline", NULL, NULL, NULL, flags);
  properties[PROP_DAILY_GOAL] =
    g_param_spec_uint ("daily-goal", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SPELL_LANGUAGE] =
    g_param_spec_string ("spell-language", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_story_init (LoomStory *self)
{
  self->chapters = g_list_store_new (LOOM_TYPE_CHAPTER);
  self->characters = g_list_store_new (LOOM_TYPE_CHARACTER);
  self->entries = g_list_store_new (LOOM_TYPE_ENTRY);
}

LoomStory *
_loom_story_new (LoomStore *store)
{
  LoomStory *self = g_object_new (LOOM_TYPE_STORY, NULL);

  self->store = store;
  _loom_store_watch_inputs (G_OBJECT (self));
  return self;
}

gint64
loom_story_get_id (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->id;
}

const char *
loom_story_get_title (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->title;
}

/* Stores one text column, then mirrors it and the time of the change. */
static gboolean
set_text (LoomStory      *self,
          const char     *column,
          char          **field,
          guint           prop,
          const char     *value,
          LoomTextFlags   flags,
          GError        **error)
{
  g_auto(LoomTextEdit) edit = {
    .table = "stories", .column = column, .id = self->id, .what = properties[prop]->name,
    .flags = flags, .base = *field, .value = value,
  };

  if (!_loom_store_edit_text (self->store, &edit, G_OBJECT (self), field, properties[prop],
                              NULL, error))
    return FALSE;
  if (edit.updated_at != 0)
    loom_mirror_int64 (self, &self->updated_at, edit.updated_at, properties[PROP_UPDATED_AT]);
  return TRUE;
}

gboolean
loom_story_set_title (LoomStory   *self,
                      const char  *title,
                      GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), FALSE);
  return set_text (self, "title", &self->title, PROP_TITLE, title, LOOM_TEXT_NOT_BLANK, error);
}

const char *
loom_story_get_premise (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->premise;
}

gboolean
loom_story_set_premise (LoomStory   *self,
                        const char  *premise,
                        GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), FALSE);
  return set_text (self, "premise", &self->premise, PROP_PREMISE, premise ? premise : "",
                   LOOM_TEXT_ANY, error);
}

const char *
loom_story_get_style_notes (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->style_notes;
}

gboolean
loom_story_set_style_notes (LoomStory   *self,
                            const char  *style_notes,
                            GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), FALSE);
  return set_text (self, "style_notes", &self->style_notes, PROP_STYLE_NOTES,
                   style_notes ? style_notes : "", LOOM_TEXT_ANY, error);
}

gint64
loom_story_get_created_at (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->created_at;
}

gint64
loom_story_get_updated_at (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->updated_at;
}

guint
loom_story_get_chapter_count (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->chapter_count;
}

guint
loom_story_get_scene_count (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->scene_count;
}

guint
loom_story_get_word_count (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->word_count;
}

guint
loom_story_get_target_words (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->target_words;
}

/* Returns: (nullable): the last day, YYYY-MM-DD, or %NULL for none */
const char *
loom_story_get_deadline (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->deadline;
}

guint
loom_story_get_daily_goal (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), 0);
  return self->daily_goal;
}

static void
mirror_goals (LoomStory  *self,
              guint       target_words,
              const char *deadline,
              guint       daily_goal)
{
  loom_mirror_uint (self, &self->target_words, target_words, properties[PROP_TARGET_WORDS]);
  loom_mirror_string (self, &self->deadline, deadline, properties[PROP_DEADLINE]);
  loom_mirror_uint (self, &self->daily_goal, daily_goal, properties[PROP_DAILY_GOAL]);
}

/**
 * loom_story_set_goals:
 * @target_words: the length the writer aims at, 0 for none
 * @deadline: (nullable): the last local day, YYYY-MM-DD, or %NULL or "" for none
 * @daily_goal: the words to write each day, 0 for none
 *
 * Stores the story's goals, all three in one write. A deadline that is no date, or a goal
 * past LOOM_GOAL_MAX_WORDS, is refused with %LOOM_STORE_ERROR_INVALID and a sentence.
 */
gboolean
loom_story_set_goals (LoomStory   *self,
                      guint        target_words,
                      const char  *deadline,
                      guint        daily_goal,
                      GError     **error)
{
  g_autofree char *day = NULL;

  g_return_val_if_fail (LOOM_IS_STORY (self), FALSE);

  if (deadline != NULL && *deadline != '\0')
    {
      GDate date;

      if (!loom_day_parse (deadline, &date))
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                       _("“%s” is not a date. Write the deadline as year-month-day, "
                         "for example 2027-03-31."), deadline);
          return FALSE;
        }
      day = loom_day_format (&date);
    }
  if (target_words > LOOM_GOAL_MAX_WORDS || daily_goal > LOOM_GOAL_MAX_WORDS)
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   _("A goal can be at most %u words."), LOOM_GOAL_MAX_WORDS);
      return FALSE;
    }
  if (!_loom_store_write_goals (self->store, self->id, target_words, day, daily_goal, error))
    return FALSE;
  mirror_goals (self, target_words, day, daily_goal);
  return TRUE;
}

/**
 * loom_story_get_spell_language:
 *
 * Returns: (nullable): the language the story's words are checked in ("en_US"), or %NULL for
 *   the writer's locale
 */
const char *
loom_story_get_spell_language (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->spell_language;
}

/**
 * loom_story_set_spell_language:
 * @language: (nullable): a dictionary's language tag such as "de_DE", or %NULL or "" for the
 *   writer's locale
 *
 * Stores the language the story is spell-checked in. Something that is no language tag is
 * refused with %LOOM_STORE_ERROR_INVALID; whether its dictionary is installed is the caller's
 * to say (it may be on another computer that opens the same library).
 */
gboolean
loom_story_set_spell_language (LoomStory   *self,
                               const char  *language,
                               GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), FALSE);

  if (language != NULL && *language == '\0')
    language = NULL;
  if (language != NULL && !loom_spell_language_is_valid (language))
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   _("“%s” is not a language. Write it as a dictionary names it, for example "
                     "en_US or de_DE."), language);
      return FALSE;
    }
  if (g_strcmp0 (language, self->spell_language) == 0)
    return TRUE;
  if (!_loom_store_write_spell_language (self->store, self->id, language, error))
    return FALSE;
  loom_mirror_string (self, &self->spell_language, language, properties[PROP_SPELL_LANGUAGE]);
  return TRUE;
}

/**
 * loom_story_get_chapters:
 *
 * Returns: (transfer none): a #GListModel of #LoomChapter in order; their scene lists are
 *   loaded with it (outlines and word counts, not prose).
 */
GListModel *
loom_story_get_chapters (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return G_LIST_MODEL (self->chapters);
}

/**
 * loom_story_get_characters:
 *
 * Returns: (transfer none): a #GListModel of #LoomCharacter, oldest first.
 */
GListModel *
loom_story_get_characters (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return G_LIST_MODEL (self->characters);
}

/**
 * loom_story_get_entries:
 *
 * Returns: (transfer none): a #GListModel of #LoomEntry, the story bible besides its
 *   characters, oldest first
 */
GListModel *
loom_story_get_entries (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return G_LIST_MODEL (self->entries);
}

LoomStore *
loom_story_get_store (LoomStory *self)
{
  g_return_val_if_fail (LOOM_IS_STORY (self), NULL);
  return self->store;
}

/* ---------------------------------------------------------------------------------------- */
/* Private setters: the store calls them after a committed write, or a refresh              */

void
_loom_story_update (LoomStory          *self,
                    const LoomStoryRow *row)
{
  loom_mirror_string (self, &self->title, row->title, properties[PROP_TITLE]);
  loom_mirror_string (self, &self->premise, row->premise, properties[PROP_PREMISE]);
  loom_mirror_string (self, &self->style_notes, row->style_notes, properties[PROP_STYLE_NOTES]);
  loom_mirror_int64 (self, &self->created_at, row->created_at, properties[PROP_CREATED_AT]);
  loom_mirror_int64 (self, &self->updated_at, row->updated_at, properties[PROP_UPDATED_AT]);
  loom_mirror_uint (self, &self->chapter_count, row->chapter_count,
                    properties[PROP_CHAPTER_COUNT]);
  loom_mirror_uint (self, &self->scene_count, row->scene_count, properties[PROP_SCENE_COUNT]);
  loom_mirror_uint (self, &self->word_count, row->word_count, properties[PROP_WORD_COUNT]);
  mirror_goals (self, row->target_words, row->deadline, row->daily_goal);
  loom_mirror_string (self, &self->spell_language, row->spell_language,
                      properties[PROP_SPELL_LANGUAGE]);
}

void
_loom_story_add_counts (LoomStory *self,
                        int        d_chapters,
                        int        d_scenes,
                        gint64     d_words)
{
  if (d_chapters != 0)
    {
      self->chapter_count += d_chapters;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAPTER_COUNT]);
    }
  if (d_scenes != 0)
    {
      self->scene_count += d_scenes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE_COUNT]);
    }
  if (d_words != 0)
    {
      self->word_count += d_words;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORD_COUNT]);
    }
}
