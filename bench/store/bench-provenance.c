/* bench-provenance.c: provenance bookkeeping in a 30,000-word scene (issue 18; targets
 * ≤ 0.2 ms added to a keystroke, ≤ 0.5 ms added to a save)
 *
 * One scene of 30,000 words whose provenance is a heavily edited one: a span every ~300
 * characters, alternately the model's and the writer's. Prints medians (and the worst case)
 * of what the editor does per keystroke — split a span for a typed character, and for a
 * deleted one keep its slice for undo and drop it — and of a save: the whole save with the
 * editor's spans, and apart from it the part of it that grows with the prose (fingerprint and
 * length) and the same save with a single span, so that the list's share shows.
 *
 * With --report, then the disclosure report of the million-word novel (bench_build_novel:
 * 1,000 scenes whose prose no editor tracked, so every scene is read and counted): what the AI
 * Disclosure dialog reads on the main thread when it opens and after each pause in the story's
 * changes. Building the novel takes minutes on a busy machine, hence the option.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-provenance"

#include "config.h"

#include <locale.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store-provenance.h"
#include "loom-story.h"

#define SCENE_WORDS 30000
#define SPAN_CHARS  300
#define KEYS        5000
#define SAVES       41
#define REPORTS     7

static LoomProvenance *
edited_spans (guint length)
{
  LoomProvenance *spans = loom_provenance_new (0, LOOM_SPAN_UNKNOWN, 0);

  for (guint at = 0, i = 0; at < length; at += SPAN_CHARS, i++)
    loom_provenance_append (spans, MIN (SPAN_CHARS, length - at),
                            i % 2 ? LOOM_SPAN_WRITER : LOOM_SPAN_AI, i % 2 ? 0 : 1 + i % 5);
  return spans;
}

static void
bench_keys (LoomProvenance *spans)
{
  g_autofree double *inserts = g_new (double, KEYS);
  g_autofree double *deletes = g_new (double, KEYS);
  GRand *rand = g_rand_new_with_seed (18);
  double worst = 0;

  for (guint k = 0; k < KEYS; k++)
    {
      guint offset = g_rand_int_range (rand, 1, loom_provenance_get_length (spans) - 1);
      g_autoptr(LoomProvenance) removed = NULL;
      double t0 = bench_thread_cpu_ms ();

      loom_provenance_insert (spans, offset, 1, LOOM_SPAN_WRITER, 0);
      inserts[k] = bench_thread_cpu_ms () - t0;
      t0 = bench_thread_cpu_ms ();
      removed = loom_provenance_slice (spans, offset, 1);
      loom_provenance_delete (spans, offset, 1);
      deletes[k] = bench_thread_cpu_ms () - t0;
      worst = MAX (worst, MAX (inserts[k], deletes[k]));
    }
  g_rand_free (rand);
  g_print ("key-insert-median-ms %.4f\n", bench_median (inserts, KEYS));
  g_print ("key-delete-median-ms %.4f\n", bench_median (deletes, KEYS));
  g_print ("key-max-ms %.4f  (target ≤ 0.2)\n", worst);
}

static double
bench_saves (LoomScene      *scene,
             const char     *prose,
             LoomProvenance *spans)
{
  double times[SAVES];

  for (guint s = 0; s < SAVES; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LoomProvenance) now = loom_provenance_copy (spans);
      g_autofree char *text = g_strdup_printf ("%s%s", prose, s % 2 ? " x" : "");
      double t0;

      if (s % 2)
        loom_provenance_append (now, 2, LOOM_SPAN_WRITER, 0);
      t0 = bench_thread_cpu_ms ();
      if (!loom_scene_set_prose_tracked (scene, text, loom_scene_get_prose_version (scene), now,
                                         &error))
        g_error ("%s", error->message);
      times[s] = bench_thread_cpu_ms () - t0;
    }
  return bench_median (times, SAVES);
}

static double
bench_fingerprint (const char *prose)
{
  double times[SAVES];

  for (guint s = 0; s < SAVES; s++)
    {
      double t0 = bench_thread_cpu_ms ();
      g_autofree char *fingerprint = NULL;
      glong length = loom_provenance_count_chars (prose, &fingerprint);

      times[s] = bench_thread_cpu_ms () - t0;
      g_assert (fingerprint != NULL && length > 0);
    }
  return bench_median (times, SAVES);
}

static void
bench_report (LoomStore *store)
{
  double wall[REPORTS], cpu[REPORTS];
  LoomStory *novel = bench_build_novel (store);
  guint words = 0;

  for (guint i = 0; i < REPORTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LoomDisclosure) report = NULL;
      double start = bench_now_ms (), start_cpu = bench_cpu_ms ();

      report = loom_store_get_disclosure (store, novel, &error);
      wall[i] = bench_now_ms () - start;
      cpu[i] = bench_cpu_ms () - start_cpu;
      g_assert_no_error (error);
      words = loom_word_tally_total (&report->words);
    }
  g_print ("report-words %u\nreport-ms %.1f wall, %.1f CPU (median of %u, load %.1f)\n", words,
           bench_median (wall, REPORTS), bench_median (cpu, REPORTS), REPORTS, bench_load ());
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-provenance", &dir);
  g_autofree char *prose = bench_make_novel_prose (18, SCENE_WORDS, TRUE);
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  g_autoptr(LoomProvenance) spans = NULL;
  g_autoptr(LoomProvenance) one = NULL;
  LoomStory *story;
  LoomChapter *chapter;
  LoomScene *scene;
  guint length = g_utf8_strlen (prose, -1);
  guint n_spans;

  setlocale (LC_ALL, "");
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Bench", "", "", &error);
  chapter = loom_store_add_chapter (store, story, 0, "One", &error);
  scene = loom_store_add_scene (store, chapter, 0, "Long", &error);
  g_assert_no_error (error);

  spans = edited_spans (length);
  loom_provenance_get_spans (spans, &n_spans);
  g_print ("scene-words %u\nscene-chars %u\nspans %u\n", SCENE_WORDS, length, n_spans);
  one = loom_provenance_new (length, LOOM_SPAN_AI, 1);

  {
    g_autoptr(LoomProvenance) typing = loom_provenance_copy (spans);

    bench_keys (typing);
  }
  g_print ("save-ms %.3f  (with %u spans)\n", bench_saves (scene, prose, spans), n_spans);
  g_print ("save-one-span-ms %.3f\n", bench_saves (scene, prose, one));
  g_print ("fingerprint-and-chars-ms %.3f\n", bench_fingerprint (prose));
  g_print ("provenance-in-save-ms ≈ fingerprint-and-chars + (save - save-one-span) + one "
           "statement  (target ≤ 0.5)\n");
  if (argc > 1 && g_str_equal (argv[1], "--report"))
    bench_report (store);

  loom_store_close (store);
  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
