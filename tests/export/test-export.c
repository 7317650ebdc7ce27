/* test-export.c: Markdown, plain text, EPUB and DOCX exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "loom-export.h"
#include "loom-zip.h"
#include "test-util.h"
#include "export-fixture.h"

typedef struct
{
  char      *dir;
  LoomStore *store;
  LoomStory *story;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = fixture_tmpdir ();
  path = g_build_filename (f->dir, "library.db", NULL);
  f->store = loom_store_open (path, &error);
  g_assert_no_error (error);
  f->story = fixture_build_story (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
export_to (Fixture                 *f,
           const LoomExportOptions *options,
           const char              *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  loom_export_story (f->story, options, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* ---------------------------------------------------------------------------------------- */

static void
test_markdown (Fixture       *f,
               gconstpointer  data)
{
  static const char *const expected[] = {
    "% Salt Road\n\n",
    "# The Bells\n\n",
    "> Mara counts the bells\n\n",
    "Mara counted the bells.\nThere were seven, then eight.\n\n"
    "\\# not a heading\n\\***\n\\> not an outline\n\n",
    "* * *\n\n",
    "> The wind rises\n\n",
    "The wind rose over the salt & the sand.\n\nIt said: “<go on>”.\n\n",
    "* * *\n\n",
    "A scene without an outline.\n\\% not a title\n\\\\backslash first\n\\=====\n\n",
    "# Night & <Day>\n\n",
    "> Arrival\n> \\# at dawn\n\n",
    "They arrived at dawn.\n\\---\nAnd rested.\n\n",
    "* * *\n\n",
    "Müller paid in silver",
    "# Müller’s Café\n\n",
    "It ended where it began, under a white sky.\n",
  };
  LoomExportOptions options;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  loom_export_options_init (&options);
  options.outlines = TRUE;
  path = export_to (f, &options, "story.md");
  text = read_text (path);
  fixture_assert_in_order (text, expected, G_N_ELEMENTS (expected));
  /* No separator after a chapter's last scene, none before its first. */
  g_assert_null (strstr (text, "* * *\n\n#"));
  g_assert_null (strstr (text, "\n\n\n"));
}

static void
test_markdown_options (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const expected[] = {
    "# Chapter 1\n\nMara counted",
    "\n\n~\n\nThe wind rose",
    "# Chapter 2\n",
    "# Chapter 3\n",
  };
  LoomExportOptions options;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  loom_export_options_init (&options);
  options.title_page = FALSE;
  options.chapter_titles = FALSE;
  options.scene_separator = "~";
  path = export_to (f, &options, "story.md");
  text = read_text (path);
  g_assert_true (g_str_has_prefix (text, "# Chapter 1\n"));
  fixture_assert_in_order (text, expected, G_N_ELEMENTS (expected));
  g_assert_null (strstr (text, "Salt Road"));
  g_assert_null (strstr (text, "Mara counts the bells"));
  g_assert_null (strstr (text, "The Bells"));
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  static const char *const expected[] = {
    "Salt Road\n\nA caravan crosses a dead sea.\n\n\n",
    "The Bells\n=========\n\n",
    "[Outline: Mara counts the bells]\n\n",
    "Mara counted the bells.\nThere were seven, then eight.\n\n# not a heading\n***\n",
    "\n* * *\n\n",
    "The wind rose over the salt & the sand.\n\nIt said: “<go on>”.\n",
    "\n* * *\n\n",
    "A scene without an outline.\n% not a title\n\\backslash first\n=====\n",
    "Night & <Day>\n=============\n\n",
    "They arrived at dawn.\n---\nAnd rested.\n",
    "Müller’s Café\n=============\n\n",
    "It ended where it began, under a white sky.\n",
  };
  LoomExportOptions options;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_TEXT;
  options.outlines = TRUE;
  path = export_to (f, &options, "story.txt");
  text = read_text (path);
  fixture_assert_in_order (text, expected, G_N_ELEMENTS (expected));
}

/* ---------------------------------------------------------------------------------------- */

static void
test_epub_structure (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const chapter_one[] = {
    "<h1>The Bells</h1>",
    "<p>Mara counted the bells.</p>",
    "<p>There were seven, then eight.</p>",
    "<p># not a heading</p>", "<p>***</p>", "<p>&gt; not an outline</p>",
    "<p class=\"scene-break\">* * *</p>",
    "<p>The wind rose over the salt &amp; the sand.</p>",
    "<p>It said: “&lt;go on&gt;”.</p>",
    "<p class=\"scene-break\">* * *</p>",
    "<p>A scene without an outline.</p>",
  };
  static const char *const spine[] = {
    "<itemref idref=\"title-page\"/>", "<itemref idref=\"chapter-1\"/>",
    "<itemref idref=\"chapter-2\"/>", "<itemref idref=\"chapter-3\"/>",
  };
  static const char *const toc[] = {
    "epub:type=\"toc\"", "href=\"chapter-001.xhtml\">The Bells<",
    "href=\"chapter-002.xhtml\">Night &amp; &lt;Day&gt;<", "href=\"chapter-003.xhtml\">Müller’s",
  };
  LoomExportOptions options;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *container = NULL;
  g_autofree char *opf = NULL;
  g_autofree char *nav = NULL;
  g_autofree char *chapter = NULL;
  g_autofree char *title = NULL;
  ZipItem *first;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_EPUB;
  options.language = "en";
  path = export_to (f, &options, "story.epub");
  items = fixture_read_zip (path);

  /* mimetype first, stored, no extra field: its bytes sit at offset 38. */
  first = g_ptr_array_index (items, 0);
  g_assert_cmpstr (first->name, ==, "mimetype");
  g_assert_cmpuint (first->method, ==, 0);
  g_assert_cmpuint (first->extra_length, ==, 0);
  g_assert_cmpmem (g_bytes_get_data (first->data, NULL), g_bytes_get_size (first->data),
                   "application/epub+zip", 20);

  container = fixture_zip_text (items, "META-INF/container.xml");
  g_assert_nonnull (container);
  g_assert_nonnull (strstr (container, "full-path=\"EPUB/package.opf\""));

  opf = fixture_zip_text (items, "EPUB/package.opf");
  g_assert_nonnull (opf);
  g_assert_nonnull (strstr (opf, "version=\"3.0\""));
  g_assert_nonnull (strstr (opf, "<dc:title>Salt Road</dc:title>"));
  g_assert_nonnull (strstr (opf, "<dc:language>en</dc:language>"));
  g_assert_nonnull (strstr (opf, "properties=\"nav\""));
  g_assert_nonnull (strstr (opf, "property=\"dcterms:modified\""));
  fixture_assert_in_order (opf, spine, G_N_ELEMENTS (spine));

  nav = fixture_zip_text (items, "EPUB/nav.xhtml");
  g_assert_nonnull (nav);
  fixture_assert_in_order (nav, toc, G_N_ELEMENTS (toc));

  title = fixture_zip_text (items, "EPUB/title.xhtml");
  g_assert_nonnull (title);
  g_assert_nonnull (strstr (title, "A caravan crosses a dead sea."));

  chapter = fixture_zip_text (items, "EPUB/chapter-001.xhtml");
  g_assert_nonnull (chapter);
  g_assert_true (g_str_has_prefix (chapter, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  fixture_assert_in_order (chapter, chapter_one, G_N_ELEMENTS (chapter_one));
  g_assert_true (fixture_zip_has (items, "EPUB/chapter-003.xhtml"));
  g_assert_false (fixture_zip_has (items, "EPUB/chapter-004.xhtml"));

  /* The same story gives the same identifier, so readers update the book. */
  {
    g_autofree char *again = export_to (f, &options, "again.epub");
    g_autoptr(GPtrArray) items_again = fixture_read_zip (again);
    g_autofree char *opf_again = fixture_zip_text (items_again, "EPUB/package.opf");
    const char *id = strstr (opf, "urn:uuid:");

    g_assert_nonnull (id);
    g_assert_nonnull (strstr (opf_again, id));
  }
}

/* Runs epubcheck; skips with a reason when it is not installed. Debian's /usr/bin/epubcheck is
 * a jar that needs binfmt_misc to run directly, which containers often lack, so it is started
 * with java -jar when java is there. */
static void
run_epubcheck (const char *path)
{
  g_autofree char *epubcheck = g_find_program_in_path ("epubcheck");
  g_autofree char *java = g_find_program_in_path ("java");
  g_autofree char *head = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  gsize head_length = 0;
  int status = -1;

  if (epubcheck == NULL)
    {
      g_test_skip ("epubcheck is not installed (Debian package “epubcheck”); the EPUB’s zip "
                   "structure was checked, its validity was not");
      return;
    }
  if (java != NULL && g_file_get_contents (epubcheck, &head, &head_length, NULL) &&
      head_length > 2 && head[0] == 'P' && head[1] == 'K')
    {
      g_ptr_array_add (argv, java);
      g_ptr_array_add (argv, (gpointer) "-jar");
    }
  g_ptr_array_add (argv, epubcheck);
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("epubcheck refused %s:\n%s\n%s", path, out, err);
  g_test_message ("epubcheck: %s", out);
  g_assert_nonnull (strstr (out, "No errors or warnings detected"));
}

static void
test_epub_epubcheck (Fixture       *f,
                     gconstpointer  data)
{
  LoomExportOptions options;
  g_autofree char *path = NULL;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_EPUB;
  options.outlines = TRUE;
  options.scene_separator = "§ & §";
  path = export_to (f, &options, "story.epub");
  run_epubcheck (path);
}

static void
test_epub_empty_story (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomExportOptions options;
  g_autofree char *path = g_build_filename (f->dir, "empty.epub", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *opf = NULL;
  LoomStory *empty = loom_store_create_story (f->store, "Nothing Yet", NULL, NULL, &error);

  g_assert_no_error (error);
  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_EPUB;
  options.title_page = FALSE;
  loom_export_story (empty, &options, file, NULL, &error);
  g_assert_no_error (error);

  /* A spine cannot be empty: the title page is there all the same. */
  items = fixture_read_zip (path);
  opf = fixture_zip_text (items, "EPUB/package.opf");
  g_assert_nonnull (strstr (opf, "<itemref idref=\"title-page\"/>"));
  run_epubcheck (path);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_docx_structure (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const body[] = {
    "<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Salt Road</w:t>",
    "<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">The Bells</w:t>",
    ">Mara counted the bells.</w:t>",
    "<w:pStyle w:val=\"SceneBreak\"/></w:pPr><w:r><w:t xml:space=\"preserve\">* * *</w:t>",
    ">The wind rose over the salt &amp; the sand.</w:t>",
    ">Night &amp; &lt;Day&gt;</w:t>",
    ">It ended where it began, under a white sky.</w:t>",
    "<w:sectPr>",
  };
  LoomExportOptions options;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *types = NULL;
  g_autofree char *document = NULL;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_DOCX;
  path = export_to (f, &options, "story.docx");
  items = fixture_read_zip (path);

  types = fixture_zip_text (items, "[Content_Types].xml");
  g_assert_nonnull (types);
  g_assert_nonnull (strstr (types, "/word/document.xml"));
  g_assert_true (fixture_zip_has (items, "_rels/.rels"));
  g_assert_true (fixture_zip_has (items, "word/styles.xml"));
  g_assert_true (fixture_zip_has (items, "word/_rels/document.xml.rels"));
  document = fixture_zip_text (items, "word/document.xml");
  g_assert_nonnull (document);
  fixture_assert_in_order (document, body, G_N_ELEMENTS (body));
}

/* Collapses runs of white space, as pandoc and LibreOffice do when they print a paragraph. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, *p);
          space = FALSE;
        }
    }
  return g_string_free (out, FALSE);
}

static void
test_docx_opens (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *pandoc = g_find_program_in_path ("pandoc");
  g_autofree char *soffice = g_find_program_in_path ("libreoffice");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  LoomExportOptions options;
  int status = -1;

  if (pandoc == NULL && soffice == NULL)
    {
      g_test_skip ("neither pandoc nor LibreOffice is installed (Debian package “pandoc”); the "
                   "DOCX’s structure was checked, not that a word processor opens it");
      return;
    }

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_DOCX;
  path = export_to (f, &options, "story.docx");

  if (pandoc != NULL)
    {
      const char *argv[] = { pandoc, "-f", "docx", "-t", "plain", "--wrap=none", path, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                    NULL, &status, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_autofree char *outdir = g_build_filename (f->dir, "txt", NULL);
      g_autofree char *txt = g_build_filename (outdir, "story.txt", NULL);
      const char *argv[] = { soffice, "--headless", "--convert-to", "txt:Text", "--outdir",
                             outdir, path, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_file_get_contents (txt, &out, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Every line of every scene, in order. */
  for (guint s = 0; s < G_N_ELEMENTS (fixture_scenes); s++)
    {
      g_auto(GStrv) lines = g_strsplit (fixture_scenes[s].prose, "\n", -1);

      for (char **line = lines; *line != NULL; line++)
        if (**line != '\0')
          g_ptr_array_add (needles, squeeze (*line));
    }
  text = squeeze (out);
  fixture_assert_in_order (text, (const char *const *) needles->pdata, needles->len);
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GArray    *fractions;
  gboolean   done;
  GError    *error;
} AsyncState;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_false (state->done);
  g_array_append_val (state->fractions, fraction);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  loom_export_story_finish (LOOM_STORY (object), result, &state->error);
  state->done = TRUE;
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  for (LoomExportFormat format = 0; format <= LOOM_EXPORT_FORMAT_DOCX; format++)
    {
      AsyncState state = { g_main_loop_new (NULL, FALSE),
                           g_array_new (FALSE, FALSE, sizeof (double)), FALSE, NULL };
      g_autofree char *name = g_strdup_printf ("async.%s",
                                               loom_export_format_get_extension (format));
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      LoomExportOptions options;

      loom_export_options_init (&options);
      options.format = format;
      loom_export_story_async (f->story, &options, file, NULL, on_progress, &state, NULL,
                               on_exported, &state);
      g_main_loop_run (state.loop);

      g_assert_no_error (state.error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (state.fractions->len, >, 0);
      for (guint i = 1; i < state.fractions->len; i++)
        g_assert_cmpfloat (g_array_index (state.fractions, double, i), >=,
                           g_array_index (state.fractions, double, i - 1));
      g_assert_cmpfloat (g_array_index (state.fractions, double, state.fractions->len - 1), ==,
                         1.0);
      g_main_loop_unref (state.loop);
      g_array_unref (state.fractions);
    }
}

static void
test_async_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  AsyncState state = { g_main_loop_new (NULL, FALSE),
                       g_array_new (FALSE, FALSE, sizeof (double)), FALSE, NULL };
  g_autofree char *path = g_build_filename (f->dir, "cancelled.epub", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LoomExportOptions options;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_EPUB;
  g_cancellable_cancel (cancellable);
  loom_export_story_async (f->story, &options, file, cancellable, on_progress, &state, NULL,
                           on_exported, &state);
  g_main_loop_run (state.loop);

  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&state.error);
  g_main_loop_unref (state.loop);
  g_array_unref (state.fractions);
}

/* The window's export (the async one) on a disk that runs out mid-write: every format fails,
 * the earlier file stays as it was and nothing else appears (issue 10). Files are limited to
 * 256 KiB with RLIMIT_FSIZE, which fails writes past that as a full disk would. */
static void
test_async_write_fails (Fixture       *f,
                        gconstpointer  data)
{
  static const char earlier[] = "An earlier export, to be kept.\n";
  g_autofree char *folder = g_build_filename (f->dir, "out", NULL);

  fixture_add_bulk (f->store, f->story, 1024 * 1024);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  for (LoomExportFormat format = 0; format <= LOOM_EXPORT_FORMAT_DOCX; format++)
    {
      AsyncState state = { g_main_loop_new (NULL, FALSE),
                           g_array_new (FALSE, FALSE, sizeof (double)), FALSE, NULL };
      g_autofree char *name = g_strdup_printf ("keep.%s",
                                               loom_export_format_get_extension (format));
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GDir) dir = NULL;
      g_autofree char *kept = NULL;
      struct rlimit saved, limited;
      LoomExportOptions options;

      g_file_set_contents (path, earlier, -1, NULL);
      loom_export_options_init (&options);
      options.format = format;

      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
      limited = saved;
      limited.rlim_cur = 256 * 1024;
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
      loom_export_story_async (f->story, &options, file, NULL, on_progress, &state, NULL,
                               on_exported, &state);
      g_main_loop_run (state.loop);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
      signal (SIGXFSZ, SIG_DFL);

      g_assert_error (state.error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_FAILED);
      g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
      g_assert_cmpuint (strlen (kept), ==, strlen (earlier));
      g_assert_cmpstr (kept, ==, earlier);
      dir = g_dir_open (folder, 0, NULL);
      for (const char *entry; (entry = g_dir_read_name (dir)) != NULL;)
        g_assert_true (g_str_has_prefix (entry, "keep."));
      g_clear_error (&state.error);
      g_main_loop_unref (state.loop);
      g_array_unref (state.fractions);
    }
}

static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "bad.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) nowhere = g_file_new_for_path ("/nonexistent-folder/story.md");
  LoomExportOptions options;
  LoomExportFormat format;

  loom_export_options_init (&options);
  options.scene_separator = "two\nlines";
  g_assert_false (loom_export_story (f->story, &options, file, NULL, &error));
  g_assert_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_INVALID);
  g_clear_error (&error);

  loom_export_options_init (&options);
  options.language = "not a tag";
  g_assert_false (loom_export_story (f->story, &options, file, NULL, &error));
  g_assert_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  loom_export_options_init (&options);
  g_assert_false (loom_export_story (f->story, &options, nowhere, NULL, &error));
  g_assert_error (error, LOOM_EXPORT_ERROR, LOOM_EXPORT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-folder/story.md"));
  g_clear_error (&error);

  g_assert_true (loom_export_format_from_string ("EPUB", &format));
  g_assert_cmpint (format, ==, LOOM_EXPORT_FORMAT_EPUB);
  g_assert_true (loom_export_format_from_string ("markdown", &format));
  g_assert_cmpint (format, ==, LOOM_EXPORT_FORMAT_MARKDOWN);
  g_assert_false (loom_export_format_from_string ("pdf", &format));
}

static void
test_file_name (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = loom_export_suggest_file_name (f->story, LOOM_EXPORT_FORMAT_EPUB);
  g_autofree char *odd = NULL;
  g_autofree char *dots = NULL;

  g_assert_cmpstr (plain, ==, "Salt Road.epub");
  loom_story_set_title (f->story, " Salt/Road: Part\\Two ", &error);
  g_assert_no_error (error);
  odd = loom_export_suggest_file_name (f->story, LOOM_EXPORT_FORMAT_DOCX);
  g_assert_cmpstr (odd, ==, "Salt-Road- Part-Two.docx");
  loom_story_set_title (f->story, "...", &error);
  g_assert_no_error (error);
  dots = loom_export_suggest_file_name (f->story, LOOM_EXPORT_FORMAT_MARKDOWN);
  g_assert_cmpstr (dots, ==, "Story.md");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/markdown", test_markdown);
  ADD ("/export/markdown/options", test_markdown_options);
  ADD ("/export/text", test_text);
  ADD ("/export/epub/structure", test_epub_structure);
  ADD ("/export/epub/epubcheck", test_epub_epubcheck);
  ADD ("/export/epub/empty-story", test_epub_empty_story);
  ADD ("/export/docx/structure", test_docx_structure);
  ADD ("/export/docx/opens", test_docx_opens);
  ADD ("/export/async", test_async);
  ADD ("/export/async/cancelled", test_async_cancelled);
  ADD ("/export/async/write-fails", test_async_write_fails);
  ADD ("/export/bad-options", test_bad_options);
  ADD ("/export/file-name", test_file_name);
#undef ADD

  return g_test_run ();
}
