/* loom-store-journal.c: the write-ahead log's syncs, in a thread
 *
 * With synchronous = NORMAL, SQLite syncs the write-ahead log (the "-wal" file) in two places
 * only: when a write starts the log afresh (its header, and the folder of a new log file), and
 * in a checkpoint, which copies the log into the library and syncs both. Both fell on the main
 * thread: the first write of a session — a generation starting — held the window 40–70 ms
 * (the log is removed when the last connection closes), and every 1,000 pages a commit ran
 * the checkpoint and the next write started the log again.
 *
 * A store opened with %LOOM_STORE_OPEN_SYNC_IN_THREAD does both in a thread, on a connection
 * of its own: once the library is open and known undamaged, the thread starts the log with a
 * write that changes nothing (the library's version number, set to what it is); and instead of
 * SQLite's automatic checkpoint a commit that leaves the log long asks the thread to copy it
 * back and start it again. The main thread's writes then append to a log already on the disk.
 * Durability is unchanged: the same syncs happen in the same order, only in another thread,
 * and a write racing them (the main thread writing while the thread has not finished) syncs
 * itself, as before.
 *
 * The thread's write moves PRAGMA data_version like another program's would, so the store's
 * next loom_store_refresh() reads its rows again once; it finds nothing changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gstdio.h>

#include "loom-store-private.h"

/* SQLite's own threshold for its automatic checkpoint. */
#define CHECKPOINT_PAGES 1000

/* A log shorter than its 32-byte header holds nothing: the next write starts it. */
#define LOG_HEADER_BYTES 32

#define JOURNAL_BUSY_TIMEOUT_MS 1500

typedef struct
{
  char     *path;
  gboolean  checkpoint;
} JournalJob;

static void
journal_job_free (gpointer data)
{
  JournalJob *job = data;

  g_free (job->path);
  g_free (job);
}

/* A committed write that changes nothing, so that the log's start and its sync happen here. */
static int
write_nothing (sqlite3 *db)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;
  int rc;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (version < 0)
    rc = SQLITE_ERROR;
  if (rc == SQLITE_OK)
    {
      sql = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version);
      rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static void
journal_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  JournalJob *job = task_data;
  sqlite3 *db = NULL;
  int in_log = 0, copied = 0;
  int rc;

  /* Never created here: a library removed meanwhile stays removed. */
  rc = sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, TRUE);
      sqlite3_busy_timeout (db, JOURNAL_BUSY_TIMEOUT_MS);
      /* A connection finds the log at its first read; a checkpoint before it finds none. */
      rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
      if (rc == SQLITE_OK && job->checkpoint)
        rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log, &copied);
      /* All of it copied back: the next write starts the log again, with a sync; this one. */
      if (rc == SQLITE_OK && in_log >= 0 && in_log == copied)
        rc = write_nothing (db);
    }
  /* Quiet: the main thread's next writes start the log or checkpoint themselves. */
  if (rc != SQLITE_OK)
    g_debug ("The library’s journal was left to the next write: %s", sqlite3_errstr (rc));
  sqlite3_close (db);
  g_task_return_boolean (task, rc == SQLITE_OK);
}

static void
journal_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoomStore *self = LOOM_STORE (source);

  self->journal_busy = FALSE;
  /* Long again while the thread worked: once more. */
  if (self->journal_again)
    _loom_store_journal_run (self, TRUE);
}

/*
 * _loom_store_journal_run:
 * @checkpoint: copy the log back into the library first (else only start it)
 *
 * Starts the log, or checkpoints and starts it again, in a thread. One at a time: asked while
 * the thread works, it runs once more after.
 */
void
_loom_store_journal_run (LoomStore *self,
                         gboolean   checkpoint)
{
  g_autoptr(GTask) task = NULL;
  JournalJob *job;

  if (!_loom_store_check_open (self, NULL) || self->damaged || !self->sync_in_thread)
    return;
  if (self->journal_busy)
    {
      self->journal_again = self->journal_again || checkpoint;
      return;
    }
  self->journal_busy = TRUE;
  self->journal_again = FALSE;

  job = g_new0 (JournalJob, 1);
  job->path = g_strdup (self->path);
  job->checkpoint = checkpoint;
  task = g_task_new (self, NULL, journal_done, NULL);
  g_task_set_source_tag (task, _loom_store_journal_run);
  g_task_set_task_data (task, job, journal_job_free);
  g_task_run_in_thread (task, journal_thread);
}

/* sqlite3_wal_hook(): after each commit of the store's connection. Replaces SQLite's automatic
 * checkpoint, which would sync on the main thread. */
static int
on_log_commit (void       *data,
               sqlite3    *db,
               const char *name,
               int         pages)
{
  if (pages >= CHECKPOINT_PAGES)
    _loom_store_journal_run (data, TRUE);
  return SQLITE_OK;
}

/*
 * _loom_store_journal_start:
 *
 * Called once the library is open and known undamaged: from now on the log is started and
 * checkpointed in a thread. Starts it now unless another connection already has.
 */
void
_loom_store_journal_start (LoomStore *self)
{
  g_autofree char *log_path = NULL;
  GStatBuf st;

  if (!_loom_store_check_open (self, NULL) || self->damaged || !self->sync_in_thread)
    return;

  sqlite3_wal_hook (self->db, on_log_commit, self);
  log_path = g_strconcat (self->path, "-wal", NULL);
  if (g_stat (log_path, &st) != 0 || st.st_size < LOG_HEADER_BYTES)
    _loom_store_journal_run (self, FALSE);
}

/**
 * loom_store_get_journal_busy:
 *
 * Whether a thread is starting or checkpointing the library's write-ahead log (a store opened
 * with %LOOM_STORE_OPEN_SYNC_IN_THREAD). Nothing waits for it; tests do.
 *
 * Returns: %TRUE while it works
 */
gboolean
loom_store_get_journal_busy (LoomStore *self)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  return self->journal_busy;
}
