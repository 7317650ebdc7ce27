/* test-adaptive.c: the writing window from a phone's width to a wide screen (issue 14)
 *
 * The window opens on the sample story at 360×640, 800×600 and 1200×800. Narrow, the leaflet
 * shows the sidebar or the editor and the character panel slides over the editor; every control
 * of the header stays inside the window (or, folded, in the main menu), with GTK's three title
 * buttons, and the window never asks for more than 360 px. Wide, the character panel's edge
 * drags it wider or narrower, F8 and the arrows do the same, and the width is remembered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-adaptive"

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

  fixture->store = test_library_open ("storyloom-adaptive-XXXXXX", &fixture->dir, &fixture->path);
  fixture->story = loom_sample_load (fixture->store, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (loom_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_spin_until (window_laid_out, fixture, "the window to be laid out");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_maybe_pause ();
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
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

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      links = g_menu_model_iterate_item_links (menu, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          if (menu_has_action (link, action))
            return TRUE;
        }
    }
  return FALSE;
}

/* Every control of the header can be reached: on screen and inside the window. Folded, the
 * Characters button gives its place to the window's own buttons and the main menu has it. */
static void
assert_header_reachable (Fixture *fixture)
{
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->story_button), "the story menu");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->generate_button),
                        "the Generate menu");
  if (adw_leaflet_get_folded (fixture->window->leaflet))
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->characters_button)));
  else
    assert_inside_window (fixture, GTK_WIDGET (fixture->window->characters_button),
                          "the Characters button");
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->primary_button), "the main menu");
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (fixture->window->primary_button),
                                  "win.show-characters"));
}

static gboolean
header_settled (gpointer data)
{
  Fixture *fixture = data;

  return fixture->window->header_source == 0;
}

static gboolean
prose_focused (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_has_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (
                                 fixture->window->editor)));
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

static gboolean
menu_open (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
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
  /* The keyboard follows into the prose, not onto the status line. */
  test_spin_until (prose_focused, fixture, "the prose to have the keyboard");
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

  /* Without the keys: the main menu's first item, Characters. */
  if (!test_ui_click (GTK_WIDGET (fixture->window->primary_button)))
    return;
  test_spin_until (menu_open, fixture->window->primary_button, "the main menu to open");
  test_ui_press (GTK_WINDOW (fixture->window), "Return");
  test_spin_until (panel_shown, fixture, "the character panel from the main menu");
  test_ui_press (GTK_WINDOW (fixture->window), "Escape");
  test_spin_until (panel_hidden, fixture, "the character panel to close on Escape");

  /* Alt+Left goes back to the sidebar, as the back button does. */
  test_ui_press (GTK_WINDOW (fixture->window), "alt+Left");
  test_spin_until (showing_sidebar, fixture, "the sidebar after Alt+Left");
}

/* At 800 and 1200 px: sidebar, editor and character panel side by side, nothing folded. */
static gboolean
generate_label_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window->generate_label));
}

/* The story's title is not shortened, and nothing in the header overlaps. */
static void
assert_title_whole (Fixture *fixture)
{
  GtkWidget *title = GTK_WIDGET (fixture->window->story_button);
  GtkWidget *generate = GTK_WIDGET (fixture->window->generate_button);
  graphene_rect_t title_box, generate_box;
  int natural;

  gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (title), >=, natural);
  g_assert_true (gtk_widget_compute_bounds (title, GTK_WIDGET (fixture->window), &title_box));
  g_assert_true (gtk_widget_compute_bounds (generate, GTK_WIDGET (fixture->window),
                                            &generate_box));
  g_assert_false (graphene_rect_intersection (&title_box, &generate_box, NULL));
}

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
  /* From 800 px on, beside GTK's three title buttons, Generate keeps its label and the
   * story's title is whole. */
  test_spin_until (generate_label_shown, fixture, "Generate's label");
  assert_title_whole (fixture);
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->add_scene_button), "Add Scene");

  /* The panel hidden by hand (its header button, clicked) stays hidden, and GSettings
   * remembers it. */
  if (!test_ui_click (GTK_WIDGET (fixture->window->characters_button)))
    return;
  test_spin_until (panel_hidden, fixture, "the character panel to hide");
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");

    g_assert_false (g_settings_get_boolean (settings, "show-characters"));
    g_settings_set_boolean (settings, "show-characters", TRUE);
  }
}

static int
pane_width (Fixture *fixture)
{
  return gtk_widget_get_width (GTK_WIDGET (fixture->window->side_pane));
}

typedef struct
{
  Fixture *fixture;
  int      width;
} PaneWidth;

static gboolean
pane_width_is (gpointer data)
{
  PaneWidth *expected = data;

  return pane_width (expected->fixture) == expected->width;
}

static int
pane_minimum (Fixture *fixture)
{
  int minimum;

  gtk_widget_measure (GTK_WIDGET (fixture->window->side_pane), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The character panel's edge is a handle: dragged towards the editor the panel widens, away
 * from it the panel narrows down to its minimum, never below; the window remembers the width
 * in GSettings, and the panel never takes the room the editor needs. */
static void
test_resize_panel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");
  GtkWidget *handle = loom_side_pane_get_handle (fixture->window->side_pane);
  int before;
  PaneWidth expected = { fixture, 0 };

  test_spin_until (panel_shown, fixture, "the character panel");
  before = pane_width (fixture);
  g_assert_cmpint (before, ==, pane_minimum (fixture));

  if (!test_ui_drag (handle, -150))
    return;
  expected.width = before + 150;
  test_spin_until (pane_width_is, &expected, "the panel to widen by 150 px");
  g_assert_cmpint (loom_side_pane_get_pane_width (fixture->window->side_pane), ==, before + 150);
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->editor), "the editor");

  /* Far past the editor, the editor keeps the width it needs. */
  test_ui_drag (handle, -2000);
  test_spin_until (panel_shown, fixture, "the character panel");
  g_assert_false (adw_flap_get_folded (fixture->window->character_flap));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window->editor)), >=, 300);
  assert_inside_window (fixture, GTK_WIDGET (fixture->window->character_panel),
                        "the character panel");

  /* Far the other way, the panel stops at its minimum. */
  test_ui_drag (handle, 2000);
  expected.width = pane_minimum (fixture);
  test_spin_until (pane_width_is, &expected, "the panel at its narrowest");

  test_ui_drag (handle, -100);
  expected.width = pane_minimum (fixture) + 100;
  test_spin_until (pane_width_is, &expected, "the panel to widen by 100 px");
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_cmpint (g_settings_get_int (settings, "character-panel-width"), ==,
                   pane_minimum (fixture) + 100);
  g_settings_reset (settings, "character-panel-width");
}

typedef struct
{
  Fixture   *fixture;
  GtkWidget *widget;
} Focus;

static gboolean
keyboard_in_window (gpointer data)
{
  Fixture *fixture = data;

  /* Once the window has put it where the keyboard starts. */
  return fixture->window->focus_source == 0 &&
         gtk_root_get_focus (GTK_ROOT (fixture->window)) != NULL;
}

static gboolean
focus_in_panel (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (fixture->window->character_panel));
}

/* Presses KEYS, separated by spaces, one after the other. */
static void
press_each (GtkWindow  *window,
            const char *keys)
{
  g_auto(GStrv) each = g_strsplit (keys, " ", -1);

  for (guint i = 0; each[i] != NULL; i++)
    test_ui_press (window, each[i]);
}

static gboolean
has_focus (gpointer data)
{
  Focus *expected = data;

  return gtk_root_get_focus (GTK_ROOT (expected->fixture->window)) == expected->widget;
}

/* The same with the keys alone: F8 takes the panel's edge, as it takes a GtkPaned's; Left
 * widens the panel a step (Ctrl a larger one), Right narrows it, Home to its narrowest;
 * Escape takes back what the keys changed and Return keeps it, both giving the keyboard back
 * to where it was; the width is remembered as the drag's is. */
static void
test_resize_panel_keys (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");
  GtkWindow *window = GTK_WINDOW (fixture->window);
  GtkWidget *handle = loom_side_pane_get_handle (fixture->window->side_pane);
  GtkWidget *before_focus;
  PaneWidth expected = { fixture, 0 };
  Focus on_handle = { fixture, handle };
  Focus back = { fixture, NULL };
  int before;

  test_spin_until (panel_shown, fixture, "the character panel");
  test_spin_until (keyboard_in_window, fixture, "the keyboard in the window");
  before_focus = gtk_root_get_focus (GTK_ROOT (window));
  back.widget = before_focus;
  g_assert_true (before_focus != handle);
  before = pane_width (fixture);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (handle)), ==,
                   GTK_ACCESSIBLE_ROLE_SEPARATOR);

  if (!test_ui_press (window, "F8"))
    return;
  test_spin_until (has_focus, &on_handle, "the panel's edge to take the keyboard after F8");
  g_assert_true (gtk_window_get_focus_visible (window));

  press_each (window, "Left Left Left");
  expected.width = before + 30;
  test_spin_until (pane_width_is, &expected, "the panel 30 px wider after Left three times");
  test_ui_press (window, "ctrl+Left");
  expected.width = before + 30 + 75;
  test_spin_until (pane_width_is, &expected, "the panel 75 px wider after Ctrl+Left");
  test_ui_press (window, "Right");
  expected.width = before + 30 + 75 - 10;
  test_spin_until (pane_width_is, &expected, "the panel 10 px narrower after Right");

  /* Escape: the width the panel had, and the keyboard where it was. */
  test_ui_press (window, "Escape");
  expected.width = before;
  test_spin_until (pane_width_is, &expected, "the panel's width back after Escape");
  test_spin_until (has_focus, &back, "the keyboard back where it was after Escape");

  /* Home goes to the narrowest, never below; Return keeps what the keys did. */
  test_ui_press (window, "F8");
  test_spin_until (has_focus, &on_handle, "the panel's edge after F8 again");
  press_each (window, "ctrl+Left Home Right");
  expected.width = pane_minimum (fixture);
  test_spin_until (pane_width_is, &expected, "the panel at its narrowest after Home");
  press_each (window, "Left Left Return");
  expected.width = pane_minimum (fixture) + 20;
  test_spin_until (pane_width_is, &expected, "the panel 20 px wider after Left twice");
  test_spin_until (has_focus, &back, "the keyboard back where it was after Return");

  /* Tab goes on into the panel. */
  press_each (window, "F8 Tab");
  test_spin_until (focus_in_panel, fixture, "the keyboard in the character panel after Tab");

  gtk_window_close (window);
  g_assert_cmpint (g_settings_get_int (settings, "character-panel-width"), ==,
                   pane_minimum (fixture) + 20);
  g_settings_reset (settings, "character-panel-width");
}

/* A window opens with the panel as wide as it was left. */
static void
test_panel_width_remembered (Fixture       *fixture,
                             gconstpointer  data)
{
  PaneWidth expected = { fixture, 400 };

  test_spin_until (panel_shown, fixture, "the character panel");
  test_spin_until (pane_width_is, &expected, "the panel as wide as it was left");
}

static void
fixture_set_up_panel_width (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");

  g_settings_set_int (settings, "character-panel-width", 400);
  fixture_set_up (fixture, data);
  g_settings_reset (settings, "character-panel-width");
}

int
main (int   argc,
      char *argv[])
{
  if (!test_ui_init (&argc, &argv, "/ui/adaptive"))
    return g_test_run ();
  /* GTK's own title buttons, as a desktop without GNOME's settings shows them: Minimize,
   * Maximize and Close, the most room any layout takes (GNOME shows Close alone). */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout",
                "menu:minimize,maximize,close", NULL);

  g_test_add ("/ui/adaptive/narrow-360", Fixture, &narrow, fixture_set_up, test_narrow,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/medium-800", Fixture, &medium, fixture_set_up, test_side_by_side,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/wide-1200", Fixture, &wide, fixture_set_up, test_side_by_side,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/resize-panel", Fixture, &wide, fixture_set_up, test_resize_panel,
              fixture_tear_down);
  g_test_add ("/ui/adaptive/resize-panel-keys", Fixture, &wide, fixture_set_up,
              test_resize_panel_keys, fixture_tear_down);
  g_test_add ("/ui/adaptive/panel-width-remembered", Fixture, &wide, fixture_set_up_panel_width,
              test_panel_width_remembered, fixture_tear_down);
  return g_test_run ();
}
