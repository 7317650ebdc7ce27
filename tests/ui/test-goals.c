/* test-goals.c: today's words in the header, the statistics, focus mode (issue 17)
 *
 * A real LoomApplication's window (its accelerators are the writer's keys) on a fresh library;
 * keys and clicks go through the X server with xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-application.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-stats-dialog.h"
#include "loom-story.h"
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
} Fixture;

static LoomApplication *application;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
start_focused (gpointer data)
{
  return LOOM_WINDOW (data)->focus_source == 0;
}

static gboolean
rows_shown (gpointer data)
{
  Fixture *fixture = data;

  return loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                G_OBJECT (fixture->scenes[1])) != NULL;
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (data));
}

/* Shows the second scene and clicks into its prose, as a writer does. */
static gboolean
click_into_prose (Fixture *fixture)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));

  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[1]));
  test_spin_until (allocated, prose, "the prose laid out");
  if (!test_ui_click (prose))
    return FALSE;
  test_spin_until (has_focus, prose, "the focus in the prose");
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

  if (application == NULL)
    {
      application = loom_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
    }
  fixture->window = g_object_ref_sink (loom_window_new (GTK_APPLICATION (application),
                                                        fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_spin_until (window_mapped, fixture->window, "the window to map");
  test_spin_until (rows_shown, fixture, "the sidebar's rows");
  test_spin_until (start_focused, fixture->window, "the keyboard to start in the sidebar");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
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
  test_spin_until (allocated, chart, "the chart laid out");
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
  g_assert_true (gtk_widget_get_mapped (chart));
  g_assert_cmpint (gtk_widget_get_height (chart), >, 100);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);

  if (!test_ui_press (GTK_WINDOW (dialog), "Escape"))
    return;
  test_spin_until (stats_dialog_gone, NULL, "Escape to close the statistics");
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
#undef ADD

  return g_test_run ();
}
