/* test-keyboard.c: the window with the keyboard alone (issue 14)
 *
 * Real keys through the X server (xdotool): F6 and Shift+F6 walk the regions (sidebar, prose,
 * character panel, header) and back round; the prose view keeps Tab for the text and Ctrl+Tab
 * leaves it, so the keyboard is never trapped there; the focus shows once the keys are used.
 * The editor's status line takes the keyboard only where it says why drafting failed, and does
 * not stay selected once the keyboard leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-keyboard"

#include "config.h"

#include <adwaita.h>

#include "loom-chapter.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  LoomStore  *store;
  LoomWindow *window;
} Fixture;

typedef enum {
  SIDEBAR,
  PROSE,
  CHARACTERS,
  HEADER
} Region;

typedef struct
{
  Fixture *fixture;
  Region   region;
} Where;

static const char *const region_names[] = { "the sidebar", "the prose", "the character panel",
                                            "the header" };

static gboolean
focus_in (gpointer data)
{
  Where *where = data;
  LoomWindow *window = where->fixture->window;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *region = NULL;

  if (focus == NULL || window->focus_source != 0)
    return FALSE;
  switch (where->region)
    {
    case SIDEBAR:
      region = GTK_WIDGET (window->sidebar);
      break;
    case PROSE:
      return focus == GTK_WIDGET (loom_scene_editor_get_prose_view (window->editor));
    case CHARACTERS:
      region = GTK_WIDGET (window->character_panel);
      break;
    case HEADER:
      region = gtk_widget_get_ancestor (GTK_WIDGET (window->story_button), ADW_TYPE_HEADER_BAR);
      break;
    default:
      g_assert_not_reached ();
    }
  return gtk_widget_is_ancestor (focus, region);
}

static void
press_and_expect (Fixture    *fixture,
                  const char *keys,
                  Region      region)
{
  Where where = { fixture, region };
  g_autofree char *what = g_strdup_printf ("%s after %s", region_names[region], keys);

  test_ui_press (GTK_WINDOW (fixture->window), keys);
  test_spin_until (focus_in, &where, what);
}

static gboolean
laid_out (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window->character_panel)) &&
         adw_flap_get_reveal_progress (fixture->window->character_flap) >= 1.0 &&
         gtk_widget_get_mapped (GTK_WIDGET (loom_scene_editor_get_prose_view (fixture->window->editor)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  LoomStory *story;  /* the store's */

  fixture->store = test_library_open ("storyloom-keyboard-XXXXXX", &fixture->dir, &path);
  story = loom_sample_load (fixture->store, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (loom_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  {
    g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
    g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);

    loom_sidebar_select_item (fixture->window->sidebar, G_OBJECT (scene));
  }
  test_spin_until (laid_out, fixture, "the window with a scene open");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

static void
test_regions (Fixture       *fixture,
              gconstpointer  data)
{
  Where sidebar = { fixture, SIDEBAR };
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (fixture->window->editor));

  /* The keyboard starts in the sidebar. */
  test_spin_until (focus_in, &sidebar, "the focus in the sidebar");
  if (!test_ui_press (GTK_WINDOW (fixture->window), "F6"))
    return;
  test_spin_until (focus_in, &(Where) { fixture, PROSE }, "the prose after F6");
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (fixture->window)));
  press_and_expect (fixture, "F6", CHARACTERS);
  press_and_expect (fixture, "F6", HEADER);
  press_and_expect (fixture, "F6", SIDEBAR);
  press_and_expect (fixture, "shift+F6", HEADER);
  press_and_expect (fixture, "shift+F6", CHARACTERS);
  press_and_expect (fixture, "shift+F6", PROSE);

  /* Tab belongs to the text; Ctrl+Tab leaves it, to the next control. */
  press_and_expect (fixture, "ctrl+Tab", CHARACTERS);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) != prose);

  /* With the panel closed (F9), F6 passes it over. */
  press_and_expect (fixture, "shift+F6", PROSE);
  test_ui_press (GTK_WINDOW (fixture->window), "F9");
  press_and_expect (fixture, "F6", HEADER);
  test_ui_press (GTK_WINDOW (fixture->window), "F9");
}

/* The label below ROOT that shows TEXT. */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return GTK_LABEL (child);
      found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A status word is no text to select: the keyboard passes it by; a failure's reason can be
 * copied, and when the keyboard leaves it, it is not left selected (the 360 px screenshot
 * showed "Complete" selected from an earlier focus). */
static void
test_status_line (Fixture       *fixture,
                  gconstpointer  data)
{
  LoomSceneEditor *editor = fixture->window->editor;
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (editor));
  LoomStory *story = loom_window_get_story (fixture->window);
  g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), 1);
  g_autoptr(LoomScene) failed = g_list_model_get_item (loom_chapter_get_scenes (chapter), 1);
  GtkLabel *label;
  int start, end;

  label = find_label (GTK_WIDGET (editor), loom_scene_editor_get_status_text (editor));
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, "Complete");
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (label)) &&
                  gtk_label_get_selectable (label));

  g_assert_cmpint (loom_scene_get_status (failed), ==, LOOM_SCENE_STATUS_ERROR);
  loom_sidebar_select_item (fixture->window->sidebar, G_OBJECT (failed));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "Drafting failed: "));
  g_assert_true (gtk_label_get_selectable (label));

  /* Focused, GTK selects a selectable label whole (gtk-label-select-on-focus). */
  gtk_widget_grab_focus (GTK_WIDGET (label));
  test_spin_until (test_ui_has_focus, label, "the status line to take the keyboard");
  g_assert_true (gtk_label_get_selection_bounds (label, &start, &end));
  gtk_widget_grab_focus (prose);
  test_spin_until (test_ui_has_focus, prose, "the prose to take the keyboard");
  g_assert_false (gtk_label_get_selection_bounds (label, &start, &end));
}

int
main (int   argc,
      char *argv[])
{
  if (!test_ui_init (&argc, &argv, "/ui/keyboard"))
    return g_test_run ();

  g_test_add ("/ui/keyboard/regions", Fixture, NULL, fixture_set_up, test_regions,
              fixture_tear_down);
  g_test_add ("/ui/keyboard/status-line", Fixture, NULL, fixture_set_up, test_status_line,
              fixture_tear_down);
  return g_test_run ();
}
