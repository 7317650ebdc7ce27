/* test-search-window.c: search and replace across the story, and Ctrl+F in a scene (issue 17)
 *
 * A real LoomApplication's window on a fresh library; every key and click goes through the X
 * server with xdotool, as a writer gives them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-search-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

#define OUTLINE_A "The lantern is lit."
#define PROSE_A "Mara lifts the lantern. The lantern swings in the wind."
#define PROSE_B "No light reaches the cove."
/* Characters of two bytes before the match: the selection is placed by characters. */
#define PROSE_C "Déjà vu: a lantern, broken, lies on the sand."

typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomStory   *story;
  LoomScene   *scenes[3];
  LoomWindow  *window;
} Fixture;

static gboolean
rows_shown (gpointer data)
{
  Fixture *fixture = data;

  return loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                G_OBJECT (fixture->scenes[2])) != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *chapters[2];
  int width = GPOINTER_TO_INT (data);

  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-search-XXXXXX", &fixture->dir, &fixture->path);
  fixture->story = loom_store_create_story (fixture->store, "Cove", "A light.", "", &error);
  g_assert_no_error (error);
  chapters[0] = loom_store_add_chapter (fixture->store, fixture->story, LOOM_POSITION_END,
                                        "Night", &error);
  g_assert_no_error (error);
  chapters[1] = loom_store_add_chapter (fixture->store, fixture->story, LOOM_POSITION_END,
                                        "Morning", &error);
  g_assert_no_error (error);
  fixture->scenes[0] = loom_store_add_scene (fixture->store, chapters[0], LOOM_POSITION_END,
                                             OUTLINE_A, &error);
  fixture->scenes[1] = loom_store_add_scene (fixture->store, chapters[0], LOOM_POSITION_END,
                                             "The cove.", &error);
  fixture->scenes[2] = loom_store_add_scene (fixture->store, chapters[1], LOOM_POSITION_END,
                                             "The beach.", &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_prose (fixture->scenes[0], PROSE_A, &error));
  g_assert_true (loom_scene_set_prose (fixture->scenes[1], PROSE_B, &error));
  g_assert_true (loom_scene_set_prose (fixture->scenes[2], PROSE_C, &error));
  g_assert_no_error (error);

  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store,
                                                         width > 0 ? width : 1100, 720));
  test_spin_until (rows_shown, fixture, "the sidebar's rows");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

static gboolean
pane_has_focus (gpointer data)
{
  LoomWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return _loom_window_search_shown (window) && focus != NULL &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (_loom_window_get_search_pane (window)));
}

static gboolean
search_closed (gpointer data)
{
  return !_loom_window_search_shown (data);
}

typedef struct
{
  Fixture    *fixture;
  const char *status;
} StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *wait = data;
  LoomSearchPane *pane = _loom_window_get_search_pane (wait->fixture->window);

  return g_strcmp0 (loom_search_pane_get_status_text (pane), wait->status) == 0;
}

/* Ctrl+Shift+F, then the query typed key by key; returns once the pane says STATUS. */
static gboolean
search_for (Fixture    *fixture,
            const char *query,
            const char *status)
{
  StatusWait wait = { fixture, status };

  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+shift+f"))
    return FALSE;
  test_spin_until (pane_has_focus, fixture->window, "the search pane with the keyboard");
  if (!test_ui_type (GTK_WINDOW (fixture->window), query))
    return FALSE;
  test_spin_until (status_is, &wait, status);
  return TRUE;
}

/* The text selected in BUFFER, and where it begins, in characters. */
static char *
selection (GtkTextBuffer *buffer,
           int           *offset)
{
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return g_strdup ("");
  if (offset != NULL)
    *offset = gtk_text_iter_get_offset (&start);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  LoomSceneEditor *editor;
  LoomScene       *scene;
} SceneWait;

static gboolean
scene_shown (gpointer data)
{
  SceneWait *wait = data;

  return loom_scene_editor_get_scene (wait->editor) == wait->scene;
}

/* The writer types "lantern" after Ctrl+Shift+F: the four matches are listed with their place,
 * outline first; Enter opens the first with the word selected in the outline, and a click on
 * the last opens the third scene with the word selected in its prose. */
static void
test_find_and_open (Fixture       *fixture,
                    gconstpointer  data)
{
  LoomSearchPane *pane = _loom_window_get_search_pane (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkListBox *results = loom_search_pane_get_results (pane);
  GtkTextView *prose = loom_scene_editor_get_prose_view (editor);
  GtkWidget *row;
  g_autofree char *selected = NULL;
  g_autofree char *selected_prose = NULL;
  SceneWait wait = { editor, fixture->scenes[0] };
  int offset = -1;

  if (!search_for (fixture, "lantern", "4 matches in 2 scenes"))
    return;
  g_assert_cmpuint (loom_search_pane_get_n_listed (pane), ==, 4);
  g_assert_true (test_ui_find_label (GTK_WIDGET (results), "Chapter 1 · Scene 1 · Outline"));
  g_assert_true (test_ui_find_label (GTK_WIDGET (results), "Chapter 2 · Scene 1"));

  if (!test_ui_press (GTK_WINDOW (fixture->window), "Return"))
    return;
  test_spin_until (scene_shown, &wait, "the first scene to open");
  selected = selection (loom_scene_editor_get_outline_buffer (editor), &offset);
  g_assert_cmpstr (selected, ==, "lantern");
  g_assert_cmpint (offset, ==, 4);

  row = GTK_WIDGET (gtk_list_box_get_row_at_index (results, 3));
  test_spin_until (test_ui_allocated, row, "the last match's row");
  if (!test_ui_click (row))
    return;
  wait.scene = fixture->scenes[2];
  test_spin_until (scene_shown, &wait, "the third scene to open");
  test_spin_until (test_ui_has_focus, prose, "the keyboard in the prose");
  selected_prose = selection (gtk_text_view_get_buffer (prose), &offset);
  g_assert_cmpstr (selected_prose, ==, "lantern");
  g_assert_cmpint (offset, ==, (int) g_utf8_strlen ("Déjà vu: a ", -1));

  /* Escape gives the sidebar back. */
  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+shift+f"))
    return;
  test_spin_until (pane_has_focus, fixture->window, "the search pane again");
  if (!test_ui_press (GTK_WINDOW (fixture->window), "Escape"))
    return;
  test_spin_until (search_closed, fixture->window, "the sidebar back after Escape");
  test_spin_until (test_ui_has_focus, prose, "the keyboard back in the prose");
}

static gboolean
dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
replacement_typed (gpointer data)
{
  return g_strcmp0 (loom_search_pane_get_replacement (data), "lamp") == 0;
}

/* Whether the scene keeps PROSE as a revision that Replace All made. */
static gboolean
has_replace_revision (LoomStore  *store,
                      LoomScene  *scene,
                      const char *prose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = loom_store_list_revisions (store, scene, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(LoomRevision) revision = g_list_model_get_item (revisions, i);

      if (loom_revision_get_origin (revision) == LOOM_REVISION_REPLACE &&
          g_strcmp0 (loom_revision_get_prose (revision), prose) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The writer types in the first scene and at once replaces "lantern" by "lamp" across the
 * story: the question names 4 matches in 2 scenes (the typed one too, the outline's not), the
 * open editor shows the new text, each scene keeps its earlier prose as a revision; Ctrl+Z puts
 * every scene's prose back byte for byte, and Ctrl+Shift+Z replaces again. */
static void
test_replace_all_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  LoomSearchPane *pane = _loom_window_get_search_pane (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));
  const char *typed = PROSE_A " A last lantern";
  const char *replaced_a = "Mara lifts the lamp. The lamp swings in the wind. A last lamp";
  const char *replaced_c = "Déjà vu: a lamp, broken, lies on the sand.";
  g_autofree char *shown = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *replace_entry;

  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[0]));
  test_spin_until (test_ui_allocated, prose, "the prose laid out");
  if (!test_ui_click (prose) || !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+End") ||
      !test_ui_type (GTK_WINDOW (fixture->window), " A last lantern"))
    return;
  /* no pause: the autosave has not run yet, the search saves first */
  if (!search_for (fixture, "lantern", "5 matches in 2 scenes"))
    return;
  g_assert_cmpstr (test_scene_prose (fixture->scenes[0]), ==, typed);

  replace_entry = loom_search_pane_get_replace_entry (pane);
  if (!test_ui_click (replace_entry) || !test_ui_type (GTK_WINDOW (fixture->window), "lamp"))
    return;
  test_spin_until (replacement_typed, pane, "“lamp” typed as the replacement");
  if (!test_ui_click (test_ui_find_button (GTK_WIDGET (pane), "Replace _All…")))
    return;

  test_spin_until (dialog_shown, NULL, "the question before replacing");
  dialog = ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Replace 4 Matches?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "“lantern” becomes “lamp” in the prose of 2 scenes."));
  if (!test_ui_press (GTK_WINDOW (dialog), "alt+r"))
    return;

  test_wait_for_prose (fixture->scenes[0], replaced_a, replaced_a);
  test_wait_for_prose (fixture->scenes[2], replaced_c, replaced_c);
  g_assert_cmpstr (test_scene_prose (fixture->scenes[1]), ==, PROSE_B);
  g_assert_cmpstr (loom_scene_get_outline (fixture->scenes[0]), ==, OUTLINE_A);
  /* the open editor shows the new text */
  {
    GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (editor);
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, replaced_a);
  }
  g_assert_true (has_replace_revision (fixture->store, fixture->scenes[0], typed));
  g_assert_true (has_replace_revision (fixture->store, fixture->scenes[2], PROSE_C));

  /* The keyboard is on the Replace All button again, not in a text: Ctrl+Z is the window's. */
  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+z"))
    return;
  test_wait_for_prose (fixture->scenes[0], typed, typed);
  test_wait_for_prose (fixture->scenes[2], PROSE_C, PROSE_C);
  g_assert_cmpstr (test_scene_prose (fixture->scenes[1]), ==, PROSE_B);

  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+shift+z"))
    return;
  test_wait_for_prose (fixture->scenes[0], replaced_a, replaced_a);
  test_wait_for_prose (fixture->scenes[2], replaced_c, replaced_c);
}

typedef struct
{
  LoomFindBar   *bar;
  GtkTextBuffer *buffer;
  const char    *count;
  int            offset;
} CountWait;

/* The bar says COUNT and the match at OFFSET is selected. */
static gboolean
count_is (gpointer data)
{
  CountWait *wait = data;
  g_autofree char *selected = NULL;
  int at = -1;

  selected = selection (wait->buffer, &at);
  return g_strcmp0 (loom_find_bar_get_count_text (wait->bar), wait->count) == 0 &&
         g_str_equal (selected, "lantern") && at == wait->offset;
}

/* KEYS pressed; then the bar says COUNT with the match at OFFSET selected in VIEW. */
static gboolean
press_and_count (Fixture     *fixture,
                 LoomFindBar *bar,
                 GtkTextView *view,
                 const char  *keys,
                 const char  *count,
                 int          offset)
{
  CountWait wait = { bar, gtk_text_view_get_buffer (view), count, offset };
  g_autofree char *what = g_strdup_printf ("“%s” after %s", count, keys);

  if (!test_ui_press (GTK_WINDOW (fixture->window), keys))
    return FALSE;
  test_spin_until (count_is, &wait, what);
  return TRUE;
}

static gboolean
find_bar_open (gpointer data)
{
  return loom_find_bar_get_open (data);
}

/* Ctrl+F in the first scene: typing selects the first match and says "1 of 2"; Enter goes on,
 * Shift+Enter goes back, Ctrl+G goes on (wrapping around); Escape closes the bar and leaves
 * the keyboard in the prose with the match selected. */
static void
test_find_in_scene (Fixture       *fixture,
                    gconstpointer  data)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));
  GtkTextView *view = GTK_TEXT_VIEW (prose);
  LoomFindBar *bar = loom_scene_editor_get_find_bar (editor);
  int first = (int) strlen ("Mara lifts the ");
  int second = (int) strlen ("Mara lifts the lantern. The ");

  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[0]));
  test_spin_until (test_ui_allocated, prose, "the prose laid out");
  if (!test_ui_click (prose) || !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+Home") ||
      !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+f"))
    return;
  test_spin_until (find_bar_open, bar, "the find bar after Ctrl+F");
  if (!test_ui_type (GTK_WINDOW (fixture->window), "lanter") ||
      !press_and_count (fixture, bar, view, "n", "1 of 2", first) ||
      !press_and_count (fixture, bar, view, "Return", "2 of 2", second) ||
      !press_and_count (fixture, bar, view, "shift+Return", "1 of 2", first) ||
      !press_and_count (fixture, bar, view, "ctrl+g", "2 of 2", second) ||
      !press_and_count (fixture, bar, view, "ctrl+g", "1 of 2", first))
    return;

  if (!test_ui_press (GTK_WINDOW (fixture->window), "Escape"))
    return;
  test_spin_until (test_ui_has_focus, prose, "the keyboard back in the prose");
  g_assert_false (loom_find_bar_get_open (bar));
  {
    g_autofree char *selected = selection (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prose)),
                                           NULL);

    g_assert_cmpstr (selected, ==, "lantern");
  }
}

/* Ctrl+F with the keyboard in the outline searches the outline: typing selects its first
 * match, Enter the second, and Escape leaves the keyboard in the outline with the match
 * selected, the prose untouched. Ctrl+F in the prose then searches the prose again. */
static void
test_find_in_outline (Fixture       *fixture,
                      gconstpointer  data)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextView *outline = loom_scene_editor_get_outline_view (editor);
  GtkTextView *prose = loom_scene_editor_get_prose_view (editor);
  LoomFindBar *bar = loom_scene_editor_get_find_bar (editor);
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *prose_selected = NULL;

  loom_scene_set_outline (fixture->scenes[0], "The lantern is lit; a second lantern burns.",
                          &error);
  g_assert_no_error (error);
  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[0]));
  test_spin_until (test_ui_allocated, outline, "the outline laid out");
  if (!test_ui_click (GTK_WIDGET (outline)) ||
      !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+Home") ||
      !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+f"))
    return;
  test_spin_until (find_bar_open, bar, "the find bar after Ctrl+F in the outline");
  g_assert_true (loom_find_bar_get_view (bar) == GTK_SOURCE_VIEW (outline));
  if (!test_ui_type (GTK_WINDOW (fixture->window), "lantern") ||
      !press_and_count (fixture, bar, outline, "Return", "2 of 2",
                        (int) strlen ("The lantern is lit; a second ")) ||
      !press_and_count (fixture, bar, outline, "Return", "1 of 2", (int) strlen ("The ")))
    return;
  prose_selected = selection (gtk_text_view_get_buffer (prose), NULL);
  g_assert_cmpstr (prose_selected, ==, "");

  if (!test_ui_press (GTK_WINDOW (fixture->window), "Escape"))
    return;
  test_spin_until (test_ui_has_focus, outline, "the keyboard back in the outline");
  selected = selection (gtk_text_view_get_buffer (outline), NULL);
  g_assert_cmpstr (selected, ==, "lantern");

  if (!test_ui_click (GTK_WIDGET (prose)) ||
      !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+Home") ||
      !test_ui_press (GTK_WINDOW (fixture->window), "ctrl+f"))
    return;
  test_spin_until (find_bar_open, bar, "the find bar after Ctrl+F in the prose");
  g_assert_true (loom_find_bar_get_view (bar) == GTK_SOURCE_VIEW (prose));
  if (test_ui_type (GTK_WINDOW (fixture->window), "lanter"))
    press_and_count (fixture, bar, prose, "n", "1 of 2", (int) strlen ("Mara lifts the "));
}

/* A story with "lantern" 501 times: the pane lists 500, says there are more without counting
 * them, and its last row says why the list stops. */
static void
test_more_than_listed (Fixture       *fixture,
                       gconstpointer  data)
{
  LoomSearchPane *pane = _loom_window_get_search_pane (fixture->window);
  g_autoptr(GString) prose = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 501 - 4; i++)
    g_string_append (prose, "A lantern. ");
  g_assert_true (loom_scene_set_prose (fixture->scenes[1], prose->str, &error));
  g_assert_no_error (error);
  if (!search_for (fixture, "lantern", "More than 500 matches — refine the search"))
    return;
  g_assert_cmpuint (loom_search_pane_get_n_listed (pane), ==, LOOM_SEARCH_PANE_MAX_LISTED);
  g_assert_true (test_ui_find_label (GTK_WIDGET (loom_search_pane_get_results (pane)),
                                     "Only the first 500 matches are listed. Make the search "
                                     "narrower to see the others."));
}

static gboolean
row_has_label (GtkListBoxRow *row,
               const char    *label)
{
  return row != NULL && test_ui_find_label (GTK_WIDGET (row), label);
}

/* The pane stays open while another program (a second connection to the library, as
 * storyloom-cli is) gives the cove a lantern, then deletes that scene: the list follows
 * each time by itself, and the match the writer had selected, in the third scene, stays
 * selected wherever it moves in the list. */
static void
test_outside_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  LoomSearchPane *pane = _loom_window_get_search_pane (fixture->window);
  GtkListBox *results = loom_search_pane_get_results (pane);
  g_autoptr(LoomStore) other = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;
  StatusWait wait = { fixture, "5 matches in 3 scenes" };
  LoomScene *cove;

  if (!search_for (fixture, "lantern", "4 matches in 2 scenes"))
    return;
  gtk_list_box_select_row (results, gtk_list_box_get_row_at_index (results, 3));
  g_assert_true (row_has_label (gtk_list_box_get_selected_row (results), "Chapter 2 · Scene 1"));

  other = loom_store_open (fixture->path, &error);
  g_assert_no_error (error);
  cove = loom_store_lookup_scene (other, loom_scene_get_id (fixture->scenes[1]));
  g_assert_nonnull (cove);
  g_assert_true (loom_scene_set_prose (cove, "A lantern swings in the cove.", &error));
  g_assert_no_error (error);
  test_spin_until (status_is, &wait, "the other program's lantern in the list");
  g_assert_true (row_has_label (gtk_list_box_get_row_at_index (results, 3),
                                "Chapter 1 · Scene 2"));
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (results)), ==, 4);
  g_assert_true (row_has_label (gtk_list_box_get_selected_row (results), "Chapter 2 · Scene 1"));

  deletion = loom_store_delete_scene (other, cove, &error);
  g_assert_no_error (error);
  wait.status = "4 matches in 2 scenes";
  test_spin_until (status_is, &wait, "the deleted scene's match gone from the list");
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (results)), ==, 3);
  g_assert_true (row_has_label (gtk_list_box_get_selected_row (results), "Chapter 2 · Scene 1"));
  loom_store_close (other);
}

static gboolean
leaflet_shows (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (adw_leaflet_get_visible_child_name (args[0]), args[1]) == 0;
}

/* 360 px wide, one pane at a time: Ctrl+Shift+F shows the search where the sidebar is, Enter
 * shows the editor on the first match, and Alt+Left comes back to the list of matches. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  AdwLeaflet *leaflet = _loom_window_get_leaflet (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  gpointer content[] = { leaflet, (gpointer) "content" };
  gpointer sidebar[] = { leaflet, (gpointer) "sidebar" };
  SceneWait wait = { editor, fixture->scenes[0] };

  test_spin_until (test_ui_allocated, leaflet, "the leaflet laid out");
  g_assert_true (adw_leaflet_get_folded (leaflet));
  if (!search_for (fixture, "lantern", "4 matches in 2 scenes"))
    return;
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  if (!test_ui_press (GTK_WINDOW (fixture->window), "Return"))
    return;
  test_spin_until (leaflet_shows, content, "the editor on the match");
  test_spin_until (scene_shown, &wait, "the first scene to open");
  if (!test_ui_press (GTK_WINDOW (fixture->window), "alt+Left"))
    return;
  test_spin_until (leaflet_shows, sidebar, "the matches again");
  test_spin_until (pane_has_focus, fixture->window, "the keyboard in the search");
}

int
main (int   argc,
      char *argv[])
{
  if (!test_ui_init (&argc, &argv, "/search"))
    return g_test_run ();

  g_test_add ("/search/find-and-open", Fixture, NULL, fixture_set_up, test_find_and_open,
              fixture_tear_down);
  g_test_add ("/search/replace-all-undo", Fixture, NULL, fixture_set_up, test_replace_all_undo,
              fixture_tear_down);
  g_test_add ("/search/find-in-scene", Fixture, NULL, fixture_set_up, test_find_in_scene,
              fixture_tear_down);
  g_test_add ("/search/find-in-outline", Fixture, NULL, fixture_set_up, test_find_in_outline,
              fixture_tear_down);
  g_test_add ("/search/more-than-listed", Fixture, NULL, fixture_set_up, test_more_than_listed,
              fixture_tear_down);
  g_test_add ("/search/outside-changes", Fixture, NULL, fixture_set_up, test_outside_changes,
              fixture_tear_down);
  g_test_add ("/search/narrow", Fixture, GINT_TO_POINTER (360), fixture_set_up, test_narrow,
              fixture_tear_down);
  return g_test_run ();
}
