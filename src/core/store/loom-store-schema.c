/* loom-store-schema.c: recognising a library and bringing it up to date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-schema"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-provenance.h"
#include "loom-store-private.h"

/* "LOOM" in PRAGMA application_id marks a file as a Storyloom library. */
#define LOOM_APPLICATION_ID 0x4c4f4f4d

void
_loom_store_set_sqlite_error (GError     **error,
                              sqlite3     *db,
                              int          rc,
                              const char  *doing)
{
  int primary = rc & 0xff;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (primary)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED,
                   _("The library is in use by another program, so %s was not possible. "
                     "Close the other program and try again."), doing);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                   _("The library cannot be written, so %s was not possible (%s). "
                     "Check the permissions of the file and its folder."), doing, detail);
      break;
    case SQLITE_FULL:
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_FAILED,
                   _("The disk is full, so %s was not possible. Free some space and try "
                     "again; nothing was changed."), doing);
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      /* Whoever met the damage, the store stops writing to that file at once. */
      if (db != NULL)
        _loom_store_note_damage (db);
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
                   _("The library file is damaged (%s), so Storyloom stopped writing to it; "
                     "restore the newest backup."), detail);
      break;
    default:
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_FAILED,
                   _("Storyloom could not complete %s: %s. Nothing was changed; try again, and "
                     "if it keeps failing, restore yesterday’s copy from the backups folder "
                     "beside the library."), doing, detail);
      break;
    }
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    _loom_store_set_sqlite_error (error, db, rc, _("reading the library"));
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

/* Everything here only reads: a file we refuse must stay exactly as it was. */
gboolean
_loom_store_schema_check (sqlite3     *db,
                          const char  *path,
                          GError     **error)
{
  gint64 app_id = 0;
  gint64 version = 0;
  gint64 tables = 0;
  g_autofree char *name = g_filename_display_name (path);

  if (!query_int (db, "PRAGMA application_id", &app_id, error) ||
      !query_int (db, "PRAGMA user_version", &version, error) ||
      !query_int (db, "SELECT count(*) FROM sqlite_schema", &tables, error))
    return FALSE;

  if (app_id == 0 && tables == 0 && version == 0)
    return TRUE; /* an empty database becomes a new library */

  if (app_id != LOOM_APPLICATION_ID)
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_A_LIBRARY,
                   _("“%s” is a database of another program, not a Storyloom library. "
                     "Choose another file; this one was left untouched."), name);
      return FALSE;
    }

  if (version > LOOM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Storyloom (library version %d; "
                     "this one reads up to %d). Update Storyloom to open it; the file was left "
                     "untouched."), name, (int) version, LOOM_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

static const char schema_v1[] =
  "CREATE TABLE stories ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL CHECK (length(trim(title)) > 0),"
  "  created_at INTEGER NOT NULL,"
  "  premise TEXT NOT NULL DEFAULT '',"
  "  style_notes TEXT NOT NULL DEFAULT '',"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE chapters ("
  "  id INTEGER PRIMARY KEY,"
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  chapter_number INTEGER NOT NULL CHECK (chapter_number > 0),"
  "  title TEXT NOT NULL CHECK (length(trim(title)) > 0)"
  ");"
  "CREATE INDEX chapters_by_story ON chapters (story_id, chapter_number);"
  "CREATE TABLE scenes ("
  "  id INTEGER PRIMARY KEY,"
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  chapter_id INTEGER NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,"
  "  scene_number INTEGER NOT NULL CHECK (scene_number > 0),"
  "  outline TEXT NOT NULL DEFAULT '',"
  "  prose TEXT,"
  "  status TEXT NOT NULL DEFAULT 'draft'"
  "    CHECK (status IN ('draft', 'generating', 'complete', 'error')),"
  "  error_message TEXT,"
  "  regeneration_count INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL,"
  "  word_count INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX scenes_by_story ON scenes (story_id);"
  "CREATE INDEX scenes_by_chapter ON scenes (chapter_id, scene_number);"
  /* A scene belongs to the story of its chapter, whoever writes the row. */
  "CREATE TRIGGER scenes_story_insert BEFORE INSERT ON scenes "
  "  WHEN NEW.story_id IS NOT (SELECT story_id FROM chapters WHERE id = NEW.chapter_id) "
  "  BEGIN SELECT RAISE (ABORT, 'a scene must belong to the story of its chapter'); END;"
  "CREATE TRIGGER scenes_story_update BEFORE UPDATE OF story_id, chapter_id ON scenes "
  "  WHEN NEW.story_id IS NOT (SELECT story_id FROM chapters WHERE id = NEW.chapter_id) "
  "  BEGIN SELECT RAISE (ABORT, 'a scene must belong to the story of its chapter'); END;"
  "CREATE TABLE characters ("
  "  id INTEGER PRIMARY KEY,"
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL CHECK (length(trim(name)) > 0),"
  "  traits TEXT NOT NULL DEFAULT '',"
  "  backstory TEXT"
  ");"
  "CREATE INDEX characters_by_story ON characters (story_id);"
  "CREATE TABLE scene_revisions ("
  "  id INTEGER PRIMARY KEY,"
  "  scene_id INTEGER NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,"
  "  prose TEXT NOT NULL,"
  "  origin TEXT NOT NULL CHECK (origin IN ('generation', 'restore', 'partial', 'edit')),"
  "  model TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX scene_revisions_by_scene ON scene_revisions (scene_id, created_at);"
  "CREATE TABLE generations ("
  "  id INTEGER PRIMARY KEY,"
  "  scene_id INTEGER REFERENCES scenes (id) ON DELETE CASCADE,"
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL DEFAULT 'scene' CHECK (kind IN ('scene', 'outline', 'characters')),"
  "  model TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  finished_at INTEGER,"
  "  first_token_at INTEGER,"
  "  prompt_tokens INTEGER,"
  "  completion_tokens INTEGER,"
  "  cost REAL,"
  "  outcome TEXT NOT NULL DEFAULT 'running'"
  "    CHECK (outcome IN ('running', 'complete', 'error', 'cancelled', 'interrupted')),"
  "  error TEXT,"
  /* the revision holding the prose this request replaced, so a crash can put it back */
  "  revision_id INTEGER REFERENCES scene_revisions (id) ON DELETE SET NULL,"
  "  inputs TEXT"
  ");"
  "CREATE INDEX generations_by_scene ON generations (scene_id);"
  "CREATE INDEX generations_by_story ON generations (story_id);";

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (db, schema_v1, NULL, NULL, &errmsg);

  sqlite3_free (errmsg);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("creating the library"));
      return FALSE;
    }
  return TRUE;
}

/* The trash: one row per deleted story, chapter, scene or character, and beside it copies of
 * every row that went with it, column for column, so that restoring puts back exactly what was
 * there. The copies live in tables of their own (not flagged rows in the live tables) so that no
 * query of the live library has to know the trash exists. */
static const char schema_v2[] =
  "CREATE TABLE trash ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('story', 'chapter', 'scene', 'character')),"
  "  item_id INTEGER NOT NULL,"
  "  story_id INTEGER NOT NULL,"   /* no foreign key: the story may be in the trash itself */
  "  chapter_id INTEGER,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  title TEXT NOT NULL,"
  "  story_title TEXT NOT NULL,"
  "  chapters INTEGER NOT NULL DEFAULT 0,"
  "  scenes INTEGER NOT NULL DEFAULT 0,"
  "  words INTEGER NOT NULL DEFAULT 0,"
  "  deleted_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_by_date ON trash (deleted_at);"
  "CREATE TABLE trash_stories ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, title TEXT NOT NULL, created_at INTEGER NOT NULL,"
  "  premise TEXT NOT NULL, style_notes TEXT NOT NULL, updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_stories_by_trash ON trash_stories (trash_id);"
  "CREATE TABLE trash_chapters ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, story_id INTEGER NOT NULL, chapter_number INTEGER NOT NULL,"
  "  title TEXT NOT NULL"
  ");"
  "CREATE INDEX trash_chapters_by_trash ON trash_chapters (trash_id);"
  "CREATE TABLE trash_scenes ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, story_id INTEGER NOT NULL, chapter_id INTEGER NOT NULL,"
  "  scene_number INTEGER NOT NULL, outline TEXT NOT NULL, prose TEXT, status TEXT NOT NULL,"
  "  error_message TEXT, regeneration_count INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  word_count INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_scenes_by_trash ON trash_scenes (trash_id);"
  "CREATE TABLE trash_characters ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, story_id INTEGER NOT NULL, name TEXT NOT NULL, traits TEXT NOT NULL,"
  "  backstory TEXT"
  ");"
  "CREATE INDEX trash_characters_by_trash ON trash_characters (trash_id);"
  "CREATE TABLE trash_scene_revisions ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, scene_id INTEGER NOT NULL, prose TEXT NOT NULL, origin TEXT NOT NULL,"
  "  model TEXT, created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_scene_revisions_by_trash ON trash_scene_revisions (trash_id);"
  "CREATE TABLE trash_generations ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, scene_id INTEGER, story_id INTEGER NOT NULL, kind TEXT NOT NULL,"
  "  model TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,"
  "  first_token_at INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER, cost REAL,"
  "  outcome TEXT NOT NULL, error TEXT, revision_id INTEGER, inputs TEXT"
  ");"
  "CREATE INDEX trash_generations_by_trash ON trash_generations (trash_id);";

static gboolean
run_script (sqlite3     *db,
            const char  *script,
            GError     **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (db, script, NULL, NULL, &errmsg);

  sqlite3_free (errmsg);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("updating the library"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  return run_script (db, schema_v2, error);
}

/* Widening a CHECK changes no stored row, so the table's definition is edited in place, as
 * SQLite documents for such changes ("ALTER TABLE", section 7): rebuilding the table would
 * fire the ON DELETE actions of the rows that point at its rows. @from must occur exactly once
 * in @table's definition. */
static gboolean
already_wide (sqlite3    *db,
              const char *table,
              const char *to)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wide = FALSE;

  if (sqlite3_prepare_v2 (db,
                          "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1"
                          " AND instr (sql, ?2) > 0", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
      wide = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return wide;
}

static gboolean
widen_check (sqlite3     *db,
             const char  *table,
             const char  *from,
             const char  *to,
             GError     **error)
{
  gint64 schema_version = 0;
  g_autofree char *bump = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!query_int (db, "PRAGMA schema_version", &schema_version, error))
    return FALSE;
  bump = g_strdup_printf ("PRAGMA schema_version = %" G_GINT64_FORMAT, schema_version + 1);

  rc = sqlite3_exec (db, "PRAGMA writable_schema = ON", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db,
                             "UPDATE sqlite_schema SET sql = replace (sql, ?1, ?2)"
                             " WHERE type = 'table' AND name = ?3 AND instr (sql, ?1) > 0",
                             -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, table, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  sqlite3_finalize (stmt);
  /* A constraint written differently would match nothing and leave the old CHECK in place,
   * so every later row it was widened for would fail: refuse the migration instead, unless
   * the table already allows them (a library that went back a version by hand). */
  if (rc == SQLITE_OK && sqlite3_changes (db) != 1 && !already_wide (db, table, to))
    rc = SQLITE_CORRUPT;
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, bump, NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("updating the library"));
      return FALSE;
    }
  return TRUE;
}

/* Version 3 lets a revision say it keeps what another program wrote over text being edited
 * here ('elsewhere'). */
static gboolean
migrate_to_3 (sqlite3  *db,
              GError  **error)
{
  return widen_check (db, "scene_revisions", "'partial', 'edit'))",
                      "'partial', 'edit', 'elsewhere'))", error);
}

/* Version 4 records who wrote each text and when (LoomProseOrigin), so that generation can ask
 * before it replaces the writer's own words and History can say what each revision was.
 *
 * scenes.prose_origin / prose_model / prose_at describe the current prose; a revision's author,
 * model and written_at describe the text it keeps, copied from the scene when it is archived
 * (its created_at stays the time it was archived). Streaming never touches them: until a
 * generation ends the scene's origin is that of the prose it will put back if stopped.
 *
 * Older rows are guessed as carefully as the data allows, erring towards "the writer's": a
 * prose not changed since a completed generation finished (within the 100 ms a generation's
 * own writes may differ by) is that generation's; any other prose is the writer's (asking once too often costs a click, not asking costs words). A
 * revision's author was not recorded, except for partial generations. */
static const char schema_v4[] =
  "ALTER TABLE scenes ADD COLUMN prose_origin TEXT"
  "  CHECK (prose_origin IN ('writer', 'generated', 'edited', 'partial'));"
  "ALTER TABLE scenes ADD COLUMN prose_model TEXT;"
  "ALTER TABLE scenes ADD COLUMN prose_at INTEGER;"
  "ALTER TABLE scene_revisions ADD COLUMN author TEXT"
  "  CHECK (author IN ('writer', 'generated', 'edited', 'partial'));"
  "ALTER TABLE scene_revisions ADD COLUMN written_at INTEGER;"
  "ALTER TABLE trash_scenes ADD COLUMN prose_origin TEXT;"
  "ALTER TABLE trash_scenes ADD COLUMN prose_model TEXT;"
  "ALTER TABLE trash_scenes ADD COLUMN prose_at INTEGER;"
  "ALTER TABLE trash_scene_revisions ADD COLUMN author TEXT;"
  "ALTER TABLE trash_scene_revisions ADD COLUMN written_at INTEGER;"
  "UPDATE scenes SET prose_model = (SELECT g.model FROM generations g"
  "    WHERE g.scene_id = scenes.id AND g.outcome = 'complete'"
  "    AND g.finished_at + 100 >= scenes.updated_at ORDER BY g.id DESC LIMIT 1)"
  "  WHERE coalesce (prose, '') != '';"
  "UPDATE scenes SET"
  "  prose_origin = CASE WHEN prose_model IS NULL THEN 'writer' ELSE 'generated' END,"
  "  prose_at = updated_at"
  "  WHERE coalesce (prose, '') != '';"
  "UPDATE scene_revisions SET author = 'partial', written_at = created_at"
  "  WHERE origin = 'partial';"
  "UPDATE trash_scene_revisions SET author = 'partial', written_at = created_at"
  "  WHERE origin = 'partial';";

static gboolean
migrate_to_4 (sqlite3  *db,
              GError  **error)
{
  return run_script (db, schema_v4, error);
}

/* Version 5 remembers that the writer answered the offer of what a stopped, failed or
 * interrupted generation had written (Keep or Discard, or a restore or a new generation since),
 * so that the offer outlives the window that made it. Earlier such requests were offered only
 * until their window closed: they count as answered. */
static const char schema_v5[] =
  "ALTER TABLE generations ADD COLUMN partial_answered_at INTEGER;"
  "ALTER TABLE trash_generations ADD COLUMN partial_answered_at INTEGER;"
  "UPDATE generations SET partial_answered_at = finished_at"
  "  WHERE outcome IN ('error', 'cancelled', 'interrupted');"
  "UPDATE trash_generations SET partial_answered_at = finished_at"
  "  WHERE outcome IN ('error', 'cancelled', 'interrupted');";

static gboolean
migrate_to_5 (sqlite3  *db,
              GError  **error)
{
  return run_script (db, schema_v5, error);
}

/* Version 6: the AI on the writer's own text (loom-revise.h). Its requests are rows of
 * `generations` whose kind is the action; each story keeps its own wording of the actions'
 * instructions, and the library the free instructions the writer gave lately. The templates
 * have no foreign key on purpose: a story moved to the trash and back keeps them. */
static const char schema_v6[] =
  "CREATE TABLE revise_templates ("
  "  story_id INTEGER NOT NULL,"
  "  action TEXT NOT NULL"
  "    CHECK (action IN ('continue', 'rewrite', 'expand', 'shorten', 'describe', 'ask')),"
  "  instruction TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (story_id, action)"
  ");"
  "CREATE TABLE revise_instructions ("
  "  id INTEGER PRIMARY KEY,"
  "  instruction TEXT NOT NULL UNIQUE CHECK (length(trim(instruction)) > 0),"
  "  used_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX revise_instructions_by_use ON revise_instructions (used_at);";

static gboolean
migrate_to_6 (sqlite3  *db,
              GError  **error)
{
  return widen_check (db, "generations", "'outline', 'characters'))",
                      "'outline', 'characters', 'continue', 'rewrite', 'expand',"
                      " 'shorten', 'describe', 'ask'))", error) &&
         run_script (db, schema_v6, error);
}

/* Version 7 records, for each generated scene, every input its prompt was built from, each with
 * its own fingerprint (loom-store-inputs.c): the scene's outline, each character included (by
 * id), how the scene before ends, the chapter and the story. One row per input, with the kind
 * as text, so that later versions add kinds (a bible entry, a summary) without a migration.
 *
 * Versions up to 6 kept one hash per kind of input in generations.inputs ("p1:outline:characters:
 * neighbours"); only the outline's hash names one input, so it alone is carried over, from the
 * scene's last completed generation. Those rows' data is left as it was. */
static const char schema_v7[] =
  "CREATE TABLE scene_inputs ("
  "  scene_id INTEGER NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  ref_id INTEGER NOT NULL DEFAULT 0,"
  "  fingerprint TEXT NOT NULL,"
  "  PRIMARY KEY (scene_id, kind, ref_id)"
  ");"
  "CREATE INDEX scene_inputs_by_ref ON scene_inputs (kind, ref_id);"
  "INSERT INTO scene_inputs (scene_id, kind, ref_id, fingerprint)"
  "  SELECT g.scene_id, 'outline', g.scene_id, substr (g.inputs, 4, 16)"
  "  FROM generations g JOIN scenes s ON s.id = g.scene_id"
  "  WHERE g.id = (SELECT max (id) FROM generations WHERE scene_id = g.scene_id"
  "    AND kind = 'scene' AND outcome = 'complete')"
  "  AND g.inputs GLOB 'p1:????????????????:*';";

static gboolean
migrate_to_7 (sqlite3  *db,
              GError  **error)
{
  return run_script (db, schema_v7, error);
}

/* Version 8: the word log (loom-store-words-log.c), the change in each scene's word count per
 * local day, split into words typed and words accepted from the AI, and its rows in the trash
 * beside their scene's. Earlier writing was not logged: the log starts empty. */
static const char schema_v8[] =
  "CREATE TABLE word_log ("
  "  scene_id INTEGER NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,"
  "  day TEXT NOT NULL,"
  "  written INTEGER NOT NULL DEFAULT 0,"
  "  accepted INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (scene_id, day)"
  ") WITHOUT ROWID;"
  "CREATE TABLE trash_word_log ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  scene_id INTEGER NOT NULL, day TEXT NOT NULL, written INTEGER NOT NULL,"
  "  accepted INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_word_log_by_trash ON trash_word_log (trash_id);";

static gboolean
migrate_to_8 (sqlite3  *db,
              GError  **error)
{
  return run_script (db, schema_v8, error);
}

/* Version 9: the story bible. Characters gain aliases and an inclusion rule ('always' keeps
 * what every earlier prompt did with them: named ones first, the others while they fit), and
 * the other kinds of entries (places, objects, groups, lore) get a table of their own, with
 * their copies in the trash beside the characters'. The characters' columns stay as they were. */
static const char schema_v9[] =
  "ALTER TABLE characters ADD COLUMN aliases TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE characters ADD COLUMN inclusion TEXT NOT NULL DEFAULT 'always'"
  "  CHECK (inclusion IN ('always', 'mentioned', 'never'));"
  "ALTER TABLE trash_characters ADD COLUMN aliases TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE trash_characters ADD COLUMN inclusion TEXT NOT NULL DEFAULT 'always';"
  "CREATE TABLE entries ("
  "  id INTEGER PRIMARY KEY,"
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('place', 'object', 'group', 'lore')),"
  "  name TEXT NOT NULL CHECK (length(trim(name)) > 0),"
  "  aliases TEXT NOT NULL DEFAULT '',"
  "  description TEXT NOT NULL DEFAULT '',"
  "  inclusion TEXT NOT NULL DEFAULT 'mentioned'"
  "    CHECK (inclusion IN ('always', 'mentioned', 'never'))"
  ");"
  "CREATE INDEX entries_by_story ON entries (story_id);"
  "CREATE TABLE trash_entries ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  id INTEGER NOT NULL, story_id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
  "  aliases TEXT NOT NULL, description TEXT NOT NULL, inclusion TEXT NOT NULL"
  ");"
  "CREATE INDEX trash_entries_by_trash ON trash_entries (trash_id);";

static gboolean
migrate_to_9 (sqlite3  *db,
              GError  **error)
{
  return widen_check (db, "trash", "'scene', 'character'))",
                      "'scene', 'character', 'entry'))", error) &&
         run_script (db, schema_v9, error);
}

/* Version 10: goals (issue 17). A story's target length and deadline (a local day, YYYY-MM-DD)
 * and its daily goal, 0 and NULL for none. The daily goal is the story's, in the library, not
 * a GSettings key: the header shows the open story's progress against it, the command line
 * sets it without a desktop, and it travels with the library to another machine.
 *
 * word_log_kept holds the past days of scenes deleted since: a deletion takes only the day's
 * own words out of the log (they were written into a scene that is gone), never what was
 * written on the days before, which is history. */
static const char schema_v10[] =
  "ALTER TABLE stories ADD COLUMN target_words INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE stories ADD COLUMN deadline TEXT;"
  "ALTER TABLE stories ADD COLUMN daily_goal INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE trash_stories ADD COLUMN target_words INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE trash_stories ADD COLUMN deadline TEXT;"
  "ALTER TABLE trash_stories ADD COLUMN daily_goal INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE word_log_kept ("
  "  story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,"
  "  day TEXT NOT NULL,"
  "  written INTEGER NOT NULL DEFAULT 0,"
  "  accepted INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (story_id, day)"
  ") WITHOUT ROWID;"
  "CREATE TABLE trash_word_log_kept ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  story_id INTEGER NOT NULL, day TEXT NOT NULL, written INTEGER NOT NULL,"
  "  accepted INTEGER NOT NULL"
  ");"
  "CREATE INDEX trash_word_log_kept_by_trash ON trash_word_log_kept (trash_id);";

static gboolean
migrate_to_10 (sqlite3  *db,
               GError  **error)
{
  return run_script (db, schema_v10, error);
}

/* Version 11: each server's list of models (loom-store-models.c), with the date it was fetched,
 * for context lengths and prices. NULL prices are prices the server did not give. */
static const char schema_v11[] =
  "CREATE TABLE model_lists ("
  "  server TEXT PRIMARY KEY,"
  "  fetched_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE models ("
  "  server TEXT NOT NULL REFERENCES model_lists (server) ON DELETE CASCADE,"
  "  id TEXT NOT NULL,"
  "  context_length INTEGER NOT NULL DEFAULT 0,"
  "  prompt_price REAL,"
  "  completion_price REAL,"
  "  PRIMARY KEY (server, id)"
  ") WITHOUT ROWID;";

static gboolean
migrate_to_11 (sqlite3  *db,
               GError  **error)
{
  return run_script (db, schema_v11, error);
}

/* Version 12: search and replace (loom-store-search.c). A revision may keep the prose a Replace
 * All changed ('replace'). An FTS5 index of every scene's outline and prose,
 * built here from the scenes, and triggers that note each scene whose text changed, whoever
 * changes it, for the next search to index again. The index is derived data: whatever of it a
 * library already holds (one that went back a version by hand) is dropped and built again. */
static const char schema_v12[] =
  "DROP TRIGGER IF EXISTS scenes_search_insert;"
  "DROP TRIGGER IF EXISTS scenes_search_update;"
  "DROP TRIGGER IF EXISTS scenes_search_delete;"
  "DROP TABLE IF EXISTS scene_search;"
  "DROP TABLE IF EXISTS search_stale;"
  "CREATE VIRTUAL TABLE scene_search USING fts5 (outline, prose);"
  "CREATE TABLE search_stale (scene_id INTEGER PRIMARY KEY);"
  "CREATE TRIGGER scenes_search_insert AFTER INSERT ON scenes BEGIN"
  "  INSERT OR IGNORE INTO search_stale (scene_id) VALUES (NEW.id); END;"
  "CREATE TRIGGER scenes_search_update AFTER UPDATE OF outline, prose ON scenes BEGIN"
  "  INSERT OR IGNORE INTO search_stale (scene_id) VALUES (NEW.id); END;"
  "CREATE TRIGGER scenes_search_delete AFTER DELETE ON scenes BEGIN"
  "  INSERT OR IGNORE INTO search_stale (scene_id) VALUES (OLD.id); END;"
  "INSERT INTO scene_search (rowid, outline, prose) SELECT id, outline, prose FROM scenes;";

static gboolean
migrate_to_12 (sqlite3  *db,
               GError  **error)
{
  /* added first, so that the earlier versions' widenings still find their text */
  return widen_check (db, "scene_revisions", "origin IN ('generation',",
                      "origin IN ('replace', 'generation',", error) &&
         run_script (db, schema_v12, error);
}

/* Version 13: money (loom-store-budget.c), in US dollars: each story's spending limit, and the
 * library's own amounts: its monthly limit (and, by name, the estimate above which a request
 * is to be confirmed first). The story limits have no foreign key, like the revise templates:
 * a story moved to the trash and back keeps its limit. Earlier libraries had none of these. */
static const char schema_v13[] =
  "CREATE TABLE story_spending_limits ("
  "  story_id INTEGER PRIMARY KEY,"
  "  amount REAL NOT NULL CHECK (amount >= 0)"
  ");"
  "CREATE TABLE library_amounts ("
  "  name TEXT PRIMARY KEY CHECK (name IN ('monthly-limit', 'confirm-above')),"
  "  amount REAL NOT NULL CHECK (amount >= 0)"
  ");";

/* Version 14: a summary per scene (loom-store-summaries.c), written by the writer or generated,
 * with the fingerprint of the prose it summarises so that it shows as outdated once the prose
 * changes, and the facts the scene established as the model listed them (one a line). Its
 * rows go to the trash with their scene's. Summary requests are rows of `generations` of kind
 * "summary". Earlier libraries have no summaries: the table starts empty; one that went back
 * a version by hand keeps what it has. */
static const char schema_v14[] =
  "CREATE TABLE IF NOT EXISTS scene_summaries ("
  "  scene_id INTEGER PRIMARY KEY REFERENCES scenes (id) ON DELETE CASCADE,"
  "  summary TEXT NOT NULL,"
  "  facts TEXT NOT NULL DEFAULT '',"
  "  origin TEXT NOT NULL CHECK (origin IN ('writer', 'generated')),"
  "  prose_fingerprint TEXT NOT NULL,"
  "  model TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE IF NOT EXISTS trash_scene_summaries ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  scene_id INTEGER NOT NULL, summary TEXT NOT NULL, facts TEXT NOT NULL, origin TEXT NOT NULL,"
  "  prose_fingerprint TEXT NOT NULL, model TEXT, updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS trash_scene_summaries_by_trash ON trash_scene_summaries (trash_id);";

static gboolean
migrate_to_13 (sqlite3  *db,
               GError  **error)
{
  return run_script (db, schema_v13, error);
}

static gboolean
migrate_to_14 (sqlite3  *db,
               GError  **error)
{
  /* Matched without the closing parentheses, so that another version's kinds added after
   * 'ask' leave this one's match intact. */
  return widen_check (db, "generations", "'shorten', 'describe', 'ask'",
                      "'shorten', 'describe', 'ask', 'summary'", error) &&
         run_script (db, schema_v14, error);
}

/* Version 15, the last of one session's changes, made together so that each part of the work
 * could build on a fixed version:
 * - Recent free instructions belong to a story, as its instruction templates do; a library's
 *   earlier list is kept for every story it has, in the library or in the trash.
 * - A story's spell-checking language (NULL: the writer's locale).
 * - Library settings that the command line needs as much as the window (such as the prompt's
 *   context budget in tokens), by name.
 * - A story deleted for good takes its templates, instructions and spending limit with it, so
 *   that a later story given the same id starts without them. A trash row of a story that is
 *   back in the library (restored) leaves them. */
static const char schema_v15[] =
  "CREATE TABLE story_instructions ("
  "  story_id INTEGER NOT NULL,"
  "  instruction TEXT NOT NULL CHECK (length(trim(instruction)) > 0),"
  "  used_at INTEGER NOT NULL,"
  "  PRIMARY KEY (story_id, instruction)"
  ") WITHOUT ROWID;"
  "CREATE INDEX story_instructions_by_use ON story_instructions (story_id, used_at);"
  "INSERT INTO story_instructions (story_id, instruction, used_at)"
  "  SELECT s.id, r.instruction, r.used_at"
  "  FROM (SELECT id FROM stories UNION SELECT id FROM trash_stories) s, revise_instructions r;"
  "DROP TABLE revise_instructions;"
  "ALTER TABLE stories ADD COLUMN spell_language TEXT;"
  "ALTER TABLE trash_stories ADD COLUMN spell_language TEXT;"
  "CREATE TABLE library_settings ("
  "  name TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER trash_story_purged AFTER DELETE ON trash"
  "  WHEN OLD.kind = 'story' AND NOT EXISTS (SELECT 1 FROM stories WHERE id = OLD.item_id)"
  "  BEGIN"
  "    DELETE FROM revise_templates WHERE story_id = OLD.item_id;"
  "    DELETE FROM story_instructions WHERE story_id = OLD.item_id;"
  "    DELETE FROM story_spending_limits WHERE story_id = OLD.item_id;"
  "  END;";

static gboolean
migrate_to_15 (sqlite3  *db,
               GError  **error)
{
  return run_script (db, schema_v15, error);
}

/* Version 16: provenance (issue 18, loom-provenance.c, loom-store-provenance.c). For each
 * scene, the origin of every stretch of its prose — the writer, a request of `generations`
 * (whose row says the model, the date and the action), or unknown — as one run-length list
 * ("300a12 4w 96a12", loom_provenance_to_string()), with the fingerprint of the prose it
 * describes, so that prose changed where nobody tracked it (another program, a hand-edited
 * file) is never taken for the writer's. One column rather than a row per span because the
 * editor saves it with every save of the prose, and one statement keeps that well under a
 * millisecond. A revision keeps the list its text had, so that restoring it, or keeping a
 * stopped generation's text, brings its origins back.
 *
 * The requests' ids inside a list are renumbered like every other reference when the trash
 * gives them new ones: the trash copies carry the shift, which putting them back applies
 * (the SQL function loom_shift_spans, registered on each connection).
 *
 * Earlier prose is unknown, except a scene whose prose is still what a generation or a kept
 * partial answer wrote (prose_origin 'generated' or 'partial'): that is its last request's. */
static const char schema_v16[] =
  "CREATE TABLE prose_provenance ("
  "  scene_id INTEGER PRIMARY KEY REFERENCES scenes (id) ON DELETE CASCADE,"
  "  fingerprint TEXT NOT NULL,"
  "  spans TEXT NOT NULL"
  ");"
  "CREATE TABLE revision_provenance ("
  "  revision_id INTEGER PRIMARY KEY REFERENCES scene_revisions (id) ON DELETE CASCADE,"
  "  spans TEXT NOT NULL"
  ");"
  "CREATE TABLE trash_prose_provenance ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  scene_id INTEGER NOT NULL, fingerprint TEXT NOT NULL, spans TEXT NOT NULL,"
  "  generation_shift INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX trash_prose_provenance_by_trash ON trash_prose_provenance (trash_id);"
  "CREATE TABLE trash_revision_provenance ("
  "  trash_id INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,"
  "  revision_id INTEGER NOT NULL, spans TEXT NOT NULL,"
  "  generation_shift INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX trash_revision_provenance_by_trash ON trash_revision_provenance (trash_id);";

/* The generated scenes' prose, each as one span of its last request. */
static gboolean
mark_generated_prose (sqlite3  *db,
                      GError  **error)
{
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *insert = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT s.id, s.prose, length (s.prose) || 'a' || coalesce ("
                           " (SELECT max (g.id) FROM generations g WHERE g.scene_id = s.id"
                           "  AND g.kind = 'scene'), '')"
                           " FROM scenes s WHERE s.prose_origin IN ('generated', 'partial')"
                           " AND coalesce (s.prose, '') != ''", -1, &select, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "INSERT INTO prose_provenance (scene_id, fingerprint, spans)"
                             " VALUES (?1, ?2, ?3)", -1, &insert, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autofree char *fingerprint =
        loom_provenance_fingerprint ((const char *) sqlite3_column_text (select, 1));

      sqlite3_bind_int64 (insert, 1, sqlite3_column_int64 (select, 0));
      sqlite3_bind_text (insert, 2, fingerprint, -1, SQLITE_STATIC);
      sqlite3_bind_value (insert, 3, sqlite3_column_value (select, 2));
      rc = sqlite3_step (insert);
      sqlite3_reset (insert);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  if (rc != SQLITE_OK)
    _loom_store_set_sqlite_error (error, db, rc, _("updating the library"));
  sqlite3_finalize (select);
  sqlite3_finalize (insert);
  return rc == SQLITE_OK;
}

static gboolean
migrate_to_16 (sqlite3  *db,
               GError  **error)
{
  return run_script (db, schema_v16, error) && mark_generated_prose (db, error);
}

typedef gboolean (*Migration) (sqlite3 *db, GError **error);

/* migrations[i] brings a library from version i to version i + 1. */
static const Migration migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
  migrate_to_5,
  migrate_to_6,
  migrate_to_7,
  migrate_to_8,
  migrate_to_9,
  migrate_to_10,
  migrate_to_11,
  migrate_to_12,
  migrate_to_13,
  migrate_to_14,
  migrate_to_15,
  migrate_to_16,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LOOM_STORE_SCHEMA_VERSION);

/* Whether opening the library writes to the file whatever the upkeep: a migration to this
 * version, or the switch to WAL journaling. Only reads. On an error, TRUE: the caller then
 * checks for damage before going on, as it would for any small library. */
gboolean
_loom_store_schema_writes_at_open (sqlite3 *db)
{
  gint64 version = 0;
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (!query_int (db, "PRAGMA user_version", &version, NULL) ||
      version < LOOM_STORE_SCHEMA_VERSION)
    return TRUE;
  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return !wal;
}

gboolean
_loom_store_schema_migrate (sqlite3  *db,
                            GError  **error)
{
  gint64 version = 0;

  if (!query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;

  for (gint64 v = version; v < LOOM_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *stamp = NULL;
      int rc;

      rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          _loom_store_set_sqlite_error (error, db, rc, _("updating the library"));
          return FALSE;
        }

      stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                               LOOM_APPLICATION_ID, (int) v + 1);
      if (!migrations[v] (db, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      rc = sqlite3_exec (db, stamp, NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          _loom_store_set_sqlite_error (error, db, rc, _("updating the library"));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}
