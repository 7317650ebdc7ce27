/* loom-store-edit.c: adding, moving, deleting and restoring chapters, scenes and characters
 *
 * Each function validates, runs its SQL in one transaction, and only after COMMIT changes the
 * mirrors: list models (items-changed), numbers and counts (notify).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-edit"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-words.h"

static void
renumber_chapters (LoomStory *story)
{
  GListModel *model = G_LIST_MODEL (story->chapters);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (model, i);

      _loom_chapter_set_number (chapter, i + 1);
    }
}

static void
renumber_scenes (LoomChapter *chapter)
{
  GListModel *model = G_LIST_MODEL (chapter->scenes);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (model, i);

      _loom_scene_set_number (scene, i + 1);
    }
}

static gboolean
list_find (GListStore *list,
           gpointer    item,
           guint      *position)
{
  return list != NULL && g_list_store_find (list, item, position);
}

/* ---------------------------------------------------------------------------------------- */
/* Chapters                                                                                 */

gboolean
_loom_store_check_live (LoomStore  *self,
            GHashTable *map,
            gint64      id,
            GError    **error)
{
  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (!g_hash_table_contains (map, &id))
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                           _("This item no longer exists in the library."));
      return FALSE;
    }
  return TRUE;
}

LoomChapter *
loom_store_add_chapter (LoomStore   *self,
                        LoomStory   *story,
                        guint        position,
                        const char  *title,
                        GError     **error)
{
  const char *doing = _("adding the chapter");
  g_autoptr(LoomChapter) chapter = NULL;
  guint n;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error) ||
      !loom_store_check_text (title, _("title"), error) ||
      !_loom_store_check_not_blank (title, _("A chapter needs a title."), error))
    return NULL;

  n = g_list_model_get_n_items (loom_story_get_chapters (story));
  position = MIN (position, n);

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "UPDATE chapters SET chapter_number = chapter_number + 1"
            " WHERE story_id = ?1 AND chapter_number >= ?2",
            "iu", story->id, position + 1) ||
      !_loom_store_run (self, error, doing,
            "INSERT INTO chapters (story_id, chapter_number, title) VALUES (?1, ?2, ?3)",
            "ius", story->id, position + 1, title))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  chapter = _loom_chapter_new (story);
  chapter->id = sqlite3_last_insert_rowid (self->db);
  if (!_loom_store_commit (self, doing, error))
    return NULL;

  chapter->title = g_strdup (title);
  chapter->number = position + 1;
  _loom_store_remember (self->chapters_by_id, &chapter->id, chapter);
  g_list_store_insert (story->chapters, position, chapter);
  renumber_chapters (story);
  _loom_store_adjust_counts (story, NULL, 1, 0, 0);
  return chapter;
}

gboolean
loom_store_move_chapter (LoomStore    *self,
                         LoomChapter  *chapter,
                         guint         position,
                         GError      **error)
{
  const char *doing = _("moving the chapter");
  LoomStory *story;
  guint from;
  guint n;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), FALSE);

  if (!_loom_store_check_live (self, self->chapters_by_id, chapter->id, error))
    return FALSE;

  story = chapter->story;
  n = g_list_model_get_n_items (G_LIST_MODEL (story->chapters));
  position = MIN (position, n - 1);
  if (!list_find (story->chapters, chapter, &from))
    g_return_val_if_reached (FALSE);
  if (from == position)
    return TRUE;

  /* One statement shifts the chapters between the two places and puts this one in. */
  if (!_loom_store_run (self, error, doing,
            "UPDATE chapters SET chapter_number = CASE WHEN id = ?1 THEN ?3"
            " WHEN ?2 < ?3 THEN chapter_number - 1 ELSE chapter_number + 1 END"
            " WHERE story_id = ?4 AND chapter_number BETWEEN min (?2, ?3) AND max (?2, ?3)",
            "iuui", chapter->id, from + 1, position + 1, story->id))
    return FALSE;

  g_object_ref (chapter);
  g_list_store_remove (story->chapters, from);
  g_list_store_insert (story->chapters, position, chapter);
  g_object_unref (chapter);
  renumber_chapters (story);
  return TRUE;
}

LoomDeletion *
loom_store_delete_chapter (LoomStore    *self,
                           LoomChapter  *chapter,
                           GError      **error)
{
  const char *doing = _("deleting the chapter");
  LoomDeletion *deletion;
  LoomStory *story;
  LoomTrashEntry entry = { 0 };
  guint position;
  guint n_scenes;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), NULL);

  if (!_loom_store_check_live (self, self->chapters_by_id, chapter->id, error))
    return NULL;

  story = chapter->story;
  n_scenes = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));
  entry.kind = LOOM_TRASH_CHAPTER;
  entry.item_id = chapter->id;
  entry.story_id = story->id;
  entry.position = chapter->number;
  entry.title = chapter->title;
  entry.story_title = story->title;
  entry.n_scenes = n_scenes;
  entry.n_words = chapter->word_count;
  entry.deleted_at = loom_now_ms ();

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_trash_rows (self, &entry, error) ||
      !_loom_store_run (self, error, doing, "DELETE FROM chapters WHERE id = ?1", "i",
                        chapter->id) ||
      !_loom_store_run (self, error, doing,
            "UPDATE chapters SET chapter_number = chapter_number - 1"
            " WHERE story_id = ?1 AND chapter_number > ?2",
            "iu", story->id, chapter->number) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  g_object_ref (chapter);
  if (list_find (story->chapters, chapter, &position))
    g_list_store_remove (story->chapters, position);
  _loom_store_forget_chapter (self, chapter);
  renumber_chapters (story);
  _loom_store_adjust_counts (story, NULL, -1, -(int) n_scenes, -(gint64) chapter->word_count);
  deletion = _loom_store_remember_trashed (self, &entry, G_OBJECT (chapter));
  g_object_unref (chapter);
  return deletion;
}

/* ---------------------------------------------------------------------------------------- */
/* Scenes                                                                                   */

LoomScene *
loom_store_add_scene (LoomStore    *self,
                      LoomChapter  *chapter,
                      guint         position,
                      const char   *outline,
                      GError      **error)
{
  const char *doing = _("adding the scene");
  g_autoptr(LoomScene) scene = NULL;
  gint64 now = loom_now_ms ();
  guint n;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), NULL);

  if (!_loom_store_check_live (self, self->chapters_by_id, chapter->id, error) ||
      !loom_store_check_text (outline, _("outline"), error))
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));
  position = MIN (position, n);

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET scene_number = scene_number + 1"
            " WHERE chapter_id = ?1 AND scene_number >= ?2",
            "iu", chapter->id, position + 1) ||
      !_loom_store_run (self, error, doing,
            "INSERT INTO scenes (story_id, chapter_id, scene_number, outline, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5)",
            "iiusi", chapter->story->id, chapter->id, position + 1, outline ? outline : "", now))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  scene = _loom_scene_new (chapter);
  scene->id = sqlite3_last_insert_rowid (self->db);
  if (!_loom_store_commit (self, doing, error))
    return NULL;

  scene->outline = g_strdup (outline ? outline : "");
  scene->number = position + 1;
  scene->prose_loaded = TRUE;
  scene->updated_at = now;
  _loom_store_remember (self->scenes_by_id, &scene->id, scene);
  g_list_store_insert (chapter->scenes, position, scene);
  renumber_scenes (chapter);
  _loom_store_adjust_counts (chapter->story, chapter, 0, 1, 0);
  return scene;
}

/**
 * loom_store_recover_scene:
 * @gone: a scene that another program deleted (announced by #LoomStore::deleted-elsewhere, or
 *   met as %LOOM_STORE_ERROR_NOT_FOUND when writing into it)
 * @prose: the text written into it here that the library does not hold: typed, or drafted
 *
 * Keeps @prose as a new scene with @gone's outline, so that a deletion elsewhere never takes
 * words that were never saved: at the end of @gone's chapter if the chapter is still there,
 * else at the end of its story's last chapter, else in a new story "… (Recovered)".
 *
 * Returns: (transfer none): the new scene, or %NULL with @error set
 */
LoomScene *
loom_store_recover_scene (LoomStore   *self,
                          LoomScene   *gone,
                          const char  *prose,
                          GError     **error)
{
  LoomChapter *chapter;
  LoomStory *story;
  LoomChapter *target = NULL;
  LoomScene *kept;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (gone), NULL);

  chapter = gone->chapter;
  story = chapter ? chapter->story : NULL;
  if (chapter != NULL && loom_store_lookup_chapter (self, chapter->id) == chapter)
    target = chapter;
  else if (story != NULL && loom_store_lookup_story (self, story->id) == story)
    {
      GListModel *chapters = loom_story_get_chapters (story);
      guint n = g_list_model_get_n_items (chapters);

      if (n > 0)
        {
          g_autoptr(LoomChapter) last = g_list_model_get_item (chapters, n - 1);
          target = last;
        }
      else
        target = loom_store_add_chapter (self, story, LOOM_POSITION_END, _("Recovered"), error);
    }
  else
    {
      /* TRANSLATORS: the title of a story made to keep text written into a story that another
       * program deleted; %s is that story's title */
      g_autofree char *title = g_strdup_printf (_("%s (Recovered)"), story ? story->title : "");
      LoomStory *new_story = loom_store_create_story (self, title, NULL, NULL, error);

      if (new_story != NULL)
        target = loom_store_add_chapter (self, new_story, LOOM_POSITION_END, _("Recovered"),
                                         error);
    }
  if (target == NULL)
    return NULL;

  kept = loom_store_add_scene (self, target, LOOM_POSITION_END, gone->outline, error);
  if (kept == NULL || !loom_scene_set_prose (kept, prose, error))
    return NULL;
  return kept;
}

gboolean
loom_store_move_scene (LoomStore    *self,
                       LoomScene    *scene,
                       LoomChapter  *chapter,
                       guint         position,
                       GError      **error)
{
  const char *doing = _("moving the scene");
  gint64 now = MAX (loom_now_ms (), scene->updated_at + 1);
  LoomChapter *from_chapter;
  guint from;
  guint n;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), FALSE);

  if (!_loom_store_check_live (self, self->scenes_by_id, scene->id, error) ||
      !_loom_store_check_live (self, self->chapters_by_id, chapter->id, error))
    return FALSE;

  from_chapter = scene->chapter;
  if (chapter->story != from_chapter->story)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("A scene can only move to a chapter of its own story."));
      return FALSE;
    }

  if (!list_find (from_chapter->scenes, scene, &from))
    g_return_val_if_reached (FALSE);

  /* The positions are those of the list without the scene being moved. */
  n = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));
  if (chapter == from_chapter)
    n--;
  position = MIN (position, n);
  if (chapter == from_chapter && position == from)
    return TRUE;

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET scene_number = scene_number - 1"
            " WHERE chapter_id = ?1 AND scene_number > ?2",
            "iu", from_chapter->id, scene->number) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET scene_number = scene_number + 1"
            " WHERE chapter_id = ?1 AND scene_number >= ?2 AND id != ?3",
            "iui", chapter->id, position + 1, scene->id) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET chapter_id = ?1, scene_number = ?2,"
            " updated_at = max (?3, updated_at + 1) WHERE id = ?4",
            "iuii", chapter->id, position + 1, now, scene->id) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  /* Only the row's own stamp moved, not its text: later writes must not take it for a change
   * made elsewhere. */
  scene->updated_at = now;

  g_object_ref (scene);
  g_list_store_remove (from_chapter->scenes, from);
  g_list_store_insert (chapter->scenes, position, scene);
  g_object_unref (scene);

  if (chapter != from_chapter)
    {
      _loom_scene_set_chapter (scene, chapter);
      _loom_store_adjust_counts (NULL, from_chapter, 0, 0, -(gint64) scene->word_count);
      _loom_store_adjust_counts (NULL, chapter, 0, 0, scene->word_count);
      renumber_scenes (from_chapter);
    }
  renumber_scenes (chapter);
  return TRUE;
}

LoomDeletion *
loom_store_delete_scene (LoomStore  *self,
                         LoomScene  *scene,
                         GError    **error)
{
  const char *doing = _("deleting the scene");
  LoomDeletion *deletion;
  LoomChapter *chapter;
  LoomTrashEntry entry = { 0 };
  guint position;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!_loom_store_check_live (self, self->scenes_by_id, scene->id, error))
    return NULL;

  chapter = scene->chapter;
  entry.kind = LOOM_TRASH_SCENE;
  entry.item_id = scene->id;
  entry.story_id = chapter->story->id;
  entry.chapter_id = chapter->id;
  entry.position = scene->number;
  entry.title = scene->outline;
  entry.story_title = chapter->story->title;
  entry.n_scenes = 1;
  entry.n_words = scene->word_count;
  entry.deleted_at = loom_now_ms ();

  /* The prose is read first so that the object restored later still shows it. */
  if (!loom_scene_load_prose (scene, error) ||
      !_loom_store_begin (self, doing, error) ||
      !_loom_store_trash_rows (self, &entry, error) ||
      !_loom_store_run (self, error, doing, "DELETE FROM scenes WHERE id = ?1", "i", scene->id) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET scene_number = scene_number - 1"
            " WHERE chapter_id = ?1 AND scene_number > ?2",
            "iu", chapter->id, scene->number) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  g_object_ref (scene);
  if (list_find (chapter->scenes, scene, &position))
    g_list_store_remove (chapter->scenes, position);
  _loom_store_forget_scene (self, scene);
  renumber_scenes (chapter);
  _loom_store_adjust_counts (chapter->story, chapter, 0, -1, -(gint64) scene->word_count);
  deletion = _loom_store_remember_trashed (self, &entry, G_OBJECT (scene));
  g_object_unref (scene);
  return deletion;
}

/* ---------------------------------------------------------------------------------------- */
/* Characters                                                                               */

LoomCharacter *
loom_store_add_character (LoomStore   *self,
                          LoomStory   *story,
                          const char  *name,
                          const char  *traits,
                          const char  *backstory,
                          GError     **error)
{
  g_autoptr(LoomCharacter) character = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error) ||
      !loom_store_check_text (name, _("name"), error) ||
      !loom_store_check_text (traits, _("traits"), error) ||
      !loom_store_check_text (backstory, _("backstory"), error) ||
      !_loom_store_check_not_blank (name, _("A character needs a name."), error))
    return NULL;

  if (backstory != NULL && *backstory == '\0')
    backstory = NULL;

  if (!_loom_store_run (self, error, _("adding the character"),
            "INSERT INTO characters (story_id, name, traits, backstory) VALUES (?1, ?2, ?3, ?4)",
            "isss", story->id, name, traits ? traits : "", backstory))
    return NULL;

  character = _loom_character_new (story);
  character->id = sqlite3_last_insert_rowid (self->db);
  character->name = g_strdup (name);
  character->traits = g_strdup (traits ? traits : "");
  character->backstory = g_strdup (backstory);
  _loom_store_remember (self->characters_by_id, &character->id, character);
  g_list_store_append (story->characters, character);
  return character;
}

/**
 * _loom_store_trash_listed:
 * @entry: the trash entry, its kind, item, story and titles filled in
 * @table: the item's table
 * @input: what a prompt takes from such an item
 *
 * Moves an item its story lists (a character, a bible entry) to the Trash, from @list and
 * @map too. The scenes whose prompt included it no longer follow their inputs.
 */
LoomDeletion *
_loom_store_trash_listed (LoomStore        *self,
                          GObject          *item,
                          GListStore       *list,
                          GHashTable       *map,
                          LoomTrashEntry   *entry,
                          const char       *table,
                          LoomSceneInputs   input,
                          const char       *doing,
                          GError          **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", table);
  g_autoptr(GObject) held = NULL;
  LoomDeletion *deletion;
  guint position;

  entry->deleted_at = loom_now_ms ();
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_trash_rows (self, entry, error) ||
      !_loom_store_run (self, error, doing, sql, "i", entry->item_id) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  held = g_object_ref (item);
  if (list_find (list, item, &position))
    g_list_store_remove (list, position);
  g_hash_table_remove (map, &entry->item_id);
  deletion = _loom_store_remember_trashed (self, entry, item);
  _loom_store_input_changed (self, input, entry->item_id);
  return deletion;
}

/* After a restore: @item back in @list at its place (such lists are in the order of ids) and
 * in @map under @id, its own id field. */
void
_loom_store_relist (LoomStore  *self,
                    GListStore *list,
                    GHashTable *map,
                    GObject    *item,
                    gint64     *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint position;

  for (position = 0; position < n; position++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (G_LIST_MODEL (list), position);
      gint64 other_id = 0;

      g_object_get (other, "id", &other_id, NULL);
      if (other_id > *id)
        break;
    }
  _loom_store_remember (map, id, item);
  g_list_store_insert (list, position, item);
}

LoomDeletion *
loom_store_delete_character (LoomStore      *self,
                             LoomCharacter  *character,
                             GError        **error)
{
  LoomTrashEntry entry = { 0 };

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_CHARACTER (character), NULL);

  if (!_loom_store_check_live (self, self->characters_by_id, character->id, error))
    return NULL;

  entry.kind = LOOM_TRASH_CHARACTER;
  entry.item_id = character->id;
  entry.story_id = character->story->id;
  entry.title = character->name;
  entry.story_title = character->story->title;
  return _loom_store_trash_listed (self, G_OBJECT (character), character->story->characters,
                                   self->characters_by_id, &entry, "characters",
                                   LOOM_SCENE_INPUT_CHARACTER, _("deleting the character"),
                                   error);
}

/* ---------------------------------------------------------------------------------------- */
/* Stories                                                                                  */

/**
 * loom_store_delete_story:
 *
 * Moves @story, with its chapters, scenes, characters, history and usage, to the trash.
 *
 * Returns: (transfer full): the deletion, or %NULL with @error set
 */
LoomDeletion *
loom_store_delete_story (LoomStore  *self,
                         LoomStory  *story,
                         GError    **error)
{
  const char *doing = _("deleting the story");
  LoomDeletion *deletion;
  LoomTrashEntry entry = { 0 };

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error))
    return NULL;

  entry.kind = LOOM_TRASH_STORY;
  entry.item_id = story->id;
  entry.story_id = story->id;
  entry.title = story->title;
  entry.story_title = story->title;
  entry.n_chapters = story->chapter_count;
  entry.n_scenes = story->scene_count;
  entry.n_words = story->word_count;
  entry.deleted_at = loom_now_ms ();

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_trash_rows (self, &entry, error) ||
      !_loom_store_run (self, error, doing, "DELETE FROM stories WHERE id = ?1", "i",
                        story->id) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  /* A story comes back as a new object (its store pointer is cleared here), so only the
   * description is kept. */
  g_object_ref (story);
  deletion = _loom_deletion_new (&entry, G_OBJECT (story));
  _loom_store_forget_story (self, story);
  g_object_unref (story);
  return deletion;
}

/* ---------------------------------------------------------------------------------------- */
/* Restoring from the trash                                                                 */

/* The story comes back with its chapters, scenes and characters: they are read as at open. */
static void
restore_story_mirror (LoomStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!_loom_store_sync (self, &error))
    g_warning ("The restored story could not be read: %s", error->message);
}

static void
restore_chapter_mirror (LoomStore            *self,
                        const LoomTrashEntry *entry,
                        GObject              *item)
{
  LoomStory *story = g_hash_table_lookup (self->stories_by_id, &entry->story_id);
  g_autoptr(LoomChapter) chapter = NULL;
  g_autoptr(GError) error = NULL;
  guint n_scenes;

  if (story == NULL)
    return;

  chapter = LOOM_IS_CHAPTER (item) ? g_object_ref (LOOM_CHAPTER (item))
                                   : _loom_store_read_chapter (self, story, entry->item_id,
                                                               &error);
  if (chapter == NULL)
    {
      g_warning ("The restored chapter could not be read: %s", error->message);
      return;
    }

  n_scenes = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));
  _loom_store_remember (self->chapters_by_id, &chapter->id, chapter);
  for (guint i = 0; i < n_scenes; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (G_LIST_MODEL (chapter->scenes), i);
      _loom_store_remember (self->scenes_by_id, &scene->id, scene);
    }
  g_list_store_insert (story->chapters, entry->position - 1, chapter);
  renumber_chapters (story);
  _loom_store_adjust_counts (story, NULL, 1, n_scenes, chapter->word_count);
}

static void
restore_scene_mirror (LoomStore            *self,
                      const LoomTrashEntry *entry,
                      GObject              *item)
{
  LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &entry->chapter_id);
  g_autoptr(LoomScene) scene = NULL;
  g_autoptr(GError) error = NULL;

  if (chapter == NULL)
    {
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &entry->story_id);

      if (story != NULL)
        _loom_store_adjust_counts (story, NULL, 0, 1, entry->n_words);
      return;
    }

  scene = LOOM_IS_SCENE (item) ? g_object_ref (LOOM_SCENE (item))
                               : _loom_store_read_scene (self, chapter, entry->item_id, &error);
  if (scene == NULL)
    {
      g_warning ("The restored scene could not be read: %s", error->message);
      return;
    }

  _loom_store_remember (self->scenes_by_id, &scene->id, scene);
  g_list_store_insert (chapter->scenes, entry->position - 1, scene);
  renumber_scenes (chapter);
  _loom_store_adjust_counts (chapter->story, chapter, 0, 1, scene->word_count);
}

/* After the rows came back: a character or a bible entry too, itself when this store still
 * holds it, else read again, and listed at its place by id. */
static void
restore_listed_mirror (LoomStore            *self,
                       const LoomTrashEntry *entry,
                       GObject              *item)
{
  LoomStory *story = g_hash_table_lookup (self->stories_by_id, &entry->story_id);
  gboolean character = entry->kind == LOOM_TRASH_CHARACTER;
  GType type = character ? LOOM_TYPE_CHARACTER : LOOM_TYPE_ENTRY;
  g_autoptr(GObject) mirror = NULL;
  g_autoptr(GError) error = NULL;
  gint64 *id;

  if (story == NULL)
    return;

  mirror = G_TYPE_CHECK_INSTANCE_TYPE (item, type)
             ? g_object_ref (item)
             : _loom_store_read_listed (self, story, type, entry->item_id, &error);
  if (mirror == NULL)
    {
      g_warning ("The restored %s could not be read: %s", character ? "character" : "entry",
                 error->message);
      return;
    }

  id = character ? &LOOM_CHARACTER (mirror)->id : &LOOM_ENTRY (mirror)->id;
  _loom_store_relist (self, character ? story->characters : story->entries,
                      character ? self->characters_by_id : self->entries_by_id, mirror, id);
  _loom_store_input_changed (self,
                             character ? LOOM_SCENE_INPUT_CHARACTER : LOOM_SCENE_INPUT_ENTRY,
                             *id);
}

/**
 * loom_store_restore_from_trash:
 * @trash_id: the id of a #LoomDeletion
 *
 * Puts back what a deletion moved to the trash — content, history, usage and place (the same
 * chapter or scene number, or the end when there are fewer now). A chapter, scene or
 * character needs its story, and a scene its chapter, to be there.
 *
 * Returns: (transfer none): the restored story, chapter, scene or character, or %NULL with
 *   @error set
 */
GObject *
loom_store_restore_from_trash (LoomStore  *self,
                               gint64      trash_id,
                               GError    **error)
{
  const char *doing = _("restoring from the Trash");
  LoomTrashEntry entry = { 0 };
  g_autofree char *title = NULL;
  g_autofree char *story_title = NULL;
  g_autoptr(GObject) item = NULL;
  GObject *restored = NULL;
  gpointer trash_key = NULL;
  gboolean renumbered = FALSE;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);

  if (!_loom_store_begin (self, doing, error))
    return NULL;
  if (!_loom_store_untrash_rows (self, trash_id, &entry, &title, &story_title, &renumbered,
                                 error) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  /* The object this program deleted comes back itself, unless its id had to change. */
  if (g_hash_table_steal_extended (self->trashed, &trash_id, &trash_key, (gpointer *) &item))
    g_free (trash_key);  /* stolen, so the table's g_free does not run on it */
  if (renumbered)
    g_clear_object (&item);

  switch (entry.kind)
    {
    case LOOM_TRASH_STORY:
      restore_story_mirror (self);
      restored = G_OBJECT (loom_store_lookup_story (self, entry.item_id));
      break;
    case LOOM_TRASH_CHAPTER:
      restore_chapter_mirror (self, &entry, item);
      restored = G_OBJECT (loom_store_lookup_chapter (self, entry.item_id));
      break;
    case LOOM_TRASH_SCENE:
      restore_scene_mirror (self, &entry, item);
      restored = G_OBJECT (loom_store_lookup_scene (self, entry.item_id));
      break;
    case LOOM_TRASH_ENTRY:
      restore_listed_mirror (self, &entry, item);
      restored = G_OBJECT (loom_store_lookup_entry (self, entry.item_id));
      break;
    case LOOM_TRASH_CHARACTER:
    default:
      restore_listed_mirror (self, &entry, item);
      restored = G_OBJECT (loom_store_lookup_character (self, entry.item_id));
      break;
    }

  if (restored == NULL)
    g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_FAILED,
                         _("The item was restored in the library but cannot be shown yet. "
                           "Close Storyloom and open it again to see it."));
  return restored;
}

/* ---------------------------------------------------------------------------------------- */
/* Batches                                                                                  */

/* Every title and the chapter of every scene are checked before anything is written. */
static gboolean
check_outline (const LoomOutlineChapter  *chapters,
               guint                      n_chapters,
               const LoomOutlineScene    *scenes,
               guint                      n_scenes,
               GError                   **error)
{
  for (guint i = 0; i < n_chapters; i++)
    if (!loom_store_check_text (chapters[i].title, _("title"), error) ||
        !_loom_store_check_not_blank (chapters[i].title, _("A chapter needs a title."), error))
      return FALSE;
  for (guint i = 0; i < n_scenes; i++)
    {
      if (scenes[i].chapter >= n_chapters)
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                       _("Scene %u belongs to chapter %u, which does not exist."), i + 1,
                       scenes[i].chapter + 1);
          return FALSE;
        }
      if (!loom_store_check_text (scenes[i].outline, _("outline"), error) ||
          !loom_store_check_text (scenes[i].prose, _("prose"), error))
        return FALSE;
    }
  return TRUE;
}

/* Inserts the chapters after the @first there are, inside the caller's transaction, and adds
 * their mirrors to @mirrors. */
static gboolean
insert_outline_chapters (LoomStore                 *self,
                         LoomStory                 *story,
                         const LoomOutlineChapter  *chapters,
                         guint                      n_chapters,
                         guint                      first,
                         GPtrArray                 *mirrors,
                         GError                   **error)
{
  for (guint i = 0; i < n_chapters; i++)
    {
      LoomChapter *chapter;

      if (!_loom_store_run (self, error, _("adding the outline"),
                            "INSERT INTO chapters (story_id, chapter_number, title)"
                            " VALUES (?1, ?2, ?3)",
                            "ius", story->id, first + i + 1, chapters[i].title))
        return FALSE;
      chapter = _loom_chapter_new (story);
      chapter->id = sqlite3_last_insert_rowid (self->db);
      chapter->number = first + i + 1;
      chapter->title = g_strdup (chapters[i].title);
      g_ptr_array_add (mirrors, chapter);
    }
  return TRUE;
}

/* Inserts the scenes into their new @chapters, inside the caller's transaction, and adds their
 * mirrors to @mirrors; the chapters' word counts follow, and @total_words says how many. */
static gboolean
insert_outline_scenes (LoomStore               *self,
                       LoomStory               *story,
                       GPtrArray               *chapters,
                       const LoomOutlineScene  *scenes,
                       guint                    n_scenes,
                       GPtrArray               *mirrors,
                       gint64                  *total_words,
                       GError                 **error)
{
  g_autofree guint *counts = g_new0 (guint, chapters->len + 1);
  gint64 now = loom_now_ms ();

  for (guint i = 0; i < n_scenes; i++)
    {
      LoomChapter *chapter = g_ptr_array_index (chapters, scenes[i].chapter);
      const char *outline = scenes[i].outline ? scenes[i].outline : "";
      const char *prose = scenes[i].prose != NULL && *scenes[i].prose != '\0'
                            ? scenes[i].prose : NULL;
      guint words = loom_count_words (prose, -1);
      guint number = ++counts[scenes[i].chapter];
      LoomScene *scene;

      if (!_loom_store_run (self, error, _("adding the outline"),
                            "INSERT INTO scenes (story_id, chapter_id, scene_number, outline,"
                            " prose, word_count, updated_at, prose_origin, prose_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                            " iif (?5 IS NULL, NULL, 'writer'), iif (?5 IS NULL, NULL, ?7))",
                            "iiussui", story->id, chapter->id, number, outline, prose, words,
                            now))
        return FALSE;
      scene = _loom_scene_new (chapter);
      scene->id = sqlite3_last_insert_rowid (self->db);
      scene->number = number;
      scene->outline = g_strdup (outline);
      _loom_scene_take_prose (scene, g_strdup (prose));
      scene->word_count = words;
      scene->updated_at = now;
      chapter->word_count += words;
      *total_words += words;
      g_ptr_array_add (mirrors, scene);
    }
  return TRUE;
}

/**
 * loom_store_add_outline:
 *
 * Appends chapters and their scenes (in the order given within each chapter) in one
 * transaction. Every title and the chapter of every scene are checked before anything is
 * written.
 */
gboolean
loom_store_add_outline (LoomStore                 *self,
                        LoomStory                 *story,
                        const LoomOutlineChapter  *chapters,
                        guint                      n_chapters,
                        const LoomOutlineScene    *scenes,
                        guint                      n_scenes,
                        GError                   **error)
{
  const char *doing = _("adding the outline");
  g_autoptr(GPtrArray) new_chapters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) new_scenes = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 total_words = 0;
  guint first;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error) ||
      !check_outline (chapters, n_chapters, scenes, n_scenes, error))
    return FALSE;

  first = g_list_model_get_n_items (loom_story_get_chapters (story));
  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  if (!insert_outline_chapters (self, story, chapters, n_chapters, first, new_chapters, error) ||
      !insert_outline_scenes (self, story, new_chapters, scenes, n_scenes, new_scenes,
                              &total_words, error))
    return _loom_store_rollback (self);
  if (!_loom_store_commit (self, doing, error))
    return FALSE;

  for (guint i = 0; i < new_scenes->len; i++)
    {
      LoomScene *scene = g_ptr_array_index (new_scenes, i);

      _loom_store_remember (self->scenes_by_id, &scene->id, scene);
      g_list_store_append (scene->chapter->scenes, scene);
    }
  for (guint i = 0; i < new_chapters->len; i++)
    {
      LoomChapter *chapter = g_ptr_array_index (new_chapters, i);
      _loom_store_remember (self->chapters_by_id, &chapter->id, chapter);
    }
  g_list_store_splice (story->chapters, first, 0, new_chapters->pdata, new_chapters->len);
  _loom_store_adjust_counts (story, NULL, n_chapters, n_scenes, total_words);
  return TRUE;
}

/**
 * loom_store_add_characters:
 *
 * Adds characters in one transaction, after checking every name.
 */
gboolean
loom_store_add_characters (LoomStore                 *self,
                           LoomStory                 *story,
                           const LoomCharacterEntry  *entries,
                           guint                      n_entries,
                           GError                   **error)
{
  const char *doing = _("adding the characters");
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  if (!_loom_store_check_live (self, self->stories_by_id, story->id, error))
    return FALSE;
  for (guint i = 0; i < n_entries; i++)
    if (!loom_store_check_text (entries[i].name, _("name"), error) ||
        !loom_store_check_text (entries[i].traits, _("traits"), error) ||
        !loom_store_check_text (entries[i].backstory, _("backstory"), error) ||
        !loom_store_check_text (entries[i].aliases, _("aliases"), error) ||
        !_loom_store_check_not_blank (entries[i].name, _("A character needs a name."), error))
      return FALSE;

  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  for (guint i = 0; i < n_entries; i++)
    {
      const char *backstory = entries[i].backstory;
      /* aliases are one line, as the row's field keeps them */
      g_autofree char *aliases = g_strdelimit (g_strdup (entries[i].aliases ? entries[i].aliases
                                                                             : ""), "\r\n", ' ');
      LoomCharacter *character;

      if (backstory != NULL && *backstory == '\0')
        backstory = NULL;
      if (!_loom_store_run (self, error, doing,
                            "INSERT INTO characters (story_id, name, traits, backstory, aliases,"
                            " inclusion) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            "isssss", story->id, entries[i].name,
                            entries[i].traits ? entries[i].traits : "", backstory, aliases,
                            loom_inclusion_to_string (entries[i].inclusion)))
        return _loom_store_rollback (self);
      character = _loom_character_new (story);
      character->id = sqlite3_last_insert_rowid (self->db);
      character->name = g_strdup (entries[i].name);
      character->traits = g_strdup (entries[i].traits ? entries[i].traits : "");
      character->backstory = g_strdup (backstory);
      g_free (character->aliases);
      character->aliases = g_steal_pointer (&aliases);
      character->inclusion = entries[i].inclusion;
      g_ptr_array_add (added, character);
    }
  if (!_loom_store_commit (self, doing, error))
    return FALSE;

  for (guint i = 0; i < added->len; i++)
    {
      LoomCharacter *character = g_ptr_array_index (added, i);
      _loom_store_remember (self->characters_by_id, &character->id, character);
    }
  g_list_store_splice (story->characters,
                       g_list_model_get_n_items (G_LIST_MODEL (story->characters)), 0,
                       added->pdata, added->len);
  return TRUE;
}

/**
 * loom_store_undo_deletion:
 *
 * Restores what @deletion moved to the trash; see loom_store_restore_from_trash().
 */
gboolean
loom_store_undo_deletion (LoomStore     *self,
                          LoomDeletion  *deletion,
                          GError       **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_DELETION (deletion), FALSE);

  return loom_store_restore_from_trash (self, loom_deletion_get_id (deletion), error) != NULL;
}

/* One statement, so one transaction of its own. */
gboolean
_loom_store_write_spell_language (LoomStore   *self,
                                  gint64       story_id,
                                  const char  *language,
                                  GError     **error)
{
  const char *doing = _("saving the spelling language");

  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  if (!_loom_store_run (self, error, doing, "UPDATE stories SET spell_language = ?2 WHERE id = ?1",
                        "is", story_id, language))
    return _loom_store_rollback (self);
  return _loom_store_commit (self, doing, error);
}
