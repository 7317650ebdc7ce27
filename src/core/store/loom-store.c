/* loom-store.c: the library database and the identity map of its objects
 *
 * Every write follows the same shape: validate, run the SQL in one transaction, and only once
 * COMMIT has succeeded change the objects in memory and emit notify / items-changed. A failed
 * write therefore leaves both the file and the objects as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "loom-store-private.h"
#include "loom-words.h"

G_DEFINE_FINAL_TYPE (LoomStore, loom_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (loom-store-error-quark, loom_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_DAMAGED,
  N_PROPS
};

enum {
  PROSE_CONFLICT,
  TEXT_CONFLICT,
  DELETED_ELSEWHERE,
  SUMMARY_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gint64
loom_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* ---------------------------------------------------------------------------------------- */
/* Statements and transactions                                                              */

/* @self may be NULL: a model object whose story is gone has no store. */
gboolean
_loom_store_check_open (LoomStore  *self,
                        GError    **error)
{
  if (self != NULL && self->db != NULL)
    return TRUE;
  g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_CLOSED,
                       _("The library has been closed. Open it again to make changes."));
  return FALSE;
}

static void
set_damaged_error (GError **error)
{
  g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
                       _("The library file is damaged, so Storyloom no longer writes to it and "
                         "this change was not saved. Restore the newest backup."));
}

/* ---------------------------------------------------------------------------------------- */
/* Damage                                                                                   */

/* The open connections, so that an SQLITE_CORRUPT met anywhere (the error is made from the
 * connection alone) stops the store that owns it from writing. Readers in threads register
 * too, hence the lock. */
static GMutex open_stores_lock;
static GHashTable *open_stores;  /* sqlite3 * → LoomStore * (unowned) */

static void
register_connection (LoomStore *self)
{
  g_mutex_lock (&open_stores_lock);
  if (open_stores == NULL)
    open_stores = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (open_stores, self->db, self);
  g_mutex_unlock (&open_stores_lock);
}

static void
unregister_connection (LoomStore *self)
{
  g_mutex_lock (&open_stores_lock);
  if (open_stores != NULL)
    g_hash_table_remove (open_stores, self->db);
  g_mutex_unlock (&open_stores_lock);
}

static void
mark_damaged (LoomStore *self)
{
  if (self->damaged)
    return;
  self->damaged = TRUE;
  g_debug ("Damage found in the library %s; nothing more is written to it", self->path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAMAGED]);
}

/* Called on the thread that owns @db, which is the thread of its store. */
void
_loom_store_note_damage (sqlite3 *db)
{
  LoomStore *self;

  g_mutex_lock (&open_stores_lock);
  self = open_stores != NULL ? g_hash_table_lookup (open_stores, db) : NULL;
  g_mutex_unlock (&open_stores_lock);
  if (self != NULL)
    mark_damaged (self);
}

/**
 * loom_store_is_damaged:
 *
 * Returns: whether damage was found in the library file (see #LoomStore:damaged)
 */
gboolean
loom_store_is_damaged (LoomStore *self)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  return self->damaged;
}

/* Returns a prepared, reset statement for @sql, kept for the life of the connection; fails
 * with the closed library's error when @self (or NULL) has no connection any more. */
sqlite3_stmt *
_loom_store_get_statement (LoomStore   *self,
                           const char  *sql,
                           const char  *doing,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!_loom_store_check_open (self, error))
    return NULL;
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, doing);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Resets @stmt after its last step, which returned @rc. FALSE with @error set when that step
 * failed, or when it found no row and @missing, the sentence for a row that is gone, is given. */
gboolean
_loom_store_finish_statement (LoomStore     *self,
                              sqlite3_stmt  *stmt,
                              int            rc,
                              const char    *missing,
                              const char    *doing,
                              GError       **error)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE && missing != NULL)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND, missing);
      return FALSE;
    }
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  _loom_store_set_sqlite_error (error, self->db, rc, doing);
  return FALSE;
}

/* Binds the arguments described by @types — 'i' gint64, 'u' guint, 's' string (NULL binds
 * NULL) — and steps @sql to completion. */
static gboolean
run_valist (LoomStore   *self,
            GError     **error,
            const char  *doing,
            const char  *sql,
            const char  *types,
            va_list      args)
{
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);

  if (stmt == NULL)
    return FALSE;
  if (self->damaged && !sqlite3_stmt_readonly (stmt))
    {
      set_damaged_error (error);
      return FALSE;
    }

  for (int i = 0; types[i] != '\0'; i++)
    {
      switch (types[i])
        {
        case 'i':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;
        case 'u':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, guint));
          break;
        case 's':
          {
            const char *s = va_arg (args, const char *);
            if (s == NULL)
              sqlite3_bind_null (stmt, i + 1);
            else
              sqlite3_bind_text (stmt, i + 1, s, -1, SQLITE_STATIC);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return _loom_store_finish_statement (self, stmt, sqlite3_step (stmt), NULL, doing, error);
}

gboolean
_loom_store_run (LoomStore   *self,
                 GError     **error,
                 const char  *doing,
                 const char  *sql,
                 const char  *types,
                 ...)
{
  va_list args;
  gboolean ret;

  va_start (args, types);
  ret = run_valist (self, error, doing, sql, types, args);
  va_end (args);
  return ret;
}

gboolean
_loom_store_begin (LoomStore   *self,
                   const char  *doing,
                   GError     **error)
{
  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (self->damaged)
    {
      set_damaged_error (error);
      return FALSE;
    }
  return _loom_store_run (self, error, doing, "BEGIN IMMEDIATE", "");
}

gboolean
_loom_store_commit (LoomStore   *self,
                    const char  *doing,
                    GError     **error)
{
  /* Damage met inside the transaction: what it wrote must not reach the file. */
  if (self->damaged)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      set_damaged_error (error);
      return FALSE;
    }
  if (_loom_store_run (self, error, doing, "COMMIT", ""))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Ends a failed transaction; always returns FALSE so that callers can return its result. */
gboolean
_loom_store_rollback (LoomStore *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Reads the one number @sql answers, reading the library. */
gboolean
_loom_store_read_value (LoomStore   *self,
                        const char  *sql,
                        gint64      *value,
                        GError     **error)
{
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, _("reading the library"), error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("reading the library"));
      return FALSE;
    }
  return TRUE;
}

/**
 * loom_store_check_text_bytes:
 * @text: bytes read from a file, a pipe or the network, not necessarily NUL-terminated
 * @what: what the text is, for the sentence: "prose", "file “x.txt”"
 *
 * The check every text passes before the store keeps it. A NUL byte is refused rather than
 * let through: stored as a C string, the text after it would be lost without a word.
 *
 * Returns: %FALSE with a sentence in @error when @text is not UTF-8 or holds a NUL byte
 */
gboolean
loom_store_check_text_bytes (const char  *text,
                             gsize        length,
                             const char  *what,
                             GError     **error)
{
  const char *nul;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  if (length > 0 && (nul = memchr (text, '\0', length)) != NULL)
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) (nul - text) + 1);

      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   /* TRANSLATORS: %s is what the text is: "prose", "traits", "file “x.txt”" */
                   _("The text of the %s holds a NUL byte (at byte %s), which is not text, so it "
                     "was not saved. Remove the NUL bytes and try again."), what, offset);
      return FALSE;
    }
  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   /* TRANSLATORS: %s is what the text is: "prose", "traits", "file “x.txt”" */
                   _("The text of the %s is not valid UTF-8 and was not saved."), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
loom_store_check_text (const char  *value,
                       const char  *what,
                       GError     **error)
{
  return value == NULL || loom_store_check_text_bytes (value, strlen (value), what, error);
}

gboolean
_loom_store_check_not_blank (const char  *value,
                 const char  *message,
                 GError     **error)
{
  for (const char *p = value; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }
  g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Keeping the mirrors in step                                                              */

void
_loom_store_adjust_counts (LoomStory   *story,
                           LoomChapter *chapter,
                           int          d_chapters,
                           int          d_scenes,
                           gint64       d_words)
{
  if (chapter != NULL)
    _loom_chapter_add_word_count (chapter, d_words);
  if (story != NULL)
    _loom_story_add_counts (story, d_chapters, d_scenes, d_words);
}

void
_loom_store_forget_scene (LoomStore *self,
              LoomScene *scene)
{
  g_hash_table_remove (self->scenes_by_id, &scene->id);
}

void
_loom_store_forget_chapter (LoomStore   *self,
                LoomChapter *chapter)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (chapter->scenes));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (G_LIST_MODEL (chapter->scenes), i);
      _loom_store_forget_scene (self, scene);
    }
  g_hash_table_remove (self->chapters_by_id, &chapter->id);
}

void
_loom_store_remember (GHashTable *map,
          gint64     *id,
          gpointer    object)
{
  g_hash_table_insert (map, id, g_object_ref (object));
}

/* ---------------------------------------------------------------------------------------- */
/* Loading                                                                                  */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

gboolean
_loom_store_load_prose (LoomStore  *self,
                        LoomScene  *scene,
                        GError    **error)
{
  static const char sql[] = "SELECT prose FROM scenes WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self, sql, _("reading the prose"), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, scene->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      _loom_scene_take_prose (scene, sqlite3_column_type (stmt, 0) == SQLITE_NULL
                                     ? NULL
                                     : g_strndup (column_text (stmt, 0),
                                                  sqlite3_column_bytes (stmt, 0)));
    }
  return _loom_store_finish_statement (self, stmt, rc,
                                       _("The scene no longer exists in the library."),
                                       _("reading the prose"), error);
}

/* ---------------------------------------------------------------------------------------- */
/* Opening                                                                                  */

/* How long a write waits for another program's write to finish before it says the library
 * is busy: longer than any one of our transactions, short enough not to look hung. */
#define BUSY_TIMEOUT_MS 1500

static gboolean
mode_writable (const char *path)
{
  GStatBuf st;

  /* Root may write anything, but a file or folder marked read-only is meant to stay so. */
  return g_stat (path, &st) == 0 && (st.st_mode & 0222) != 0 && g_access (path, W_OK) == 0;
}

static gboolean
check_file (const char  *path,
            GError     **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *dir_name = g_filename_display_name (dir);
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      if (errno != ENOENT)
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                       _("“%s” cannot be opened: %s."), name, g_strerror (errno));
          return FALSE;
        }
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                       _("The folder “%s” for the library cannot be created: %s."),
                       dir_name, g_strerror (saved));
          return FALSE;
        }
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInputStream) in = NULL;
      char header[16] = { 0 };
      gsize got = 0;

      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_A_DATABASE,
                       _("“%s” is not a file. Choose a library file."), name);
          return FALSE;
        }

      /* Read the magic ourselves: SQLite would happily treat some junk as a new database. */
      in = g_file_read (file, NULL, NULL);
      if (in != NULL)
        g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &got, NULL, NULL);
      if (st.st_size > 0 && (got < sizeof header ||
                             memcmp (header, "SQLite format 3", sizeof header) != 0))
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_A_DATABASE,
                       _("“%s” is not a Storyloom library: it is not a database at all. "
                         "Choose another file; this one was left untouched."), name);
          return FALSE;
        }

      if (!mode_writable (path))
        {
          g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                       _("The library “%s” is read-only. Make it writable, or copy it to a "
                         "folder of yours, and open it again."), name);
          return FALSE;
        }
    }

  /* WAL keeps its journal beside the library, so the folder must be writable too. */
  if (!mode_writable (dir))
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                   _("The folder “%s” is read-only, and Storyloom keeps its journal beside "
                     "the library. Make the folder writable or move the library."), dir_name);
      return FALSE;
    }

  return TRUE;
}

/* A scene still "generating" at open belongs to a process that died mid-request: what it had
 * streamed is kept as a partial revision and the prose from before the request is put back. */
static gboolean
recover_interrupted (LoomStore  *self,
                     GError    **error)
{
  const char *doing = _("recovering interrupted generations");
  gint64 now = loom_now_ms ();

  /* Only a scene with a running request has streamed text in its prose; one marked generating
   * by other means keeps its prose. */
  return _loom_store_begin (self, doing, error) &&
         _loom_store_run (self, error, doing,
              "INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at,"
              " author, written_at)"
              " SELECT s.id, s.prose, 'partial', g.model, ?1, 'partial', s.updated_at"
              " FROM scenes s JOIN generations g ON g.scene_id = s.id AND g.outcome = 'running'"
              " AND g.kind = 'scene'"
              " WHERE s.status = 'generating' AND coalesce (s.prose, '') != ''",
              "i", now) &&
         _loom_store_log_interrupted (self, error) &&
         _loom_store_run (self, error, doing,
              "UPDATE scenes SET prose = v.prose, word_count = loom_count_words (v.prose),"
              " updated_at = scenes.updated_at + 1"
              " FROM generations g LEFT JOIN scene_revisions v ON v.id = g.revision_id"
              " WHERE g.scene_id = scenes.id AND g.outcome = 'running' AND g.kind = 'scene'"
              " AND scenes.status = 'generating'",
              "") &&
         _loom_store_run (self, error, doing,
              "UPDATE scenes SET status = 'error', error_message = ?1"
              " WHERE status = 'generating'",
              "s", _("The generation was interrupted before it finished. The earlier prose "
                     "is intact; generate the scene again to retry.")) &&
         _loom_store_run (self, error, doing,
              "UPDATE generations SET outcome = 'interrupted', finished_at = ?1,"
              " error = 'interrupted' WHERE outcome = 'running'",
              "i", now) &&
         _loom_store_commit (self, doing, error);
}

static void
sql_count_words (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  sqlite3_result_int64 (context,
                        loom_count_words ((const char *) sqlite3_value_text (argv[0]), -1));
}

/* loom_shift_spans (spans, delta): a scene's provenance with its requests' ids moved by delta,
 * for the trash (loom-store-trash.c); a list it cannot read is left as it is. */
static void
sql_shift_spans (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(LoomProvenance) spans = loom_provenance_new_from_string (text);
  g_autofree char *shifted = NULL;

  if (spans == NULL)
    {
      sqlite3_result_value (context, argv[0]);
      return;
    }
  loom_provenance_shift_generations (spans, sqlite3_value_int64 (argv[1]));
  shifted = loom_provenance_to_string (spans);
  sqlite3_result_text (context, shifted, -1, SQLITE_TRANSIENT);
}

/* While a process is generating, it holds a shared flock on "<library>-generating". The kernel
 * drops the lock with the process, so scenes marked generating while nobody holds it belong to
 * a process that died; another program opening the library (storyloom-cli beside the window)
 * must not "recover" scenes that are still being written. */
static int
open_generating_lock (const char *path)
{
  g_autofree char *lock_path = g_strconcat (path, "-generating", NULL);

  return g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

/* Whether any request was left running; reading needs no lock, so this works while another
 * program writes. */
static gboolean
anything_to_recover (LoomStore  *self,
                     gboolean   *found,
                     GError    **error)
{
  gint64 value = 0;

  if (!_loom_store_read_value (self,
                               "SELECT EXISTS (SELECT 1 FROM scenes WHERE status = 'generating')"
                               " OR EXISTS (SELECT 1 FROM generations WHERE outcome = 'running')",
                               &value, error))
    return FALSE;
  *found = value != 0;
  return TRUE;
}

typedef gboolean (*UpkeepFunc) (LoomStore *self, GError **error);

/* Upkeep at open (recovering interrupted generations, letting go of old trash) is not worth
 * waiting for: the command may only want to read. When another program is writing, the
 * upkeep is left to the next open. */
static gboolean
upkeep_unless_busy (LoomStore   *self,
                    UpkeepFunc   upkeep,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  sqlite3_busy_timeout (self->db, 0);
  ok = upkeep (self, &local_error) || _loom_store_rollback (self);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!ok && g_error_matches (local_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED))
    {
      g_debug ("Upkeep postponed, another program is writing: %s", local_error->message);
      return TRUE;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static gboolean
recover_if_nobody_generates (LoomStore  *self,
                             GError    **error)
{
  gboolean found = FALSE;
  gboolean ok;

  /* Most opens have nothing to recover and so need no write lock. */
  if (!anything_to_recover (self, &found, error))
    return FALSE;
  if (!found)
    return TRUE;

  /* Without a lock file (an odd file system) recovery goes ahead, as it must some day. */
  if (self->generating_fd >= 0 && flock (self->generating_fd, LOCK_EX | LOCK_NB) != 0)
    return TRUE;
  ok = upkeep_unless_busy (self, recover_interrupted, error);
  if (self->generating_fd >= 0)
    flock (self->generating_fd, LOCK_UN);
  return ok;
}

static gboolean
purge_old_trash (LoomStore  *self,
                 GError    **error)
{
  gint64 days = LOOM_TRASH_DAYS;

  return _loom_store_purge_trash (self, loom_now_ms () - days * 24 * 3600 * 1000, error);
}

void
_loom_store_hold_generating (LoomStore *self)
{
  if (self->n_generating++ == 0 && self->generating_fd >= 0)
    flock (self->generating_fd, LOCK_SH);
}

void
_loom_store_release_generating (LoomStore *self)
{
  g_return_if_fail (self->n_generating > 0);

  if (--self->n_generating == 0 && self->generating_fd >= 0)
    flock (self->generating_fd, LOCK_UN);
}

/* What opening a library writes besides a migration: recovering interrupted generations,
 * letting go of old trash. Deferred, it may run once this store generates itself: the
 * recovery then waits for the next open, since this process's own lock would not stop it. */
static gboolean
open_upkeep (LoomStore  *self,
             GError    **error)
{
  return (self->n_generating > 0 || recover_if_nobody_generates (self, error)) &&
         upkeep_unless_busy (self, purge_old_trash, error);
}

/* The check in a thread found no damage: the upkeep left from the open runs now, and the
 * objects already loaded are brought in step with what it changed (a refresh that reads every
 * loaded row again). Quiet on failure: like any upkeep, it is tried again at the next open. */
static void
run_deferred_upkeep (LoomStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->upkeep_deferred || self->damaged || !_loom_store_check_open (self, NULL))
    return;
  self->upkeep_deferred = FALSE;
  if (!open_upkeep (self, &error))
    {
      g_debug ("Upkeep of the library postponed: %s", error->message);
      return;
    }
  self->data_version = -1;
  if (!loom_store_refresh (self, NULL, &error))
    g_debug ("Could not reread the library after its upkeep: %s", error->message);
}

static gboolean
configure_connection (LoomStore  *self,
                      GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;
  int rc;

  rc = sqlite3_exec (self->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL",
                     NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (self->db, "loom_count_words", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                  sql_count_words, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (self->db, "loom_shift_spans", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                                  sql_shift_spans, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp (column_text (stmt, 0), "wal") == 0;
  if (rc == SQLITE_OK)
    rc = sqlite3_finalize (stmt);
  else
    sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("opening the library"));
      return FALSE;
    }
  if (!wal)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_LOCKED,
                           _("The library is in use by another program. Close it and try "
                             "again."));
      return FALSE;
    }
  return TRUE;
}

/* With LOOM_STORE_OPEN_CHECK_LATER, libraries up to this size are still checked as they open
 * (a few milliseconds). */
#define CHECK_AT_OPEN_MAX_BYTES (2 * 1024 * 1024)

/* PRAGMA quick_check: the structure of every page (not the text in them, which has no
 * checksum), without the slower index cross-checks of integrity_check. */
static gboolean
run_check (sqlite3     *db,
           const char  *pragma,
           const char  *path,
           GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s (1)", pragma);
  g_autofree char *name = g_filename_display_name (path);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *answer = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (answer, "ok") != 0)
        problem = g_strdup (answer ? answer : "?");
    }
  else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    problem = g_strdup (sqlite3_errmsg (db));
  else if (rc != SQLITE_DONE)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("checking the library for damage"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  if (problem == NULL)
    return TRUE;
  g_debug ("%s of %s: %s", pragma, path, problem);
  g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
               _("The library “%s” is damaged, so Storyloom stopped writing to it."), name);
  return FALSE;
}

/**
 * loom_store_check_integrity:
 *
 * Checks the library file for damage on the store's own connection, unless that was done
 * already (small libraries are checked as they open). Damage makes the store read-only.
 *
 * Returns: %FALSE with %LOOM_STORE_ERROR_DAMAGED (or the error that stopped the check)
 */
gboolean
loom_store_check_integrity (LoomStore  *self,
                            GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (!self->integrity_checked)
    {
      if (!run_check (self->db, "quick_check", self->path, &local_error) &&
          !g_error_matches (local_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      self->integrity_checked = TRUE;
      if (local_error != NULL)
        mark_damaged (self);
      else
        {
          run_deferred_upkeep (self);
          _loom_store_journal_start (self);
        }
    }
  if (self->damaged)
    {
      g_autofree char *name = g_filename_display_name (self->path);

      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
                   _("The library “%s” is damaged, so Storyloom stopped writing to it."), name);
      return FALSE;
    }
  return TRUE;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  sqlite3 *db = NULL;
  int rc;

  /* A connection of its own: the store's belongs to the main thread. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, TRUE);
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
    }
  if (rc != SQLITE_OK)
    _loom_store_set_sqlite_error (&error, db, rc, _("checking the library for damage"));
  else
    run_check (db, "quick_check", path, &error);
  sqlite3_close (db);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * loom_store_check_integrity_async:
 *
 * loom_store_check_integrity() in a thread, on a connection of its own: the window's check
 * of a large library after it opened. When damage is found, the store becomes read-only and
 * notifies #LoomStore:damaged on the caller's main context.
 */
void
loom_store_check_integrity_async (LoomStore           *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LOOM_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, loom_store_check_integrity_async);
  if (self->integrity_checked || !_loom_store_check_open (self, NULL))
    {
      g_autoptr(GError) error = NULL;

      if (loom_store_check_integrity (self, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_run_in_thread (task, check_thread);
}

gboolean
loom_store_check_integrity_finish (LoomStore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, loom_store_check_integrity_async),
                        FALSE);

  if (g_task_propagate_boolean (G_TASK (result), &local_error))
    {
      self->integrity_checked = TRUE;
      run_deferred_upkeep (self);
      _loom_store_journal_start (self);
      return TRUE;
    }
  if (g_error_matches (local_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
    {
      self->integrity_checked = TRUE;
      mark_damaged (self);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * loom_store_verify_copy:
 * @path: a copy of a library, such as a backup
 *
 * Reads all of @path (PRAGMA integrity_check), without writing to it: is it an intact
 * Storyloom library that this version can open?
 *
 * Returns: %FALSE with @error set when it is not
 */
gboolean
loom_store_verify_copy (const char  *path,
                        GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, db, rc, _("checking the backup"));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_extended_result_codes (db, TRUE);
  ok = _loom_store_schema_check (db, path, error) &&
       run_check (db, "integrity_check", path, error);
  sqlite3_close (db);
  return ok;
}

/**
 * loom_store_open:
 * @path: the library file; created, with its folder, when missing
 *
 * Opens a library. The file is only written once it is known to be a Storyloom library of
 * this version or older, or a new or empty file, and not damaged.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
LoomStore *
loom_store_open (const char  *path,
                 GError     **error)
{
  return loom_store_open_full (path, LOOM_STORE_OPEN_DEFAULT, error);
}

/**
 * loom_store_open_full:
 *
 * loom_store_open(), but with %LOOM_STORE_OPEN_CHECK_LATER a library larger than a couple of
 * megabytes is not checked for damage: the caller runs loom_store_check_integrity_async().
 */
LoomStore *
loom_store_open_full (const char          *path,
                      LoomStoreOpenFlags   flags,
                      GError             **error)
{
  g_autoptr(LoomStore) self = NULL;
  gboolean check_now;
  GStatBuf st;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_file (path, error))
    return NULL;

  self = g_object_new (LOOM_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("opening the library"));
      return NULL;
    }
  register_connection (self);
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!_loom_store_schema_check (self->db, path, error))
    return NULL;

  /* Before anything is written: a damaged file is refused untouched. The window checks a
   * large library later, in a thread, so that it opens as fast with a million words as with
   * none; until that check has found no damage, nothing is written at open (the upkeep waits
   * for it, and a library that must be migrated is checked now). */
  check_now = (flags & LOOM_STORE_OPEN_CHECK_LATER) == 0 ||
              g_stat (path, &st) != 0 || st.st_size <= CHECK_AT_OPEN_MAX_BYTES ||
              _loom_store_schema_writes_at_open (self->db);
  if (check_now && !loom_store_check_integrity (self, error))
    return NULL;

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY,
                           _("The library is read-only. Make it writable and open it again."));
      return NULL;
    }

  self->generating_fd = open_generating_lock (path);
  self->upkeep_deferred = !check_now;
  self->sync_in_thread = (flags & LOOM_STORE_OPEN_SYNC_IN_THREAD) != 0;
  if (!configure_connection (self, error) ||
      !_loom_store_schema_migrate (self->db, error) ||
      (check_now && !open_upkeep (self, error)) ||
      !_loom_store_sync (self, error))
    return NULL;
  /* Known undamaged: the log may be written from a thread (a deferred check starts it). */
  if (check_now)
    _loom_store_journal_start (self);

  return g_steal_pointer (&self);
}

/**
 * loom_store_open_reader:
 *
 * Opens a library for reading only, on a connection of its own: for work in a thread, such as
 * an export, beside the window's store. Nothing is migrated or recovered, and every write
 * fails with %LOOM_STORE_ERROR_READ_ONLY.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
LoomStore *
loom_store_open_reader (const char  *path,
                        GError     **error)
{
  g_autoptr(LoomStore) self = NULL;
  gint64 version = 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                   _("There is no library at “%s”."), name);
      return NULL;
    }

  self = g_object_new (LOOM_TYPE_STORE, NULL);
  _loom_store_inputs_disable (self);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      register_connection (self);
      sqlite3_extended_result_codes (self->db, TRUE);
      sqlite3_busy_timeout (self->db, 5000);
      rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
    }
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      _loom_store_set_sqlite_error (error, self->db, rc, _("opening the library"));
      return NULL;
    }

  if (!_loom_store_schema_check (self->db, path, error))
    return NULL;
  if (version != LOOM_STORE_SCHEMA_VERSION)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_A_LIBRARY,
                           _("The library has not been brought up to date yet. Open it in "
                             "Storyloom first."));
      return NULL;
    }
  if (!_loom_store_sync (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * loom_store_snapshot:
 * @target: a file that does not exist yet
 *
 * Writes a consistent copy of the library at @path to @target (VACUUM INTO), while other
 * connections go on reading and writing.
 */
gboolean
loom_store_snapshot (const char  *path,
                     const char  *target,
                     GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (path != NULL && target != NULL, FALSE);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      /* The window may be mid-write; wait for it rather than fail. */
      sqlite3_busy_timeout (db, 10000);
      rc = sqlite3_prepare_v2 (db, "VACUUM INTO ?1", -1, &stmt, NULL);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    _loom_store_set_sqlite_error (error, db, rc, _("copying the library"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_DONE;
}

/**
 * loom_store_close:
 *
 * Closes the connection. Objects still referenced elsewhere stay readable; writes through
 * them fail with %LOOM_STORE_ERROR_CLOSED.
 */
void
loom_store_close (LoomStore *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (LOOM_IS_STORE (self));

  if (!_loom_store_check_open (self, NULL))
    return;

  g_hash_table_iter_init (&iter, self->stories_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    LOOM_STORY (value)->store = NULL;

  _loom_store_inputs_clear (self);
  g_hash_table_remove_all (self->statements);
  unregister_connection (self);
  sqlite3_close_v2 (self->db);
  self->db = NULL;
  if (self->generating_fd >= 0)
    close (self->generating_fd);
  self->generating_fd = -1;
  self->n_generating = 0;
}

char *
loom_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "storyloom", "library.db", NULL);
}

/* --db wins over STORYLOOM_DB, which wins over the default. */
char *
loom_store_resolve_path (const char *override)
{
  const char *env = g_getenv ("STORYLOOM_DB");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return loom_store_default_path ();
}

sqlite3 *
_loom_store_get_db (LoomStore *self)
{
  return self->db;
}

const char *
loom_store_get_path (LoomStore *self)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return self->path;
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups                                                                                  */

/**
 * loom_store_get_stories:
 *
 * Returns: (transfer none): a #GListModel of #LoomStory, oldest first.
 */
GListModel *
loom_store_get_stories (LoomStore *self)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->stories);
}

LoomStory *
loom_store_lookup_story (LoomStore *self,
                         gint64     id)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->stories_by_id, &id);
}

LoomChapter *
loom_store_lookup_chapter (LoomStore *self,
                           gint64     id)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->chapters_by_id, &id);
}

LoomScene *
loom_store_lookup_scene (LoomStore *self,
                         gint64     id)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->scenes_by_id, &id);
}

LoomCharacter *
loom_store_lookup_character (LoomStore *self,
                             gint64     id)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->characters_by_id, &id);
}

LoomEntry *
loom_store_lookup_entry (LoomStore *self,
                         gint64     id)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->entries_by_id, &id);
}

/* ---------------------------------------------------------------------------------------- */
/* Edits of single columns                                                                  */

void
_loom_text_edit_clear (LoomTextEdit *edit)
{
  g_clear_pointer (&edit->merged, g_free);
  g_clear_pointer (&edit->before, g_free);
}

static gboolean
text_is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

/* Both versions of a text that two programs changed at once, the writer's first. */
static char *
join_versions (const char    *mine,
               const char    *theirs,
               LoomTextFlags  flags)
{
  if (text_is_empty (mine))
    return g_strdup (theirs);
  if (text_is_empty (theirs))
    return g_strdup (mine);
  return g_strconcat (mine, (flags & (LOOM_TEXT_ONE_LINE | LOOM_TEXT_NOT_BLANK)) ? " / " : "\n\n",
                      theirs, NULL);
}

/* Inside the write transaction: the text the row holds now, into *stored (NULL for none), and
 * its stamp. A row deleted elsewhere fails with %LOOM_STORE_ERROR_NOT_FOUND. */
static gboolean
read_stored_text (LoomStore     *self,
                  LoomTextEdit  *edit,
                  gboolean       has_updated_at,
                  char         **stored,
                  gint64        *stamp,
                  const char    *doing,
                  GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s, %s FROM %s WHERE id = ?1", edit->column,
                                          has_updated_at ? "updated_at" : "0", edit->table);
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, edit->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *stored = g_strdup (column_text (stmt, 0));
      *stamp = sqlite3_column_int64 (stmt, 1);
    }
  return _loom_store_finish_statement (self, stmt, rc,
                                       _("This item no longer exists in the library."),
                                       doing, error);
}

/* Writes one text column of one row: see #LoomTextEdit. The row is read and written in one
 * transaction, so another program's commit cannot slip in between the comparison and the
 * write. */
gboolean
_loom_store_update_text (LoomStore     *self,
                         LoomTextEdit  *edit,
                         GError       **error)
{
  const char *doing = _("saving the change");
  gboolean has_updated_at = g_str_equal (edit->table, "stories") ||
                            g_str_equal (edit->table, "scenes");
  g_autofree char *stored = NULL;
  const char *base = edit->base;
  const char *value = edit->value;
  gint64 stamp = 0;

  if (!_loom_store_check_open (self, error))
    return FALSE;
  edit->updated_at = 0;
  edit->conflict = FALSE;
  if (!loom_store_check_text (value, edit->what, error))
    return FALSE;
  if ((edit->flags & LOOM_TEXT_NOT_BLANK) &&
      !_loom_store_check_not_blank (value, g_str_equal (edit->what, "name")
                                    ? _("A name cannot be empty.")
                                    : _("A title cannot be empty."), error))
    return FALSE;
  if (edit->flags & LOOM_TEXT_NULLABLE)
    {
      value = text_is_empty (value) ? NULL : value;
      base = text_is_empty (base) ? NULL : base;
    }
  edit->value = value;
  /* The writer changed nothing: whatever the row holds stays. */
  if (g_strcmp0 (base, value) == 0)
    return TRUE;

  if (!_loom_store_begin (self, doing, error) ||
      !read_stored_text (self, edit, has_updated_at, &stored, &stamp, doing, error))
    return _loom_store_rollback (self);

  if (g_strcmp0 (stored, base) != 0 && g_strcmp0 (stored, value) != 0)
    {
      edit->merged = join_versions (value, stored, edit->flags);
      edit->value = value = edit->merged;
      edit->conflict = TRUE;
    }
  if (g_strcmp0 (stored, value) != 0)
    {
      g_autofree char *sql = NULL;

      /* Every write moves the stamp forward, even within one millisecond or with a clock set
       * back, so that an equal stamp always means an unchanged row. */
      stamp = MAX (loom_now_ms (), stamp + 1);
      sql = g_strdup_printf ("UPDATE %s SET %s = ?1%s WHERE id = ?2", edit->table,
                             edit->column, has_updated_at ? ", updated_at = ?3" : "");
      if (!_loom_store_run (self, error, doing, sql, "sii", value, edit->id, stamp))
        return _loom_store_rollback (self);
    }
  if (!_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  edit->before = g_steal_pointer (&stored);
  if (has_updated_at)
    edit->updated_at = stamp;
  return TRUE;
}

gboolean
_loom_store_edit_text (LoomStore     *self,
                       LoomTextEdit  *edit,
                       GObject       *object,
                       char         **field,
                       GParamSpec    *pspec,
                       char         **before,
                       GError       **error)
{
  if (!_loom_store_update_text (self, edit, error))
    return FALSE;
  loom_mirror_string (object, field, edit->value, pspec);
  if (edit->conflict)
    _loom_store_emit_text_conflict (self, object, pspec->name);
  if (before != NULL)
    *before = edit->before ? g_steal_pointer (&edit->before) : g_strdup (edit->base);
  return TRUE;
}

/* Stores @prose (already validated) and its word count, stamped @now. The mirrors are left
 * alone so that a caller inside a transaction can update them with _loom_store_apply_prose()
 * after COMMIT, with the same @now: the stamp is how a later write knows whether another
 * program wrote the row in between. */
gboolean
_loom_store_write_prose (LoomStore    *self,
                         LoomScene    *scene,
                         const char   *prose,
                         gint64        now,
                         LoomWordKind  kind,
                         GError      **error)
{
  guint words;

  if (prose != NULL && *prose == '\0')
    prose = NULL;
  words = loom_count_words (prose, -1);
  return _loom_store_log_words (self, scene, words, kind, error) &&
         _loom_store_run (self, error, _("saving the prose"),
                          "UPDATE scenes SET prose = ?1, word_count = ?2, updated_at = ?3"
                          " WHERE id = ?4",
                          "suii", prose, words, now, scene->id);
}

void
_loom_store_apply_prose (LoomScene  *scene,
                         const char *prose,
                         gint64      now)
{
  gint64 delta;

  if (prose != NULL && *prose == '\0')
    prose = NULL;
  delta = _loom_scene_set_prose (scene, prose, loom_count_words (prose, -1), now);
  if (delta != 0)
    _loom_store_adjust_counts (scene->chapter->story, scene->chapter, 0, 0, delta);
}

/* Inside a write transaction, after the writer's own change of the prose was written: a
 * generation they change becomes "edited", keeping its model. */
gboolean
_loom_store_mark_writers_hand (LoomStore  *self,
                               LoomScene  *scene,
                               gint64      now,
                               GError    **error)
{
  return _loom_store_run (self, error, _("saving the prose"),
                          "UPDATE scenes SET"
                          " prose_origin = CASE WHEN prose IS NULL THEN NULL"
                          "   WHEN prose_origin IN ('generated', 'edited', 'partial')"
                          "   THEN 'edited' ELSE 'writer' END,"
                          " prose_model = CASE WHEN prose IS NULL THEN NULL"
                          "   WHEN prose_origin IN ('generated', 'edited', 'partial')"
                          "   THEN prose_model END,"
                          " prose_at = iif (prose IS NULL, NULL, ?2) WHERE id = ?1",
                          "ii", scene->id, now);
}

/* Inside a write transaction: whether another program wrote @scene's row since this store last
 * read or wrote it, and if so the prose it holds now (*theirs, %NULL for none); *stamp is the
 * updated_at the write is to store. Comparing one stamp keeps the usual case to a single
 * indexed read. A row deleted elsewhere fails with %LOOM_STORE_ERROR_NOT_FOUND. */
gboolean
_loom_store_read_elsewhere (LoomStore  *self,
                            LoomScene  *scene,
                            gboolean   *changed,
                            char      **theirs,
                            gint64     *stamp,
                            GError    **error)
{
  const char *doing = _("saving the prose");
  sqlite3_stmt *stmt;
  gint64 updated_at;
  int rc;

  *changed = FALSE;
  *theirs = NULL;

  stmt = _loom_store_get_statement (self, "SELECT updated_at FROM scenes WHERE id = ?1", doing,
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  rc = sqlite3_step (stmt);
  updated_at = sqlite3_column_int64 (stmt, 0);
  if (!_loom_store_finish_statement (self, stmt, rc,
                                     _("The scene was deleted by another program."), doing,
                                     error))
    return FALSE;
  /* Every write moves the stamp forward, even within one millisecond or with a clock set back,
   * so that equal stamps always mean an unchanged row. */
  *stamp = MAX (loom_now_ms (), updated_at + 1);
  if (updated_at == scene->updated_at)
    return TRUE;

  stmt = _loom_store_get_statement (self, "SELECT prose FROM scenes WHERE id = ?1", doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *theirs = g_strndup (column_text (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  *changed = TRUE;
  return TRUE;
}

/* Inside a write transaction, before the scene's row changes: keeps @prose, the text the row
 * holds, as a revision. Who wrote it, with which model and when, are copied from the row, and
 * the origins of its characters from the scene's spans; the revision's created_at is now,
 * when it was archived. */
gboolean
_loom_store_archive_prose (LoomStore           *self,
                           LoomScene           *scene,
                           const char          *prose,
                           LoomRevisionOrigin   origin,
                           GError             **error)
{
  return _loom_store_run (self, error, _("saving a revision"),
                          "INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at,"
                          " author, written_at)"
                          " SELECT id, ?2, ?3, prose_model, ?4, prose_origin, prose_at"
                          " FROM scenes WHERE id = ?1",
                          "issi", scene->id, prose, loom_revision_origin_to_string (origin),
                          loom_now_ms ()) &&
         _loom_store_keep_revision_spans (self, scene, prose, sqlite3_last_insert_rowid (self->db),
                                          error);
}

/* Inside a write transaction, after the prose was written: who wrote it. An empty prose has no
 * origin. */
gboolean
_loom_store_set_prose_origin (LoomStore        *self,
                              LoomScene        *scene,
                              LoomProseOrigin   origin,
                              const char       *model,
                              gint64            written_at,
                              GError          **error)
{
  return _loom_store_run (self, error, _("saving the prose"),
                          "UPDATE scenes SET prose_origin = iif (prose IS NULL, NULL, ?2),"
                          " prose_model = iif (prose IS NULL, NULL, ?3),"
                          " prose_at = iif (prose IS NULL, NULL, nullif (?4, 0)) WHERE id = ?1",
                          "issi", scene->id, loom_prose_origin_to_string (origin), model,
                          written_at);
}

/* Keeps @text as a revision of @scene that another program wrote, unless it is empty or
 * already what the scene will hold. TRUE in *kept when a revision was written. */
gboolean
_loom_store_keep_elsewhere (LoomStore   *self,
                            LoomScene   *scene,
                            const char  *text,
                            const char  *replacement,
                            gboolean    *kept,
                            GError     **error)
{
  if (text == NULL || *text == '\0' || g_strcmp0 (text, replacement) == 0)
    return TRUE;
  if (!_loom_store_archive_prose (self, scene, text, LOOM_REVISION_ELSEWHERE, error))
    return FALSE;
  *kept = TRUE;
  return TRUE;
}

/* Writes @prose, edited from the scene's prose at @base_version, over whatever the row holds.
 * Text that another program wrote meanwhile — already shown in the mirror (the version moved)
 * or only in the file (the row's stamp moved) — is kept as an 'elsewhere' revision first, in
 * the same transaction, and LoomStore::prose-conflict tells the window. @spans, when the
 * editor kept them, say who wrote each character of @prose. */
gboolean
_loom_store_save_prose (LoomStore       *self,
                        LoomScene       *scene,
                        const char      *prose,
                        guint            base_version,
                        LoomProvenance  *spans,
                        GError         **error)
{
  const char *doing = _("saving the prose");
  g_autofree char *theirs = NULL;
  gboolean stale;
  gboolean changed = FALSE;
  gboolean kept = FALSE;
  gint64 now;

  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (!loom_store_check_text (prose, _("prose"), error))
    return FALSE;
  if (prose != NULL && *prose == '\0')
    prose = NULL;
  if (scene->prose_loaded && g_strcmp0 (scene->prose, prose) == 0)
    return TRUE;

  stale = scene->prose_loaded && base_version != scene->prose_serial;
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_read_elsewhere (self, scene, &changed, &theirs, &now, error) ||
      (stale && !_loom_store_keep_elsewhere (self, scene, scene->prose, prose, &kept, error)) ||
      (changed && scene->prose_loaded && g_strcmp0 (theirs, scene->prose) != 0 &&
       !_loom_store_keep_elsewhere (self, scene, theirs, prose, &kept, error)) ||
      /* Without the editor's spans nobody vouches for what changed: unknown. */
      !_loom_store_track_prose (self, scene, prose, spans, LOOM_SPAN_UNKNOWN, 0, error) ||
      !_loom_store_write_prose (self, scene, prose, now, LOOM_WORDS_WRITTEN, error) ||
      !_loom_store_mark_writers_hand (self, scene, now, error) ||
      !_loom_store_accept_inputs (self, scene, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  _loom_store_apply_prose (scene, prose, now);
  _loom_store_inputs_settled (self, scene);
  if (kept)
    _loom_store_emit_prose_conflict (self, scene);
  return TRUE;
}

gboolean
_loom_store_set_scene_status (LoomStore        *self,
                              LoomScene        *scene,
                              LoomSceneStatus   status,
                              const char       *error_message,
                              GError          **error)
{
  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (status != LOOM_SCENE_STATUS_ERROR)
    error_message = NULL;
  if (!loom_store_check_text (error_message, _("error message"), error))
    return FALSE;

  if (!_loom_store_run (self, error, _("saving the scene’s status"),
            "UPDATE scenes SET status = ?1, error_message = ?2 WHERE id = ?3",
            "ssi", loom_scene_status_to_string (status), error_message, scene->id))
    return FALSE;

  _loom_scene_set_status (scene, status, error_message);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Stories                                                                                  */

LoomStory *
loom_store_create_story (LoomStore   *self,
                         const char  *title,
                         const char  *premise,
                         const char  *style_notes,
                         GError     **error)
{
  const char *doing = _("creating the story");
  LoomStory *story;
  gint64 now = loom_now_ms ();

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);

  if (!loom_store_check_text (title, _("title"), error) ||
      !loom_store_check_text (premise, _("premise"), error) ||
      !loom_store_check_text (style_notes, _("style notes"), error) ||
      !_loom_store_check_not_blank (title, _("A story needs a title."), error))
    return NULL;

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
            "INSERT INTO stories (title, premise, style_notes, created_at, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, ?4)",
            "sssi", title, premise ? premise : "", style_notes ? style_notes : "", now))
    {
      _loom_store_rollback (self);
      return NULL;
    }

  story = _loom_story_new (self);
  story->id = sqlite3_last_insert_rowid (self->db);
  if (!_loom_store_commit (self, doing, error))
    {
      g_object_unref (story);
      return NULL;
    }

  story->title = g_strdup (title);
  story->premise = g_strdup (premise ? premise : "");
  story->style_notes = g_strdup (style_notes ? style_notes : "");
  story->created_at = now;
  story->updated_at = now;
  _loom_store_remember (self->stories_by_id, &story->id, story);
  g_list_store_append (self->stories, story);
  g_object_unref (story);
  return story;
}

/* Drops the mirrors of @story and everything in it, after its rows are gone. */
void
_loom_store_forget_story (LoomStore *self,
                          LoomStory *story)
{
  guint n_chapters = g_list_model_get_n_items (G_LIST_MODEL (story->chapters));
  guint n_characters = g_list_model_get_n_items (G_LIST_MODEL (story->characters));
  guint position;

  for (guint i = 0; i < n_chapters; i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (G_LIST_MODEL (story->chapters), i);
      _loom_store_forget_chapter (self, chapter);
    }
  for (guint i = 0; i < n_characters; i++)
    {
      g_autoptr(LoomCharacter) character =
        g_list_model_get_item (G_LIST_MODEL (story->characters), i);
      g_hash_table_remove (self->characters_by_id, &character->id);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (story->entries)); i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (G_LIST_MODEL (story->entries), i);
      g_hash_table_remove (self->entries_by_id, &entry->id);
    }

  g_object_ref (story);
  story->store = NULL;
  if (g_list_store_find (self->stories, story, &position))
    g_list_store_remove (self->stories, position);
  g_hash_table_remove (self->stories_by_id, &story->id);
  g_object_unref (story);
}

/**
 * loom_store_discard_story:
 *
 * Deletes @story for good, without the trash: only for a story the writer never had, such as
 * one an import failed to finish. What the writer deletes goes through
 * loom_store_delete_story().
 */
gboolean
loom_store_discard_story (LoomStore  *self,
                          LoomStory  *story,
                          GError    **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  if (!_loom_store_run (self, error, _("deleting the story"),
                        "DELETE FROM stories WHERE id = ?1", "i", story->id))
    return FALSE;
  _loom_store_forget_story (self, story);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

static void
loom_store_dispose (GObject *object)
{
  LoomStore *self = (LoomStore *) object;

  _loom_store_inputs_clear (self);
  loom_store_close (self);
  g_list_store_remove_all (self->stories);

  G_OBJECT_CLASS (loom_store_parent_class)->dispose (object);
}

static void
loom_store_finalize (GObject *object)
{
  LoomStore *self = (LoomStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->inputs_pending, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->characters_by_id, g_hash_table_unref);
  g_clear_pointer (&self->entries_by_id, g_hash_table_unref);
  g_clear_pointer (&self->trashed, g_hash_table_unref);
  g_clear_pointer (&self->scenes_by_id, g_hash_table_unref);
  g_clear_pointer (&self->chapters_by_id, g_hash_table_unref);
  g_clear_pointer (&self->stories_by_id, g_hash_table_unref);
  g_clear_object (&self->stories);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (loom_store_parent_class)->finalize (object);
}

static void
loom_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LoomStore *self = LOOM_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_DAMAGED:
      g_value_set_boolean (value, self->damaged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_store_class_init (LoomStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_store_dispose;
  object_class->finalize = loom_store_finalize;
  object_class->get_property = loom_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LoomStore:damaged:
   *
   * Whether damage was found in the library file. From then on the store writes nothing to
   * it: every write fails with %LOOM_STORE_ERROR_DAMAGED, reads go on as far as they can.
   */
  properties[PROP_DAMAGED] =
    g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomStore::prose-conflict:
   * @scene: the scene
   *
   * Another program changed @scene's prose while it was being edited or generated here. Both
   * texts are kept: the one written here is the prose, the other is the newest revision
   * (origin %LOOM_REVISION_ELSEWHERE).
   */
  signals[PROSE_CONFLICT] = g_signal_new ("prose-conflict", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, LOOM_TYPE_SCENE);

  /**
   * LoomStore::text-conflict:
   * @item: a #LoomStory, #LoomChapter, #LoomScene or #LoomCharacter
   * @property: the text property: "outline", "name", "traits"…
   *
   * Another program changed the text of @property while it was being edited here. Both
   * versions are kept in it, the one written here first.
   */
  signals[TEXT_CONFLICT] = g_signal_new ("text-conflict", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_OBJECT, G_TYPE_STRING);

  /**
   * LoomStore::deleted-elsewhere:
   * @item: a #LoomStory, #LoomChapter, #LoomScene or #LoomCharacter
   *
   * loom_store_refresh() found that another program deleted @item. It is already gone from
   * the lists and the identity map; views showing it close it, keeping unsaved text. Emitted
   * for every item, the scenes of a deleted chapter or story included, children first.
   */
  signals[DELETED_ELSEWHERE] = g_signal_new ("deleted-elsewhere", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_OBJECT);

  /**
   * LoomStore::summary-changed:
   * @scene: the scene
   *
   * @scene's summary was written, replaced or removed through this store
   * (loom-store-summaries.h).
   */
  signals[SUMMARY_CHANGED] = g_signal_new ("summary-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, LOOM_TYPE_SCENE);
}

void
_loom_store_emit_summary_changed (LoomStore *self,
                                  LoomScene *scene)
{
  g_signal_emit (self, signals[SUMMARY_CHANGED], 0, scene);
}

void
_loom_store_emit_prose_conflict (LoomStore *self,
                                 LoomScene *scene)
{
  g_signal_emit (self, signals[PROSE_CONFLICT], 0, scene);
}

void
_loom_store_emit_text_conflict (LoomStore  *self,
                                GObject    *item,
                                const char *property)
{
  g_signal_emit (self, signals[TEXT_CONFLICT], 0, item, property);
}

void
_loom_store_emit_deleted_elsewhere (LoomStore *self,
                                    GObject   *item)
{
  g_signal_emit (self, signals[DELETED_ELSEWHERE], 0, item);
}

static GHashTable *
new_id_map (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
loom_store_init (LoomStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->stories = g_list_store_new (LOOM_TYPE_STORY);
  self->stories_by_id = new_id_map ();
  self->chapters_by_id = new_id_map ();
  self->scenes_by_id = new_id_map ();
  self->characters_by_id = new_id_map ();
  self->entries_by_id = new_id_map ();
  self->trashed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  _loom_store_inputs_init (self);
  self->generating_fd = -1;
  _loom_store_clock_init (self);
}

/* ---------------------------------------------------------------------------------------- */

/**
 * loom_store_get_setting:
 * @value: (out): the setting's value; left as it was when the library has none
 *
 * Returns: %FALSE with @error set when the library could not be read
 */
gboolean
loom_store_get_setting (LoomStore   *self,
                        const char  *name,
                        gint64      *value,
                        GError     **error)
{
  const char *doing = _("reading the settings");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if ((stmt = _loom_store_get_statement (self, "SELECT value FROM library_settings WHERE name = ?1",
                                         doing, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

gboolean
loom_store_set_setting (LoomStore   *self,
                        const char  *name,
                        gint64       value,
                        GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return _loom_store_run (self, error, _("saving the settings"),
                          "INSERT OR REPLACE INTO library_settings (name, value) VALUES (?1, ?2)",
                          "si", name, value);
}

/**
 * loom_store_list_settings:
 * @prefix: how the names begin
 *
 * The settings whose name begins with @prefix and whose value is not 0, for settings that
 * carry their subject in the name (a model, a server).
 *
 * Returns: (transfer full): their names, sorted; %NULL with @error when they cannot be read
 */
GStrv
loom_store_list_settings (LoomStore   *self,
                          const char  *prefix,
                          GError     **error)
{
  const char *doing = _("reading the settings");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  /* substr, not LIKE: a model's name may hold '%' or '_' */
  if ((stmt = _loom_store_get_statement (self,
                                         "SELECT name FROM library_settings"
                                         " WHERE substr (name, 1, length (?1)) = ?1"
                                         " AND value != 0 ORDER BY name",
                                         doing, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  return g_strv_builder_end (names);
}

/* Back to the default, whatever that is at the time of reading. */
gboolean
loom_store_unset_setting (LoomStore   *self,
                          const char  *name,
                          GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return _loom_store_run (self, error, _("saving the settings"),
                          "DELETE FROM library_settings WHERE name = ?1", "s", name);
}
