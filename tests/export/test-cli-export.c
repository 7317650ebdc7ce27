/* test-cli-export.c: storyloom-cli export and import, run as the built binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-export"

/* unshare () */
#define _GNU_SOURCE 1

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <glib/gstdio.h>

#include "loom-zip.h"
#include "test-util.h"
#include "export-fixture.h"

typedef struct
{
  char   *dir;
  char   *path;
  gint64  story_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "library.db", NULL);
  store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story_id = loom_story_get_id (fixture_build_story (store));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static int
cli_valist (Fixture               *f,
            GSpawnChildSetupFunc   child_setup,
            char                 **out,
            char                 **err,
            const char            *first,
            va_list                args)
{
  const char *binary = g_getenv ("STORYLOOM_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->path);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, child_setup, NULL, out,
                err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Runs storyloom-cli --db LIBRARY ARGS…; returns the exit status. */
static int
cli (Fixture     *f,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = cli_valist (f, NULL, out, err, first, args);
  va_end (args);
  return status;
}

/* The same, with files limited to LIMITED_FILE_SIZE bytes: writing past that fails (EFBIG). */
#define LIMITED_FILE_SIZE (256 * 1024)

static void
limit_file_size (gpointer user_data)
{
  struct rlimit limit = { LIMITED_FILE_SIZE, LIMITED_FILE_SIZE };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static int
cli_limited (Fixture     *f,
             char       **err,
             const char  *first,
             ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = cli_valist (f, limit_file_size, NULL, err, first, args);
  va_end (args);
  return status;
}

/* One sentence, on one line. */
static void
assert_one_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "storyloom-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_export_formats (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const formats[] = { "md", "txt", "epub", "docx" };
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->story_id);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("story.%s", formats[i]);
      g_autofree char *output = g_build_filename (f->dir, name, NULL);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (cli (f, &out, &err, "export", id, "--format", formats[i], "-o", output,
                            NULL), ==, 0);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));
      if (i >= 2)
        {
          g_autoptr(GPtrArray) items = fixture_read_zip (output);

          g_assert_cmpuint (items->len, >, 3);
        }
    }

  {
    g_autofree char *output = g_build_filename (f->dir, "options.md", NULL);
    g_autofree char *text = NULL;

    g_assert_cmpint (cli (f, NULL, NULL, "export", id, "--format=md", "--output", output,
                          "--no-title-page", "--no-chapter-titles", "--outlines",
                          "--separator", "~", NULL), ==, 0);
    g_file_get_contents (output, &text, NULL, NULL);
    g_assert_true (g_str_has_prefix (text, "# Chapter 1\n\n> Mara counts the bells\n"));
    g_assert_nonnull (strstr (text, "\n~\n"));
  }
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->story_id);
  g_autofree char *md = g_build_filename (f->dir, "story.md", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;
  g_autofree char *new_id = NULL;
  guint64 value;

  g_assert_cmpint (cli (f, NULL, NULL, "export", id, "--format", "md", "-o", md, NULL), ==, 0);
  g_assert_cmpint (cli (f, &out, &err, "import", md, "--title", "Salt Road, again", NULL), ==,
                   0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_suffix (out, "\n"));
  new_id = g_strstrip (g_strdup (out));
  g_assert_true (g_ascii_string_to_unsigned (new_id, 10, 1, G_MAXINT64, &value, NULL));
  g_assert_cmpint ((gint64) value, !=, f->story_id);

  g_assert_cmpint (cli (f, &list, NULL, "story", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "Salt Road, again"));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->story_id);
  g_autofree char *bad = g_build_filename (f->dir, "bad.txt", NULL);
  g_autofree char *output = g_build_filename (f->dir, "x.md", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_file_set_contents (bad, "\xff\xfe\xfd", 3, NULL);
  before = test_dump_library (f->path);

  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "import", bad, NULL), ==, 1);
    assert_one_line (err);
    g_assert_nonnull (strstr (err, "UTF-8"));
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "export", "999", "--format", "md", "-o", output, NULL),
                     ==, 1);
    assert_one_line (err);
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "export", id, "--format", "pdf", "-o", output, NULL),
                     ==, 2);
    assert_one_line (err);
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "export", id, "--format", "md", NULL), ==, 2);
    assert_one_line (err);
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "import", NULL), ==, 2);
    assert_one_line (err);
  }
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (cli (f, NULL, &err, "import", bad, "--bogus", NULL), ==, 2);
    assert_one_line (err);
  }

  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* ---------------------------------------------------------------------------------------- */
/* A failed export keeps the earlier file (issue 10)                                        */

static const char earlier_export[] = "# Salt Road\n\nAn earlier export, to be kept.\n";

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
list_folder (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
add_bulk (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (f->path, &error);

  g_assert_no_error (error);
  fixture_add_bulk (store, loom_store_lookup_story (store, f->story_id), 1024 * 1024);
}

/* Exports the story over @folder/keep.md and to a new file there, in every format, each of
 * which must fail; keep.md must stay byte for byte as it was, and nothing else may appear. */
static void
assert_exports_fail (Fixture    *f,
                     const char *folder,
                     gboolean    limited)
{
  static const char *const formats[] = { "md", "txt", "epub", "docx" };
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->story_id);
  g_autofree char *keep = g_build_filename (folder, "keep.md", NULL);
  g_autofree char *listing = list_folder (folder);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("new.%s", formats[i]);
      g_autofree char *fresh = g_build_filename (folder, name, NULL);
      const char *targets[] = { keep, fresh };

      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        {
          g_autofree char *err = NULL;
          g_autofree char *kept = NULL;
          g_autofree char *after = NULL;
          int status;

          if (limited)
            status = cli_limited (f, &err, "export", id, "--format", formats[i], "-o",
                                  targets[t], NULL);
          else
            status = cli (f, NULL, &err, "export", id, "--format", formats[i], "-o",
                          targets[t], NULL);
          g_assert_cmpint (status, ==, 1);
          assert_one_line (err);
          g_assert_true (g_file_get_contents (keep, &kept, NULL, NULL));
          g_assert_cmpuint (strlen (kept), ==, strlen (earlier_export));
          g_assert_cmpstr (kept, ==, earlier_export);
          g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
          after = list_folder (folder);
          g_assert_cmpstr (after, ==, listing);
        }
    }
}

static void
write_earlier_export (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keep = g_build_filename (folder, "keep.md", NULL);

  g_file_set_contents (keep, earlier_export, -1, &error);
  g_assert_no_error (error);
}

static void
test_export_file_too_large (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->story_id);
  g_autofree char *folder = g_build_filename (f->dir, "out", NULL);
  g_autofree char *keep = g_build_filename (folder, "keep.md", NULL);
  g_autofree char *text = NULL;

  add_bulk (f);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  write_earlier_export (folder);
  assert_exports_fail (f, folder, TRUE);

  /* Without the limit the same export replaces the file: the failures were the limit's. */
  g_assert_cmpint (cli (f, NULL, NULL, "export", id, "--format", "md", "-o", keep, NULL), ==, 0);
  g_assert_true (g_file_get_contents (keep, &text, NULL, NULL));
  g_assert_cmpuint (strlen (text), >, LIMITED_FILE_SIZE);
}

/* Mounts a 1 MB tmpfs on @path in a mount namespace of this process's own (and a user
 * namespace first when not root), so nothing outside the test sees it. */
static gboolean
mount_small_disk (const char  *path,
                  char       **why)
{
  if (getuid () != 0)
    {
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint) getuid ());
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint) getgid ());

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0 ||
          !g_file_set_contents ("/proc/self/setgroups", "deny", -1, NULL) ||
          !g_file_set_contents ("/proc/self/uid_map", uid_map, -1, NULL) ||
          !g_file_set_contents ("/proc/self/gid_map", gid_map, -1, NULL))
        {
          *why = g_strdup_printf ("no user namespace to mount a small disk in: %s",
                                  g_strerror (errno));
          return FALSE;
        }
    }
  else if (unshare (CLONE_NEWNS) != 0)
    {
      *why = g_strdup_printf ("no mount namespace: %s", g_strerror (errno));
      return FALSE;
    }
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount ("storyloom-test", path, "tmpfs", 0, "size=1m") != 0)
    {
      *why = g_strdup_printf ("cannot mount a 1 MB tmpfs: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* Leaves 64 KiB free on the disk at @folder. */
static void
fill_disk (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_build_filename (folder, "filler", NULL);
  g_autofree char *bytes = NULL;
  struct statvfs st;
  gsize size;

  g_assert_cmpint (statvfs (folder, &st), ==, 0);
  size = (gsize) st.f_bavail * st.f_frsize;
  g_assert_cmpuint (size, >, 64 * 1024);
  size -= 64 * 1024;
  bytes = g_malloc0 (size);
  g_file_set_contents (filler, bytes, size, &error);
  g_assert_no_error (error);
}

static void
full_disk_child (Fixture    *f,
                 const char *skip_file)
{
  g_autofree char *disk = g_build_filename (f->dir, "disk", NULL);
  g_autofree char *why = NULL;

  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);
  if (!mount_small_disk (disk, &why))
    {
      g_file_set_contents (skip_file, why, -1, NULL);
      return;
    }
  add_bulk (f);
  write_earlier_export (disk);
  fill_disk (disk);
  assert_exports_fail (f, disk, FALSE);
  umount2 (disk, MNT_DETACH);
}

static void
test_export_full_disk (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *skip_file = NULL;
  g_autofree char *why = NULL;

  if (g_test_subprocess ())
    {
      full_disk_child (f, g_getenv ("LOOM_TEST_SKIP_FILE"));
      return;
    }

  /* The disk is mounted in a child, whose namespace goes with it. */
  skip_file = g_build_filename (f->dir, "skipped", NULL);
  g_setenv ("LOOM_TEST_SKIP_FILE", skip_file, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("LOOM_TEST_SKIP_FILE");
  g_test_trap_assert_passed ();
  if (g_file_get_contents (skip_file, &why, NULL, NULL))
    g_test_skip (why);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/export", test_export_formats);
  ADD ("/cli/import", test_import);
  ADD ("/cli/errors", test_errors);
  ADD ("/cli/export/file-too-large", test_export_file_too_large);
  ADD ("/cli/export/full-disk", test_export_full_disk);
#undef ADD

  return g_test_run ();
}
