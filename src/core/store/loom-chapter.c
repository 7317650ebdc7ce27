/* loom-chapter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-chapter"

#include "config.h"

#include "loom-store-private.h"

G_DEFINE_FINAL_TYPE (LoomChapter, loom_chapter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STORY,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_WORD_COUNT,
  PROP_SCENES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loom_chapter_finalize (GObject *object)
{
  LoomChapter *self = (LoomChapter *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->scenes);

  G_OBJECT_CLASS (loom_chapter_parent_class)->finalize (object);
}

static void
loom_chapter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LoomChapter *self = LOOM_CHAPTER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_WORD_COUNT:
      g_value_set_uint (value, self->word_count);
      break;
    case PROP_SCENES:
      g_value_set_object (value, self->scenes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_chapter_class_init (LoomChapterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_chapter_finalize;
  object_class->get_property = loom_chapter_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STORY] = g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY, flags);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_WORD_COUNT] =
    g_param_spec_uint ("word-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SCENES] = g_param_spec_object ("scenes", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_chapter_init (LoomChapter *self)
{
  self->scenes = g_list_store_new (LOOM_TYPE_SCENE);
}

LoomChapter *
_loom_chapter_new (LoomStory *story)
{
  LoomChapter *self = g_object_new (LOOM_TYPE_CHAPTER, NULL);

  self->story = story;
  _loom_store_watch_inputs (G_OBJECT (self));
  return self;
}

gint64
loom_chapter_get_id (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), 0);
  return self->id;
}

LoomStory *
loom_chapter_get_story (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), NULL);
  return self->story;
}

guint
loom_chapter_get_number (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), 0);
  return self->number;
}

const char *
loom_chapter_get_title (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), NULL);
  return self->title;
}

gboolean
loom_chapter_set_title (LoomChapter  *self,
                        const char   *title,
                        GError      **error)
{
  g_auto(LoomTextEdit) edit = {
    .table = "chapters", .column = "title", .what = "title", .flags = LOOM_TEXT_NOT_BLANK,
  };
  LoomStore *store;

  g_return_val_if_fail (LOOM_IS_CHAPTER (self), FALSE);

  store = self->story ? self->story->store : NULL;
  edit.id = self->id;
  edit.base = self->title;
  edit.value = title;
  return _loom_store_edit_text (store, &edit, G_OBJECT (self), &self->title,
                                properties[PROP_TITLE], NULL, error);
}

guint
loom_chapter_get_word_count (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), 0);
  return self->word_count;
}

/**
 * loom_chapter_get_scenes:
 *
 * Returns: (transfer none): a #GListModel of #LoomScene in order.
 */
GListModel *
loom_chapter_get_scenes (LoomChapter *self)
{
  g_return_val_if_fail (LOOM_IS_CHAPTER (self), NULL);
  return G_LIST_MODEL (self->scenes);
}

/* ---------------------------------------------------------------------------------------- */
/* Private setters: the store calls them after a committed write, or a refresh              */

void
_loom_chapter_update (LoomChapter          *self,
                      const LoomChapterRow *row)
{
  _loom_chapter_set_number (self, row->number);
  loom_mirror_string (self, &self->title, row->title, properties[PROP_TITLE]);
}

void
_loom_chapter_set_number (LoomChapter *self,
                          guint        number)
{
  loom_mirror_uint (self, &self->number, number, properties[PROP_NUMBER]);
}

void
_loom_chapter_set_word_count (LoomChapter *self,
                              guint        word_count)
{
  loom_mirror_uint (self, &self->word_count, word_count, properties[PROP_WORD_COUNT]);
}

void
_loom_chapter_add_word_count (LoomChapter *self,
                              gint64       d_words)
{
  if (d_words == 0)
    return;
  self->word_count += d_words;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORD_COUNT]);
}
