/* test-adaptive.c: the writing window from a phone's width to a wide screen (issue 14)
 *
 * The window opens on the sample story at 360×640, 800×600 and 1200×800. Narrow, the leaflet
 * shows the sidebar or the editor and the character panel slides over the editor; every control
 * of the header stays inside the window, and the window never asks for more than 360 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  char       *path;
  LoomStore  *store;
  LoomStory  *story;
  LoomWindow *window;
} Fixture;

typedef struct
{
  int width;
  int height;
} Size;

static const Size narrow = { 360, 640 };
static const Size medium = { 800, 600 };
static const Size wide = { 1200, 800 };

static gboolean
window_laid_out (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window)) &&
         gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0 &&
         gtk_widget_get_width (GTK_WIDGET (fixture->window->leaflet)) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Size *size = data;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("storyloom-adaptive-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "library.db", NULL);
  fixture->store = loom_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->story = loom_sample_load (fixture->store, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (loom_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_spin_until (window_laid_out, fixture, "the window to be laid out");
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  LoomWindow *window = fixture->window;

  test_maybe_pause ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  test_spin_until (window_gone, &window, "the window to be finalized");

  loom_store_close (fixture->store);
  g_clear_object (&fixture->store);
  test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* ------------------------------------------------------------------------------------------ */

static int
minimum_width (Fixture *fixture)
{
  int minimum;

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The window's width on screen, its frame included. */
static int
surface_width (Fixture *fixture)
{
  return gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (fixture->window)));
}

static gboolean
is_inside_window (Fixture   *fixture,
                  GtkWidget *widget)
{
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->window));

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds) &&
         bounds.size.width >= 1 && bounds.origin.x >= 0 &&
         bounds.origin.x + bounds.size.width <= width;
}

/* WIDGET is on screen, whole, inside the window: not clipped by its edge. */
static void
assert_inside_window (Fixture    *fixture,
                      GtkWidget  *widget,
                      const char *what)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget))
    g_error ("%s is not on screen", what);
  if (!is_inside_window (fixture, widget))
    {
      g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
      g_error ("%s lies at %.0f…%.0f, outside the window's %d px", what, bounds.origin.x,
               bounds.origin.x + bounds.size.width, gtk_widget_get_width (GTK_WIDGET (fixture->window)));
    }
}

/* Every control of the header can be reached: on screen and inside the window. */
static void
assert_header_reachable (Fixture *fixture)
{
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->story_button), "the story menu");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->generate_button),
                        "the Generate menu");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->characters_button),
                        "the Characters button");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->primary_button), "the main menu");
}

static gboolean
header_settled (gpointer data)
{
  Fixture *fixture = data;

  return fixture->window->header_source == 0;
}

static gboolean
showing_content (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (adw_leaflet_get_visible_child_name (fixture->window->leaflet), "content") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (fixture->window->editor)) &&
         gtk_widget_get_mapped (GTK_WIDGET (fixture->window->back_button));
}

static gboolean
showing_sidebar (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (adw_leaflet_get_visible_child_name (fixture->window->leaflet), "sidebar") == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (fixture->window->sidebar));
}

static gboolean
panel_shown (gpointer data)
{
  Fixture *fixture = data;

  return adw_flap_get_reveal_flap (fixture->window->character_flap) &&
         adw_flap_get_reveal_progress (fixture->window->character_flap) >= 1.0 &&
         is_inside_window (fixture, GTK_WIDGET (fixture->window->character_panel));
}

static gboolean
panel_hidden (gpointer data)
{
  Fixture *fixture = data;

  return !adw_flap_get_reveal_flap (fixture->window->character_flap) &&
         adw_flap_get_reveal_progress (fixture->window->character_flap) <= 0.0;
}

static gboolean
row_mapped (gpointer data)
{
  return data != NULL && gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

/* At a phone's 360 px: one pane at a time, everything reachable with a finger or the keys. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");
  LoomChapter *chapter;
  LoomScene *scene;
  GtkWidget *row;

  g_assert_true (adw_leaflet_get_folded (fixture->window->leaflet));
  test_spin_until (header_settled, fixture, "the header to follow the layout");
  g_assert_cmpint (minimum_width (fixture), <=, narrow.width);
  g_assert_cmpint (surface_width (fixture), ==, narrow.width);

  /* The sidebar first (the back button leads there if the editor came up). */
  if (!showing_sidebar (fixture))
    {
      if (!test_ui_click (GTK_WIDGET (fixture->window->back_button)))
        return;
      test_spin_until (showing_sidebar, fixture, "the sidebar after Back");
    }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->back_button)));
  g_assert_cmpint (minimum_width (fixture), <=, narrow.width);
  assert_header_reachable (fixture);

  /* A click on a scene opens it in the editor, with a way back. */
  chapter = g_list_model_get_item (loom_story_get_chapters (fixture->story), 0);
  g_object_unref (chapter);
  scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 1);
  g_object_unref (scene);
  row = GTK_WIDGET (loom_sidebar_find_row (fixture->window->sidebar, G_OBJECT (scene)));
  test_spin_until (row_mapped, row, "the second scene's row");
  if (!test_ui_click (row))
    return;
  test_spin_until (showing_content, fixture, "the editor after a click on a scene");
  /* Over the editor, the panel waits to be asked for. */
  g_assert_true (adw_flap_get_folded (fixture->window->character_flap));
  test_spin_until (panel_hidden, fixture, "the character panel to stay closed");
  g_assert_true (loom_window_get_selected_item (fixture->window) == G_OBJECT (scene));
  test_spin_until (header_settled, fixture, "the header to follow the layout");
  g_assert_cmpint (minimum_width (fixture), <=, narrow.width);
  g_assert_cmpint (surface_width (fixture), ==, narrow.width);
  assert_header_reachable (fixture);
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->back_button), "the back button");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->window->generate_label)));
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->editor), "the editor");

  /* F9 lays the character panel over the editor; Escape closes it, and the writer's choice
   * for wide windows (GSettings) stays as it was. */
  g_assert_true (g_settings_get_boolean (settings, "show-characters"));
  if (!test_ui_press (GTK_WINDOW (fixture->window), "F9"))
    return;
  test_spin_until (panel_shown, fixture, "the character panel after F9");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->character_panel),
                        "the character panel");
  g_assert_cmpint (minimum_width (fixture), <=, narrow.width);
  test_ui_press (GTK_WINDOW (fixture->window), "Escape");
  test_spin_until (panel_hidden, fixture, "the character panel to close on Escape");
  g_assert_true (g_settings_get_boolean (settings, "show-characters"));

  /* Alt+Left goes back to the sidebar, as the back button does. */
  test_ui_press (GTK_WINDOW (fixture->window), "alt+Left");
  test_spin_until (showing_sidebar, fixture, "the sidebar after Alt+Left");
}

/* At 800 and 1200 px: sidebar, editor and character panel side by side, nothing folded. */
static void
test_side_by_side (Fixture       *fixture,
                   gconstpointer  data)
{
  const Size *size = data;

  g_assert_cmpint (surface_width (fixture), ==, size->width);
  g_assert_false (adw_leaflet_get_folded (fixture->window->leaflet));
  g_assert_false (adw_flap_get_folded (fixture->window->character_flap));
  test_spin_until (panel_shown, fixture, "the character panel");
  test_spin_until (header_settled, fixture, "the header to follow the layout");

  assert_inside_window (fixture, GTK_WIDGET (fixture->window->sidebar), "the sidebar");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->editor), "the editor");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->character_panel),
                        "the character panel");
  assert_header_reachable (fixture);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->back_button)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window->generate_label)));
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->add_scene_button), "Add Scene");

  /* The panel hidden by hand stays hidden, and GSettings remembers it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-characters", NULL);
  test_spin_until (panel_hidden, fixture, "the character panel to hide");
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");

    g_assert_false (g_settings_get_boolean (settings, "show-characters"));
    g_settings_set_boolean (settings, "show-characters", TRUE);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (!test_ui_init (&argc, &argv, "/ui/adaptive"))
    return g_test_run ();
  /* GNOME's title buttons (org.gnome.desktop.wm.preferences button-layout), on the desktop and
   * on phones alike; GTK alone would add Minimize and Maximize, which GNOME doesn't show. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  g_test_add ("/ui/adaptive/narrow-360", Fixture, &narrow, fixture_set_up, test_narrow,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/medium-800", Fixture, &medium, fixture_set_up, test_side_by_side,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/wide-1200", Fixture, &wide, fixture_set_up, test_side_by_side,
              fixture_tear_down);
  return g_test_run ();
}
