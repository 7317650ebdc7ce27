/* test-cli-export.c: storyloom-cli export and import, run as the built binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

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

/* Runs storyloom-cli --db LIBRARY ARGS…; returns the exit status. */
static int
cli (Fixture     *f,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  const char *binary = g_getenv ("STORYLOOM_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list args;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->path);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
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
#undef ADD

  return g_test_run ();
}
