/* loom-bench.c: measurements for bench-startup, off unless STORYLOOM_BENCH_T0 is set
 *
 * bench-startup starts the app with STORYLOOM_BENCH_T0 set to its monotonic clock (µs) just
 * before it forks. Once the window's first frame is painted the app prints
 *   first-frame-ms N
 * and, with STORYLOOM_BENCH_SCROLL=1, opens every chapter and scrolls the sidebar from top to bottom half a page per
 * frame and prints the longest frame (from the frame clock's first signal, before-paint, to
 * the end of its paint: animations, layout and paint) and the number of frames:
 *   max-frame-ms N
 *   frames N
 * then quits. With STORYLOOM_BENCH_GENERATE=1 it instead generates the whole open story, eight
 * scenes at a time, and prints, for the time the prose streams in, the longest gap between the
 * ticks of a 1 ms timer (the main loop's longest turn), the longest frame, the frames painted
 * (counted by the frame clock) and the longest stretch without one (spinners and word counts
 * frozen), and how long the streaming took:
 *   stream-max-gap-ms N
 *   stream-max-frame-ms N
 *   stream-frames N
 *   stream-max-paint-gap-ms N
 *   stream-ms N
 * and the longest gap and frame again in the main thread's CPU time, which a busy machine does
 * not inflate:
 *   stream-max-gap-cpu-ms N
 *   stream-max-frame-cpu-ms N
 * With STORYLOOM_BENCH_TRACE=1 it also prints, on stderr, every frame and main-loop gap of
 * 8 ms or more while streaming, with its CPU time and the time in the stream, beside the
 * scenes starting and finishing and any change in the size of the window's parts: where a
 * long one comes from. A long frame's CPU time is split at the end of GTK's layout: the rest is
 * the snapshot and the render, which on X11 with cairo repaint the bounding box of everything
 * that changed (the sidebar's spinners and the generation bar's cost together: most of the
 * window).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-bench"

#include "config.h"

#include <time.h>

#include "loom-bench.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-window-private.h"

typedef struct
{
  LoomWindow    *window;
  GtkAdjustment *adjustment;
  gint64         frame_start;
  gint64         frame_start_cpu;
  gint64         layout_end_cpu;  /* after GTK's own layout handler */
  gint64         paint_end_cpu;   /* after GTK's own paint handler: snapshot and render */
  gint64         frame_start_delay; /* waiting to run, at the frame's start (schedstat) */
  gint64         layout_end;      /* the same two, in wall time */
  gint64         paint_end;
  gint64         max_frame;
  gint64         max_frame_cpu;
  gint64         expand_frame;   /* the frame that lays out every chapter opened at once */
  guint          frames;
  gboolean       first_done;
  gboolean       scrolling;
  gboolean       streaming;
  gint64         last_tick;
  gint64         last_tick_cpu;
  gint64         max_gap;
  gint64         max_gap_cpu;
  guint          ticks;
  gint64         stream_start;
  gint64         last_paint;
  gint64         max_paint_gap;
  gboolean       trace;          /* STORYLOOM_BENCH_TRACE=1 */
  int            widths[4];      /* sidebar, editor, side pane, generation bar */
  int            heights[4];
} Bench;

gboolean
loom_bench_enabled (void)
{
  return g_getenv ("STORYLOOM_BENCH_T0") != NULL;
}

/* CPU time of the main thread: unlike the wall clock it leaves out the time other processes
 * took the core from us, so on a busy machine it still shows the work that held the loop. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
finish (Bench *bench)
{
  GApplication *app = g_application_get_default ();

  g_print ("expand-frame-ms %.2f\nmax-frame-ms %.2f\nframes %u\n", bench->expand_frame / 1000.0,
           bench->max_frame / 1000.0, bench->frames);
  if (app != NULL)
    g_application_quit (app);
}

/* Whether no scene of the open story is queued or generating; @complete counts the drafted
 * ones, so that a run the app refused (a question, an error) does not pass for a fast one. */
static gboolean
story_settled (Bench *bench,
               guint *complete)
{
  LoomStory *story = loom_window_get_story (bench->window);
  GListModel *chapters = story ? loom_story_get_chapters (story) : NULL;

  *complete = 0;
  for (guint c = 0; chapters != NULL && c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

          if (loom_scene_get_queued (scene) ||
              loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
            return FALSE;
          if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_COMPLETE)
            (*complete)++;
        }
    }
  return TRUE;
}

/* Frames and gaps this long are traced, to find what makes them. */
#define TRACE_US 8000

static gboolean
stream_tick (gpointer data)
{
  Bench *bench = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  guint complete;

  if (bench->trace && bench->last_tick != 0 && now - bench->last_tick >= TRACE_US)
    g_printerr ("trace %8.1f ms: main-loop gap %.1f ms (%.1f ms of CPU)\n",
                (now - bench->stream_start) / 1000.0, (now - bench->last_tick) / 1000.0,
                (cpu - bench->last_tick_cpu) / 1000.0);
  if (bench->last_tick != 0)
    {
      bench->max_gap = MAX (bench->max_gap, now - bench->last_tick);
      bench->max_gap_cpu = MAX (bench->max_gap_cpu, cpu - bench->last_tick_cpu);
    }
  bench->last_tick = now;
  bench->last_tick_cpu = cpu;

  if (++bench->ticks % 50 != 0 || !story_settled (bench, &complete))
    return G_SOURCE_CONTINUE;

  bench->streaming = FALSE;
  g_print ("stream-complete %u\n", complete);
  g_print ("stream-max-gap-ms %.2f\nstream-max-frame-ms %.2f\nstream-frames %u\n"
           "stream-max-paint-gap-ms %.2f\nstream-ms %.1f\n"
           "stream-max-gap-cpu-ms %.2f\nstream-max-frame-cpu-ms %.2f\n",
           bench->max_gap / 1000.0, bench->max_frame / 1000.0, bench->frames,
           bench->max_paint_gap / 1000.0, (now - bench->stream_start) / 1000.0,
           bench->max_gap_cpu / 1000.0, bench->max_frame_cpu / 1000.0);
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

/* The window has painted once: let it settle (fonts, icons, the first full paints) as it has
 * long before a writer asks for a draft, so that start-up is not counted as streaming. */
#define SETTLE_MS 1000

static void
trace_scene (Bench      *bench,
             LoomScene  *scene,
             const char *what)
{
  g_printerr ("trace %8.1f ms: scene %" G_GINT64_FORMAT " %s\n",
              (g_get_monotonic_time () - bench->stream_start) / 1000.0,
              loom_scene_get_id (scene), what);
}

static void
on_scene_started (LoomGenerator *generator,
                  LoomScene     *scene,
                  Bench         *bench)
{
  trace_scene (bench, scene, "started");
}

static void
on_scene_finished (LoomGenerator *generator,
                   LoomScene     *scene,
                   const GError  *error,
                   Bench         *bench)
{
  trace_scene (bench, scene, "finished");
}

static void
start_streaming (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* At once, not in story order one after another. */
  g_settings_set_int (settings, "concurrency", 8);
  g_settings_set_boolean (settings, "parallel-drafting", TRUE);
  bench->streaming = TRUE;
  /* The gaps count from here: what the action does before it returns (the store's first
   * write of the session among it) holds the loop as much as anything after. */
  bench->stream_start = bench->last_paint = bench->last_tick = g_get_monotonic_time ();
  bench->last_tick_cpu = thread_cpu_us ();
  g_timeout_add (1, stream_tick, bench);
  if (bench->trace)
    {
      LoomGenerator *generator =
        loom_generation_controller_get_generator (bench->window->generation);

      g_signal_connect (generator, "scene-started", G_CALLBACK (on_scene_started), bench);
      g_signal_connect (generator, "scene-finished", G_CALLBACK (on_scene_finished), bench);
    }
  gtk_widget_activate_action (GTK_WIDGET (bench->window), "gen.generate-story", NULL);
}

/* How long this thread has waited, runnable, for a CPU: microseconds. */
static gint64
run_delay_us (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    return 0;
  fields = g_strsplit (text, " ", 3);
  return fields[0] != NULL && fields[1] != NULL ? g_ascii_strtoll (fields[1], NULL, 10) / 1000 : 0;
}

/* The first signal of every frame, before the animations' ticks, the layout and the paint:
 * GTK's own handlers for those were connected before ours, so a later phase would miss them. */
static void
on_before_paint (GdkFrameClock *clock,
                 Bench         *bench)
{
  bench->frame_start = g_get_monotonic_time ();
  bench->frame_start_cpu = thread_cpu_us ();
  bench->layout_end_cpu = bench->paint_end_cpu = bench->frame_start_cpu;
  bench->layout_end = bench->paint_end = bench->frame_start;
  if (bench->trace)
    bench->frame_start_delay = run_delay_us ();
}

/* Connected after GTK's own handlers of the same phase, so these mark each phase's end. */
static void
on_layout (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->layout_end_cpu = bench->paint_end_cpu = thread_cpu_us ();
  bench->layout_end = bench->paint_end = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          Bench         *bench)
{
  bench->paint_end_cpu = thread_cpu_us ();
  bench->paint_end = g_get_monotonic_time ();
}

/* A long frame, with its CPU time: against its wall time, how much of it was the work of
 * this thread rather than a busy machine. */
static void
trace_frame (Bench  *bench,
             gint64  now)
{
  g_printerr ("trace %8.1f ms: frame %.1f ms (%.1f ms of CPU: %.1f until the layout's end, "
              "%.1f snapshot and render; in wall time %.1f and %.1f; %.1f waiting for a CPU)\n",
              (bench->frame_start - bench->stream_start) / 1000.0,
              (now - bench->frame_start) / 1000.0,
              (thread_cpu_us () - bench->frame_start_cpu) / 1000.0,
              (bench->layout_end_cpu - bench->frame_start_cpu) / 1000.0,
              (bench->paint_end_cpu - bench->layout_end_cpu) / 1000.0,
              (bench->layout_end - bench->frame_start) / 1000.0,
              (bench->paint_end - bench->layout_end) / 1000.0,
              (run_delay_us () - bench->frame_start_delay) / 1000.0);
}

/* A change in the size of one of the window's parts: a relayout (and repaint) of all of it. */
static void
trace_sizes (Bench *bench)
{
  GtkWidget *parts[4] = { GTK_WIDGET (bench->window->sidebar), GTK_WIDGET (bench->window->editor),
                          GTK_WIDGET (bench->window->side_pane),
                          GTK_WIDGET (bench->window->generation_bar) };
  static const char *const names[4] = { "sidebar", "editor", "side pane", "generation bar" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      int width = gtk_widget_get_width (parts[i]), height = gtk_widget_get_height (parts[i]);

      if (width != bench->widths[i] || height != bench->heights[i])
        g_printerr ("trace %8.1f ms: %s %d×%d → %d×%d\n",
                    (g_get_monotonic_time () - bench->stream_start) / 1000.0, names[i],
                    bench->widths[i], bench->heights[i], width, height);
      bench->widths[i] = width;
      bench->heights[i] = height;
    }
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (!bench->first_done)
    {
      gint64 t0 = g_ascii_strtoll (g_getenv ("STORYLOOM_BENCH_T0"), NULL, 10);
      GApplication *app = g_application_get_default ();

      bench->first_done = TRUE;
      g_print ("first-frame-ms %.2f\n", (now - t0) / 1000.0);

      if (g_strcmp0 (g_getenv ("STORYLOOM_BENCH_SCROLL"), "1") == 0)
        {
          loom_sidebar_set_all_expanded (bench->window->sidebar, TRUE);
          bench->adjustment = loom_sidebar_get_vadjustment (bench->window->sidebar);
          bench->scrolling = TRUE;
          gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
        }
      else if (g_strcmp0 (g_getenv ("STORYLOOM_BENCH_GENERATE"), "1") == 0)
        g_timeout_add_once (SETTLE_MS, start_streaming, bench);
      else if (app != NULL)
        g_application_quit (app);
      return;
    }

  if (!bench->scrolling && !bench->streaming)
    return;

  /* Opening every chapter is one action, not scrolling: its frame is reported apart. */
  if (bench->scrolling && bench->frame_start > 0 && bench->expand_frame == 0)
    bench->expand_frame = now - bench->frame_start;
  else if (bench->frame_start > 0)
    {
      bench->max_frame = MAX (bench->max_frame, now - bench->frame_start);
      bench->max_frame_cpu = MAX (bench->max_frame_cpu, thread_cpu_us () - bench->frame_start_cpu);
      bench->frames++;
      if (bench->trace && now - bench->frame_start >= TRACE_US)
        trace_frame (bench, now);
      if (bench->trace && bench->streaming)
        trace_sizes (bench);
    }
  if (bench->streaming)
    {
      bench->max_paint_gap = MAX (bench->max_paint_gap, now - bench->last_paint);
      bench->last_paint = now;
    }
  if (bench->streaming)
    return;

  {
    double value = gtk_adjustment_get_value (bench->adjustment);
    double page = gtk_adjustment_get_page_size (bench->adjustment);
    double upper = gtk_adjustment_get_upper (bench->adjustment);

    if (value + page >= upper - 1 || bench->frames > 10000)
      {
        bench->scrolling = FALSE;
        finish (bench);
        return;
      }
    gtk_adjustment_set_value (bench->adjustment, MIN (value + page / 2, upper - page));
  }
}

static void
on_map (GtkWidget *widget,
        Bench     *bench)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), bench);
  g_signal_connect (clock, "layout", G_CALLBACK (on_layout), bench);
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), bench);
}

void
loom_bench_attach (LoomWindow *window)
{
  Bench *bench = g_new0 (Bench, 1);

  bench->window = window;
  bench->trace = g_strcmp0 (g_getenv ("STORYLOOM_BENCH_TRACE"), "1") == 0;
  g_object_set_data_full (G_OBJECT (window), "loom-bench", bench, g_free);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_map (GTK_WIDGET (window), bench);
  else
    g_signal_connect (window, "map", G_CALLBACK (on_map), bench);
}
