/* bench-export.c: exporting, importing and backing up a 1M-word story
 *
 * One story of 20 chapters × 50 scenes × 1,000 words. Each export starts from a freshly
 * opened store, so the prose is read from disk as it is in the app the first time. Prints the
 * median of several runs per figure, with the target where the issue names one.
 * With --keep the files stay in the temporary folder, to check them with epubcheck or pandoc.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "loom-backup.h"
#include "loom-chapter.h"
#include "loom-export.h"
#include "loom-import.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

#define CHAPTERS 20
#define SCENES 50
#define WORDS 1000
#define RUNS 5

static const char *const words[] = {
  "lantern", "harbour", "she", "walked", "past", "the", "quiet", "boats", "and", "Ilse",
  "listened", "for", "oars", "while", "fog", "folded", "over", "grey", "water", "slowly",
  "café", "naïve", "ferry", "“yes”",
};

/* Paragraphs of a few sentences, one per line, as the editor holds them. */
static char *
make_prose (guint seed)
{
  GString *s = g_string_sized_new (WORDS * 7);

  for (guint w = 0; w < WORDS; w++)
    {
      g_string_append (s, words[(seed * 17 + w * 5) % G_N_ELEMENTS (words)]);
      if (w % 60 == 59)
        g_string_append (s, ".\n");
      else if (w % 12 == 11)
        g_string_append (s, ". ");
      else
        g_string_append_c (s, ' ');
    }
  return g_string_free (s, FALSE);
}

/* The outline in one transaction, then the prose. */
static gint64
build_library (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outlines = g_ptr_array_new_with_free_func (g_free);
  LoomOutlineChapter chapters[CHAPTERS];
  LoomOutlineScene *scenes = g_new (LoomOutlineScene, CHAPTERS * SCENES);
  LoomStory *story;
  guint n = 0;

  g_assert_no_error (error);
  story = loom_store_create_story (store, "The Harbour at Night", "A long benchmark.", NULL,
                                   &error);
  g_assert_no_error (error);
  for (guint c = 0; c < CHAPTERS; c++)
    {
      g_ptr_array_add (titles, g_strdup_printf ("The %u. crossing", c + 1));
      chapters[c].title = g_ptr_array_index (titles, c);
      for (guint s = 0; s < SCENES; s++, n++)
        {
          g_ptr_array_add (outlines, g_strdup_printf ("Ilse rows out, night %u.", n + 1));
          scenes[n].chapter = c;
          scenes[n].outline = g_ptr_array_index (outlines, n);
        }
    }
  loom_store_add_outline (store, story, chapters, CHAPTERS, scenes, n, &error);
  g_assert_no_error (error);
  g_free (scenes);

  n = 0;
  for (guint c = 0; c < CHAPTERS; c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), c);

      for (guint s = 0; s < SCENES; s++, n++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter),
                                                              s);
          g_autofree char *prose = make_prose (n);

          loom_scene_set_prose (scene, prose, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (loom_story_get_word_count (story), >=, CHAPTERS * SCENES * WORDS);
  return loom_story_get_id (story);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

typedef struct
{
  GMainLoop *loop;
  double     done_at;
} AsyncState;

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  loom_export_story_finish (LOOM_STORY (object), result, &error);
  g_assert_no_error (error);
  state->done_at = now_ms ();
  g_main_loop_quit (state->loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  static const LoomExportFormat formats[] = {
    LOOM_EXPORT_FORMAT_EPUB, LOOM_EXPORT_FORMAT_DOCX, LOOM_EXPORT_FORMAT_MARKDOWN,
    LOOM_EXPORT_FORMAT_TEXT,
  };
  g_autofree char *markdown = NULL;
  double start, times[RUNS], blocked[RUNS];
  gboolean keep = argc > 1 && g_str_equal (argv[1], "--keep");
  gint64 story_id;

  setlocale (LC_ALL, "");
  g_assert_no_error (error);

  start = now_ms ();
  story_id = build_library (path);
  g_print ("built %u chapters × %u scenes × %u words in %.0f ms\n\n", CHAPTERS, SCENES, WORDS,
           now_ms () - start);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *ext = loom_export_format_get_extension (formats[f]);
      g_autofree char *name = g_strdup_printf ("story.%s", ext);
      g_autofree char *output = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (output);
      LoomExportOptions options;
      GStatBuf st;

      loom_export_options_init (&options);
      options.format = formats[f];

      for (guint r = 0; r < RUNS; r++)
        {
          g_autoptr(LoomStore) store = loom_store_open (path, &error);
          LoomStory *story;

          g_assert_no_error (error);
          story = loom_store_lookup_story (store, story_id);
          start = now_ms ();
          loom_export_story (story, &options, file, NULL, &error);
          g_assert_no_error (error);
          times[r] = now_ms () - start;
        }
      g_stat (output, &st);
      g_print ("export %-4s %7.0f ms   (%.2f MB)%s\n", ext, median (times, RUNS),
               st.st_size / 1e6, formats[f] == LOOM_EXPORT_FORMAT_EPUB ? "   target ≤ 1000 ms" : "");
    }

  /* The async export blocks the main thread only while it copies the story. */
  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(LoomStore) store = loom_store_open (path, &error);
      g_autofree char *output = g_build_filename (dir, "async.epub", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (output);
      AsyncState state = { g_main_loop_new (NULL, FALSE), 0 };
      LoomExportOptions options;

      g_assert_no_error (error);
      loom_export_options_init (&options);
      options.format = LOOM_EXPORT_FORMAT_EPUB;
      start = now_ms ();
      loom_export_story_async (loom_store_lookup_story (store, story_id), &options, file, NULL,
                               NULL, NULL, NULL, on_exported, &state);
      blocked[r] = now_ms () - start;
      g_main_loop_run (state.loop);
      times[r] = state.done_at - start;
      g_main_loop_unref (state.loop);
    }
  g_print ("export epub, async: %.0f ms in all, %.0f ms of it on the main thread\n",
           median (times, RUNS), median (blocked, RUNS));

  /* Import the Markdown back, into a library of its own each time. */
  markdown = g_build_filename (dir, "story.md", NULL);
  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *other = g_strdup_printf ("%s/import-%u.db", dir, r);
      g_autoptr(LoomStore) store = loom_store_open (other, &error);
      g_autoptr(GFile) file = g_file_new_for_path (markdown);
      LoomStory *story;

      g_assert_no_error (error);
      start = now_ms ();
      story = loom_import_file (store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
      g_assert_no_error (error);
      times[r] = now_ms () - start;
      g_assert_cmpuint (loom_story_get_scene_count (story), ==, CHAPTERS * SCENES);
    }
  g_print ("import md   %7.0f ms\n", median (times, RUNS));

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (2026, 1, r + 1, 12, 0, 0);
      g_autofree char *backup = NULL;

      start = now_ms ();
      loom_backup_run_if_due (path, day, &backup, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (backup);
      times[r] = now_ms () - start;
    }
  g_print ("backup      %7.0f ms   (in a thread at start)\n", median (times, RUNS));

  if (keep)
    {
      g_print ("\nThe library and the exports are in %s\n", dir);
      return 0;
    }
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (rm) != 0)
      g_printerr ("Could not remove %s\n", dir);
  }
  return 0;
}
