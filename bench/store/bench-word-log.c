/* bench-word-log.c: what the word log (issue 17) adds to a save of a 1M-word library
 *
 * Each save of prose also adds the change in the scene's word count to today's row of the word
 * log, in the same transaction. This prints the median time of a whole save of 1,000 words
 * whose word count changes (so that the log is written every time), and the median time of the
 * log's statement alone, run inside a transaction as a save runs it: that is what the log adds
 * to a save (the COMMIT and its sync are the save's own).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-word-log"

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-private.h"
#include "loom-story.h"
#include "bench-util.h"

#define RUNS 9
#define SAVES 50
#define CALLS 1000

static LoomScene *
middle_scene (LoomStore *store)
{
  g_autoptr(LoomStory) story = g_list_model_get_item (loom_store_get_stories (store), 0);
  g_autoptr(LoomChapter) chapter =
    g_list_model_get_item (loom_story_get_chapters (story), BENCH_CHAPTERS / 2);
  g_autoptr(LoomScene) scene =
    g_list_model_get_item (loom_chapter_get_scenes (chapter), BENCH_SCENES / 2);

  return scene;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-word-log", &dir);
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shorter = bench_make_prose (4242, BENCH_WORDS);
  g_autofree char *longer = bench_make_prose (4343, BENCH_WORDS + 1);
  const char *prose[2] = { shorter, longer };
  double save_ms[RUNS], log_ms[RUNS];
  LoomScene *scene;

  setlocale (LC_ALL, "");
  g_print ("Building a library of %u chapters × %u scenes × %u words…\n",
           BENCH_CHAPTERS, BENCH_SCENES, BENCH_WORDS);
  bench_build_library (path);
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  scene = middle_scene (store);
  loom_scene_load_prose (scene, &error);
  g_assert_no_error (error);

  for (guint r = 0; r < RUNS; r++)
    {
      double t0 = bench_now_ms ();

      for (guint i = 0; i < SAVES; i++)
        {
          loom_scene_set_prose (scene, prose[i % 2], &error);
          g_assert_no_error (error);
        }
      save_ms[r] = (bench_now_ms () - t0) / SAVES;

      g_assert_true (_loom_store_begin (store, "benchmark", &error));
      t0 = bench_now_ms ();
      for (guint i = 0; i < CALLS; i++)
        {
          _loom_store_log_words (store, scene, BENCH_WORDS + i % 7, LOOM_WORDS_WRITTEN, &error);
          g_assert_no_error (error);
        }
      log_ms[r] = (bench_now_ms () - t0) / CALLS;
      _loom_store_rollback (store);
    }

  g_print ("save 1,000 words of prose, word log included: %.3f ms (target ≤ 2 ms)\n",
           bench_median (save_ms, RUNS));
  g_print ("the word log's part of a save: %.4f ms (target ≤ 0.2 ms)\n",
           bench_median (log_ms, RUNS));

  g_clear_object (&store);
  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
