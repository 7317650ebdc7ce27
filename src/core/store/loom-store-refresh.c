/* loom-store-refresh.c: following what other programs write into the library
 *
 * The library is shared: storyloom-cli or a second window may write it at any moment. SQLite's
 * PRAGMA data_version moves whenever another connection commits, so loom_store_refresh() costs
 * one cheap statement when nothing happened. When something did, it reads the rows of every
 * story whose lists are loaded in one read transaction, and only then brings the identity-
 * mapped objects in step: properties notify, lists emit precise items-changed, and deleted
 * items are announced with LoomStore::deleted-elsewhere. Prose is read again only for scenes
 * whose stamp moved, and never for one a generation of this store is streaming into (its
 * flushes keep the other text as a revision instead, see loom-store-generation.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

typedef struct
{
  gint64  id;
  char   *title;
  char   *premise;
  char   *style_notes;
  gint64  created_at;
  gint64  updated_at;
  guint   chapter_count;
  guint   scene_count;
  guint   word_count;
} StoryRow;

typedef struct
{
  gint64  id;
  gint64  story_id;
  guint   number;
  char   *title;
} ChapterRow;

typedef struct
{
  gint64           id;
  gint64           chapter_id;
  guint            number;
  char            *outline;
  LoomSceneStatus  status;
  char            *error_message;
  guint            regeneration_count;
  guint            word_count;
  gint64           updated_at;
  gboolean         prose_read;
  char            *prose;
} SceneRow;

typedef struct
{
  gint64  id;
  gint64  story_id;
  char   *name;
  char   *traits;
  char   *backstory;
} CharacterRow;

static void
story_row_clear (gpointer data)
{
  StoryRow *row = data;

  g_free (row->title);
  g_free (row->premise);
  g_free (row->style_notes);
}

static void
chapter_row_clear (gpointer data)
{
  g_free (((ChapterRow *) data)->title);
}

static void
scene_row_clear (gpointer data)
{
  SceneRow *row = data;

  g_free (row->outline);
  g_free (row->error_message);
  g_free (row->prose);
}

static void
character_row_clear (gpointer data)
{
  CharacterRow *row = data;

  g_free (row->name);
  g_free (row->traits);
  g_free (row->backstory);
}

typedef struct
{
  GArray *stories;
  GArray *chapters;
  GArray *scenes;
  GArray *characters;
} Rows;

static void
rows_clear (Rows *rows)
{
  g_clear_pointer (&rows->stories, g_array_unref);
  g_clear_pointer (&rows->chapters, g_array_unref);
  g_clear_pointer (&rows->scenes, g_array_unref);
  g_clear_pointer (&rows->characters, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Rows, rows_clear)

static GArray *
rows_new (gsize          size,
          GDestroyNotify clear)
{
  GArray *array = g_array_new (FALSE, TRUE, size);

  g_array_set_clear_func (array, clear);
  return array;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_loom_store_read_data_version (LoomStore  *self,
                               gint64     *version,
                               GError    **error)
{
  sqlite3_stmt *stmt = _loom_store_get_statement (self, "PRAGMA data_version",
                                                  _("reading the library"), error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("reading the library"));
      return FALSE;
    }
  return TRUE;
}

/* Steps @stmt to its end; FALSE with @error set when a step fails. */
static gboolean
step_all (LoomStore     *self,
          sqlite3_stmt  *stmt,
          void         (*take) (sqlite3_stmt *stmt, gpointer data),
          gpointer       data,
          GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    take (stmt, data);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("reading the library"));
      return FALSE;
    }
  return TRUE;
}

static void
take_story (sqlite3_stmt *stmt,
            gpointer      data)
{
  StoryRow row = {
    .id = sqlite3_column_int64 (stmt, 0),
    .title = dup_column (stmt, 1),
    .premise = dup_column (stmt, 2),
    .style_notes = dup_column (stmt, 3),
    .created_at = sqlite3_column_int64 (stmt, 4),
    .updated_at = sqlite3_column_int64 (stmt, 5),
    .chapter_count = sqlite3_column_int (stmt, 6),
    .scene_count = sqlite3_column_int (stmt, 7),
    .word_count = sqlite3_column_int (stmt, 8),
  };

  g_array_append_val ((GArray *) data, row);
}

static void
take_chapter (sqlite3_stmt *stmt,
              gpointer      data)
{
  ChapterRow row = {
    .id = sqlite3_column_int64 (stmt, 0),
    .story_id = sqlite3_column_int64 (stmt, 1),
    .number = sqlite3_column_int (stmt, 2),
    .title = dup_column (stmt, 3),
  };

  g_array_append_val ((GArray *) data, row);
}

static void
take_scene (sqlite3_stmt *stmt,
            gpointer      data)
{
  SceneRow row = {
    .id = sqlite3_column_int64 (stmt, 0),
    .chapter_id = sqlite3_column_int64 (stmt, 1),
    .number = sqlite3_column_int (stmt, 2),
    .outline = dup_column (stmt, 3),
    .error_message = dup_column (stmt, 5),
    .regeneration_count = sqlite3_column_int (stmt, 6),
    .word_count = sqlite3_column_int (stmt, 7),
    .updated_at = sqlite3_column_int64 (stmt, 8),
  };

  if (!loom_scene_status_from_string ((const char *) sqlite3_column_text (stmt, 4), &row.status))
    row.status = LOOM_SCENE_STATUS_DRAFT;
  g_array_append_val ((GArray *) data, row);
}

static void
take_character (sqlite3_stmt *stmt,
                gpointer      data)
{
  CharacterRow row = {
    .id = sqlite3_column_int64 (stmt, 0),
    .story_id = sqlite3_column_int64 (stmt, 1),
    .name = dup_column (stmt, 2),
    .traits = dup_column (stmt, 3),
    .backstory = dup_column (stmt, 4),
  };

  g_array_append_val ((GArray *) data, row);
}

/* Reads the rows the mirrors show: every story, and the chapters, scenes and characters of the
 * stories whose lists are loaded. Prose only where a loaded scene's stamp moved. */
static gboolean
read_rows (LoomStore  *self,
           Rows       *rows,
           GError    **error)
{
  const char *doing = _("reading the library");
  sqlite3_stmt *stmt;

  rows->stories = rows_new (sizeof (StoryRow), story_row_clear);
  rows->chapters = rows_new (sizeof (ChapterRow), chapter_row_clear);
  rows->scenes = rows_new (sizeof (SceneRow), scene_row_clear);
  rows->characters = rows_new (sizeof (CharacterRow), character_row_clear);

  stmt = _loom_store_get_statement (self,
    "SELECT s.id, s.title, s.premise, s.style_notes, s.created_at, s.updated_at,"
    "  (SELECT count(*) FROM chapters c WHERE c.story_id = s.id),"
    "  (SELECT count(*) FROM scenes sc WHERE sc.story_id = s.id),"
    "  (SELECT coalesce(sum(word_count), 0) FROM scenes sc WHERE sc.story_id = s.id)"
    " FROM stories s ORDER BY s.created_at, s.id", doing, error);
  if (stmt == NULL || !step_all (self, stmt, take_story, rows->stories, error))
    return FALSE;

  for (guint i = 0; i < rows->stories->len; i++)
    {
      gint64 id = g_array_index (rows->stories, StoryRow, i).id;
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &id);

      if (story == NULL)
        continue;
      if (story->chapters != NULL)
        {
          stmt = _loom_store_get_statement (self,
            "SELECT id, story_id, chapter_number, title FROM chapters WHERE story_id = ?1"
            " ORDER BY chapter_number, id", doing, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!step_all (self, stmt, take_chapter, rows->chapters, error))
            return FALSE;

          stmt = _loom_store_get_statement (self,
            "SELECT id, chapter_id, scene_number, outline, status, error_message,"
            " regeneration_count, word_count, updated_at FROM scenes WHERE story_id = ?1"
            " ORDER BY chapter_id, scene_number, id", doing, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!step_all (self, stmt, take_scene, rows->scenes, error))
            return FALSE;
        }
      if (story->characters != NULL)
        {
          stmt = _loom_store_get_statement (self,
            "SELECT id, story_id, name, traits, backstory FROM characters WHERE story_id = ?1"
            " ORDER BY id", doing, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!step_all (self, stmt, take_character, rows->characters, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < rows->scenes->len; i++)
    {
      SceneRow *row = &g_array_index (rows->scenes, SceneRow, i);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &row->id);

      if (scene == NULL || !scene->prose_loaded || scene->generating_here ||
          scene->updated_at == row->updated_at)
        continue;
      stmt = _loom_store_get_statement (self, "SELECT prose FROM scenes WHERE id = ?1", doing,
                                        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          row->prose_read = TRUE;
          if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
            row->prose = g_strndup ((const char *) sqlite3_column_text (stmt, 0),
                                    sqlite3_column_bytes (stmt, 0));
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Bringing the mirrors in step                                                             */

static void
set_text (gpointer     object,
          char       **field,
          const char  *value,
          const char  *property)
{
  if (loom_set_string (field, value))
    g_object_notify (G_OBJECT (object), property);
}

static void
set_uint (gpointer     object,
          guint       *field,
          guint        value,
          const char  *property)
{
  if (loom_set_uint (field, value))
    g_object_notify (G_OBJECT (object), property);
}

static void
set_int64 (gpointer     object,
           gint64      *field,
           gint64       value,
           const char  *property)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify (G_OBJECT (object), property);
}

/* Removes from @list what @wanted does not hold, last first. */
static void
list_remove_unwanted (GListStore *list,
                      GHashTable *wanted)
{
  GListModel *model = G_LIST_MODEL (list);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i - 1);

      if (wanted == NULL || !g_hash_table_contains (wanted, item))
        g_list_store_remove (list, i - 1);
    }
}

/* Makes @list hold @wanted in order; each insertion and move is its own items-changed, so
 * views keep their rows, selection and scroll position. */
static void
list_arrange (GListStore *list,
              GPtrArray  *wanted)
{
  GListModel *model = G_LIST_MODEL (list);

  for (guint i = 0; i < wanted->len; i++)
    {
      gpointer item = g_ptr_array_index (wanted, i);
      g_autoptr(GObject) current = NULL;
      guint position;

      if (i < g_list_model_get_n_items (model))
        current = g_list_model_get_item (model, i);
      if (current == item)
        continue;
      if (g_list_store_find (list, item, &position))
        g_list_store_remove (list, position);
      g_list_store_insert (list, i, item);
    }
}

static GHashTable *
set_of (GPtrArray *items)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    g_hash_table_add (set, g_ptr_array_index (items, i));
  return set;
}

static GPtrArray *
wanted_for (GHashTable *lists,
            gpointer    owner)
{
  GPtrArray *wanted = g_hash_table_lookup (lists, owner);

  if (wanted == NULL)
    {
      wanted = g_ptr_array_new ();
      g_hash_table_insert (lists, owner, wanted);
    }
  return wanted;
}

static void
apply_story (LoomStory      *story,
             const StoryRow *row)
{
  set_text (story, &story->title, row->title, "title");
  set_text (story, &story->premise, row->premise, "premise");
  set_text (story, &story->style_notes, row->style_notes, "style-notes");
  set_int64 (story, &story->updated_at, row->updated_at, "updated-at");
  set_uint (story, &story->chapter_count, row->chapter_count, "chapter-count");
  set_uint (story, &story->scene_count, row->scene_count, "scene-count");
  set_uint (story, &story->word_count, row->word_count, "word-count");
}

static void
apply_scene (LoomScene      *scene,
             SceneRow       *row,
             LoomChapter    *chapter)
{
  if (scene->chapter != chapter)
    {
      scene->chapter = chapter;
      g_object_notify (G_OBJECT (scene), "chapter");
    }
  set_uint (scene, &scene->number, row->number, "number");
  set_text (scene, &scene->outline, row->outline, "outline");
  if (!scene->generating_here && scene->status != row->status)
    {
      scene->status = row->status;
      g_object_notify (G_OBJECT (scene), "status");
    }
  set_text (scene, &scene->error_message, row->error_message, "error-message");
  set_uint (scene, &scene->regeneration_count, row->regeneration_count, "regeneration-count");
  if (scene->generating_here)
    return;
  if (row->prose_read)
    _loom_scene_replace_prose (scene, row->prose);
  set_uint (scene, &scene->word_count, row->word_count, "word-count");
  set_int64 (scene, &scene->updated_at, row->updated_at, "updated-at");
}

static void
apply_character (LoomCharacter      *character,
                 const CharacterRow *row)
{
  set_text (character, &character->name, row->name, "name");
  set_text (character, &character->traits, row->traits, "traits");
  set_text (character, &character->backstory, row->backstory, "backstory");
}

/* Everything in @map whose story is @story (or any story, when NULL) and not in @seen. */
static void
collect_gone (GHashTable *map,
              GHashTable *seen,
              GPtrArray  *gone,
              gboolean  (*belongs) (gpointer item, gpointer data),
              gpointer    data)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (!g_hash_table_contains (seen, value) && belongs (value, data))
        g_ptr_array_add (gone, g_object_ref (value));
    }
}

/* The rows were read for a story whose lists are loaded; one missing from the rows is gone
 * with everything in it. */
static gboolean
story_was_read (LoomStory  *story,
                GHashTable *seen)
{
  return story->chapters != NULL || story->characters != NULL ||
         !g_hash_table_contains (seen, story);
}

static gboolean
in_read_story_chapters (gpointer item,
                        gpointer data)
{
  LoomStory *story;

  if (LOOM_IS_SCENE (item))
    story = LOOM_SCENE (item)->chapter->story;
  else
    story = LOOM_CHAPTER (item)->story;
  return story->chapters != NULL && story_was_read (story, data);
}

static gboolean
in_read_story_characters (gpointer item,
                          gpointer data)
{
  LoomStory *story = LOOM_CHARACTER (item)->story;

  return story->characters != NULL && story_was_read (story, data);
}

static gboolean
always (gpointer item,
        gpointer data)
{
  return TRUE;
}

static void
apply_rows (LoomStore *self,
            Rows      *rows,
            GPtrArray *deleted)
{
  g_autoptr(GHashTable) live_stories = g_hash_table_new (NULL, NULL);  /* refreshed, loaded */
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) chapter_lists = g_hash_table_new_full (NULL, NULL, NULL,
                                                               (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) scene_lists = g_hash_table_new_full (NULL, NULL, NULL,
                                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) character_lists = g_hash_table_new_full (NULL, NULL, NULL,
                                                                 (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) stories = g_ptr_array_new ();
  g_autoptr(GPtrArray) gone_stories = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) gone_chapters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) gone_scenes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) gone_characters = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  /* Which objects the rows name, made where new. Nothing is announced yet. */
  for (guint i = 0; i < rows->stories->len; i++)
    {
      StoryRow *row = &g_array_index (rows->stories, StoryRow, i);
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &row->id);

      if (story == NULL)
        {
          story = _loom_story_new (self);
          story->id = row->id;
          story->created_at = row->created_at;
          _loom_store_remember (self->stories_by_id, &story->id, story);
          g_ptr_array_add (created, story);
        }
      g_hash_table_add (seen, story);
      g_ptr_array_add (stories, story);
      if (story->chapters != NULL || story->characters != NULL)
        g_hash_table_add (live_stories, story);
    }

  for (guint i = 0; i < rows->chapters->len; i++)
    {
      ChapterRow *row = &g_array_index (rows->chapters, ChapterRow, i);
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &row->story_id);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->id);

      if (chapter == NULL)
        {
          chapter = _loom_chapter_new (story);
          chapter->id = row->id;
          _loom_store_remember (self->chapters_by_id, &chapter->id, chapter);
          g_ptr_array_add (created, chapter);
        }
      g_hash_table_add (seen, chapter);
      g_ptr_array_add (wanted_for (chapter_lists, story), chapter);
    }

  for (guint i = 0; i < rows->characters->len; i++)
    {
      CharacterRow *row = &g_array_index (rows->characters, CharacterRow, i);
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &row->story_id);
      LoomCharacter *character = g_hash_table_lookup (self->characters_by_id, &row->id);

      if (character == NULL)
        {
          character = _loom_character_new (story);
          character->id = row->id;
          _loom_store_remember (self->characters_by_id, &character->id, character);
          g_ptr_array_add (created, character);
        }
      g_hash_table_add (seen, character);
      g_ptr_array_add (wanted_for (character_lists, story), character);
    }

  for (guint i = 0; i < rows->scenes->len; i++)
    {
      SceneRow *row = &g_array_index (rows->scenes, SceneRow, i);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->chapter_id);
      LoomScene *scene;

      if (chapter == NULL)
        continue;
      scene = g_hash_table_lookup (self->scenes_by_id, &row->id);
      if (scene == NULL)
        {
          scene = _loom_scene_new (chapter);
          scene->id = row->id;
          _loom_store_remember (self->scenes_by_id, &scene->id, scene);
          g_ptr_array_add (created, scene);
        }
      g_hash_table_add (seen, scene);
      g_ptr_array_add (wanted_for (scene_lists, chapter), scene);
      if (scene->chapter != chapter && g_hash_table_contains (seen, scene->chapter))
        {
          /* Moved to another chapter: out of the old list before anything is inserted. */
          guint position;

          if (g_list_store_find (scene->chapter->scenes, scene, &position))
            g_list_store_remove (scene->chapter->scenes, position);
        }
    }

  /* What is gone, children first; kept alive until announced. */
  collect_gone (self->scenes_by_id, seen, gone_scenes, in_read_story_chapters, seen);
  collect_gone (self->chapters_by_id, seen, gone_chapters, in_read_story_chapters, seen);
  collect_gone (self->characters_by_id, seen, gone_characters, in_read_story_characters, seen);
  collect_gone (self->stories_by_id, seen, gone_stories, always, NULL);

  /* Forget the deleted before the lists change, so that a view reacting to items-changed
   * no longer finds them. */
  for (guint i = 0; i < gone_scenes->len; i++)
    _loom_store_forget_scene (self, g_ptr_array_index (gone_scenes, i));
  for (guint i = 0; i < gone_chapters->len; i++)
    g_hash_table_remove (self->chapters_by_id, &LOOM_CHAPTER (g_ptr_array_index (gone_chapters,
                                                                                 i))->id);
  for (guint i = 0; i < gone_characters->len; i++)
    g_hash_table_remove (self->characters_by_id,
                         &LOOM_CHARACTER (g_ptr_array_index (gone_characters, i))->id);
  for (guint i = 0; i < gone_stories->len; i++)
    {
      LoomStory *story = g_ptr_array_index (gone_stories, i);

      if (story->chapters != NULL)
        {
          for (guint c = 0; c < g_list_model_get_n_items (G_LIST_MODEL (story->chapters)); c++)
            {
              g_autoptr(LoomChapter) chapter =
                g_list_model_get_item (G_LIST_MODEL (story->chapters), c);
              _loom_store_forget_chapter (self, chapter);
            }
        }
      if (story->characters != NULL)
        {
          for (guint c = 0; c < g_list_model_get_n_items (G_LIST_MODEL (story->characters)); c++)
            {
              g_autoptr(LoomCharacter) character =
                g_list_model_get_item (G_LIST_MODEL (story->characters), c);
              g_hash_table_remove (self->characters_by_id, &character->id);
            }
        }
      story->store = NULL;
      g_hash_table_remove (self->stories_by_id, &story->id);
    }

  /* Properties first, then the lists: removals everywhere, then insertions and moves. */
  for (guint i = 0; i < rows->stories->len; i++)
    apply_story (g_ptr_array_index (stories, i), &g_array_index (rows->stories, StoryRow, i));
  for (guint i = 0; i < rows->chapters->len; i++)
    {
      ChapterRow *row = &g_array_index (rows->chapters, ChapterRow, i);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->id);

      set_uint (chapter, &chapter->number, row->number, "number");
      set_text (chapter, &chapter->title, row->title, "title");
    }
  for (guint i = 0; i < rows->scenes->len; i++)
    {
      SceneRow *row = &g_array_index (rows->scenes, SceneRow, i);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->chapter_id);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &row->id);

      if (chapter != NULL && scene != NULL)
        apply_scene (scene, row, chapter);
    }
  for (guint i = 0; i < rows->characters->len; i++)
    {
      CharacterRow *row = &g_array_index (rows->characters, CharacterRow, i);
      LoomCharacter *character = g_hash_table_lookup (self->characters_by_id, &row->id);

      apply_character (character, row);
    }

  g_hash_table_iter_init (&iter, live_stories);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LoomStory *story = key;
      g_autoptr(GHashTable) wanted_chapters = NULL;

      if (story->chapters == NULL)
        continue;
      wanted_chapters = set_of (g_hash_table_lookup (chapter_lists, story));
      for (guint c = 0; c < g_list_model_get_n_items (G_LIST_MODEL (story->chapters)); c++)
        {
          g_autoptr(LoomChapter) chapter =
            g_list_model_get_item (G_LIST_MODEL (story->chapters), c);
          g_autoptr(GHashTable) wanted = set_of (g_hash_table_lookup (scene_lists, chapter));

          list_remove_unwanted (chapter->scenes, wanted);
        }
      list_remove_unwanted (story->chapters, wanted_chapters);
      if (story->characters != NULL)
        {
          g_autoptr(GHashTable) wanted = set_of (g_hash_table_lookup (character_lists, story));

          list_remove_unwanted (story->characters, wanted);
        }
    }
  list_remove_unwanted (self->stories, seen);

  list_arrange (self->stories, stories);
  g_hash_table_iter_init (&iter, live_stories);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LoomStory *story = key;
      GPtrArray *wanted;

      if (story->chapters != NULL)
        {
          wanted = g_hash_table_lookup (chapter_lists, story);
          if (wanted != NULL)
            list_arrange (story->chapters, wanted);
        }
      if (story->characters != NULL)
        {
          wanted = g_hash_table_lookup (character_lists, story);
          if (wanted != NULL)
            list_arrange (story->characters, wanted);
        }
    }
  g_hash_table_iter_init (&iter, scene_lists);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LoomChapter *chapter = key;
      GPtrArray *wanted = value;
      guint words = 0;

      list_arrange (chapter->scenes, wanted);
      for (guint i = 0; i < wanted->len; i++)
        words += LOOM_SCENE (g_ptr_array_index (wanted, i))->word_count;
      set_uint (chapter, &chapter->word_count, words, "word-count");
    }
  g_hash_table_iter_init (&iter, chapter_lists);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *wanted = value;

      for (guint i = 0; i < wanted->len; i++)
        {
          LoomChapter *chapter = g_ptr_array_index (wanted, i);

          if (!g_hash_table_contains (scene_lists, chapter))
            set_uint (chapter, &chapter->word_count, 0, "word-count");
        }
    }

  g_ptr_array_extend_and_steal (deleted, g_steal_pointer (&gone_scenes));
  g_ptr_array_extend_and_steal (deleted, g_steal_pointer (&gone_chapters));
  g_ptr_array_extend_and_steal (deleted, g_steal_pointer (&gone_characters));
  g_ptr_array_extend_and_steal (deleted, g_steal_pointer (&gone_stories));
}

/**
 * loom_store_refresh:
 * @changed: (out) (optional): whether another program had changed the library
 *
 * Brings the objects in step with what other programs wrote into the library since the last
 * call (or since it was opened). Costs one statement when nothing changed, so a window calls
 * it on focus, before saving and every couple of seconds. Views follow through the usual
 * notify and items-changed signals; deleted items are announced with
 * #LoomStore::deleted-elsewhere after everything is in step.
 */
gboolean
loom_store_refresh (LoomStore  *self,
                    gboolean   *changed,
                    GError    **error)
{
  g_auto(Rows) rows = { 0 };
  g_autoptr(GPtrArray) deleted = NULL;
  gint64 version = 0;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  if (changed != NULL)
    *changed = FALSE;
  if (self->db == NULL)
    {
      _loom_store_set_closed_error (error);
      return FALSE;
    }
  /* Inside our own transaction, or called again by a view reacting to this refresh. */
  if (self->refreshing || !sqlite3_get_autocommit (self->db))
    return TRUE;
  if (!_loom_store_read_data_version (self, &version, error))
    return FALSE;
  if (version == self->data_version)
    return TRUE;

  if (!_loom_store_run (self, error, _("reading the library"), "BEGIN", "") ||
      !_loom_store_read_data_version (self, &version, error) ||
      !read_rows (self, &rows, error) ||
      !_loom_store_commit (self, _("reading the library"), error))
    return _loom_store_rollback (self);

  self->data_version = version;
  self->refreshing = TRUE;
  deleted = g_ptr_array_new_with_free_func (g_object_unref);
  apply_rows (self, &rows, deleted);
  self->refreshing = FALSE;

  for (guint i = 0; i < deleted->len; i++)
    _loom_store_emit_deleted_elsewhere (self, g_ptr_array_index (deleted, i));
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}
