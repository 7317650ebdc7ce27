/* bench-prompt.c: building a scene's prompt with its memory (issue 16)
 *
 * The benchmark novel (bench-util: 20 chapters × 50 scenes × 1,000 words, 30 characters) with
 * 200 story bible entries (a quarter always included, the others when mentioned) and a
 * summary of each of its 1,000 scenes. Prints the median of RUNS builds of the prompt of a
 * scene near the end of the story, the way the generator builds it, against the issue's
 * target: at the default budget, at a budget that holds every summary, and once every scene's
 * prose is loaded (a window that has shown them all: outdated summaries are then checked
 * against the prose itself).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-prompt"

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "bench-util.h"

#define RUNS      21
#define ENTRIES   200
#define TARGET_MS 10.0

static LoomScene *
scene_at (LoomStory *story,
          guint      chapter,
          guint      scene)
{
  g_autoptr(LoomChapter) c = g_list_model_get_item (loom_story_get_chapters (story), chapter);

  return g_list_model_get_item (loom_chapter_get_scenes (c), scene);
}

static void
add_entries (LoomStore *store,
             LoomStory *story)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  LoomEntrySpec specs[ENTRIES];

  for (guint i = 0; i < ENTRIES; i++)
    {
      char *name = g_strdup_printf ("Waymark %u", i + 1);

      g_ptr_array_add (names, name);
      specs[i] = (LoomEntrySpec) {
        (LoomEntryKind) (i % 4), name, NULL,
        "A white stone on the salt road, taller than a man, with a bell that rings in wind.",
        i % 4 == 0 ? LOOM_INCLUSION_ALWAYS : LOOM_INCLUSION_MENTIONED,
      };
    }
  loom_store_add_entries (store, story, specs, ENTRIES, &error);
  g_assert_no_error (error);
}

/* A summary of each scene, of the prose bench-util wrote (so that none is outdated). */
static void
add_summaries (LoomStore *store,
               LoomStory *story)
{
  g_autoptr(GError) error = NULL;

  for (guint c = 0; c < BENCH_CHAPTERS; c++)
    for (guint s = 0; s < BENCH_SCENES; s++)
      {
        g_autoptr(LoomScene) scene = scene_at (story, c, s);
        g_autofree char *prose = bench_make_prose (c * BENCH_SCENES + s, BENCH_WORDS);
        g_autofree char *fingerprint = loom_summary_fingerprint_prose (prose);
        g_autofree char *summary = g_strdup_printf (
          "Mara crosses stretch %u of the salt and counts the bells. At the %u waymark she "
          "finds the ferryman's coat, wet through, and decides to keep walking north until "
          "the lights of the town come up over the flats.", c + 1, s + 1);

        loom_store_set_summary (store, scene, summary, NULL, LOOM_SUMMARY_GENERATED,
                                "bench/model", fingerprint, &error);
        g_assert_no_error (error);
      }
}

static double
measure (LoomScene *scene,
         guint      budget,
         guint     *tokens,
         double    *cpu)
{
  LoomPromptOptions options = LOOM_PROMPT_OPTIONS_INIT;
  double times[RUNS];
  double cpu_times[RUNS];

  options.context_budget = budget;
  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      double start = bench_now_ms ();
      double cpu_start = bench_cpu_ms ();
      g_autoptr(LoomPrompt) prompt = loom_prompt_new_for_scene (scene, &options, &error);

      cpu_times[run] = bench_cpu_ms () - cpu_start;
      times[run] = bench_now_ms () - start;
      g_assert_no_error (error);
      *tokens = loom_prompt_get_token_estimate (prompt);
    }
  *cpu = bench_median (cpu_times, RUNS);
  return bench_median (times, RUNS);
}

static void
report (const char *what,
        LoomScene  *scene,
        guint       budget)
{
  guint tokens = 0;
  double cpu = 0;
  double ms = measure (scene, budget, &tokens, &cpu);

  g_print ("%-44s %7.2f ms (CPU %6.2f ms)  %6u of %6u tokens  target ≤ %.0f ms: %s\n", what,
           ms, cpu, tokens, budget, TARGET_MS, ms <= TARGET_MS ? "met" : "MISSED");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomScene) scene = NULL;
  LoomStory *story;

  setlocale (LC_ALL, "");
  path = bench_temp_library ("bench-prompt", &dir);
  bench_build_library (path);
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = g_list_model_get_item (loom_store_get_stories (store), 0);
  g_object_unref (story); /* the store holds it */
  add_entries (store, story);
  add_summaries (store, story);
  loom_store_close (store);
  g_clear_object (&store);

  /* as the window or the command line finds it: no prose loaded */
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = g_list_model_get_item (loom_store_get_stories (store), 0);
  g_object_unref (story);
  scene = scene_at (story, BENCH_CHAPTERS - 1, BENCH_SCENES / 2);

  g_print ("Prompt of chapter %u, scene %u of a %u-word story, %u entries, %u summaries, "
           "median of %u (load %.2f):\n", BENCH_CHAPTERS, BENCH_SCENES / 2 + 1,
           BENCH_CHAPTERS * BENCH_SCENES * BENCH_WORDS, ENTRIES, BENCH_CHAPTERS * BENCH_SCENES,
           RUNS, bench_load ());
  report ("default budget", scene, LOOM_PROMPT_DEFAULT_BUDGET);
  report ("every summary (100,000-token budget)", scene, 100000);

  for (guint c = 0; c < BENCH_CHAPTERS; c++)
    for (guint s = 0; s < BENCH_SCENES; s++)
      {
        g_autoptr(LoomScene) each = scene_at (story, c, s);

        loom_scene_load_prose (each, &error);
        g_assert_no_error (error);
      }
  report ("default budget, every scene's prose loaded", scene, LOOM_PROMPT_DEFAULT_BUDGET);

  loom_store_close (store);
  g_clear_object (&store);
  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
