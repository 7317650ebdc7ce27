/* loom-backup.c: a copy of the library once a day
 *
 * At start the app asks for a backup; if none was made today, the library is copied with
 * SQLite's VACUUM INTO to <folder of the library>/backups/<name>-YYYY-MM-DD.db, and only the
 * newest LOOM_BACKUP_KEEP copies are kept.
 *
 * VACUUM INTO reads one consistent snapshot (the window may write beside it: WAL lets a reader
 * run next to the writer) and the copy is a compact, ordinary database with no -wal file, so
 * restoring is copying one file. This is the one place outside the store that opens the
 * database, read-only and only for this statement: a second LoomStore would run migrations
 * and crash recovery, which are the window's to do.
 *
 * The copy is written under a temporary name, flushed to the disk and renamed when complete,
 * so a crash or a full disk mid-copy never leaves a file that looks like a good backup, nor one
 * that stops today's from being made at the next start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-backup"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "loom-backup.h"
#include "loom-file-writer.h"
#include "loom-store.h"

G_DEFINE_QUARK (loom-backup-error-quark, loom_backup_error)

/**
 * loom_backup_get_folder:
 *
 * Returns: the folder the backups of @library_path go to, "backups" beside the library
 */
char *
loom_backup_get_folder (const char *library_path)
{
  g_autofree char *dir = g_path_get_dirname (library_path);

  return g_build_filename (dir, "backups", NULL);
}

/* "library.db" → "library" */
static char *
library_stem (const char *library_path)
{
  char *name = g_path_get_basename (library_path);
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';
  return name;
}

/**
 * loom_backup_get_path:
 * @day: the day of the backup, in local time
 *
 * Returns: the file of @library_path's backup for @day
 */
char *
loom_backup_get_path (const char *library_path,
                      GDateTime  *day)
{
  g_autofree char *folder = loom_backup_get_folder (library_path);
  g_autofree char *stem = library_stem (library_path);
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.db", stem, date);

  return g_build_filename (folder, name, NULL);
}

/* "<stem>-YYYY-MM-DD.db" and nothing else, so that other files in the folder are safe. */
static gboolean
is_backup_name (const char *name,
                const char *stem)
{
  gsize stem_len = strlen (stem);
  const char *date;

  if (strncmp (name, stem, stem_len) != 0 || name[stem_len] != '-')
    return FALSE;
  date = name + stem_len + 1;
  if (strlen (date) != strlen ("YYYY-MM-DD.db") || !g_str_has_suffix (date, ".db"))
    return FALSE;
  for (int i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (date[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (date[i]))
        return FALSE;
    }
  return TRUE;
}

static int
compare_names_descending (gconstpointer a,
                          gconstpointer b)
{
  return -strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Keeps the newest LOOM_BACKUP_KEEP; ISO dates sort by name. */
static void
prune (const char *library_path)
{
  g_autofree char *folder = loom_backup_get_folder (library_path);
  g_autofree char *stem = library_stem (library_path);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (is_backup_name (name, stem))
        g_ptr_array_add (names, g_strdup (name));
      else if (g_str_has_suffix (name, ".db.part"))
        {
          /* A copy cut short on an earlier day; today's was cleared before copying. */
          g_autofree char *whole = g_strndup (name, strlen (name) - strlen (".part"));
          g_autofree char *path = g_build_filename (folder, name, NULL);

          if (is_backup_name (whole, stem))
            g_unlink (path);
        }
    }
  g_ptr_array_sort (names, compare_names_descending);

  for (guint i = LOOM_BACKUP_KEEP; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (g_unlink (path) != 0)
        g_warning ("Could not remove the old backup %s: %s", path, g_strerror (errno));
    }
}

static gboolean
vacuum_into (const char  *library_path,
             const char  *target,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  /* VACUUM INTO does not sync the copy; a rename before the data is on the disk could leave
   * an empty "backup" after a power cut. */
  if (loom_store_snapshot (library_path, target, &local_error) &&
      loom_file_sync_path (target, &local_error))
    return TRUE;
  g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
               _("Could not back up the library: %s Check that there is free space in the "
                 "library’s folder."), local_error->message);
  return FALSE;
}

/**
 * loom_backup_run_if_due:
 * @now: (nullable): the time to go by (tests pass one); %NULL for now, in local time
 * @backup_path: (out) (optional) (nullable): the new backup, or %NULL when none was due
 *
 * Copies the library unless today's copy exists (or there is no library yet), then removes
 * the copies beyond the newest LOOM_BACKUP_KEEP. Blocks for as long as the copy takes: call
 * loom_backup_run_if_due_async() from the window.
 *
 * Returns: %FALSE with @error set if the copy failed
 */
gboolean
loom_backup_run_if_due (const char    *library_path,
                        GDateTime     *now,
                        char         **backup_path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *target = NULL;
  g_autofree char *partial = NULL;

  g_return_val_if_fail (library_path != NULL, FALSE);

  local_now = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  folder = loom_backup_get_folder (library_path);
  target = loom_backup_get_path (library_path, local_now);
  partial = g_strconcat (target, ".part", NULL);

  if (backup_path != NULL)
    *backup_path = NULL;

  if (!g_file_test (library_path, G_FILE_TEST_IS_REGULAR) ||
      g_file_test (target, G_FILE_TEST_EXISTS))
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
                   _("Could not create the backup folder “%s”: %s. Check the permissions of "
                     "the library’s folder."), folder, g_strerror (saved_errno));
      return FALSE;
    }

  /* A leftover from a copy that was cut short; VACUUM INTO refuses to overwrite. */
  g_unlink (partial);
  if (!vacuum_into (library_path, partial, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  if (g_rename (partial, target) != 0)
    {
      int saved_errno = errno;

      g_unlink (partial);
      g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
                   _("Could not name the backup “%s”: %s. Check the permissions of the backup "
                     "folder."), target, g_strerror (saved_errno));
      return FALSE;
    }

  loom_file_sync_folder (target);
  prune (library_path);
  if (backup_path != NULL)
    *backup_path = g_steal_pointer (&target);
  return TRUE;
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  char *backup_path = NULL;
  GError *error = NULL;

  if (loom_backup_run_if_due (task_data, NULL, &backup_path, cancellable, &error))
    g_task_return_pointer (task, backup_path ? backup_path : g_strdup (""), g_free);
  else
    g_task_return_error (task, error);
}

/* Runs @func in a thread of its own on a copy of @library_path, tagged @source_tag. */
static void
run_in_thread (const char          *library_path,
               gpointer             source_tag,
               int                  priority,
               GTaskThreadFunc      func,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (library_path), g_free);
  g_task_set_priority (task, priority);
  g_task_run_in_thread (task, func);
}

/* The path the thread found: "" for none, %NULL with @error set when it failed. */
static char *
propagate_path (GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * loom_backup_run_if_due_async:
 * @library_path: the library's file, as the window's store has it (loom_store_get_path())
 *
 * loom_backup_run_if_due() in a thread of its own, reporting back on the caller's main
 * context. The window calls this once at start, after opening the store.
 */
void
loom_backup_run_if_due_async (const char          *library_path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (library_path != NULL);

  /* A backup must not hold up anything the writer is waiting for. */
  run_in_thread (library_path, loom_backup_run_if_due_async, G_PRIORITY_LOW, backup_thread,
                 cancellable, callback, user_data);
}

/**
 * loom_backup_run_if_due_finish:
 * @backup_path: (out) (optional) (nullable): the new backup, or %NULL when none was due
 */
gboolean
loom_backup_run_if_due_finish (GAsyncResult  *result,
                               char         **backup_path,
                               GError       **error)
{
  g_autofree char *path = NULL;

  if (backup_path != NULL)
    *backup_path = NULL;
  path = propagate_path (result, loom_backup_run_if_due_async, error);
  if (path == NULL)
    return FALSE;
  if (backup_path != NULL && *path != '\0')
    *backup_path = g_steal_pointer (&path);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Restoring a damaged library                                                              */

/* The backups of @library_path, newest first. */
static GPtrArray *
list_backups (const char *library_path)
{
  g_autofree char *folder = loom_backup_get_folder (library_path);
  g_autofree char *stem = library_stem (library_path);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return names;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_backup_name (name, stem))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names_descending);
  for (guint i = 0; i < names->len; i++)
    {
      char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      g_free (g_ptr_array_index (names, i));
      g_ptr_array_index (names, i) = path;
    }
  return names;
}

/**
 * loom_backup_find_intact:
 *
 * Reads the backups of @library_path, newest first, until one passes a full integrity check.
 * Blocks for as long as that takes: the window calls loom_backup_find_intact_async().
 *
 * Returns: (nullable): the newest intact backup, or %NULL when there is none
 */
char *
loom_backup_find_intact (const char   *library_path,
                         GCancellable *cancellable)
{
  g_autoptr(GPtrArray) backups = NULL;

  g_return_val_if_fail (library_path != NULL, NULL);

  backups = list_backups (library_path);
  for (guint i = 0; i < backups->len; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *path = g_ptr_array_index (backups, i);

      if (g_cancellable_is_cancelled (cancellable))
        return NULL;
      if (loom_store_verify_copy (path, &error))
        return g_strdup (path);
      g_debug ("The backup %s cannot be used: %s", path, error->message);
    }
  return NULL;
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  char *path = loom_backup_find_intact (task_data, cancellable);

  if (g_task_return_error_if_cancelled (task))
    g_free (path);
  else
    g_task_return_pointer (task, path ? path : g_strdup (""), g_free);
}

void
loom_backup_find_intact_async (const char          *library_path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (library_path != NULL);

  run_in_thread (library_path, loom_backup_find_intact_async, G_PRIORITY_DEFAULT, find_thread,
                 cancellable, callback, user_data);
}

/**
 * loom_backup_find_intact_finish:
 *
 * Returns: (nullable): the newest intact backup; %NULL when there is none (@error unset) or
 *   when the search was cancelled
 */
char *
loom_backup_find_intact_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_autofree char *path = propagate_path (result, loom_backup_find_intact_async, error);

  if (path == NULL || *path == '\0')
    return NULL;
  return g_steal_pointer (&path);
}

/**
 * loom_backup_restore:
 * @backup_path: an intact backup, from loom_backup_find_intact()
 * @damaged_path: (out) (optional): where the damaged library was kept
 *
 * Puts @backup_path in the place of the library, which nobody may have open. The damaged
 * file is never deleted: it is renamed "<library>.damaged-YYYYMMDD-HHMMSS" beside it, with
 * its journal. The copy is complete and on the disk before anything is renamed, so a
 * failure leaves the library where it was.
 */
gboolean
loom_backup_restore (const char  *library_path,
                     const char  *backup_path,
                     char       **damaged_path,
                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *damaged = g_strdup_printf ("%s.damaged-%s", library_path, stamp);
  g_autofree char *copy = g_strconcat (library_path, ".restoring", NULL);
  g_autofree char *wal = g_strconcat (library_path, "-wal", NULL);
  g_autofree char *damaged_wal = g_strconcat (damaged, "-wal", NULL);
  g_autofree char *shm = g_strconcat (library_path, "-shm", NULL);
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (library_path != NULL && backup_path != NULL, FALSE);

  from = g_file_new_for_path (backup_path);
  to = g_file_new_for_path (copy);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error) ||
      !loom_file_sync_path (copy, &local_error))
    {
      g_unlink (copy);
      g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
                   _("Could not copy the backup beside the library: %s. Free some space and "
                     "try again; the library was left as it was."), local_error->message);
      return FALSE;
    }

  if (g_rename (library_path, damaged) != 0)
    {
      int saved_errno = errno;

      g_unlink (copy);
      g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
                   _("Could not set the damaged library aside: %s. Check the permissions of "
                     "its folder; the library was left as it was."), g_strerror (saved_errno));
      return FALSE;
    }
  /* The journal belongs to the damaged file; the shared-memory index is rebuilt by SQLite. */
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_rename (wal, damaged_wal);
  g_unlink (shm);

  if (g_rename (copy, library_path) != 0)
    {
      int saved_errno = errno;

      g_rename (damaged, library_path);
      g_rename (damaged_wal, wal);
      g_unlink (copy);
      g_set_error (error, LOOM_BACKUP_ERROR, LOOM_BACKUP_ERROR_FAILED,
                   _("Could not put the backup in place: %s. The library was left as it "
                     "was."), g_strerror (saved_errno));
      return FALSE;
    }
  loom_file_sync_folder (library_path);

  if (damaged_path != NULL)
    *damaged_path = g_steal_pointer (&damaged);
  return TRUE;
}
