/* loom-store-refresh.c: reading the rows into the mirrors, at open and after other programs
 *
 * The store reads every story with its chapters, scene lists (outlines and counts, not prose)
 * and characters when it opens, so that no getter reads the library behind its caller's back.
 * The library is shared: storyloom-cli or a second window may write it at any moment. SQLite's
 * PRAGMA data_version moves whenever another connection commits, so loom_store_refresh() costs
 * one cheap statement when nothing happened. When something did, it reads the rows again in
 * one read transaction, as at open, and only then brings the identity-mapped objects in step:
 * the model's private setters notify, lists emit precise items-changed, and deleted items are
 * announced with LoomStore::deleted-elsewhere. Prose is read again only for scenes whose stamp
 * moved, and never for one a generation of this store is streaming into (its flushes keep the
 * other text as a revision instead, see loom-store-generation.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"

/* How one column of a result reads into its row's field. */
typedef enum
{
  FIELD_INT64,
  FIELD_INT,        /* a guint, as SQLite's int */
  FIELD_CLAMPED,    /* a guint; a value out of its range is clamped */
  FIELD_TEXT,       /* a char * the row owns; NULL stays NULL */
  FIELD_STATUS,     /* a LoomSceneStatus by its word */
  FIELD_KIND,       /* a LoomEntryKind by its word */
  FIELD_INCLUSION,  /* a LoomInclusion by its word */
} FieldType;

G_STATIC_ASSERT (sizeof (LoomSceneStatus) == sizeof (guint));

typedef struct
{
  const char *sql;       /* the column, or what computes it */
  FieldType   type;
  gsize       offset;    /* of the field in the row */
  guint       fallback;  /* for a word this version does not know */
} Column;

#define COLUMN(Row, field, sql, type) { sql, type, G_STRUCT_OFFSET (Row, field), 0 }
#define WORD_COLUMN(Row, field, sql, type, fallback) \
  { sql, type, G_STRUCT_OFFSET (Row, field), fallback }

/* One table as the mirrors read it: a row of it is a Loom*Row, each field a column. */
typedef struct
{
  const char   *from;       /* the table, with the alias its columns use */
  const char   *order;      /* the order its lists show */
  const Column *columns;
  guint         n_columns;
  gsize         row_size;
} Table;

#define TABLE(Row, from, order, columns) \
  { from, order, columns, G_N_ELEMENTS (columns), sizeof (Row) }

static const Column story_columns[] = {
  COLUMN (LoomStoryRow, id, "s.id", FIELD_INT64),
  COLUMN (LoomStoryRow, title, "s.title", FIELD_TEXT),
  COLUMN (LoomStoryRow, premise, "s.premise", FIELD_TEXT),
  COLUMN (LoomStoryRow, style_notes, "s.style_notes", FIELD_TEXT),
  COLUMN (LoomStoryRow, created_at, "s.created_at", FIELD_INT64),
  COLUMN (LoomStoryRow, updated_at, "s.updated_at", FIELD_INT64),
  COLUMN (LoomStoryRow, chapter_count,
          "(SELECT count(*) FROM chapters c WHERE c.story_id = s.id)", FIELD_INT),
  COLUMN (LoomStoryRow, scene_count,
          "(SELECT count(*) FROM scenes sc WHERE sc.story_id = s.id)", FIELD_INT),
  COLUMN (LoomStoryRow, word_count,
          "(SELECT coalesce(sum(word_count), 0) FROM scenes sc WHERE sc.story_id = s.id)",
          FIELD_INT),
  COLUMN (LoomStoryRow, target_words, "s.target_words", FIELD_CLAMPED),
  COLUMN (LoomStoryRow, deadline, "s.deadline", FIELD_TEXT),
  COLUMN (LoomStoryRow, daily_goal, "s.daily_goal", FIELD_CLAMPED),
  COLUMN (LoomStoryRow, spell_language, "s.spell_language", FIELD_TEXT),
};

static const Column chapter_columns[] = {
  COLUMN (LoomChapterRow, id, "id", FIELD_INT64),
  COLUMN (LoomChapterRow, story_id, "story_id", FIELD_INT64),
  COLUMN (LoomChapterRow, number, "chapter_number", FIELD_INT),
  COLUMN (LoomChapterRow, title, "title", FIELD_TEXT),
};

static const Column scene_columns[] = {
  COLUMN (LoomSceneRow, id, "id", FIELD_INT64),
  COLUMN (LoomSceneRow, chapter_id, "chapter_id", FIELD_INT64),
  COLUMN (LoomSceneRow, number, "scene_number", FIELD_INT),
  COLUMN (LoomSceneRow, outline, "outline", FIELD_TEXT),
  WORD_COLUMN (LoomSceneRow, status, "status", FIELD_STATUS, LOOM_SCENE_STATUS_DRAFT),
  COLUMN (LoomSceneRow, error_message, "error_message", FIELD_TEXT),
  COLUMN (LoomSceneRow, regeneration_count, "regeneration_count", FIELD_INT),
  COLUMN (LoomSceneRow, word_count, "word_count", FIELD_INT),
  COLUMN (LoomSceneRow, updated_at, "updated_at", FIELD_INT64),
  /* Not read with the outlines: read_moved_prose() fills it where the stamp moved. */
  COLUMN (LoomSceneRow, prose, "NULL", FIELD_TEXT),
};

static const Column character_columns[] = {
  COLUMN (LoomCharacterRow, id, "id", FIELD_INT64),
  COLUMN (LoomCharacterRow, story_id, "story_id", FIELD_INT64),
  COLUMN (LoomCharacterRow, name, "name", FIELD_TEXT),
  COLUMN (LoomCharacterRow, traits, "traits", FIELD_TEXT),
  COLUMN (LoomCharacterRow, backstory, "backstory", FIELD_TEXT),
  COLUMN (LoomCharacterRow, aliases, "aliases", FIELD_TEXT),
  WORD_COLUMN (LoomCharacterRow, inclusion, "inclusion", FIELD_INCLUSION,
               LOOM_INCLUSION_ALWAYS),
};

static const Column entry_columns[] = {
  COLUMN (LoomEntryRow, id, "id", FIELD_INT64),
  COLUMN (LoomEntryRow, story_id, "story_id", FIELD_INT64),
  WORD_COLUMN (LoomEntryRow, kind, "kind", FIELD_KIND, LOOM_ENTRY_LORE),
  COLUMN (LoomEntryRow, name, "name", FIELD_TEXT),
  COLUMN (LoomEntryRow, aliases, "aliases", FIELD_TEXT),
  COLUMN (LoomEntryRow, description, "description", FIELD_TEXT),
  WORD_COLUMN (LoomEntryRow, inclusion, "inclusion", FIELD_INCLUSION,
               LOOM_INCLUSION_MENTIONED),
};

static const Table story_table =
  TABLE (LoomStoryRow, "stories s", "s.created_at, s.id", story_columns);
static const Table chapter_table =
  TABLE (LoomChapterRow, "chapters", "story_id, chapter_number, id", chapter_columns);
static const Table scene_table =
  TABLE (LoomSceneRow, "scenes", "chapter_id, scene_number, id", scene_columns);
static const Table character_table =
  TABLE (LoomCharacterRow, "characters", "story_id, id", character_columns);
static const Table entry_table =
  TABLE (LoomEntryRow, "entries", "story_id, id", entry_columns);

static GArray *
rows_new (const Table *table)
{
  return g_array_new (FALSE, TRUE, table->row_size);
}

static void
row_clear (const Table *table,
           gpointer     row)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      if (table->columns[c].type == FIELD_TEXT)
        g_clear_pointer ((char **) G_STRUCT_MEMBER_P (row, table->columns[c].offset), g_free);
    }
}

static void
rows_free (const Table *table,
           GArray      *rows)
{
  if (rows == NULL)
    return;
  for (guint r = 0; r < rows->len; r++)
    row_clear (table, rows->data + r * table->row_size);
  g_array_unref (rows);
}

typedef struct
{
  GArray *stories;
  GArray *chapters;
  GArray *scenes;
  GArray *characters;
  GArray *entries;
} Rows;

static void
rows_clear (Rows *rows)
{
  rows_free (&story_table, g_steal_pointer (&rows->stories));
  rows_free (&chapter_table, g_steal_pointer (&rows->chapters));
  rows_free (&scene_table, g_steal_pointer (&rows->scenes));
  rows_free (&character_table, g_steal_pointer (&rows->characters));
  rows_free (&entry_table, g_steal_pointer (&rows->entries));
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Rows, rows_clear)

gboolean
_loom_store_read_data_version (LoomStore  *self,
                               gint64     *version,
                               GError    **error)
{
  return _loom_store_read_value (self, "PRAGMA data_version", version, error);
}

static guint
read_word (FieldType   type,
           const char *word,
           guint       fallback)
{
  LoomSceneStatus status;
  LoomEntryKind kind;
  LoomInclusion inclusion;

  switch (type)
    {
    case FIELD_STATUS:
      return loom_scene_status_from_string (word, &status) ? status : fallback;
    case FIELD_KIND:
      return loom_entry_kind_from_string (word, &kind) ? kind : fallback;
    case FIELD_INCLUSION:
      return loom_inclusion_from_string (word, &inclusion) ? inclusion : fallback;
    case FIELD_INT64:
    case FIELD_INT:
    case FIELD_CLAMPED:
    case FIELD_TEXT:
    default:
      g_assert_not_reached ();
    }
}

/* Fills the zeroed @row from the result @stmt stands on. */
static void
read_row (sqlite3_stmt *stmt,
          const Table  *table,
          gpointer      row)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      const Column *column = &table->columns[c];
      gpointer field = G_STRUCT_MEMBER_P (row, column->offset);

      switch (column->type)
        {
        case FIELD_INT64:
          *(gint64 *) field = sqlite3_column_int64 (stmt, c);
          break;
        case FIELD_INT:
          *(guint *) field = sqlite3_column_int (stmt, c);
          break;
        case FIELD_CLAMPED:
          *(guint *) field = CLAMP (sqlite3_column_int64 (stmt, c), 0, G_MAXUINT);
          break;
        case FIELD_TEXT:
          *(char **) field = g_strdup ((const char *) sqlite3_column_text (stmt, c));
          break;
        case FIELD_STATUS:
        case FIELD_KIND:
        case FIELD_INCLUSION:
        default:
          *(guint *) field = read_word (column->type,
                                       (const char *) sqlite3_column_text (stmt, c),
                                       column->fallback);
          break;
        }
    }
}

/* The statement reading @table's rows whose @key is @id (every row when @key is NULL), in
 * the order its lists show. */
static sqlite3_stmt *
select_rows (LoomStore    *self,
             const Table  *table,
             const char   *key,
             gint64        id,
             const char   *doing,
             GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  sqlite3_stmt *stmt;

  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (sql, "%s%s", c > 0 ? ", " : "", table->columns[c].sql);
  g_string_append_printf (sql, " FROM %s", table->from);
  if (key != NULL)
    g_string_append_printf (sql, " WHERE %s = ?1", key);
  g_string_append_printf (sql, " ORDER BY %s", table->order);

  stmt = _loom_store_get_statement (self, sql->str, doing, error);
  if (stmt != NULL && key != NULL)
    sqlite3_bind_int64 (stmt, 1, id);
  return stmt;
}

/* Appends to @rows the rows of @table whose @key is @id (every row when @key is NULL). */
static gboolean
read_all (LoomStore    *self,
          const Table  *table,
          const char   *key,
          gint64        id,
          GArray       *rows,
          const char   *doing,
          GError      **error)
{
  sqlite3_stmt *stmt = select_rows (self, table, key, id, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_array_set_size (rows, rows->len + 1);
      read_row (stmt, table, rows->data + (rows->len - 1) * table->row_size);
    }
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/* Fills the zeroed @row with the row of @table whose id is @id, which must be there. */
static gboolean
read_one (LoomStore    *self,
          const Table  *table,
          gint64        id,
          gpointer      row,
          const char   *doing,
          GError      **error)
{
  sqlite3_stmt *stmt = select_rows (self, table, "id", id, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    read_row (stmt, table, row);
  return _loom_store_finish_statement (self, stmt, rc,
                                       _("This item no longer exists in the library."),
                                       doing, error);
}

/* The prose of the scenes whose text is in memory and whose stamp moved. */
static gboolean
read_moved_prose (LoomStore  *self,
                  GArray     *scenes,
                  GError    **error)
{
  for (guint i = 0; i < scenes->len; i++)
    {
      LoomSceneRow *row = &g_array_index (scenes, LoomSceneRow, i);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &row->id);
      sqlite3_stmt *stmt;

      if (scene == NULL || !scene->prose_loaded || scene->generating_here ||
          scene->updated_at == row->updated_at)
        continue;
      stmt = _loom_store_get_statement (self, "SELECT prose FROM scenes WHERE id = ?1",
                                        _("reading the library"), error);
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

/* Reads the rows the mirrors show: every story, chapter, scene, character and bible entry,
 * in the order their lists show them. */
static gboolean
read_rows (LoomStore  *self,
           Rows       *rows,
           GError    **error)
{
  const char *doing = _("reading the library");

  rows->stories = rows_new (&story_table);
  rows->chapters = rows_new (&chapter_table);
  rows->scenes = rows_new (&scene_table);
  rows->characters = rows_new (&character_table);
  rows->entries = rows_new (&entry_table);
  return read_all (self, &story_table, NULL, 0, rows->stories, doing, error) &&
         read_all (self, &chapter_table, NULL, 0, rows->chapters, doing, error) &&
         read_all (self, &scene_table, NULL, 0, rows->scenes, doing, error) &&
         read_all (self, &character_table, NULL, 0, rows->characters, doing, error) &&
         read_all (self, &entry_table, NULL, 0, rows->entries, doing, error) &&
         read_moved_prose (self, rows->scenes, error);
}

/* ---------------------------------------------------------------------------------------- */
/* New mirrors                                                                              */

static LoomStory *
story_new (LoomStore          *self,
           const LoomStoryRow *row)
{
  LoomStory *story = _loom_story_new (self);

  story->id = row->id;
  _loom_story_update (story, row);
  return story;
}

static LoomScene *
scene_new (LoomChapter        *chapter,
           const LoomSceneRow *row)
{
  LoomScene *scene = _loom_scene_new (chapter);

  scene->id = row->id;
  _loom_scene_update (scene, chapter, row);
  return scene;
}

/* Chapters, characters and bible entries are the mirrors a story lists: their objects begin
 * with the story and the id, their rows with the id and the story's, so one loop reads, names
 * and brings in step all three. */
typedef struct
{
  GObject    parent_instance;
  LoomStory *story;
  gint64     id;
} ListedMirror;

typedef struct
{
  gint64 id;
  gint64 story_id;
} ListedRow;

#define BEGINS_AS(T, Base, first, second) \
  (G_STRUCT_OFFSET (T, first) == G_STRUCT_OFFSET (Base, first) && \
   G_STRUCT_OFFSET (T, second) == G_STRUCT_OFFSET (Base, second))
G_STATIC_ASSERT (BEGINS_AS (LoomChapter, ListedMirror, story, id));
G_STATIC_ASSERT (BEGINS_AS (LoomCharacter, ListedMirror, story, id));
G_STATIC_ASSERT (BEGINS_AS (LoomEntry, ListedMirror, story, id));
G_STATIC_ASSERT (BEGINS_AS (LoomChapterRow, ListedRow, id, story_id));
G_STATIC_ASSERT (BEGINS_AS (LoomCharacterRow, ListedRow, id, story_id));
G_STATIC_ASSERT (BEGINS_AS (LoomEntryRow, ListedRow, id, story_id));

/* The casts only change the pointer types of the private constructors and setters. */
typedef gpointer (*ListedNew)    (LoomStory *story);
typedef void     (*ListedUpdate) (gpointer mirror, gconstpointer row);

typedef struct
{
  const Table *table;
  ListedNew    mirror_new;
  ListedUpdate update;
} ListedKind;

static const ListedKind chapter_kind = {
  &chapter_table, (ListedNew) _loom_chapter_new, (ListedUpdate) _loom_chapter_update,
};
static const ListedKind character_kind = {
  &character_table, (ListedNew) _loom_character_new, (ListedUpdate) _loom_character_update,
};
static const ListedKind entry_kind = {
  &entry_table, (ListedNew) _loom_entry_new, (ListedUpdate) _loom_entry_update,
};

static gpointer
listed_new (const ListedKind *kind,
            LoomStory        *story,
            gconstpointer     row)
{
  ListedMirror *mirror = kind->mirror_new (story);

  mirror->id = ((const ListedRow *) row)->id;
  kind->update (mirror, row);
  return mirror;
}

/* Reads the row of @kind with @id into a new mirror in @story. */
static gpointer
read_listed (LoomStore         *self,
             const ListedKind  *kind,
             LoomStory         *story,
             gint64             id,
             const char        *doing,
             GError           **error)
{
  g_autofree gpointer row = g_malloc0 (kind->table->row_size);
  gpointer mirror = NULL;

  if (read_one (self, kind->table, id, row, doing, error))
    mirror = listed_new (kind, story, row);
  row_clear (kind->table, row);
  return mirror;
}

LoomScene *
_loom_store_read_scene (LoomStore    *self,
                        LoomChapter  *chapter,
                        gint64        id,
                        GError      **error)
{
  LoomSceneRow row = { 0 };
  LoomScene *scene = NULL;

  if (read_one (self, &scene_table, id, &row, _("reading the scene"), error))
    scene = scene_new (chapter, &row);
  row_clear (&scene_table, &row);
  return scene;
}

/* The chapter comes with its scenes listed (the caller remembers them). */
LoomChapter *
_loom_store_read_chapter (LoomStore  *self,
                          LoomStory  *story,
                          gint64      id,
                          GError    **error)
{
  const char *doing = _("reading the chapter");
  g_auto(Rows) rows = { .scenes = rows_new (&scene_table) };
  g_autoptr(LoomChapter) chapter = read_listed (self, &chapter_kind, story, id, doing, error);
  guint words = 0;

  if (chapter == NULL ||
      !read_all (self, &scene_table, "chapter_id", id, rows.scenes, doing, error))
    return NULL;
  for (guint i = 0; i < rows.scenes->len; i++)
    {
      g_autoptr(LoomScene) scene = scene_new (chapter,
                                              &g_array_index (rows.scenes, LoomSceneRow, i));

      words += scene->word_count;
      g_list_store_append (chapter->scenes, scene);
    }
  _loom_chapter_set_word_count (chapter, words);
  return g_steal_pointer (&chapter);
}

/* A character's or a bible entry's row, by @type. */
GObject *
_loom_store_read_listed (LoomStore  *self,
                         LoomStory  *story,
                         GType       type,
                         gint64      id,
                         GError    **error)
{
  if (type == LOOM_TYPE_CHARACTER)
    return read_listed (self, &character_kind, story, id, _("reading the character"), error);
  g_return_val_if_fail (type == LOOM_TYPE_ENTRY, NULL);
  return read_listed (self, &entry_kind, story, id, _("reading the story bible"), error);
}

/* ---------------------------------------------------------------------------------------- */
/* Bringing the mirrors in step                                                             */

/* What the rows name, gathered before anything is announced. */
typedef struct
{
  GHashTable *seen;             /* every mirror the rows name */
  GPtrArray  *stories;          /* in the rows' order */
  GHashTable *chapter_lists;    /* story → GPtrArray of its chapters in order */
  GHashTable *scene_lists;      /* chapter → GPtrArray of its scenes in order */
  GHashTable *character_lists;  /* story → GPtrArray of its characters in order */
  GHashTable *entry_lists;      /* story → GPtrArray of its bible entries in order */
  GPtrArray  *created;          /* holds the new mirrors until the end */
} Named;

static void
named_clear (Named *named)
{
  g_clear_pointer (&named->seen, g_hash_table_unref);
  g_clear_pointer (&named->stories, g_ptr_array_unref);
  g_clear_pointer (&named->chapter_lists, g_hash_table_unref);
  g_clear_pointer (&named->scene_lists, g_hash_table_unref);
  g_clear_pointer (&named->character_lists, g_hash_table_unref);
  g_clear_pointer (&named->entry_lists, g_hash_table_unref);
  g_clear_pointer (&named->created, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Named, named_clear)

static GHashTable *
lists_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
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

  for (guint i = 0; wanted != NULL && i < wanted->len; i++)
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

typedef struct
{
  const ListedKind *kind;
  GArray           *rows;
  GHashTable       *by_id;   /* the store's map of this kind */
  GHashTable       *lists;   /* story → GPtrArray of these mirrors in order */
} Listed;

enum { LISTED_CHAPTERS, LISTED_CHARACTERS, LISTED_ENTRIES, N_LISTED };

static void
listed_init (LoomStore *self,
             Rows      *rows,
             Named     *named,
             Listed     listed[N_LISTED])
{
  listed[LISTED_CHAPTERS] = (Listed) {
    &chapter_kind, rows->chapters, self->chapters_by_id, named->chapter_lists,
  };
  listed[LISTED_CHARACTERS] = (Listed) {
    &character_kind, rows->characters, self->characters_by_id, named->character_lists,
  };
  listed[LISTED_ENTRIES] = (Listed) {
    &entry_kind, rows->entries, self->entries_by_id, named->entry_lists,
  };
}

static const ListedRow *
listed_row (const Listed *listed,
            guint         i)
{
  return (const ListedRow *) (listed->rows->data + i * g_array_get_element_size (listed->rows));
}

static void
name_listed (LoomStore    *self,
             const Listed *listed,
             Named        *named)
{
  for (guint i = 0; i < listed->rows->len; i++)
    {
      const ListedRow *row = listed_row (listed, i);
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &row->story_id);
      gpointer mirror = g_hash_table_lookup (listed->by_id, &row->id);

      if (story == NULL)
        continue;
      if (mirror == NULL)
        {
          ListedMirror *made = listed_new (listed->kind, story, row);

          _loom_store_remember (listed->by_id, &made->id, made);
          g_ptr_array_add (named->created, made);
          mirror = made;
        }
      g_hash_table_add (named->seen, mirror);
      g_ptr_array_add (wanted_for (listed->lists, story), mirror);
    }
}

static void
update_listed (const Listed *listed)
{
  for (guint i = 0; i < listed->rows->len; i++)
    {
      const ListedRow *row = listed_row (listed, i);
      gpointer mirror = g_hash_table_lookup (listed->by_id, &row->id);

      if (mirror != NULL)
        listed->kind->update (mirror, row);
    }
}

/* Which mirrors the rows name, made where new; nothing is announced yet. */
static void
name_mirrors (LoomStore  *self,
              Rows       *rows,
              Named      *named)
{
  Listed listed[N_LISTED];

  for (guint i = 0; i < rows->stories->len; i++)
    {
      LoomStoryRow *row = &g_array_index (rows->stories, LoomStoryRow, i);
      LoomStory *story = g_hash_table_lookup (self->stories_by_id, &row->id);

      if (story == NULL)
        {
          story = story_new (self, row);
          _loom_store_remember (self->stories_by_id, &story->id, story);
          g_ptr_array_add (named->created, story);
        }
      g_hash_table_add (named->seen, story);
      g_ptr_array_add (named->stories, story);
    }

  listed_init (self, rows, named, listed);
  for (guint k = 0; k < N_LISTED; k++)
    name_listed (self, &listed[k], named);
}

/* The scenes, after their chapters: one that moved to another chapter leaves the old list
 * before anything is inserted. */
static void
name_scenes (LoomStore *self,
             Rows      *rows,
             Named     *named)
{
  for (guint i = 0; i < rows->scenes->len; i++)
    {
      LoomSceneRow *row = &g_array_index (rows->scenes, LoomSceneRow, i);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->chapter_id);
      LoomScene *scene;
      guint position;

      if (chapter == NULL)
        continue;
      scene = g_hash_table_lookup (self->scenes_by_id, &row->id);
      if (scene == NULL)
        {
          scene = scene_new (chapter, row);
          _loom_store_remember (self->scenes_by_id, &scene->id, scene);
          g_ptr_array_add (named->created, scene);
        }
      g_hash_table_add (named->seen, scene);
      g_ptr_array_add (wanted_for (named->scene_lists, chapter), scene);
      if (scene->chapter != chapter && g_hash_table_contains (named->seen, scene->chapter) &&
          g_list_store_find (scene->chapter->scenes, scene, &position))
        g_list_store_remove (scene->chapter->scenes, position);
    }
}

/* Moves to @gone, with a reference, every mirror of @map the rows no longer name. */
static void
collect_gone (GHashTable *map,
              GHashTable *seen,
              GPtrArray  *gone)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (!g_hash_table_contains (seen, value))
        g_ptr_array_add (gone, g_object_ref (value));
    }
}

/* Forgets what another program deleted before the lists change, so that a view reacting to
 * items-changed no longer finds it; @deleted keeps it alive, children first, until it is
 * announced. */
static void
forget_gone (LoomStore  *self,
             GHashTable *seen,
             GPtrArray  *deleted)
{
  guint first = deleted->len;

  collect_gone (self->scenes_by_id, seen, deleted);
  collect_gone (self->chapters_by_id, seen, deleted);
  collect_gone (self->characters_by_id, seen, deleted);
  collect_gone (self->entries_by_id, seen, deleted);
  collect_gone (self->stories_by_id, seen, deleted);

  for (guint i = first; i < deleted->len; i++)
    {
      GObject *item = g_ptr_array_index (deleted, i);

      if (LOOM_IS_SCENE (item))
        _loom_store_forget_scene (self, LOOM_SCENE (item));
      else if (LOOM_IS_CHAPTER (item))
        g_hash_table_remove (self->chapters_by_id, &LOOM_CHAPTER (item)->id);
      else if (LOOM_IS_CHARACTER (item))
        g_hash_table_remove (self->characters_by_id, &LOOM_CHARACTER (item)->id);
      else if (LOOM_IS_ENTRY (item))
        g_hash_table_remove (self->entries_by_id, &LOOM_ENTRY (item)->id);
      else
        {
          LOOM_STORY (item)->store = NULL;
          g_hash_table_remove (self->stories_by_id, &LOOM_STORY (item)->id);
        }
    }
}

/* Properties first, so that a view reacting to a list sees its items as they are now. */
static void
apply_properties (LoomStore *self,
                  Rows      *rows,
                  Named     *named)
{
  Listed listed[N_LISTED];

  for (guint i = 0; i < rows->stories->len; i++)
    _loom_story_update (g_ptr_array_index (named->stories, i),
                        &g_array_index (rows->stories, LoomStoryRow, i));
  listed_init (self, rows, named, listed);
  update_listed (&listed[LISTED_CHAPTERS]);
  for (guint i = 0; i < rows->scenes->len; i++)
    {
      LoomSceneRow *row = &g_array_index (rows->scenes, LoomSceneRow, i);
      LoomChapter *chapter = g_hash_table_lookup (self->chapters_by_id, &row->chapter_id);
      LoomScene *scene = g_hash_table_lookup (self->scenes_by_id, &row->id);

      if (chapter != NULL && scene != NULL)
        _loom_scene_update (scene, chapter, row);
    }
  update_listed (&listed[LISTED_CHARACTERS]);
  update_listed (&listed[LISTED_ENTRIES]);
}

/* Removals everywhere first, then insertions and moves. */
static void
arrange_lists (LoomStore *self,
               Named     *named)
{
  for (guint i = 0; i < named->stories->len; i++)
    {
      LoomStory *story = g_ptr_array_index (named->stories, i);
      GListModel *chapters = G_LIST_MODEL (story->chapters);
      g_autoptr(GHashTable) wanted_chapters =
        set_of (g_hash_table_lookup (named->chapter_lists, story));
      g_autoptr(GHashTable) wanted_characters =
        set_of (g_hash_table_lookup (named->character_lists, story));
      g_autoptr(GHashTable) wanted_entries =
        set_of (g_hash_table_lookup (named->entry_lists, story));

      for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
        {
          g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
          g_autoptr(GHashTable) wanted = set_of (g_hash_table_lookup (named->scene_lists,
                                                                      chapter));

          list_remove_unwanted (chapter->scenes, wanted);
        }
      list_remove_unwanted (story->chapters, wanted_chapters);
      list_remove_unwanted (story->characters, wanted_characters);
      list_remove_unwanted (story->entries, wanted_entries);
    }
  list_remove_unwanted (self->stories, named->seen);

  list_arrange (self->stories, named->stories);
  for (guint i = 0; i < named->stories->len; i++)
    {
      LoomStory *story = g_ptr_array_index (named->stories, i);
      GPtrArray *chapters = g_hash_table_lookup (named->chapter_lists, story);

      list_arrange (story->chapters, chapters);
      list_arrange (story->characters, g_hash_table_lookup (named->character_lists, story));
      list_arrange (story->entries, g_hash_table_lookup (named->entry_lists, story));
      for (guint c = 0; chapters != NULL && c < chapters->len; c++)
        {
          LoomChapter *chapter = g_ptr_array_index (chapters, c);
          GPtrArray *scenes = g_hash_table_lookup (named->scene_lists, chapter);
          guint words = 0;

          list_arrange (chapter->scenes, scenes);
          for (guint s = 0; scenes != NULL && s < scenes->len; s++)
            words += LOOM_SCENE (g_ptr_array_index (scenes, s))->word_count;
          _loom_chapter_set_word_count (chapter, words);
        }
    }
}

static void
apply_rows (LoomStore *self,
            Rows      *rows,
            GPtrArray *deleted)
{
  g_auto(Named) named = {
    .seen = g_hash_table_new (NULL, NULL),
    .stories = g_ptr_array_new (),
    .chapter_lists = lists_new (),
    .scene_lists = lists_new (),
    .character_lists = lists_new (),
    .entry_lists = lists_new (),
    .created = g_ptr_array_new_with_free_func (g_object_unref),
  };

  name_mirrors (self, rows, &named);
  name_scenes (self, rows, &named);
  forget_gone (self, named.seen, deleted);
  apply_properties (self, rows, &named);
  arrange_lists (self, &named);
}

gboolean
_loom_store_sync (LoomStore  *self,
                  GError    **error)
{
  const char *doing = _("reading the library");
  g_auto(Rows) rows = { 0 };
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 version = 0;

  if (!_loom_store_run (self, error, doing, "BEGIN", "") ||
      !_loom_store_read_data_version (self, &version, error) ||
      !read_rows (self, &rows, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  self->data_version = version;
  self->refreshing = TRUE;
  apply_rows (self, &rows, deleted);
  self->refreshing = FALSE;
  _loom_store_inputs_refresh (self);

  for (guint i = 0; i < deleted->len; i++)
    _loom_store_emit_deleted_elsewhere (self, g_ptr_array_index (deleted, i));
  return TRUE;
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
  gint64 version = 0;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  if (changed != NULL)
    *changed = FALSE;
  if (!_loom_store_check_open (self, error))
    return FALSE;
  /* Inside our own transaction, or called again by a view reacting to this refresh. */
  if (self->refreshing || !sqlite3_get_autocommit (self->db))
    return TRUE;
  if (!_loom_store_read_data_version (self, &version, error))
    return FALSE;
  if (version == self->data_version)
    return TRUE;
  if (!_loom_store_sync (self, error))
    return FALSE;
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}
