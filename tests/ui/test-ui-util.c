/* test-ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-util"

#include "config.h"

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "loom-application.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

static void
test_no_display (void)
{
  g_test_skip ("No display: run the window tests under xvfb-run -a");
}

gboolean
test_ui_init (int         *argc,
              char      ***argv,
              const char  *prefix)
{
  g_autofree char *path = g_strconcat (prefix, "/no-display", NULL);
  g_autoptr(GSettings) settings = NULL;

  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func (path, test_no_display);
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* A draft's summary is a request of its own, which tests counting requests, costs or errors
   * would see: the window tests start without it, and the summary tests turn it on. */
  settings = g_settings_new (APP_ID);
  g_settings_set_boolean (settings, "summarize-after-draft", FALSE);
  return TRUE;
}

#ifdef GDK_WINDOWING_X11
static void
on_xdotool_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(gboolean *) data = TRUE;
}

/* Runs xdotool with ARGV (after the program's name) and waits for it, the main loop running. */
static gboolean
run_xdotool (GtkWidget         *widget,
             const char *const *args)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (!GDK_IS_X11_DISPLAY (display) || xdotool == NULL)
    {
      g_test_skip ("Needs X11 and xdotool");
      return FALSE;
    }
  g_ptr_array_add (argv, xdotool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_xdotool_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  return TRUE;
}

static char *
window_xid (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));

  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
}
#endif

#ifdef GDK_WINDOWING_X11
/* The point at (FX, FY) of WIDGET's size, in its X window's coordinates. */
static void
widget_point (GtkWidget *widget,
              double     fx,
              double     fy,
              int       *x,
              int       *y)
{
  GtkNative *native;
  graphene_point_t point;
  double tx, ty;

  g_assert_true (gtk_widget_get_mapped (widget));
  native = gtk_widget_get_native (widget);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) * fx,
                                                                 gtk_widget_get_height (widget) * fy),
                                           &point));
  gtk_native_get_surface_transform (native, &tx, &ty);
  *x = (int) (point.x + tx);
  *y = (int) (point.y + ty);
}

/* WIDGET's centre, in its X window's coordinates, as xdotool's arguments. */
static void
widget_centre (GtkWidget  *widget,
               char      **x,
               char      **y)
{
  int px, py;

  widget_point (widget, 0.5, 0.5, &px, &py);
  *x = g_strdup_printf ("%d", px);
  *y = g_strdup_printf ("%d", py);
}
#endif

gboolean
test_ui_click (GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = window_xid (widget);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  widget_centre (widget, &x, &y);
  return run_xdotool (widget, (const char *const[]) { "mousemove", "--window", xid, x, y,
                                                      "sleep", "0.1", "click", "1", NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

gboolean
test_ui_hover (GtkWidget *widget)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = window_xid (widget);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  widget_centre (widget, &x, &y);
  return run_xdotool (widget, (const char *const[]) { "mousemove", "--window", xid, x, y, NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

gboolean
test_ui_click_at (GtkWidget *widget,
                  double     x,
                  double     y,
                  guint      button)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = window_xid (widget);
  g_autofree char *x_text = NULL;
  g_autofree char *y_text = NULL;
  g_autofree char *button_text = g_strdup_printf ("%u", button);
  int px, py;

  widget_point (widget, x / gtk_widget_get_width (widget), y / gtk_widget_get_height (widget),
                &px, &py);
  x_text = g_strdup_printf ("%d", px);
  y_text = g_strdup_printf ("%d", py);
  return run_xdotool (widget, (const char *const[]) { "mousemove", "--window", xid, x_text,
                                                      y_text, "sleep", "0.1", "click",
                                                      button_text, NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

gboolean
test_ui_drag (GtkWidget *widget,
              int        dx)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = window_xid (widget);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *half = g_strdup_printf ("%d", dx / 2);
  g_autofree char *rest = g_strdup_printf ("%d", dx - dx / 2);

  widget_centre (widget, &x, &y);
  /* In two steps, as a hand moves: GTK sees the drag start before it ends. */
  return run_xdotool (widget, (const char *const[]) { "mousemove", "--window", xid, x, y,
                                                      "sleep", "0.1", "mousedown", "1",
                                                      "sleep", "0.1",
                                                      "mousemove_relative", "--", half, "0",
                                                      "sleep", "0.1",
                                                      "mousemove_relative", "--", rest, "0",
                                                      "sleep", "0.1", "mouseup", "1", NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

#ifdef GDK_WINDOWING_X11
/* Presses the left button at X0, Y0 of WIDGET's X window, moves in steps, as a hand moves, to
 * X1, Y1 and lets go there: GTK starts the drag past its threshold, then follows it. */
static gboolean
drag_in_steps (GtkWidget *widget,
               int        x0,
               int        y0,
               int        x1,
               int        y1)
{
  g_autofree char *xid = window_xid (widget);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const int steps = 8;

#define ARG(...) g_ptr_array_add (args, g_strdup_printf (__VA_ARGS__))
  ARG ("mousemove"); ARG ("--window"); ARG ("%s", xid); ARG ("%d", x0); ARG ("%d", y0);
  ARG ("sleep"); ARG ("0.1"); ARG ("mousedown"); ARG ("1"); ARG ("sleep"); ARG ("0.1");
  for (int i = 1; i <= steps; i++)
    {
      ARG ("mousemove"); ARG ("--window"); ARG ("%s", xid);
      ARG ("%d", x0 + (x1 - x0) * i / steps); ARG ("%d", y0 + (y1 - y0) * i / steps);
      ARG ("sleep"); ARG ("0.05");
    }
  ARG ("sleep"); ARG ("0.2"); ARG ("mouseup"); ARG ("1");
#undef ARG
  g_ptr_array_add (args, NULL);
  return run_xdotool (widget, (const char *const *) args->pdata);
}
#endif

gboolean
test_ui_drag_onto (GtkWidget *from,
                   GtkWidget *to,
                   double     y_fraction)
{
#ifdef GDK_WINDOWING_X11
  int x0, y0, x1, y1;

  g_assert_true (gtk_widget_get_native (from) == gtk_widget_get_native (to));
  widget_point (from, 0.5, 0.5, &x0, &y0);
  widget_point (to, 0.5, y_fraction, &x1, &y1);
  return drag_in_steps (from, x0, y0, x1, y1);
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

gboolean
test_ui_drag_within (GtkWidget *widget,
                     double     x0,
                     double     y0,
                     double     x1,
                     double     y1)
{
#ifdef GDK_WINDOWING_X11
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  int wx0, wy0, wx1, wy1;

  widget_point (widget, x0 / width, y0 / height, &wx0, &wy0);
  widget_point (widget, x1 / width, y1 / height, &wx1, &wy1);
  return drag_in_steps (widget, wx0, wy0, wx1, wy1);
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

gboolean
test_ui_press (GtkWindow  *window,
               const char *keys)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  xid = window_xid (GTK_WIDGET (window));
  /* Focus first: keys go to the focused window, not to one named by --window. */
  return run_xdotool (GTK_WIDGET (window), (const char *const[]) { "windowfocus", "--sync", xid,
                                                                   "key", keys, NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

GtkWidget *
test_ui_find_button (GtkWidget  *root,
                     const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = test_ui_find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

gboolean
test_ui_type (GtkWindow  *window,
              const char *text)
{
#ifdef GDK_WINDOWING_X11
  g_autofree char *xid = NULL;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  xid = window_xid (GTK_WIDGET (window));
  return run_xdotool (GTK_WIDGET (window), (const char *const[]) { "windowfocus", "--sync", xid,
                                                                   "type", "--delay", "20",
                                                                   text, NULL });
#else
  g_test_skip ("Needs X11");
  return FALSE;
#endif
}

GtkWidget *
test_ui_find_label (GtkWidget  *root,
                    const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
      if ((found = test_ui_find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

/* The item's label, once its menu is open and laid out: a popover lays its items out after it
 * maps, and a click must find the item where it stays. */
static GtkWidget *
menu_item_ready (GtkMenuButton *button,
                 const char    *label)
{
  GtkPopover *popover = gtk_menu_button_get_popover (button);
  GtkWidget *item;

  if (popover == NULL || !gtk_widget_get_mapped (GTK_WIDGET (popover)))
    return NULL;
  item = test_ui_find_label (GTK_WIDGET (popover), label);
  return item != NULL && gtk_widget_get_width (item) > 0 ? item : NULL;
}

gboolean
test_ui_click_menu_item (GtkMenuButton *button,
                         const char    *label)
{
  /* a guard against a hang, not a measure of speed */
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GtkWidget *item;

  if (!test_ui_click (GTK_WIDGET (button)))
    return FALSE;
  while ((item = menu_item_ready (button, label)) == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the menu item “%s”", label);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  for (guint i = 0; i < 10; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  item = menu_item_ready (button, label);
  g_assert_nonnull (item);
  return test_ui_click (item);
}

GtkWindow *
test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

AdwMessageDialog *
test_ui_find_message_dialog (void)
{
  return (AdwMessageDialog *) test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

gboolean
test_ui_message_dialog_shown (gpointer data)
{
  return test_ui_find_message_dialog () != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return test_ui_find_message_dialog () == NULL;
}

gboolean
test_ui_click_response (const char *label)
{
  AdwMessageDialog *dialog = test_ui_find_message_dialog ();
  GtkWidget *button;

  g_assert_nonnull (dialog);
  test_spin_until (test_ui_allocated, dialog, "the question laid out");
  button = test_ui_find_button (GTK_WIDGET (dialog), label);
  g_assert_nonnull (button);
  test_ui_settle (button);
  if (!test_ui_click (button))
    return FALSE;
  test_spin_until (no_message_dialog, NULL, "the question to close");
  return TRUE;
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
test_ui_close_window (GtkWindow **window,
                      LoomStore **store,
                      char      **dir)
{
  GtkWindow *weak = *window;

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  gtk_window_destroy (*window);
  g_clear_object (window);
  test_spin_until (window_gone, &weak, "the window to be finalized");
  loom_store_close (*store);
  g_clear_object (store);
  test_remove_tree (*dir);
  g_clear_pointer (dir, g_free);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  guint *left = data;

  return --*left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
no_frame_left (gpointer data)
{
  return *(guint *) data == 0;
}

void
test_ui_settle (GtkWidget *widget)
{
  guint left = 3;

  gtk_widget_add_tick_callback (widget, count_frame, &left, NULL);
  gtk_widget_queue_draw (widget);
  test_spin_until (no_frame_left, &left, "three frames");
}

/* A toast slides in: a click lands where its button is once it has been in one place for a
 * few frames. */
static gboolean
count_still_frames (GtkWidget     *button,
                    GdkFrameClock *clock,
                    gpointer       data)
{
  graphene_rect_t *last = g_object_get_data (G_OBJECT (button), "test-ui-last-bounds");
  guint still = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "test-ui-still"));
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (button, GTK_WIDGET (gtk_widget_get_root (button)), &bounds))
    return G_SOURCE_CONTINUE;
  still = graphene_rect_equal (last, &bounds) ? still + 1 : 0;
  *last = bounds;
  g_object_set_data (G_OBJECT (button), "test-ui-still", GUINT_TO_POINTER (still));
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GtkWindow  *window;
  const char *label;
} ToastButton;

static gboolean
toast_button_still (gpointer data)
{
  ToastButton *wait = data;
  GtkWidget *button = test_ui_find_button (GTK_WIDGET (wait->window), wait->label);

  if (button == NULL)
    return FALSE;
  if (g_object_get_data (G_OBJECT (button), "test-ui-last-bounds") == NULL)
    {
      g_object_set_data_full (G_OBJECT (button), "test-ui-last-bounds",
                              g_new0 (graphene_rect_t, 1), g_free);
      gtk_widget_add_tick_callback (button, count_still_frames, NULL, NULL);
    }
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "test-ui-still")) >= 3;
}

gboolean
test_ui_click_toast_button (GtkWindow  *window,
                            const char *label)
{
  ToastButton wait = { window, label };

  test_spin_until (toast_button_still, &wait, "the toast's button to come to rest");
  return test_ui_click (test_ui_find_button (GTK_WIDGET (window), label));
}

gboolean
test_ui_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
test_ui_allocated (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget)) && gtk_widget_get_width (GTK_WIDGET (widget)) > 0;
}

gboolean
test_ui_has_focus (gpointer widget)
{
  return gtk_widget_has_focus (GTK_WIDGET (widget));
}

static gboolean
window_started (gpointer data)
{
  return LOOM_WINDOW (data)->focus_source == 0;
}

GtkWindow *
test_ui_present_window (LoomStore *store,
                        int        width,
                        int        height)
{
  static LoomApplication *application;
  LoomWindow *window;

  if (application == NULL)
    {
      g_autoptr(GError) error = NULL;

      application = loom_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
    }
  window = g_object_ref_sink (loom_window_new (GTK_APPLICATION (application), store));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  test_spin_until (test_ui_mapped, window, "the window to map");
  test_spin_until (window_started, window, "the keyboard where the window starts it");
  return GTK_WINDOW (window);
}
