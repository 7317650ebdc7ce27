/* test-goals.c: today's words in the header, the statistics, focus mode (issue 17)
 *
 * A real LoomApplication's window (its accelerators are the writer's keys) on a fresh library;
 * keys and clicks go through the X server with xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-goals"

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#ifdef GDK_WINDOWING_X11
#include <X11/Xatom.h>
#include <gdk/x11/gdkx.h>
#endif

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-side-pane.h"
#include "loom-stats-dialog.h"
#include "loom-story.h"
#include "loom-store-words-log.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomStory   *story;
  LoomScene   *scenes[2];
  LoomWindow  *window;
  GSubprocess *window_manager; /* the test's own, on its display, or NULL */
  gboolean     window_manager_exited;
} Fixture;

static gboolean
rows_shown (gpointer data)
{
  Fixture *fixture = data;

  return loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                G_OBJECT (fixture->scenes[1])) != NULL;
}

/* Shows the second scene and clicks into its prose, as a writer does. */
static gboolean
click_into_prose (Fixture *fixture)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));

  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[1]));
  test_spin_until (test_ui_allocated, prose, "the prose laid out");
  if (!test_ui_click (prose))
    return FALSE;
  test_spin_until (test_ui_has_focus, prose, "the focus in the prose");
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *chapter;

  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-goals-XXXXXX", &fixture->dir, &fixture->path);
  fixture->story = loom_store_create_story (fixture->store, "Coast Road", "A walk.", "", &error);
  g_assert_no_error (error);
  chapter = loom_store_add_chapter (fixture->store, fixture->story, LOOM_POSITION_END,
                                    "Departure", &error);
  g_assert_no_error (error);
  fixture->scenes[0] = loom_store_add_scene (fixture->store, chapter, LOOM_POSITION_END,
                                             "The ferry leaves without her.", &error);
  fixture->scenes[1] = loom_store_add_scene (fixture->store, chapter, LOOM_POSITION_END,
                                             "She walks the coast road.", &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_prose (fixture->scenes[0], "Five words were here already.",
                                       &error));
  g_assert_no_error (error);

  /* DATA: a narrower width, else 1100 px */
  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store,
                                                         data != NULL ? GPOINTER_TO_INT (data)
                                                                      : 1100,
                                                         720));
  test_spin_until (rows_shown, fixture, "the sidebar's rows");
}

static gboolean
window_manager_gone (gpointer data)
{
  return ((Fixture *) data)->window_manager_exited;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
  if (fixture->window_manager != NULL)
    {
      if (!fixture->window_manager_exited)
        g_subprocess_send_signal (fixture->window_manager, SIGTERM);
      test_spin_until (window_manager_gone, fixture, "the window manager to end");
      g_clear_object (&fixture->window_manager);
    }
}

#ifdef GDK_WINDOWING_X11
/* The window manager goes when the test program does, even if it dies on an assertion: the
 * next window tests on this display run without one. */
static void
end_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* Whether a window manager that follows the EWMH runs on the display: it names itself on the
 * root window (_NET_SUPPORTING_WM_CHECK). */
static gboolean
window_manager_running (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);
  Atom check = gdk_x11_get_xatom_by_name_for_display (display, "_NET_SUPPORTING_WM_CHECK");
  Atom type = None;
  int format = 0;
  unsigned long items = 0, after = 0;
  unsigned char *value = NULL;
  gboolean running;

  XGetWindowProperty (xdisplay, DefaultRootWindow (xdisplay), check, 0, 1, False, XA_WINDOW,
                      &type, &format, &items, &after, &value);
  running = type == XA_WINDOW && items == 1;
  if (value != NULL)
    XFree (value);
  return running;
}

static void
on_window_manager_exit (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  *(gboolean *) data = TRUE;
}

/* Running, or it could not start (then the test skips, saying so). */
static gboolean
window_manager_started (gpointer data)
{
  Fixture *fixture = data;

  return fixture->window_manager_exited || window_manager_running ();
}
#endif

/* A window manager of the test's own on its display, before the window maps: Xvfb has none,
 * and without one nothing makes a window fullscreen. evilwm (123 kB, X11's libraries only) is
 * in the test packages; without it, or when it cannot start, the test skips, saying so. */
static void
fixture_set_up_managed (Fixture       *fixture,
                        gconstpointer  data)
{
#ifdef GDK_WINDOWING_X11
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("evilwm");

  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()) && program != NULL &&
      !window_manager_running ())
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                            G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_set_child_setup (launcher, end_with_parent, NULL, NULL);
      /* "fixed" is the one font every X server has */
      fixture->window_manager = g_subprocess_launcher_spawn (launcher, &error, program,
                                                             "--bw", "0", "--fn", "fixed",
                                                             NULL);
      g_assert_no_error (error);
      g_subprocess_wait_async (fixture->window_manager, NULL, on_window_manager_exit,
                               &fixture->window_manager_exited);
      test_spin_until (window_manager_started, fixture, "the window manager to start");
    }
#endif
  fixture_set_up (fixture, data);
}

static const char *
header_text (Fixture *fixture)
{
  return loom_goal_indicator_get_text (_loom_window_get_goal_indicator (fixture->window));
}

typedef struct
{
  Fixture    *fixture;
  const char *expected;
} HeaderWait;

static gboolean
header_says (gpointer data)
{
  HeaderWait *wait = data;

  return g_strcmp0 (header_text (wait->fixture), wait->expected) == 0;
}

static void
wait_for_header (Fixture    *fixture,
                 const char *expected)
{
  HeaderWait wait = { fixture, expected };
  g_autofree char *what = NULL;

  what = g_strdup_printf ("the header to say “%s”", expected);

  test_spin_until (header_says, &wait, what);
}

/* The writer clicks into the second scene's prose and types; a second after the keys stop,
 * the header's count has risen by the words typed, and so has its level bar. */
static void
test_typing_counts_today (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomGoalIndicator *indicator = _loom_window_get_goal_indicator (fixture->window);
  GtkLevelBar *level_bar;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (indicator)));
  /* the five words of the set-up were written today, before any goal */
  wait_for_header (fixture, "5 words today");
  g_assert_true (loom_story_set_goals (fixture->story, 0, NULL, 20, &error));
  g_assert_no_error (error);
  wait_for_header (fixture, "5 / 20 words today");
  level_bar = GTK_LEVEL_BAR (gtk_widget_get_last_child (
                gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (indicator)))));
  g_assert_true (GTK_IS_LEVEL_BAR (level_bar));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (level_bar)));
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (level_bar), 0.25, 0.001);

  if (!click_into_prose (fixture))
    return;
  if (!test_ui_type (GTK_WINDOW (fixture->window), "The gulls came back at noon"))
    return;
  wait_for_header (fixture, "11 / 20 words today");
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (level_bar), 0.55, 0.001);

  /* past the goal, the bar is full and the count goes on */
  if (!test_ui_type (GTK_WINDOW (fixture->window), " and stayed there until the lamps were lit again"))
    return;
  wait_for_header (fixture, "20 / 20 words today");
  if (!test_ui_type (GTK_WINDOW (fixture->window), " tonight"))
    return;
  wait_for_header (fixture, "21 / 20 words today");
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (level_bar), 1.0, 0.001);
}

/* At midnight by the store's clock the header starts the new day from nothing, with no save
 * and no keystroke: the five words of the set-up were yesterday's. */
static void
test_midnight_rollover (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) last_second = g_date_time_new (g_date_time_get_timezone (now),
                                                      g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      23, 59, 59);

  wait_for_header (fixture, "5 words today");
  loom_store_set_now (fixture->store, last_second);
  /* a goal set in the day's last second: the header still counts the day's words */
  g_assert_true (loom_story_set_goals (fixture->story, 0, NULL, 20, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (header_text (fixture), ==, "5 / 20 words today");

  wait_for_header (fixture, "0 / 20 words today");
}

static gboolean
stats_dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_STATS_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
stats_dialog_gone (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_STATS_DIALOG) == NULL;
}

/* Ctrl+Shift+S opens the statistics on the open story's log: today's words, the streak, the
 * length, the projection against the deadline and the chart; Escape closes them. */
static void
test_statistics_dialog (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) deadline = g_date_time_add_days (now, 10);
  g_autofree char *deadline_text = g_date_time_format (deadline, "%Y-%m-%d");
  LoomStatsDialog *dialog;
  GtkWidget *chart;

  /* days back: written and accepted; today five written (the set-up) */
  static const int past[][3] = { { 1, 40, 60 }, { 3, 120, 0 }, { 4, 30, 200 }, { 8, 500, 0 } };

  for (guint i = 0; i < G_N_ELEMENTS (past); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add_days (now, -past[i][0]);
      g_autofree char *day = g_date_time_format (then, "%Y-%m-%d");
      g_autofree char *sql = g_strdup_printf ("INSERT INTO word_log VALUES (%" G_GINT64_FORMAT
                                              ", '%s', %d, %d)",
                                              loom_scene_get_id (fixture->scenes[1]), day,
                                              past[i][1], past[i][2]);

      test_sql_exec (fixture->path, sql);
    }
  g_assert_true (loom_story_set_goals (fixture->story, 1005, deadline_text, 5, &error));
  g_assert_no_error (error);

  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+shift+s"))
    return;
  test_spin_until (stats_dialog_shown, NULL, "Ctrl+Shift+S to open the statistics");
  dialog = LOOM_STATS_DIALOG (test_ui_find_toplevel (LOOM_TYPE_STATS_DIALOG));
  chart = GTK_WIDGET (loom_stats_dialog_get_chart (dialog));
  test_spin_until (test_ui_allocated, chart, "the chart laid out");
  test_maybe_pause ();

  g_assert_cmpstr (loom_stats_dialog_get_figure (dialog, "today"), ==, "5 / 5 words");
  g_assert_cmpstr (loom_stats_dialog_get_figure (dialog, "streak"), ==,
                   "2 days in a row at the daily goal");
  g_assert_cmpstr (loom_stats_dialog_get_figure (dialog, "length"), ==, "5 / 1005 words");
  /* 955 words over the nine days since the first with writing: 106.1 a day, so the 1,000
   * left take 10 days, today the first */
  {
    g_autoptr(GDateTime) finish = g_date_time_add_days (now, 9);
    g_autofree char *day = g_date_time_format (finish, "%A, %-d %B %Y");
    g_autofree char *expected = g_strdup_printf ("%s, 1 day before the deadline", day);

    g_assert_cmpstr (loom_stats_dialog_get_figure (dialog, "finish"), ==, expected);
  }

  g_assert_cmpuint (loom_word_chart_get_days (LOOM_WORD_CHART (chart)), ==, 30);
  g_assert_cmpuint (loom_word_chart_get_highest (LOOM_WORD_CHART (chart)), ==, 500);
  /* the value axis: 0, 100, … 500 */
  g_assert_cmpuint (loom_word_chart_get_step (LOOM_WORD_CHART (chart)), ==, 100);
  g_assert_cmpuint (loom_word_chart_get_top (LOOM_WORD_CHART (chart)), ==, 500);
  g_assert_cmpuint (loom_word_chart_step_for (0), ==, 1);
  g_assert_cmpuint (loom_word_chart_step_for (7), ==, 2);
  g_assert_cmpuint (loom_word_chart_step_for (1000), ==, 200);
  g_assert_cmpuint (loom_word_chart_step_for (1234), ==, 500);
  g_assert_true (gtk_widget_get_mapped (chart));
  g_assert_cmpint (gtk_widget_get_height (chart), >, 100);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);

  if (!test_ui_press (GTK_WINDOW (dialog), "Escape"))
    return;
  test_spin_until (stats_dialog_gone, NULL, "Escape to close the statistics");
}

/* ------------------------------------------------------------------------------------------ */
/* Focus mode                                                                                 */

/* The layout focus mode must give back, as the writer sees it. */
typedef struct
{
  char     *page;
  gboolean  flap_revealed;
  int       pane_width;
  gboolean  header_mapped;
  gboolean  sidebar_mapped;
  gboolean  bible_mapped;
  gboolean  heading_mapped;
} Layout;

static GtkWidget *
editor_heading (Fixture *fixture)
{
  GtkWidget *prose =
    GTK_WIDGET (loom_scene_editor_get_prose_view (_loom_window_get_editor (fixture->window)));
  GtkWidget *page = gtk_widget_get_parent (gtk_widget_get_parent (prose));

  /* the scene page's first child: the heading and the status line */
  return gtk_widget_get_first_child (page);
}

static Layout
read_layout (Fixture *fixture)
{
  LoomWindow *window = fixture->window;
  Layout layout = {
    g_strdup (adw_leaflet_get_visible_child_name (_loom_window_get_leaflet (window))),
    adw_flap_get_reveal_flap (_loom_window_get_character_flap (window)),
    loom_side_pane_get_pane_width (LOOM_SIDE_PANE (adw_flap_get_flap (
                                     _loom_window_get_character_flap (window)))),
    gtk_widget_get_mapped (_loom_window_get_header_bar (window)),
    gtk_widget_get_mapped (GTK_WIDGET (_loom_window_get_sidebar (window))),
    gtk_widget_get_mapped (GTK_WIDGET (_loom_window_get_character_panel (window))),
    gtk_widget_get_mapped (editor_heading (fixture)),
  };

  return layout;
}

static void
assert_same_layout (Layout *before,
                    Layout *after)
{
  g_assert_cmpstr (after->page, ==, before->page);
  g_assert_cmpint (after->flap_revealed, ==, before->flap_revealed);
  g_assert_cmpint (after->pane_width, ==, before->pane_width);
  g_assert_cmpint (after->header_mapped, ==, before->header_mapped);
  g_assert_cmpint (after->sidebar_mapped, ==, before->sidebar_mapped);
  g_assert_cmpint (after->bible_mapped, ==, before->bible_mapped);
  g_assert_cmpint (after->heading_mapped, ==, before->heading_mapped);
  g_free (before->page);
  g_free (after->page);
}

static gboolean
same_layout (Layout *a,
             Layout *b)
{
  return g_strcmp0 (a->page, b->page) == 0 && a->flap_revealed == b->flap_revealed &&
         a->pane_width == b->pane_width && a->header_mapped == b->header_mapped &&
         a->sidebar_mapped == b->sidebar_mapped && a->bible_mapped == b->bible_mapped &&
         a->heading_mapped == b->heading_mapped;
}

typedef struct
{
  Fixture *fixture;
  Layout  *layout;
} LayoutWait;

static gboolean
layout_back (gpointer data)
{
  LayoutWait *wait = data;
  Layout now = read_layout (wait->fixture);
  gboolean same = same_layout (&now, wait->layout);

  g_free (now.page);
  return same;
}

/* Waits for the window to lay itself out again (a leaflet folds only then), and checks that
 * the layout is the one before focus mode. */
static void
assert_layout_back (Fixture *fixture,
                    Layout  *before)
{
  LayoutWait wait = { fixture, before };
  Layout after;

  test_spin_until (layout_back, &wait, "the layout from before focus mode");
  after = read_layout (fixture);
  assert_same_layout (before, &after);
}

static gboolean
in_focus_mode (gpointer data)
{
  Fixture *fixture = data;
  gboolean focus_mode;

  g_object_get (fixture->window, "focus-mode", &focus_mode, NULL);
  return focus_mode && !gtk_widget_get_mapped (_loom_window_get_header_bar (fixture->window));
}

static gboolean
out_of_focus_mode (gpointer data)
{
  Fixture *fixture = data;
  gboolean focus_mode;

  g_object_get (fixture->window, "focus-mode", &focus_mode, NULL);
  return !focus_mode && gtk_widget_get_mapped (_loom_window_get_header_bar (fixture->window));
}

/* Only the prose is on the screen: no header, no sidebar, no story bible, no heading. */
static void
assert_only_prose (Fixture *fixture)
{
  LoomWindow *window = fixture->window;
  GtkWidget *prose =
    GTK_WIDGET (loom_scene_editor_get_prose_view (_loom_window_get_editor (window)));

  g_assert_false (gtk_widget_get_mapped (_loom_window_get_header_bar (window)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (_loom_window_get_sidebar (window))));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (_loom_window_get_character_panel (window))));
  g_assert_false (gtk_widget_get_mapped (editor_heading (fixture)));
  g_assert_true (gtk_widget_get_mapped (prose));
  g_assert_true (gtk_widget_has_focus (prose));
}

/* Where the cursor's line is in the prose's view: 0 at its top, 1 at its bottom. */
static double
cursor_height_in_view (Fixture *fixture)
{
  GtkTextView *view = loom_scene_editor_get_prose_view (_loom_window_get_editor (fixture->window));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle cursor, visible;
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (view, &iter, &cursor);
  gtk_text_view_get_visible_rect (view, &visible);
  return (cursor.y + cursor.height / 2.0 - visible.y) / MAX (1, visible.height);
}

static gboolean
cursor_near_middle (gpointer data)
{
  double where = cursor_height_in_view (data);

  return where > 0.35 && where < 0.65;
}

typedef struct
{
  Fixture    *fixture;
  const char *suffix;
} ProseWait;

static gboolean
prose_ends_with (gpointer data)
{
  ProseWait *wait = data;
  GtkTextBuffer *buffer =
    loom_scene_editor_get_prose_buffer (_loom_window_get_editor (wait->fixture->window));
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_str_has_suffix (text, wait->suffix);
}

static char *
long_prose (void)
{
  GString *prose = g_string_new (NULL);

  for (int i = 1; i <= 60; i++)
    g_string_append_printf (prose, "%sParagraph %d of the walk along the coast road.",
                            i > 1 ? "\n\n" : "", i);
  return g_string_free (prose, FALSE);
}

/* F11 from the prose of a scene at the end of a long text: only the prose stays; typing with
 * real keys keeps the line written in the middle of the view, not at its bottom edge, and
 * what was typed is the scene's; Escape gives back the panes as they were. */
static void
test_focus_mode_keys (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prose = long_prose ();
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  ProseWait typed = { fixture, "coast road. The lamps were lit." };
  Layout before;

  g_assert_true (loom_scene_set_prose (fixture->scenes[1], prose, &error));
  g_assert_no_error (error);
  if (!click_into_prose (fixture))
    return;
  before = read_layout (fixture);
  g_assert_true (before.header_mapped && before.sidebar_mapped && before.heading_mapped);

  if (!test_ui_press (GTK_WINDOW (fixture->window), "F11"))
    return;
  test_spin_until (in_focus_mode, fixture, "F11 to enter focus mode");
  assert_only_prose (fixture);

  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+End"))
    return;
  if (!test_ui_type (GTK_WINDOW (fixture->window), " The lamps were lit."))
    return;
  test_spin_until (prose_ends_with, &typed, "the typed words at the end of the prose");
  test_spin_until (cursor_near_middle, fixture, "the typed line in the middle of the view");
  test_maybe_pause ();

  if (!test_ui_press (GTK_WINDOW (fixture->window), "Escape"))
    return;
  test_spin_until (out_of_focus_mode, fixture, "Escape to leave focus mode");
  g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (fixture->window)));
  assert_layout_back (fixture, &before);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (editor))));
}

/* The main menu's Focus Mode enters it, with the story bible open beside the prose; F11
 * leaves it, and the bible is back at the width it had. */
static void
test_focus_mode_menu (Fixture       *fixture,
                      gconstpointer  data)
{
  LoomWindow *window = fixture->window;
  Layout before;

  g_object_set (window, "show-characters", TRUE, NULL);
  if (!click_into_prose (fixture))
    return;
  test_spin_until (test_ui_allocated, _loom_window_get_character_panel (window), "the story bible shown");
  before = read_layout (fixture);
  g_assert_true (before.bible_mapped);

  if (!test_ui_click_menu_item (window->primary_button, "Focus Mode"))
    return;
  test_spin_until (in_focus_mode, fixture, "the main menu's Focus Mode");
  test_spin_until (test_ui_has_focus, loom_scene_editor_get_prose_view (_loom_window_get_editor (window)),
                   "the keyboard back in the prose");
  assert_only_prose (fixture);

  if (!test_ui_press (GTK_WINDOW (window), "F11"))
    return;
  test_spin_until (out_of_focus_mode, fixture, "F11 to leave focus mode");
  assert_layout_back (fixture, &before);
}

static gboolean
leaflet_folded (gpointer data)
{
  LoomWindow *window = data;

  return gtk_widget_get_width (GTK_WIDGET (_loom_window_get_leaflet (window))) > 0 &&
         adw_leaflet_get_folded (_loom_window_get_leaflet (window));
}

/* Narrow (380 px), the window shows the sidebar alone: F11 there shows the prose alone, typing goes
 * into it, and Escape comes back to the sidebar. */
static void
test_focus_mode_narrow (Fixture       *fixture,
                        gconstpointer  data)
{
  LoomWindow *window = fixture->window;
  AdwLeaflet *leaflet = _loom_window_get_leaflet (window);
  LoomSceneEditor *editor = _loom_window_get_editor (window);
  ProseWait typed = { fixture, "Gulls." };
  Layout before;

  test_spin_until (leaflet_folded, window, "the window to fold");
  loom_sidebar_select_item (_loom_window_get_sidebar (window), G_OBJECT (fixture->scenes[1]));
  adw_leaflet_set_visible_child_name (leaflet, "sidebar");
  test_spin_until (test_ui_allocated, _loom_window_get_sidebar (window), "the sidebar shown");
  before = read_layout (fixture);
  g_assert_cmpstr (before.page, ==, "sidebar");

  if (!test_ui_press (GTK_WINDOW (window), "F11"))
    return;
  test_spin_until (in_focus_mode, fixture, "F11 to enter focus mode");
  test_spin_until (test_ui_has_focus, loom_scene_editor_get_prose_view (editor), "the prose focused");
  assert_only_prose (fixture);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  if (!test_ui_type (GTK_WINDOW (window), "Gulls."))
    return;
  test_spin_until (prose_ends_with, &typed, "the typed word in the prose");

  if (!test_ui_press (GTK_WINDOW (window), "Escape"))
    return;
  test_spin_until (out_of_focus_mode, fixture, "Escape to leave focus mode");
  assert_layout_back (fixture, &before);
}

typedef struct
{
  GtkWindow *window;
  gboolean   fullscreen;
  int        width;
  int        height;
} SizeWait;

/* The window is (or is not) fullscreen, as the window manager says, and its surface on the
 * screen is @width × @height. */
static gboolean
window_is (gpointer data)
{
  SizeWait *wait = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (wait->window));

  return gtk_window_is_fullscreen (wait->window) == wait->fullscreen &&
         gdk_surface_get_width (surface) == wait->width &&
         gdk_surface_get_height (surface) == wait->height;
}

/* With a window manager (the test's own on Xvfb): F11 makes the window fullscreen, the size
 * of its monitor; Escape makes it the size it was, not fullscreen. */
static void
test_focus_mode_fullscreen (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GdkMonitor *monitor;
  GdkRectangle screen;
  SizeWait before = { window, FALSE };
  SizeWait full = { window, TRUE };

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display) && !window_manager_running ())
    {
      g_test_skip ("No window manager: install evilwm (build-aux/test.sh does)");
      return;
    }
#endif
  if (!click_into_prose (fixture))
    return;
  g_assert_false (gtk_window_is_fullscreen (window));
  monitor = gdk_display_get_monitor_at_surface (display,
                                                gtk_native_get_surface (GTK_NATIVE (window)));
  gdk_monitor_get_geometry (monitor, &screen);
  full.width = screen.width;
  full.height = screen.height;
  before.width = gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window)));
  before.height = gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window)));
  g_assert_cmpint (before.width, <, screen.width);
  g_assert_cmpint (before.height, <, screen.height);

  if (!test_ui_press (window, "F11"))
    return;
  test_spin_until (in_focus_mode, fixture, "F11 to enter focus mode");
  test_spin_until (window_is, &full, "the window fullscreen");

  if (!test_ui_press (window, "Escape"))
    return;
  test_spin_until (out_of_focus_mode, fixture, "Escape to leave focus mode");
  test_spin_until (window_is, &before, "the window as large as before, not fullscreen");
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/ui/goals"))
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/goals/typing-counts-today", test_typing_counts_today);
  ADD ("/ui/goals/statistics-dialog", test_statistics_dialog);
  ADD ("/ui/goals/midnight-rollover", test_midnight_rollover);
  ADD ("/ui/goals/focus-mode-keys", test_focus_mode_keys);
  ADD ("/ui/goals/focus-mode-menu", test_focus_mode_menu);
#undef ADD
  g_test_add ("/ui/goals/focus-mode-narrow", Fixture, GINT_TO_POINTER (380), fixture_set_up,
              test_focus_mode_narrow, fixture_tear_down);
  g_test_add ("/ui/goals/focus-mode-fullscreen", Fixture, NULL, fixture_set_up_managed,
              test_focus_mode_fullscreen, fixture_tear_down);

  return g_test_run ();
}
