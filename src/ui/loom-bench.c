/* loom-bench.c: measurements for bench-startup, off unless STORYLOOM_BENCH_T0 is set
 *
 * bench-startup starts the app with STORYLOOM_BENCH_T0 set to its monotonic clock (µs) just
 * before it forks. Once the window's first frame is painted the app prints
 *   first-frame-ms N
 * and, with STORYLOOM_BENCH_SCROLL=1, opens every chapter and scrolls the sidebar from top to bottom half a page per
 * frame and prints the longest frame (from the frame clock's layout phase to the end of its
 * paint) and the number of frames:
 *   max-frame-ms N
 *   frames N
 * then quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "loom-bench.h"
#include "loom-window-private.h"

typedef struct
{
  LoomWindow    *window;
  GtkAdjustment *adjustment;
  gint64         frame_start;
  gint64         max_frame;
  guint          frames;
  gboolean       first_done;
  gboolean       scrolling;
} Bench;

gboolean
loom_bench_enabled (void)
{
  return g_getenv ("STORYLOOM_BENCH_T0") != NULL;
}

static void
finish (Bench *bench)
{
  GApplication *app = g_application_get_default ();

  g_print ("max-frame-ms %.2f\nframes %u\n", bench->max_frame / 1000.0, bench->frames);
  if (app != NULL)
    g_application_quit (app);
}

static void
on_layout (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->frame_start = g_get_monotonic_time ();
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
      else if (app != NULL)
        g_application_quit (app);
      return;
    }

  if (!bench->scrolling)
    return;

  if (bench->frame_start > 0)
    {
      bench->max_frame = MAX (bench->max_frame, now - bench->frame_start);
      bench->frames++;
    }

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

  g_signal_connect (clock, "layout", G_CALLBACK (on_layout), bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), bench);
}

void
loom_bench_attach (LoomWindow *window)
{
  Bench *bench = g_new0 (Bench, 1);

  bench->window = window;
  g_object_set_data_full (G_OBJECT (window), "loom-bench", bench, g_free);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_map (GTK_WIDGET (window), bench);
  else
    g_signal_connect (window, "map", G_CALLBACK (on_map), bench);
}
