/* loom-store-trash.c: the library's trash
 *
 * Deleting copies every row that goes (the item, what belongs to it, its history and usage)
 * into the trash_* tables, column by name, in the same transaction as the DELETE. Restoring
 * copies them back and removes the entry. SQLite may hand a deleted row's id to a new row, so
 * before restoring, ids that are taken meanwhile are moved past the largest one in use, with
 * every reference inside the entry following.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

#define STORY_COLUMNS \
  "id, title, created_at, premise, style_notes, updated_at, target_words, deadline, daily_goal," \
  " spell_language"
#define CHAPTER_COLUMNS "id, story_id, chapter_number, title"
#define SCENE_COLUMNS \
  "id, story_id, chapter_id, scene_number, outline, prose, status, error_message," \
  " regeneration_count, updated_at, word_count, prose_origin, prose_model, prose_at"
#define CHARACTER_COLUMNS "id, story_id, name, traits, backstory, aliases, inclusion"
#define ENTRY_COLUMNS "id, story_id, kind, name, aliases, description, inclusion"
#define REVISION_COLUMNS "id, scene_id, prose, origin, model, created_at, author, written_at"
#define WORD_LOG_COLUMNS "scene_id, day, written, accepted"
#define WORD_LOG_KEPT_COLUMNS "story_id, day, written, accepted"
#define SUMMARY_COLUMNS \
  "scene_id, summary, facts, origin, prose_fingerprint, model, updated_at"
#define PROVENANCE_COLUMNS "scene_id, fingerprint, spans"
#define REVISION_PROVENANCE_COLUMNS "revision_id, spans"
#define GENERATION_COLUMNS \
  "id, scene_id, story_id, kind, model, started_at, finished_at, first_token_at," \
  " prompt_tokens, completion_tokens, cost, outcome, error, revision_id, inputs," \
  " partial_answered_at"

/* ?1 is the trash entry, ?2 the id of the deleted item. */
#define COPY(table, columns, where) \
  "INSERT INTO trash_" table " (trash_id, " columns ") SELECT ?1, " columns \
  " FROM " table " WHERE " where

static const char *const copy_story[] = {
  COPY ("stories", STORY_COLUMNS, "id = ?2"),
  COPY ("chapters", CHAPTER_COLUMNS, "story_id = ?2"),
  COPY ("scenes", SCENE_COLUMNS, "story_id = ?2"),
  COPY ("characters", CHARACTER_COLUMNS, "story_id = ?2"),
  COPY ("entries", ENTRY_COLUMNS, "story_id = ?2"),
  COPY ("scene_revisions", REVISION_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE story_id = ?2)"),
  COPY ("generations", GENERATION_COLUMNS, "story_id = ?2"),
  COPY ("word_log", WORD_LOG_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE story_id = ?2)"),
  COPY ("word_log_kept", WORD_LOG_KEPT_COLUMNS, "story_id = ?2"),
  COPY ("scene_summaries", SUMMARY_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE story_id = ?2)"),
  COPY ("prose_provenance", PROVENANCE_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE story_id = ?2)"),
  COPY ("revision_provenance", REVISION_PROVENANCE_COLUMNS,
        "revision_id IN (SELECT r.id FROM scene_revisions r JOIN scenes s ON s.id = r.scene_id"
        " WHERE s.story_id = ?2)"),
  NULL
};

static const char *const copy_chapter[] = {
  COPY ("chapters", CHAPTER_COLUMNS, "id = ?2"),
  COPY ("scenes", SCENE_COLUMNS, "chapter_id = ?2"),
  COPY ("scene_revisions", REVISION_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?2)"),
  COPY ("generations", GENERATION_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?2)"),
  COPY ("word_log", WORD_LOG_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?2)"),
  COPY ("scene_summaries", SUMMARY_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?2)"),
  COPY ("prose_provenance", PROVENANCE_COLUMNS,
        "scene_id IN (SELECT id FROM scenes WHERE chapter_id = ?2)"),
  COPY ("revision_provenance", REVISION_PROVENANCE_COLUMNS,
        "revision_id IN (SELECT r.id FROM scene_revisions r JOIN scenes s ON s.id = r.scene_id"
        " WHERE s.chapter_id = ?2)"),
  NULL
};

static const char *const copy_scene[] = {
  COPY ("scenes", SCENE_COLUMNS, "id = ?2"),
  COPY ("scene_revisions", REVISION_COLUMNS, "scene_id = ?2"),
  COPY ("generations", GENERATION_COLUMNS, "scene_id = ?2"),
  COPY ("word_log", WORD_LOG_COLUMNS, "scene_id = ?2"),
  COPY ("scene_summaries", SUMMARY_COLUMNS, "scene_id = ?2"),
  COPY ("prose_provenance", PROVENANCE_COLUMNS, "scene_id = ?2"),
  COPY ("revision_provenance", REVISION_PROVENANCE_COLUMNS,
        "revision_id IN (SELECT id FROM scene_revisions WHERE scene_id = ?2)"),
  NULL
};

static const char *const copy_character[] = {
  COPY ("characters", CHARACTER_COLUMNS, "id = ?2"),
  NULL
};

static const char *const copy_entry[] = {
  COPY ("entries", ENTRY_COLUMNS, "id = ?2"),
  NULL
};

/* Parents first, so that every foreign key finds its row. */
#define PUT_BACK(table, columns) \
  "INSERT INTO " table " (" columns ") SELECT " columns " FROM trash_" table \
  " WHERE trash_id = ?1 ORDER BY id"

static const char *const put_back[] = {
  PUT_BACK ("stories", STORY_COLUMNS),
  PUT_BACK ("chapters", CHAPTER_COLUMNS),
  PUT_BACK ("scenes", SCENE_COLUMNS),
  PUT_BACK ("characters", CHARACTER_COLUMNS),
  PUT_BACK ("entries", ENTRY_COLUMNS),
  PUT_BACK ("scene_revisions", REVISION_COLUMNS),
  PUT_BACK ("generations", GENERATION_COLUMNS),
  /* no id of its own */
  "INSERT INTO word_log (" WORD_LOG_COLUMNS ") SELECT " WORD_LOG_COLUMNS
  " FROM trash_word_log WHERE trash_id = ?1",
  "INSERT INTO word_log_kept (" WORD_LOG_KEPT_COLUMNS ") SELECT " WORD_LOG_KEPT_COLUMNS
  " FROM trash_word_log_kept WHERE trash_id = ?1",
  "INSERT INTO scene_summaries (" SUMMARY_COLUMNS ") SELECT " SUMMARY_COLUMNS
  " FROM trash_scene_summaries WHERE trash_id = ?1",
  /* the requests' ids inside the spans move as the requests did */
  "INSERT INTO prose_provenance (" PROVENANCE_COLUMNS ") SELECT scene_id, fingerprint,"
  " loom_shift_spans (spans, generation_shift) FROM trash_prose_provenance WHERE trash_id = ?1",
  "INSERT INTO revision_provenance (" REVISION_PROVENANCE_COLUMNS ") SELECT revision_id,"
  " loom_shift_spans (spans, generation_shift) FROM trash_revision_provenance"
  " WHERE trash_id = ?1",
};

/* For each live table: the statements that move the entry's ids in it by ?2 when one of them
 * is taken, and every column of the entry that refers to them. */
typedef struct
{
  const char *table;
  const char *updates[10];
} Renumbering;

static const Renumbering renumberings[] = {
  { "stories", {
      "UPDATE trash_stories SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_chapters SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_scenes SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_characters SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_entries SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_generations SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_word_log_kept SET story_id = story_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash SET item_id = item_id + ?2, story_id = story_id + ?2 WHERE id = ?1",
    } },
  { "chapters", {
      "UPDATE trash_chapters SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_scenes SET chapter_id = chapter_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash SET item_id = item_id + ?2 WHERE id = ?1 AND kind = 'chapter'",
    } },
  { "scenes", {
      "UPDATE trash_scenes SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_scene_revisions SET scene_id = scene_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_generations SET scene_id = scene_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_word_log SET scene_id = scene_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_scene_summaries SET scene_id = scene_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_prose_provenance SET scene_id = scene_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash SET item_id = item_id + ?2 WHERE id = ?1 AND kind = 'scene'",
    } },
  { "characters", {
      "UPDATE trash_characters SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash SET item_id = item_id + ?2 WHERE id = ?1 AND kind = 'character'",
    } },
  { "entries", {
      "UPDATE trash_entries SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash SET item_id = item_id + ?2 WHERE id = ?1 AND kind = 'entry'",
    } },
  { "scene_revisions", {
      "UPDATE trash_scene_revisions SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_generations SET revision_id = revision_id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_revision_provenance SET revision_id = revision_id + ?2"
      " WHERE trash_id = ?1",
    } },
  { "generations", {
      "UPDATE trash_generations SET id = id + ?2 WHERE trash_id = ?1",
      "UPDATE trash_prose_provenance SET generation_shift = generation_shift + ?2"
      " WHERE trash_id = ?1",
      "UPDATE trash_revision_provenance SET generation_shift = generation_shift + ?2"
      " WHERE trash_id = ?1",
    } },
};

static const char *const kind_names[] = { "story", "chapter", "scene", "character", "entry" };

static gboolean
kind_from_string (const char    *text,
                  LoomTrashKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (text, kind_names[i]) == 0)
        {
          *kind = (LoomTrashKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Runs a query of one integer, bound to @a and @b. */
static gboolean
query_int64 (LoomStore   *self,
             const char  *sql,
             gint64       a,
             gint64       b,
             gint64      *value,
             const char  *doing,
             GError     **error)
{
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  rc = sqlite3_step (stmt);
  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/**
 * _loom_store_trash_rows:
 *
 * Inside the caller's transaction and before its DELETE: records @entry in the trash and
 * copies every row that goes with the item. Sets @entry->id.
 */
gboolean
_loom_store_trash_rows (LoomStore       *self,
                        LoomTrashEntry  *entry,
                        GError         **error)
{
  const char *doing = _("moving it to the Trash");
  static const char *const *copies[] = {
    copy_story, copy_chapter, copy_scene, copy_character, copy_entry,
  };
  const char *const *copy = copies[entry->kind];

  if (!_loom_store_run (self, error, doing,
            "INSERT INTO trash (kind, item_id, story_id, chapter_id, position, title,"
            " story_title, chapters, scenes, words, deleted_at)"
            " VALUES (?1, ?2, ?3, nullif (?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            "siiiussuuui", kind_names[entry->kind], entry->item_id, entry->story_id,
            entry->chapter_id, entry->position, entry->title ? entry->title : "",
            entry->story_title ? entry->story_title : "", entry->n_chapters, entry->n_scenes,
            entry->n_words, entry->deleted_at))
    return FALSE;
  entry->id = sqlite3_last_insert_rowid (_loom_store_get_db (self));

  /* Past days stay in the story's history: only the day's own words go with the scenes. */
  if ((entry->kind == LOOM_TRASH_SCENE || entry->kind == LOOM_TRASH_CHAPTER) &&
      !_loom_store_keep_past_words (self, entry->kind == LOOM_TRASH_CHAPTER, entry->item_id,
                                    error))
    return FALSE;
  for (guint i = 0; copy[i] != NULL; i++)
    if (!_loom_store_run (self, error, doing, copy[i], "ii", entry->id, entry->item_id))
      return FALSE;
  return TRUE;
}

static gboolean
read_entry (LoomStore       *self,
            gint64           trash_id,
            LoomTrashEntry  *entry,
            char           **title,
            char           **story_title,
            GError         **error)
{
  static const char sql[] =
    "SELECT kind, item_id, story_id, coalesce (chapter_id, 0), position, title, story_title,"
    " chapters, scenes, words, deleted_at FROM trash WHERE id = ?1";
  const char *doing = _("restoring from the Trash");
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, trash_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entry->id = trash_id;
      if (!kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &entry->kind))
        entry->kind = LOOM_TRASH_SCENE;
      entry->item_id = sqlite3_column_int64 (stmt, 1);
      entry->story_id = sqlite3_column_int64 (stmt, 2);
      entry->chapter_id = sqlite3_column_int64 (stmt, 3);
      entry->position = sqlite3_column_int (stmt, 4);
      *title = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      *story_title = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      entry->n_chapters = sqlite3_column_int (stmt, 7);
      entry->n_scenes = sqlite3_column_int (stmt, 8);
      entry->n_words = sqlite3_column_int (stmt, 9);
      entry->deleted_at = sqlite3_column_int64 (stmt, 10);
      entry->title = *title;
      entry->story_title = *story_title;
    }
  return _loom_store_finish_statement (self, stmt, rc,
                                       _("This item is no longer in the Trash: it was restored "
                                         "or the Trash was emptied."),
                                       doing, error);
}

/* The place the item goes back to must still be there. */
static gboolean
check_parent (LoomStore             *self,
              const LoomTrashEntry  *entry,
              GError               **error)
{
  const char *doing = _("restoring from the Trash");
  gint64 found = 0;

  switch (entry->kind)
    {
    case LOOM_TRASH_STORY:
      return TRUE;
    case LOOM_TRASH_SCENE:
      if (!query_int64 (self, "SELECT count(*) FROM chapters WHERE id = ?1 AND story_id = ?2",
                        entry->chapter_id, entry->story_id, &found, doing, error))
        return FALSE;
      if (found == 0)
        {
          g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                               _("The scene’s chapter has been deleted since. Restore the "
                                 "chapter first, then the scene."));
          return FALSE;
        }
      return TRUE;
    case LOOM_TRASH_CHAPTER:
    case LOOM_TRASH_CHARACTER:
    case LOOM_TRASH_ENTRY:
    default:
      if (!query_int64 (self, "SELECT count(*) FROM stories WHERE id = ?1", entry->story_id, 0,
                        &found, doing, error))
        return FALSE;
      if (found == 0)
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                       _("The story “%s” has been deleted since. Restore the story first."),
                       entry->story_title);
          return FALSE;
        }
      return TRUE;
    }
}

static gboolean
renumber_taken_ids (LoomStore  *self,
                    gint64      trash_id,
                    gboolean   *renumbered,
                    GError    **error)
{
  const char *doing = _("restoring from the Trash");

  for (guint i = 0; i < G_N_ELEMENTS (renumberings); i++)
    {
      const Renumbering *r = &renumberings[i];
      g_autofree char *taken_sql =
        g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM trash_%s t JOIN %s l ON l.id = t.id"
                         " WHERE t.trash_id = ?1)", r->table, r->table);
      g_autofree char *max_sql = g_strdup_printf ("SELECT coalesce (max (id), 0) FROM %s",
                                                  r->table);
      gint64 taken = 0;
      gint64 offset = 0;

      if (!query_int64 (self, taken_sql, trash_id, 0, &taken, doing, error))
        return FALSE;
      if (!taken)
        continue;
      if (!query_int64 (self, max_sql, trash_id, 0, &offset, doing, error))
        return FALSE;
      for (guint u = 0; u < G_N_ELEMENTS (r->updates) && r->updates[u] != NULL; u++)
        if (!_loom_store_run (self, error, doing, r->updates[u], "ii", trash_id, offset))
          return FALSE;
      *renumbered = TRUE;
    }
  return TRUE;
}

/* Opens a gap at the chapter's or scene's old number (or appends, when there are fewer now). */
static gboolean
make_room (LoomStore       *self,
           LoomTrashEntry  *entry,
           GError         **error)
{
  const char *doing = _("restoring from the Trash");
  gint64 n = 0;

  if (entry->kind == LOOM_TRASH_CHAPTER)
    {
      if (!query_int64 (self, "SELECT count(*) FROM chapters WHERE story_id = ?1",
                        entry->story_id, 0, &n, doing, error))
        return FALSE;
      entry->position = CLAMP (entry->position, 1, (guint) n + 1);
      return _loom_store_run (self, error, doing,
                              "UPDATE chapters SET chapter_number = chapter_number + 1"
                              " WHERE story_id = ?1 AND chapter_number >= ?2",
                              "iu", entry->story_id, entry->position);
    }
  if (entry->kind == LOOM_TRASH_SCENE)
    {
      if (!query_int64 (self, "SELECT count(*) FROM scenes WHERE chapter_id = ?1",
                        entry->chapter_id, 0, &n, doing, error))
        return FALSE;
      entry->position = CLAMP (entry->position, 1, (guint) n + 1);
      return _loom_store_run (self, error, doing,
                              "UPDATE scenes SET scene_number = scene_number + 1"
                              " WHERE chapter_id = ?1 AND scene_number >= ?2",
                              "iu", entry->chapter_id, entry->position);
    }
  return TRUE;
}

static gboolean
set_number (LoomStore             *self,
            const LoomTrashEntry  *entry,
            GError               **error)
{
  const char *doing = _("restoring from the Trash");

  if (entry->kind == LOOM_TRASH_CHAPTER)
    return _loom_store_run (self, error, doing,
                            "UPDATE chapters SET chapter_number = ?1 WHERE id = ?2",
                            "ui", entry->position, entry->item_id);
  if (entry->kind == LOOM_TRASH_SCENE)
    return _loom_store_run (self, error, doing,
                            "UPDATE scenes SET scene_number = ?1 WHERE id = ?2",
                            "ui", entry->position, entry->item_id);
  return TRUE;
}

/**
 * _loom_store_untrash_rows:
 * @entry: (out): the entry as restored: its item's id (which may have changed) and place
 * @title: (out): owns @entry's title
 * @story_title: (out): owns @entry's story title
 * @renumbered_ids: (out): whether ids taken meanwhile had to change
 *
 * Inside the caller's transaction: puts the rows of trash entry @trash_id back where they
 * were and removes the entry.
 */
gboolean
_loom_store_untrash_rows (LoomStore       *self,
                          gint64           trash_id,
                          LoomTrashEntry  *entry,
                          char           **title,
                          char           **story_title,
                          gboolean        *renumbered_ids,
                          GError         **error)
{
  const char *doing = _("restoring from the Trash");

  *renumbered_ids = FALSE;

  if (!read_entry (self, trash_id, entry, title, story_title, error) ||
      !check_parent (self, entry, error) ||
      !renumber_taken_ids (self, trash_id, renumbered_ids, error))
    return FALSE;

  /* The item's id may have moved. */
  if (*renumbered_ids &&
      !query_int64 (self, "SELECT item_id FROM trash WHERE id = ?1", trash_id, 0,
                    &entry->item_id, doing, error))
    return FALSE;

  if (!make_room (self, entry, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (put_back); i++)
    if (!_loom_store_run (self, error, doing, put_back[i], "i", trash_id))
      return FALSE;
  return set_number (self, entry, error) &&
         _loom_store_run (self, error, doing, "DELETE FROM trash WHERE id = ?1", "i", trash_id);
}

/* Lets go for good of what was deleted before @before (ms since the epoch; G_MAXINT64 for
 * everything). Runs in a transaction of its own. */
gboolean
_loom_store_purge_trash (LoomStore  *self,
                         gint64      before,
                         GError    **error)
{
  const char *doing = _("emptying the Trash");

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing, "DELETE FROM trash WHERE deleted_at < ?1", "i",
                        before) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  /* Objects of entries that are gone can no longer come back. */
  if (before == G_MAXINT64)
    g_hash_table_remove_all (self->trashed);
  return TRUE;
}

LoomDeletion *
_loom_store_remember_trashed (LoomStore             *self,
                              const LoomTrashEntry  *entry,
                              GObject               *item)
{
  g_hash_table_insert (self->trashed, g_memdup2 (&entry->id, sizeof entry->id),
                       g_object_ref (item));
  return _loom_deletion_new (entry, item);
}

/**
 * loom_store_list_trash:
 *
 * Returns: (transfer full): a #GListModel of #LoomDeletion, the most recent first.
 */
GListModel *
loom_store_list_trash (LoomStore  *self,
                       GError    **error)
{
  static const char sql[] =
    "SELECT id, kind, item_id, story_id, coalesce (chapter_id, 0), position, title,"
    " story_title, chapters, scenes, words, deleted_at FROM trash"
    " ORDER BY deleted_at DESC, id DESC";
  const char *doing = _("reading the Trash");
  g_autoptr(GListStore) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);

  if ((stmt = _loom_store_get_statement (self, sql, doing, error)) == NULL)
    return NULL;

  list = g_list_store_new (LOOM_TYPE_DELETION);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(LoomDeletion) deletion = NULL;
      LoomTrashEntry entry = { 0 };

      entry.id = sqlite3_column_int64 (stmt, 0);
      if (!kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &entry.kind))
        continue;
      entry.item_id = sqlite3_column_int64 (stmt, 2);
      entry.story_id = sqlite3_column_int64 (stmt, 3);
      entry.chapter_id = sqlite3_column_int64 (stmt, 4);
      entry.position = sqlite3_column_int (stmt, 5);
      entry.title = (const char *) sqlite3_column_text (stmt, 6);
      entry.story_title = (const char *) sqlite3_column_text (stmt, 7);
      entry.n_chapters = sqlite3_column_int (stmt, 8);
      entry.n_scenes = sqlite3_column_int (stmt, 9);
      entry.n_words = sqlite3_column_int (stmt, 10);
      entry.deleted_at = sqlite3_column_int64 (stmt, 11);
      deletion = _loom_deletion_new (&entry, g_hash_table_lookup (self->trashed, &entry.id));
      g_list_store_append (list, deletion);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

/**
 * loom_store_empty_trash:
 *
 * Deletes for good everything in the trash. Callers ask the writer first.
 */
gboolean
loom_store_empty_trash (LoomStore  *self,
                        GError    **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  return _loom_store_purge_trash (self, G_MAXINT64, error);
}
