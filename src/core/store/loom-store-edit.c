/* loom-store-edit.c: adding, moving, deleting and restoring chapters, scenes and characters
 *
 * Each function validates, runs its SQL in one transaction, and only after COMMIT changes the
 * mirrors: list models (items-changed), numbers and counts (notify).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

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

      if (loom_set_uint (&chapter->number, i + 1))
        g_object_notify (G_OBJECT (chapter), "number");
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

      if (loom_set_uint (&scene->number, i + 1))
        g_object_notify (G_OBJECT (scene), "number");
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

static gboolean
check_live (LoomStore  *self,
            GHashTable *map,
            gint64      id,
            GError    **error)
{
  if (self->db == NULL)
    {
      _loom_store_set_closed_error (error);
      return FALSE;
    }
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

  if (!check_live (self, self->stories_by_id, story->id, error) ||
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

  if (!check_live (self, self->chapters_by_id, chapter->id, error))
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
  g_autoptr(LoomDeletion) deletion = NULL;
  LoomStory *story;
  guint position;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), NULL);

  if (!check_live (self, self->chapters_by_id, chapter->id, error))
    return NULL;

  story = chapter->story;
  deletion = _loom_deletion_new (G_OBJECT (chapter));
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_deletion_capture (deletion, self->db, "chapters", "id = ?1", chapter->id, error) ||
      !_loom_deletion_capture (deletion, self->db, "scenes", "chapter_id = ?1", chapter->id,
                               error) ||
      !_loom_deletion_capture (deletion, self->db, "scene_revisions",
                               "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?1)",
                               chapter->id, error) ||
      !_loom_deletion_capture (deletion, self->db, "generations",
                               "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?1)",
                               chapter->id, error) ||
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
  _loom_store_adjust_counts (story, NULL, -1,
                 -(int) g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes)),
                 -(gint64) chapter->word_count);
  g_object_unref (chapter);
  return g_steal_pointer (&deletion);
}

static gboolean
undo_chapter (LoomStore     *self,
              LoomDeletion  *deletion,
              LoomChapter   *chapter,
              GError       **error)
{
  const char *doing = _("undoing the deletion");
  LoomStory *story = chapter->story;
  guint n_scenes = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));
  guint position;

  if (!check_live (self, self->stories_by_id, story->id, error))
    return FALSE;

  position = MIN (chapter->number - 1,
                  g_list_model_get_n_items (loom_story_get_chapters (story)));

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "UPDATE chapters SET chapter_number = chapter_number + 1"
            " WHERE story_id = ?1 AND chapter_number >= ?2",
            "iu", story->id, position + 1) ||
      !_loom_deletion_restore_rows (deletion, self->db, error) ||
      !_loom_store_run (self, error, doing, "UPDATE chapters SET chapter_number = ?1 WHERE id = ?2",
            "ui", position + 1, chapter->id) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  _loom_store_remember (self->chapters_by_id, &chapter->id, chapter);
  for (guint i = 0; i < n_scenes; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (G_LIST_MODEL (chapter->scenes), i);
      _loom_store_remember (self->scenes_by_id, &scene->id, scene);
    }
  g_list_store_insert (story->chapters, position, chapter);
  renumber_chapters (story);
  _loom_store_adjust_counts (story, NULL, 1, n_scenes, chapter->word_count);
  return TRUE;
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

  if (!check_live (self, self->chapters_by_id, chapter->id, error) ||
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

gboolean
loom_store_move_scene (LoomStore    *self,
                       LoomScene    *scene,
                       LoomChapter  *chapter,
                       guint         position,
                       GError      **error)
{
  const char *doing = _("moving the scene");
  LoomChapter *from_chapter;
  guint from;
  guint n;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), FALSE);

  if (!check_live (self, self->scenes_by_id, scene->id, error) ||
      !check_live (self, self->chapters_by_id, chapter->id, error))
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
            "UPDATE scenes SET chapter_id = ?1, scene_number = ?2, updated_at = ?3"
            " WHERE id = ?4",
            "iuii", chapter->id, position + 1, loom_now_ms (), scene->id) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  g_object_ref (scene);
  g_list_store_remove (from_chapter->scenes, from);
  g_list_store_insert (chapter->scenes, position, scene);
  g_object_unref (scene);

  if (chapter != from_chapter)
    {
      scene->chapter = chapter;
      g_object_notify (G_OBJECT (scene), "chapter");
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
  g_autoptr(LoomDeletion) deletion = NULL;
  LoomChapter *chapter;
  guint position;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!check_live (self, self->scenes_by_id, scene->id, error))
    return NULL;

  chapter = scene->chapter;
  deletion = _loom_deletion_new (G_OBJECT (scene));
  if (!loom_scene_load_prose (scene, error) ||
      !_loom_store_begin (self, doing, error) ||
      !_loom_deletion_capture (deletion, self->db, "scenes", "id = ?1", scene->id, error) ||
      !_loom_deletion_capture (deletion, self->db, "scene_revisions", "scene_id = ?1",
                               scene->id, error) ||
      !_loom_deletion_capture (deletion, self->db, "generations", "scene_id = ?1",
                               scene->id, error) ||
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
  g_object_unref (scene);
  return g_steal_pointer (&deletion);
}

static gboolean
undo_scene (LoomStore     *self,
            LoomDeletion  *deletion,
            LoomScene     *scene,
            GError       **error)
{
  const char *doing = _("undoing the deletion");
  LoomChapter *chapter = scene->chapter;
  guint position;

  if (self->db == NULL)
    {
      _loom_store_set_closed_error (error);
      return FALSE;
    }
  if (!g_hash_table_contains (self->chapters_by_id, &chapter->id))
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                           _("The scene’s chapter has been deleted since. Undo that first."));
      return FALSE;
    }

  position = MIN (scene->number - 1, g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes)));
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "UPDATE scenes SET scene_number = scene_number + 1"
            " WHERE chapter_id = ?1 AND scene_number >= ?2",
            "iu", chapter->id, position + 1) ||
      !_loom_deletion_restore_rows (deletion, self->db, error) ||
      !_loom_store_run (self, error, doing, "UPDATE scenes SET scene_number = ?1 WHERE id = ?2",
            "ui", position + 1, scene->id) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  _loom_store_remember (self->scenes_by_id, &scene->id, scene);
  g_list_store_insert (chapter->scenes, position, scene);
  renumber_scenes (chapter);
  _loom_store_adjust_counts (chapter->story, chapter, 0, 1, scene->word_count);
  return TRUE;
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

  if (!check_live (self, self->stories_by_id, story->id, error) ||
      !loom_store_check_text (name, _("name"), error) ||
      !loom_store_check_text (traits, _("traits"), error) ||
      !loom_store_check_text (backstory, _("backstory"), error) ||
      !_loom_store_check_not_blank (name, _("A character needs a name."), error))
    return NULL;

  if (backstory != NULL && *backstory == '\0')
    backstory = NULL;

  loom_story_get_characters (story);
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

LoomDeletion *
loom_store_delete_character (LoomStore      *self,
                             LoomCharacter  *character,
                             GError        **error)
{
  const char *doing = _("deleting the character");
  g_autoptr(LoomDeletion) deletion = NULL;
  guint position;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_CHARACTER (character), NULL);

  if (!check_live (self, self->characters_by_id, character->id, error))
    return NULL;

  deletion = _loom_deletion_new (G_OBJECT (character));
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_deletion_capture (deletion, self->db, "characters", "id = ?1", character->id,
                               error) ||
      !_loom_store_run (self, error, doing, "DELETE FROM characters WHERE id = ?1", "i",
                        character->id) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  if (list_find (character->story->characters, character, &position))
    g_list_store_remove (character->story->characters, position);
  g_hash_table_remove (self->characters_by_id, &character->id);
  return g_steal_pointer (&deletion);
}

static gboolean
undo_character (LoomStore      *self,
                LoomDeletion   *deletion,
                LoomCharacter  *character,
                GError        **error)
{
  const char *doing = _("undoing the deletion");
  GListModel *list;
  guint position;
  guint n;

  if (!check_live (self, self->stories_by_id, character->story->id, error))
    return FALSE;

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_deletion_restore_rows (deletion, self->db, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  /* Characters are listed by id, so the same id finds the same place. */
  list = loom_story_get_characters (character->story);
  n = g_list_model_get_n_items (list);
  for (position = 0; position < n; position++)
    {
      g_autoptr(LoomCharacter) other = g_list_model_get_item (list, position);
      if (other->id > character->id)
        break;
    }
  _loom_store_remember (self->characters_by_id, &character->id, character);
  g_list_store_insert (character->story->characters, position, character);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Batches                                                                                  */

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
  g_autofree guint *counts = g_new0 (guint, n_chapters + 1);
  gint64 total_words = 0;
  guint first;
  gint64 now = loom_now_ms ();

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  if (!check_live (self, self->stories_by_id, story->id, error))
    return FALSE;
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

  first = g_list_model_get_n_items (loom_story_get_chapters (story));
  if (!_loom_store_begin (self, doing, error))
    return FALSE;

  for (guint i = 0; i < n_chapters; i++)
    {
      LoomChapter *chapter;

      if (!_loom_store_run (self, error, doing,
                            "INSERT INTO chapters (story_id, chapter_number, title)"
                            " VALUES (?1, ?2, ?3)",
                            "ius", story->id, first + i + 1, chapters[i].title))
        return _loom_store_rollback (self);
      chapter = _loom_chapter_new (story);
      chapter->id = sqlite3_last_insert_rowid (self->db);
      chapter->number = first + i + 1;
      chapter->title = g_strdup (chapters[i].title);
      g_ptr_array_add (new_chapters, chapter);
    }

  for (guint i = 0; i < n_scenes; i++)
    {
      LoomChapter *chapter = g_ptr_array_index (new_chapters, scenes[i].chapter);
      const char *outline = scenes[i].outline ? scenes[i].outline : "";
      LoomScene *scene;

      const char *prose = scenes[i].prose != NULL && *scenes[i].prose != '\0'
                            ? scenes[i].prose : NULL;
      guint words = loom_count_words (prose, -1);

      counts[scenes[i].chapter]++;
      if (!_loom_store_run (self, error, doing,
                            "INSERT INTO scenes (story_id, chapter_id, scene_number, outline,"
                            " prose, word_count, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            "iiussui", story->id, chapter->id, counts[scenes[i].chapter], outline,
                            prose, words, now))
        return _loom_store_rollback (self);
      scene = _loom_scene_new (chapter);
      scene->id = sqlite3_last_insert_rowid (self->db);
      scene->number = counts[scenes[i].chapter];
      scene->outline = g_strdup (outline);
      _loom_scene_take_prose (scene, g_strdup (prose));
      scene->word_count = words;
      scene->updated_at = now;
      chapter->word_count += words;
      total_words += words;
      g_ptr_array_add (new_scenes, scene);
    }

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

  if (!check_live (self, self->stories_by_id, story->id, error))
    return FALSE;
  for (guint i = 0; i < n_entries; i++)
    if (!loom_store_check_text (entries[i].name, _("name"), error) ||
        !loom_store_check_text (entries[i].traits, _("traits"), error) ||
        !loom_store_check_text (entries[i].backstory, _("backstory"), error) ||
        !_loom_store_check_not_blank (entries[i].name, _("A character needs a name."), error))
      return FALSE;

  loom_story_get_characters (story);
  if (!_loom_store_begin (self, doing, error))
    return FALSE;
  for (guint i = 0; i < n_entries; i++)
    {
      const char *backstory = entries[i].backstory;
      LoomCharacter *character;

      if (backstory != NULL && *backstory == '\0')
        backstory = NULL;
      if (!_loom_store_run (self, error, doing,
                            "INSERT INTO characters (story_id, name, traits, backstory)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            "isss", story->id, entries[i].name,
                            entries[i].traits ? entries[i].traits : "", backstory))
        return _loom_store_rollback (self);
      character = _loom_character_new (story);
      character->id = sqlite3_last_insert_rowid (self->db);
      character->name = g_strdup (entries[i].name);
      character->traits = g_strdup (entries[i].traits ? entries[i].traits : "");
      character->backstory = g_strdup (backstory);
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
 * Puts back what @deletion removed — same ids, content, revisions and place. A deletion can be
 * undone once.
 */
gboolean
loom_store_undo_deletion (LoomStore     *self,
                          LoomDeletion  *deletion,
                          GError       **error)
{
  GObject *item;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_DELETION (deletion), FALSE);

  if (_loom_deletion_is_spent (deletion))
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("This deletion has already been undone."));
      return FALSE;
    }

  item = _loom_deletion_get_object (deletion);
  if (LOOM_IS_CHAPTER (item))
    ok = undo_chapter (self, deletion, LOOM_CHAPTER (item), error);
  else if (LOOM_IS_SCENE (item))
    ok = undo_scene (self, deletion, LOOM_SCENE (item), error);
  else
    ok = undo_character (self, deletion, LOOM_CHARACTER (item), error);

  if (ok)
    _loom_deletion_mark_spent (deletion);
  return ok;
}

