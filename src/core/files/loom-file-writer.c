/* loom-file-writer.c: files that appear whole or not at all
 *
 * An export or a backup must never spoil the file it replaces. GLib's replace streams are not
 * enough for that: g_file_replace_contents() closes its stream after a failed write, and
 * closing a local replace stream renames the half-written temporary file over the target.
 *
 * So the bytes go to a temporary file in the target's folder (a rename only stays atomic
 * within one file system), are flushed to the disk with fsync(), and the temporary file is
 * renamed over the target only once every byte was written and the file was closed without an
 * error. On any failure the temporary file is removed and the target is left as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-files"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "loom-file-writer.h"

/* Writes are cut into pieces so that a cancelled export stops soon. */
#define CHUNK_SIZE (256 * 1024)

static gboolean
set_errno_error (GError **error,
                 int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          size,
           GCancellable  *cancellable,
           GError       **error)
{
  while (size > 0)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = write (fd, data, MIN (size, CHUNK_SIZE));
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno);
        }
      data += n;
      size -= n;
    }
  return TRUE;
}

/**
 * loom_file_sync_folder:
 *
 * Flushes the folder holding @path, so that a rename into it survives a power cut. Some file
 * systems cannot sync a folder; the rename has happened either way, so failures are ignored.
 */
void
loom_file_sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fsync (fd);
  close (fd);
}

/**
 * loom_file_sync_path:
 *
 * Flushes the file at @path to the disk: for files that another library wrote, such as
 * SQLite's VACUUM INTO, before they are renamed into place.
 */
gboolean
loom_file_sync_path (const char  *path,
                     GError     **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_errno_error (error, errno);
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno);
    }
  if (close (fd) != 0)
    return set_errno_error (error, errno);
  return TRUE;
}

static gboolean
write_local (const char    *path,
             GBytes        *contents,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp = g_build_filename (dir, name, NULL);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (contents, &size);
  GStatBuf st;
  int fd;

  /* 0666 less the umask, as for any new file; a replaced file keeps its permissions. */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    return set_errno_error (error, errno);
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    fchmod (fd, st.st_mode & 07777);

  if (!write_all (fd, data, size, cancellable, error))
    goto failed;
  if (fsync (fd) != 0)
    {
      set_errno_error (error, errno);
      goto failed;
    }
  /* close() may report a delayed write error (NFS, quotas): only a clean close counts. */
  if (close (fd) != 0)
    {
      fd = -1;
      set_errno_error (error, errno);
      goto failed;
    }
  fd = -1;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;
  if (g_rename (tmp, path) != 0)
    {
      set_errno_error (error, errno);
      goto failed;
    }
  loom_file_sync_folder (path);
  return TRUE;

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

/* A file without a local path (a remote location of GVfs): its replace stream removes the
 * temporary file instead of renaming it when the stream is closed cancelled. */
static gboolean
write_remote (GFile         *file,
              GBytes        *contents,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = g_cancellable_new ();
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (contents, &size);

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL)
    return FALSE;
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), data, size, NULL, cancellable, error))
    {
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/**
 * loom_file_write_whole:
 * @file: the file to create or replace
 * @contents: everything the file is to hold
 *
 * Writes @file so that it appears whole or not at all: on failure or cancellation an earlier
 * @file is left byte for byte as it was, and no new file nor temporary file remains.
 *
 * Returns: %FALSE with @error set (%G_IO_ERROR, with the system's message) on failure
 */
gboolean
loom_file_write_whole (GFile         *file,
                       GBytes        *contents,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  path = g_file_get_path (file);
  if (path != NULL)
    return write_local (path, contents, cancellable, error);
  return write_remote (file, contents, cancellable, error);
}
