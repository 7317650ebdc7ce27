/* loom-deletion.c
 *
 * A deletion is one entry of the library's trash: what was deleted, from where, with how much
 * went along, and when. The rows themselves stay in the library (loom-store-trash.c), so the
 * entry survives a crash or a restart; this object only describes it. While the program that
 * deleted it runs, it also holds the deleted object, so that restoring gives every view the
 * very object it had.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-deletion"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

struct _LoomDeletion
{
  GObject        parent_instance;

  gint64         id;
  LoomTrashKind  kind;
  char          *title;
  char          *story_title;
  gint64         deleted_at;
  guint          n_chapters;
  guint          n_scenes;
  guint          n_words;
  guint          position;

  GObject       *item;  /* (nullable): the deleted object, when this program deleted it */
};

G_DEFINE_FINAL_TYPE (LoomDeletion, loom_deletion, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_STORY_TITLE,
  PROP_DELETED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
loom_deletion_finalize (GObject *object)
{
  LoomDeletion *self = (LoomDeletion *) object;

  g_clear_object (&self->item);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->story_title, g_free);

  G_OBJECT_CLASS (loom_deletion_parent_class)->finalize (object);
}

static void
loom_deletion_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LoomDeletion *self = LOOM_DELETION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STORY_TITLE:
      g_value_set_string (value, self->story_title);
      break;
    case PROP_DELETED_AT:
      g_value_set_int64 (value, self->deleted_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_deletion_class_init (LoomDeletionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = loom_deletion_finalize;
  object_class->get_property = loom_deletion_get_property;

  /* A deletion never changes: the properties are for list views to bind. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, LOOM_TYPE_TRASH_KIND,
                                             LOOM_TRASH_SCENE, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STORY_TITLE] = g_param_spec_string ("story-title", NULL, NULL, NULL, flags);
  properties[PROP_DELETED_AT] = g_param_spec_int64 ("deleted-at", NULL, NULL, 0, G_MAXINT64, 0,
                                                    flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_deletion_init (LoomDeletion *self)
{
}

LoomDeletion *
_loom_deletion_new (const LoomTrashEntry *entry,
                    GObject              *item)
{
  LoomDeletion *self = g_object_new (LOOM_TYPE_DELETION, NULL);

  self->id = entry->id;
  self->kind = entry->kind;
  self->title = g_strdup (entry->title);
  self->story_title = g_strdup (entry->story_title);
  self->deleted_at = entry->deleted_at;
  self->n_chapters = entry->n_chapters;
  self->n_scenes = entry->n_scenes;
  self->n_words = entry->n_words;
  self->position = entry->position;
  self->item = item != NULL ? g_object_ref (item) : NULL;
  return self;
}

gint64
loom_deletion_get_id (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->id;
}

LoomTrashKind
loom_deletion_get_kind (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), LOOM_TRASH_SCENE);
  return self->kind;
}

/* The story's or chapter's title, the character's name, or the scene's outline. */
const char *
loom_deletion_get_title (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);
  return self->title;
}

const char *
loom_deletion_get_story_title (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);
  return self->story_title;
}

/* In milliseconds since the epoch. */
gint64
loom_deletion_get_deleted_at (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->deleted_at;
}

/* When the trash lets go of it for good, in milliseconds since the epoch. */
gint64
loom_deletion_get_expires_at (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->deleted_at + (gint64) LOOM_TRASH_DAYS * 24 * 3600 * 1000;
}

guint
loom_deletion_get_n_chapters (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->n_chapters;
}

guint
loom_deletion_get_n_scenes (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->n_scenes;
}

guint
loom_deletion_get_n_words (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), 0);
  return self->n_words;
}

/**
 * loom_deletion_get_item:
 *
 * Returns: (transfer none) (nullable): the deleted #LoomStory, #LoomChapter, #LoomScene or
 *   #LoomCharacter, when this program deleted it; %NULL for what an earlier run deleted.
 */
GObject *
loom_deletion_get_item (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);
  return self->item;
}

guint
_loom_deletion_get_position (LoomDeletion *self)
{
  return self->position;
}

/**
 * loom_deletion_describe:
 *
 * Returns: a sentence for an Undo toast, such as “Chapter “Arrival” moved to the Trash”.
 */
char *
loom_deletion_describe (LoomDeletion *self)
{
  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);

  switch (self->kind)
    {
    case LOOM_TRASH_STORY:
      return g_strdup_printf (_("Story “%s” moved to the Trash"), self->title);
    case LOOM_TRASH_CHAPTER:
      return g_strdup_printf (_("Chapter “%s” moved to the Trash"), self->title);
    case LOOM_TRASH_SCENE:
      return g_strdup_printf (_("Scene %u moved to the Trash"), self->position);
    case LOOM_TRASH_ENTRY:
      /* Translators: a story bible entry (a place, an object, a group, lore) */
      return g_strdup_printf (_("Entry “%s” moved to the Trash"), self->title);
    case LOOM_TRASH_CHARACTER:
    default:
      return g_strdup_printf (_("Character “%s” moved to the Trash"), self->title);
    }
}

static char *
count_words (guint n)
{
  return g_strdup_printf (ngettext ("%u word", "%u words", n), n);
}

static char *
count_scenes (guint n)
{
  return g_strdup_printf (ngettext ("%u scene", "%u scenes", n), n);
}

static char *
count_chapters (guint n)
{
  return g_strdup_printf (ngettext ("%u chapter", "%u chapters", n), n);
}

/**
 * loom_deletion_describe_contents:
 *
 * Returns: one line saying where it was and what went with it, such as
 *   “From “The Salt Road” · 3 scenes · 1204 words”, for the Trash list.
 */
char *
loom_deletion_describe_contents (LoomDeletion *self)
{
  g_autofree char *words = NULL;

  g_return_val_if_fail (LOOM_IS_DELETION (self), NULL);

  words = count_words (self->n_words);
  switch (self->kind)
    {
    case LOOM_TRASH_STORY:
      {
        g_autofree char *chapters = count_chapters (self->n_chapters);
        g_autofree char *scenes = count_scenes (self->n_scenes);
        /* Translators: a story in the Trash: “3 chapters · 12 scenes · 4210 words” */
        return g_strdup_printf (_("%s · %s · %s"), chapters, scenes, words);
      }
    case LOOM_TRASH_CHAPTER:
      {
        g_autofree char *scenes = count_scenes (self->n_scenes);
        /* Translators: “From “The Salt Road” · 3 scenes · 1204 words” */
        return g_strdup_printf (_("From “%s” · %s · %s"), self->story_title, scenes, words);
      }
    case LOOM_TRASH_SCENE:
      /* Translators: “From “The Salt Road” · 412 words” */
      return g_strdup_printf (_("From “%s” · %s"), self->story_title, words);
    case LOOM_TRASH_CHARACTER:
    case LOOM_TRASH_ENTRY:
    default:
      return g_strdup_printf (_("From “%s”"), self->story_title);
    }
}

/**
 * loom_trash_describe_consequence:
 * @item: a #LoomStory, #LoomChapter, #LoomScene, #LoomCharacter or #LoomEntry about to be
 *   deleted
 *
 * Returns: a sentence for the question asked before deleting, saying what goes with @item
 *   and that it can be restored, such as “Its 3 scenes (1204 words) go with it to the Trash,
 *   where they can be restored for 30 days.”
 */
char *
loom_trash_describe_consequence (GObject *item)
{
  g_return_val_if_fail (LOOM_IS_STORY (item) || LOOM_IS_CHAPTER (item) ||
                        LOOM_IS_SCENE (item) || LOOM_IS_CHARACTER (item) ||
                        LOOM_IS_ENTRY (item), NULL);

  if (LOOM_IS_STORY (item))
    {
      LoomStory *story = LOOM_STORY (item);
      guint n_characters = g_list_model_get_n_items (loom_story_get_characters (story));
      g_autofree char *chapters = count_chapters (loom_story_get_chapter_count (story));
      g_autofree char *scenes = count_scenes (loom_story_get_scene_count (story));
      g_autofree char *words = count_words (loom_story_get_word_count (story));
      g_autofree char *characters =
        g_strdup_printf (ngettext ("%u character", "%u characters", n_characters),
                         n_characters);

      /* Translators: “Its 3 chapters, 12 scenes (4210 words) and 2 characters go …” */
      return g_strdup_printf (ngettext ("Its %s, %s (%s) and %s go with it to the Trash, "
                                        "where they can be restored for %u day.",
                                        "Its %s, %s (%s) and %s go with it to the Trash, "
                                        "where they can be restored for %u days.",
                                        LOOM_TRASH_DAYS),
                              chapters, scenes, words, characters, LOOM_TRASH_DAYS);
    }
  if (LOOM_IS_CHAPTER (item) &&
      g_list_model_get_n_items (loom_chapter_get_scenes (LOOM_CHAPTER (item))) > 0)
    {
      LoomChapter *chapter = LOOM_CHAPTER (item);
      g_autofree char *scenes =
        count_scenes (g_list_model_get_n_items (loom_chapter_get_scenes (chapter)));
      g_autofree char *words = count_words (loom_chapter_get_word_count (chapter));

      /* Translators: “Its 3 scenes (1204 words) go with it to the Trash, …” */
      return g_strdup_printf (ngettext ("Its %s (%s) go with it to the Trash, where they can "
                                        "be restored for %u day.",
                                        "Its %s (%s) go with it to the Trash, where they can "
                                        "be restored for %u days.",
                                        LOOM_TRASH_DAYS),
                              scenes, words, LOOM_TRASH_DAYS);
    }
  if (LOOM_IS_SCENE (item) && loom_scene_get_word_count (LOOM_SCENE (item)) > 0)
    {
      g_autofree char *words = count_words (loom_scene_get_word_count (LOOM_SCENE (item)));

      return g_strdup_printf (ngettext ("Its %s and its history go to the Trash, where they "
                                        "can be restored for %u day.",
                                        "Its %s and its history go to the Trash, where they "
                                        "can be restored for %u days.",
                                        LOOM_TRASH_DAYS),
                              words, LOOM_TRASH_DAYS);
    }
  return g_strdup_printf (ngettext ("It goes to the Trash, where it can be restored for %u day.",
                                    "It goes to the Trash, where it can be restored for %u days.",
                                    LOOM_TRASH_DAYS),
                          LOOM_TRASH_DAYS);
}
