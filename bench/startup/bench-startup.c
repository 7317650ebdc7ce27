/* bench-startup.c: the window's start-up time and sidebar scrolling on a 1M-word library
 *
 * Builds the library of bench-store (one story of 20 chapters × 50 scenes × 1,000 words and
 * 30 characters) and an empty one, then starts `storyloom --db …` several times on each and
 * reads what the app prints in bench mode (src/ui/loom-bench.c): the time from just before
 * the fork to the first frame painted. Peak RSS comes from wait4(). A last run on the big
 * library scrolls the sidebar from top to bottom and reports the longest frame.
 *
 * Run it under a display with the cairo renderer, as the issue asks:
 *   GSK_RENDERER=cairo xvfb-run -a build/bench/startup/bench-startup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-story.h"
#include "bench-util.h"

static void
build_library (const char *path,
               gboolean    big)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;

  if (big)
    {
      bench_build_library (path);
      return;
    }
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  loom_store_close (store);
}

typedef struct
{
  double cpu_ms;
  double first_frame_ms;
  double max_frame_ms;
  double expand_frame_ms;
  guint  frames;
  long   max_rss_kb;
  double stream_gap_ms;   /* STORYLOOM_BENCH_GENERATE runs */
  double stream_frame_ms;
  guint  stream_frames;
  guint  stream_complete;
  double stream_paint_gap_ms;
  double stream_ms;
  double stream_gap_cpu_ms;
  double stream_frame_cpu_ms;
} Run;

/* Starts the app on LIBRARY and reads its bench lines. */
/* @extra_env: (nullable): NAME, VALUE pairs, NULL-terminated, added to the app's environment. */
static gboolean
run_app_with (const char        *app,
              const char        *library,
              gboolean           scroll,
              const char *const *extra_env,
              Run               *run)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *t0 = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  struct rusage usage;
  int pipe_fds[2];
  char buffer[4096];
  ssize_t n;
  pid_t pid;
  int status;

  memset (run, 0, sizeof *run);
  run->first_frame_ms = -1;

  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", STORYLOOM_SCHEMA_DIR, FALSE);
  env = g_environ_setenv (env, "GSK_RENDERER", "cairo", FALSE);
  env = g_environ_setenv (env, "NO_AT_BRIDGE", "1", TRUE);
  env = g_environ_setenv (env, "STORYLOOM_BENCH_SCROLL", scroll ? "1" : "0", TRUE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    env = g_environ_setenv (env, extra_env[i], extra_env[i + 1], TRUE);

  if (pipe (pipe_fds) != 0)
    g_error ("pipe: %s", g_strerror (errno));

  t0 = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  env = g_environ_setenv (env, "STORYLOOM_BENCH_T0", t0, TRUE);

  pid = fork ();
  if (pid == 0)
    {
      dup2 (pipe_fds[1], STDOUT_FILENO);
      close (pipe_fds[0]);
      close (pipe_fds[1]);
      execle (app, app, "--db", library, (char *) NULL, env);
      _exit (127);
    }
  close (pipe_fds[1]);

  while ((n = read (pipe_fds[0], buffer, sizeof buffer)) > 0)
    g_string_append_len (output, buffer, n);
  close (pipe_fds[0]);

  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4: %s", g_strerror (errno));
  run->max_rss_kb = usage.ru_maxrss;
  run->cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
                (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;

  {
    g_auto(GStrv) lines = g_strsplit (output->str, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (g_str_has_prefix (lines[i], "first-frame-ms "))
          run->first_frame_ms = g_ascii_strtod (lines[i] + 15, NULL);
        else if (g_str_has_prefix (lines[i], "expand-frame-ms "))
          run->expand_frame_ms = g_ascii_strtod (lines[i] + 16, NULL);
        else if (g_str_has_prefix (lines[i], "max-frame-ms "))
          run->max_frame_ms = g_ascii_strtod (lines[i] + 13, NULL);
        else if (g_str_has_prefix (lines[i], "frames "))
          run->frames = (guint) g_ascii_strtoull (lines[i] + 7, NULL, 10);
        else if (g_str_has_prefix (lines[i], "stream-max-gap-ms "))
          run->stream_gap_ms = g_ascii_strtod (lines[i] + 18, NULL);
        else if (g_str_has_prefix (lines[i], "stream-max-frame-ms "))
          run->stream_frame_ms = g_ascii_strtod (lines[i] + 20, NULL);
        else if (g_str_has_prefix (lines[i], "stream-complete "))
          run->stream_complete = (guint) g_ascii_strtoull (lines[i] + 16, NULL, 10);
        else if (g_str_has_prefix (lines[i], "stream-frames "))
          run->stream_frames = (guint) g_ascii_strtoull (lines[i] + 14, NULL, 10);
        else if (g_str_has_prefix (lines[i], "stream-max-paint-gap-ms "))
          run->stream_paint_gap_ms = g_ascii_strtod (lines[i] + 24, NULL);
        else if (g_str_has_prefix (lines[i], "stream-ms "))
          run->stream_ms = g_ascii_strtod (lines[i] + 10, NULL);
        else if (g_str_has_prefix (lines[i], "stream-max-gap-cpu-ms "))
          run->stream_gap_cpu_ms = g_ascii_strtod (lines[i] + 22, NULL);
        else if (g_str_has_prefix (lines[i], "stream-max-frame-cpu-ms "))
          run->stream_frame_cpu_ms = g_ascii_strtod (lines[i] + 24, NULL);
      }
  }

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || run->first_frame_ms < 0)
    {
      g_printerr ("bench-startup: the app failed on %s (status %d)\n%s", library, status,
                  output->str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_app (const char *app,
         const char *library,
         gboolean    scroll,
         Run        *run)
{
  return run_app_with (app, library, scroll, NULL, run);
}

/* Eight empty scenes drafted at once by the window, against the mock server in a process of its
 * own streaming 2,000 deltas a scene, so that the app's main loop is measured alone. */
static gboolean
run_streaming (const char *app,
               const char *dir,
               Run        *run)
{
  g_autofree char *library = g_build_filename (dir, "eight.db", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (library, &error);
  const char *extra[] = { "STORYLOOM_API_BASE", NULL, "STORYLOOM_BENCH_GENERATE", "1", NULL };
  LoomStory *story;
  LoomChapter *chapter;
  gboolean ok;

  g_assert_no_error (error);
  story = loom_store_create_story (store, "Eight at once", "A benchmark.", NULL, &error);
  chapter = loom_store_add_chapter (store, story, 0, "All", &error);
  for (guint i = 0; i < 8; i++)
    loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Mara crosses the salt.", &error);
  /* The mock's model has no price, and a library that asks before spending would ask about it
   * instead of drafting: this library never asks, as a writer with a local server would set. */
  loom_store_set_confirm_threshold (store, -1, &error);
  g_assert_no_error (error);
  loom_store_close (store);

  mock = bench_spawn_mock (STORYLOOM_MOCK, dir, 2000, &url);
  extra[1] = url;

  ok = run_app_with (app, library, FALSE, extra, run);
  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  return ok;
}

/* Runs alternate between the two libraries, so that a busy machine slows both alike. */
typedef struct
{
  double ms;
  double cpu_ms;
  long   rss_kb;
} Figures;

static gboolean
measure (const char *app,
         const char *empty,
         const char *big,
         guint       runs,
         Figures    *empty_figures,
         Figures    *big_figures)
{
  g_autofree double *times[2] = { g_new0 (double, runs), g_new0 (double, runs) };
  g_autofree double *cpu[2] = { g_new0 (double, runs), g_new0 (double, runs) };
  const char *libraries[2] = { empty, big };
  Figures *figures[2] = { empty_figures, big_figures };

  memset (empty_figures, 0, sizeof *empty_figures);
  memset (big_figures, 0, sizeof *big_figures);
  for (guint i = 0; i < runs; i++)
    for (guint l = 0; l < 2; l++)
      {
        Run run;

        if (!run_app (app, libraries[l], FALSE, &run))
          return FALSE;
        times[l][i] = run.first_frame_ms;
        cpu[l][i] = run.cpu_ms;
        figures[l]->rss_kb = MAX (figures[l]->rss_kb, run.max_rss_kb);
      }
  for (guint l = 0; l < 2; l++)
    {
      figures[l]->ms = bench_median (times[l], runs);
      figures[l]->cpu_ms = bench_median (cpu[l], runs);
    }
  return TRUE;
}

static void
print_streaming (const Run *streaming)
{
  g_print ("  eight scenes streaming at once (2,000 deltas each, no delay, mock in another "
           "process), %.0f ms\n", streaming->stream_ms);
  g_print ("    scenes drafted                  %8u   of 8  %s\n", streaming->stream_complete,
           streaming->stream_complete == 8 ? "ok" : "FAILED: the figures below mean nothing");
  g_print ("    frames painted (frame clock)    %8u\n", streaming->stream_frames);
  g_print ("    longest stretch without a frame %8.1f ms   target ≤ 50 ms  %s\n",
           streaming->stream_paint_gap_ms,
           streaming->stream_paint_gap_ms <= 50.0 ? "ok" : "MISSED");
  g_print ("    longest main-loop gap (1 ms timer) %5.1f ms   target ≤ 16 ms  %s"
           "   (%.1f ms of CPU)\n",
           streaming->stream_gap_ms, streaming->stream_gap_ms <= 16.0 ? "ok" : "MISSED",
           streaming->stream_gap_cpu_ms);
  g_print ("    longest frame                   %8.1f ms   target ≤ 16 ms  %s   (%.1f ms of CPU)\n",
           streaming->stream_frame_ms, streaming->stream_frame_ms <= 16.0 ? "ok" : "MISSED",
           streaming->stream_frame_cpu_ms);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *big = NULL;
  g_autofree char *empty = NULL;
  const char *app = STORYLOOM_APP;
  guint runs = 7;
  gboolean streaming_only = FALSE;
  Figures empty_figures, big_figures;
  double ratio;
  Run scroll;
  Run streaming;
  gboolean ok;

  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        {
          int value = atoi (argv[++i]);
          runs = MAX (1, value);
        }
      else if (g_str_equal (argv[i], "--app") && i + 1 < argc)
        app = argv[++i];
      else if (g_str_equal (argv[i], "--streaming"))
        streaming_only = TRUE;
      else if (g_str_equal (argv[i], "--build") && i + 1 < argc)
        {
          /* Only write the 1M-word library at PATH, for profiling the app by hand. */
          build_library (argv[++i], TRUE);
          return 0;
        }
      else
        {
          g_printerr ("Usage: bench-startup [--runs N] [--app PATH] [--build LIBRARY] "
                      "[--streaming]\n");
          return 2;
        }
    }

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-startup: needs a display; run it under xvfb-run -a\n");
      return 77;
    }

  dir = g_dir_make_tmp ("storyloom-bench-startup-XXXXXX", &error);
  g_assert_no_error (error);
  big = g_build_filename (dir, "million.db", NULL);
  empty = g_build_filename (dir, "empty.db", NULL);

  /* Only the eight streams, for working on them (the start-up runs take minutes). */
  if (streaming_only)
    {
      ok = run_streaming (app, dir, &streaming);
      if (ok)
        print_streaming (&streaming);
      bench_remove_tree (dir);
      return ok ? 0 : 1;
    }

  g_print ("Building the 1M-word library (%u chapters × %u scenes × %u words)…\n",
           BENCH_CHAPTERS, BENCH_SCENES, BENCH_WORDS);
  build_library (big, TRUE);
  build_library (empty, FALSE);

  /* One run each to warm the disk cache and the font cache. */
  ok = run_app (app, empty, FALSE, &scroll) && run_app (app, big, FALSE, &scroll);
  ok = ok && measure (app, empty, big, runs, &empty_figures, &big_figures);
  ok = ok && run_app (app, big, TRUE, &scroll);
  ok = ok && run_streaming (app, dir, &streaming);

  if (ok)
    {
      ratio = big_figures.ms / empty_figures.ms;
      g_print ("\nMedian of %u runs, GSK_RENDERER=%s (wall time to the first frame; the app's CPU "
               "time, start to exit, is steadier on a busy machine)\n", runs,
               g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "cairo");
      g_print ("  empty library                     %8.1f ms   CPU %6.1f ms   peak RSS %6ld KiB\n",
               empty_figures.ms, empty_figures.cpu_ms, empty_figures.rss_kb);
      g_print ("  1M-word story open                %8.1f ms   CPU %6.1f ms   peak RSS %6ld KiB\n",
               big_figures.ms, big_figures.cpu_ms, big_figures.rss_kb);
      g_print ("  ratio                             %8.2f      CPU %6.2f      target ≤ 1.30  %s\n",
               ratio, big_figures.cpu_ms / empty_figures.cpu_ms, ratio <= 1.3 ? "ok" : "MISSED");
      g_print ("  opening every chapter at once    %8.1f ms   one frame, no target\n",
               scroll.expand_frame_ms);
      g_print ("  sidebar scroll, every chapter open, top to bottom\n"
               "                                    %8.1f ms longest of %u frames, "
               "target ≤ 16 ms  %s\n",
               scroll.max_frame_ms, scroll.frames, scroll.max_frame_ms <= 16.0 ? "ok" : "MISSED");
      print_streaming (&streaming);
    }

  bench_remove_tree (dir);
  return ok ? 0 : 1;
}
