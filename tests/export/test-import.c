/* test-import.c: Markdown and plain text into a new story, and nothing at all from a bad file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <locale.h>

#include "loom-chapter.h"
#include "loom-export.h"
#include "loom-import.h"
#include "loom-scene.h"
#include "loom-store-words-log.h"
#include "loom-story.h"
#include "loom-zip.h"
#include "test-util.h"
#include "export-fixture.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "library.db", NULL);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The outline of a story as one string: chapters, scene outlines and prose. */
static char *
describe (LoomStory *story)
{
  GString *out = g_string_new (NULL);
  GListModel *chapters = loom_story_get_chapters (story);

  g_string_append_printf (out, "title=%s\n", loom_story_get_title (story));
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      g_string_append_printf (out, "# %s\n", loom_chapter_get_title (chapter));
      for (guint s = 0; s < g_list_model_get_n_items (scenes); s++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, s);
          const char *prose = loom_scene_get_prose (scene);

          g_string_append_printf (out, "[%s]\n%s\n--\n", loom_scene_get_outline (scene),
                                  prose ? prose : "(none)");
        }
    }
  return g_string_free (out, FALSE);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *original = fixture_build_story (f->store);
  g_autofree char *md = g_build_filename (f->dir, "salt-road.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (md);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LoomExportOptions options;
  LoomStory *imported;

  loom_export_options_init (&options);
  options.outlines = TRUE;
  loom_export_story (original, &options, file, NULL, &error);
  g_assert_no_error (error);

  imported = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  g_assert_true (imported != original);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 2);

  /* Everything comes back but the trailing blank lines a scene's prose may have had. */
  before = describe (original);
  {
    g_auto(GStrv) parts = g_strsplit (before, "\n\n--\n", -1);
    g_free (before);
    before = g_strjoinv ("\n--\n", parts);
  }
  after = describe (imported);
  g_assert_cmpstr (after, ==, before);
}

static void
test_round_trip_without_outlines (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *original = fixture_build_story (f->store);
  g_autofree char *md = g_build_filename (f->dir, "story.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (md);
  LoomExportOptions options;
  LoomStory *imported;
  GListModel *chapters;

  loom_export_options_init (&options);
  options.title_page = FALSE;
  loom_export_story (original, &options, file, NULL, &error);
  g_assert_no_error (error);

  imported = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, "Again", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_story_get_title (imported), ==, "Again");
  chapters = loom_story_get_chapters (imported);
  g_assert_cmpuint (g_list_model_get_n_items (chapters), ==, 3);
  g_assert_cmpuint (loom_story_get_scene_count (imported), ==, G_N_ELEMENTS (fixture_scenes));
  g_assert_cmpuint (loom_story_get_word_count (imported), ==,
                    loom_story_get_word_count (original));
}

static void
test_markdown (Fixture       *f,
               gconstpointer  data)
{
  static const char text[] =
    "\xEF\xBB\xBF"
    "Before any heading.\r\n"
    "\r\n"
    "# One #\r\n"
    "First scene.\r\n"
    "## a sub-heading stays prose\r\n"
    "***\r\n"
    "Second scene.\r\n"
    "---\r\n"
    "\r\n"
    "* * *\r\n"
    "Fourth, after an empty third.\r\n"
    "Two\r\n"
    "===\r\n"
    "Setext chapter.\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_file (f, "draft.markdown", text, -1);
  g_autofree char *description = NULL;
  LoomStory *story;

  story = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  description = describe (story);
  g_assert_cmpstr (description, ==,
                   "title=draft\n"
                   "# Chapter 1\n[]\nBefore any heading.\n--\n"
                   "# One\n[]\nFirst scene.\n## a sub-heading stays prose\n--\n"
                   "[]\nSecond scene.\n--\n"
                   "[]\n(none)\n--\n"
                   "[]\nFourth, after an empty third.\n--\n"
                   "# Two\n[]\nSetext chapter.\n--\n");
}

/* The writer's words today and this month, as the header and Statistics count them. */
static void
assert_written (LoomStory *story,
                gint64     today,
                gint64     month)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = loom_store_get_word_log (loom_story_get_store (story), story, 30,
                                                   &error);
  gint64 sum = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      g_assert_cmpint (g_array_index (log, LoomWordDay, i).accepted, ==, 0);
      sum += g_array_index (log, LoomWordDay, i).written;
    }
  g_assert_cmpint (g_array_index (log, LoomWordDay, log->len - 1).written, ==, today);
  g_assert_cmpint (sum, ==, month);
}

/* An imported draft was written before, elsewhere: its words are the story's, but not words
 * written today (nor accepted from the AI); what the writer then adds to it is. */
static void
test_not_written_today (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_file (f, "draft.md",
                                      "# One\nSeven words of a draft written before.\n", -1);
  g_autoptr(LoomChapter) chapter = NULL;
  g_autoptr(LoomScene) scene = NULL;
  LoomStory *story;

  story = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 7);
  assert_written (story, 0, 0);

  chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
  scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);
  g_assert_true (loom_scene_set_prose (scene, "Seven words of a draft written before. And two.",
                                       &error));
  g_assert_no_error (error);
  assert_written (story, 2, 2);
}

static void
test_plain_text (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_file (f, "notes.txt",
                                      "# not a chapter in plain text\nOne.\n\n***\n\nTwo.\n", -1);
  g_autofree char *description = NULL;
  LoomStory *story;

  story = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, "Notes", NULL, &error);
  g_assert_no_error (error);
  description = describe (story);
  g_assert_cmpstr (description, ==,
                   "title=Notes\n"
                   "# Chapter 1\n[]\n# not a chapter in plain text\nOne.\n--\n[]\nTwo.\n--\n");
}

static void
test_plain_text_export_round_trip (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *original = fixture_build_story (f->store);
  g_autofree char *txt = g_build_filename (f->dir, "story.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (txt);
  static const char *const expected[] = {
    "# The Bells\n", "Mara counted the bells.", "# not a heading", "--\n[]\n> not an outline",
    "The wind rose", "A scene without an outline.", "# Night & <Day>\n", "They arrived",
    "Müller paid", "# Müller’s Café\n", "It ended where it began",
  };
  g_autofree char *description = NULL;
  LoomExportOptions options;
  LoomStory *imported;

  loom_export_options_init (&options);
  options.format = LOOM_EXPORT_FORMAT_TEXT;
  options.title_page = FALSE;
  loom_export_story (original, &options, file, NULL, &error);
  g_assert_no_error (error);

  /* Plain text has no escapes: the fixture's "***" line splits a scene and its "=====" line
   * makes a heading of the line above; the chapters and the prose still come back in order. */
  imported = loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_story_get_title (imported), ==, "story");
  description = describe (imported);
  fixture_assert_in_order (description, expected, G_N_ELEMENTS (expected));
}

/* Each bad file is refused with its own error and the library stays byte for byte the same. */
static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *contents;
    gssize      length;
    int         code;
  } cases[] = {
    { "empty.md", "", 0, LOOM_IMPORT_ERROR_EMPTY },
    { "blank.md", "  \n\n\t\n", -1, LOOM_IMPORT_ERROR_EMPTY },
    { "latin1.txt", "Caf\xe9 au lait\n", -1, LOOM_IMPORT_ERROR_NOT_TEXT },
    { "binary.md", "PK\x03\x04\0\0\x14\0", 8, LOOM_IMPORT_ERROR_NOT_TEXT },
    { "headings.md", "% Title\n# One\n# Two\n***\n", -1, LOOM_IMPORT_ERROR_EMPTY },
    { "outline-only.md", "# One\n> just an outline\n", -1, LOOM_IMPORT_ERROR_EMPTY },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GFile) missing = NULL;

  fixture_build_story (f->store);
  before = test_dump_library (f->path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = write_file (f, cases[i].name, cases[i].contents, cases[i].length);
      g_autofree char *after = NULL;

      g_assert_null (loom_import_file (f->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL,
                                       &error));
      g_assert_error (error, LOOM_IMPORT_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_clear_error (&error);
      after = test_dump_library (f->path);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 1);
    }

  missing = g_file_new_build_filename (f->dir, "no-such-file.md", NULL);
  g_assert_null (loom_import_file (f->store, missing, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL,
                                   &error));
  g_assert_error (error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-file.md"));
}

static void
cancel_on_new_story (GListModel   *stories,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GCancellable *cancellable)
{
  if (added > 0)
    g_cancellable_cancel (cancellable);
}

/* A failure after the story was created (here a cancellation before its chapters go in) takes
 * the new story away again. */
static void
test_failure_midway (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gulong handler;

  fixture_build_story (f->store);
  before = test_dump_library (f->path);

  handler = g_signal_connect (loom_store_get_stories (f->store), "items-changed",
                              G_CALLBACK (cancel_on_new_story), cancellable);
  g_assert_null (loom_import_text (f->store, "# One\nProse.\n***\nMore.\n", -1,
                                   LOOM_IMPORT_FORMAT_MARKDOWN, "Half", cancellable, &error));
  g_signal_handler_disconnect (loom_store_get_stories (f->store), handler);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 1);
}

typedef struct
{
  GMainLoop *loop;
  LoomStory *story;
  GError    *error;
} AsyncState;

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->story = loom_import_file_finish (LOOM_STORE (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) good = write_file (f, "good.md", "% Async\n# One\nProse.\n", -1);
  g_autoptr(GFile) bad = write_file (f, "bad.md", "\xff\xfe", 2);
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  loom_import_file_async (f->store, good, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, on_imported,
                          &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.story);
  g_assert_cmpstr (loom_story_get_title (state.story), ==, "Async");
  g_assert_true (loom_store_lookup_story (f->store, loom_story_get_id (state.story)) ==
                 state.story);

  state.story = NULL;
  loom_import_file_async (f->store, bad, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, on_imported,
                          &state);
  g_main_loop_run (state.loop);
  g_assert_error (state.error, LOOM_IMPORT_ERROR, LOOM_IMPORT_ERROR_NOT_TEXT);
  g_assert_null (state.story);
  g_clear_error (&state.error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 1);
  g_main_loop_unref (state.loop);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/import/round-trip", test_round_trip);
  ADD ("/import/round-trip/without-outlines", test_round_trip_without_outlines);
  ADD ("/import/markdown", test_markdown);
  ADD ("/import/plain-text", test_plain_text);
  ADD ("/import/not-written-today", test_not_written_today);
  ADD ("/import/plain-text/export", test_plain_text_export_round_trip);
  ADD ("/import/bad-files", test_bad_files);
  ADD ("/import/failure-midway", test_failure_midway);
  ADD ("/import/async", test_async);
#undef ADD

  return g_test_run ();
}
