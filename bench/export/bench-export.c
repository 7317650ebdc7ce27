/* bench-export.c: exporting, importing and backing up a 1M-word story
 *
 * One story of 20 chapters × 50 scenes × 1,000 words of realistic, non-repeating prose
 * (bench_make_novel_prose (), so that the files are the size of a real novel's: a repeating
 * text compresses to a fraction of that). Each export starts from a freshly
 * opened store, so the prose is read from disk as it is in the app the first time. Prints the
 * median of several runs per figure, with the target where the issue names one.
 * With --keep the files stay in the temporary folder, to check them with epubcheck or pandoc.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-export"

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
#include "bench-util.h"

#define RUNS 5

static gint64
build_library (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  LoomStory *story;

  g_assert_no_error (error);
  story = bench_build_novel (store);
  g_assert_cmpuint (loom_story_get_word_count (story), >=,
                    BENCH_CHAPTERS * BENCH_SCENES * BENCH_WORDS);
  return loom_story_get_id (story);
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
  state->done_at = bench_now_ms ();
  g_main_loop_quit (state->loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-export", &dir);
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

  start = bench_now_ms ();
  story_id = build_library (path);
  g_print ("built %u chapters × %u scenes × %u words in %.0f ms\n\n", BENCH_CHAPTERS,
           BENCH_SCENES, BENCH_WORDS, bench_now_ms () - start);

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
          start = bench_now_ms ();
          loom_export_story (story, &options, file, NULL, &error);
          g_assert_no_error (error);
          times[r] = bench_now_ms () - start;
        }
      g_stat (output, &st);
      g_print ("export %-4s %7.0f ms   (%.2f MB)%s\n", ext, bench_median (times, RUNS),
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
      start = bench_now_ms ();
      loom_export_story_async (loom_store_lookup_story (store, story_id), &options, file, NULL,
                               NULL, NULL, NULL, on_exported, &state);
      blocked[r] = bench_now_ms () - start;
      g_main_loop_run (state.loop);
      times[r] = state.done_at - start;
      g_main_loop_unref (state.loop);
    }
  g_print ("export epub, async: %.0f ms in all, %.0f ms of it on the main thread\n",
           bench_median (times, RUNS), bench_median (blocked, RUNS));

  /* Import the Markdown back, into a library of its own each time. */
  markdown = g_build_filename (dir, "story.md", NULL);
  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *other = g_strdup_printf ("%s/import-%u.db", dir, r);
      g_autoptr(LoomStore) store = loom_store_open (other, &error);
      g_autoptr(GFile) file = g_file_new_for_path (markdown);
      LoomStory *story;

      g_assert_no_error (error);
      start = bench_now_ms ();
      story = loom_import_file (store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
      g_assert_no_error (error);
      times[r] = bench_now_ms () - start;
      g_assert_cmpuint (loom_story_get_scene_count (story), ==,
                        BENCH_CHAPTERS * BENCH_SCENES);
    }
  g_print ("import md   %7.0f ms\n", bench_median (times, RUNS));

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (2026, 1, r + 1, 12, 0, 0);
      g_autofree char *backup = NULL;

      start = bench_now_ms ();
      loom_backup_run_if_due (path, day, &backup, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (backup);
      times[r] = bench_now_ms () - start;
    }
  g_print ("backup      %7.0f ms   (in a thread at start)\n",
           bench_median (times, RUNS));

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
