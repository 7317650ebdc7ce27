/* test-window-keys.c: the window's keys, pressed for real (issue 13)
 *
 * Each test opens the window of a real LoomApplication (so its accelerators are the ones the
 * writer has) on a fresh library, and presses keys through the X server with xdotool: one key,
 * one meaning; undo and redo of what the window did, from wherever the focus is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-keys"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-application.h"
#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-character-row.h"
#include "loom-entry.h"
#include "loom-mention-marks.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-trash-dialog.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char            *dir;
  char            *path;
  LoomStore       *store;
  LoomStory       *story;
  LoomChapter     *chapters[2];
  LoomScene       *scenes[4];  /* 1.1, 1.2, 1.3 and 2.1 */
  LoomWindow      *window;
} Fixture;

/* Presses KEYS, xdotool's names separated by spaces, one after the other. */
static gboolean
press_keys (LoomWindow *window,
            const char *keys)
{
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!test_ui_press (GTK_WINDOW (window), names[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
row_shown (gpointer data)
{
  Fixture *fixture = data;

  return loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                G_OBJECT (fixture->scenes[3])) != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char *const outlines[] = {
    "The ferry leaves without her.",
    "She walks the coast road.",
    "A lighthouse, unlit.",
    "Morning in the next town.",
  };

  /* No request may leave the machine, whatever the environment holds. */
  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-keys-XXXXXX", &fixture->dir, &fixture->path);

  fixture->story = loom_store_create_story (fixture->store, "Coast Road", "A walk.", "", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      fixture->chapters[i] = loom_store_add_chapter (fixture->store, fixture->story,
                                                     LOOM_POSITION_END,
                                                     i == 0 ? "Departure" : "Arrival", &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 4; i++)
    {
      fixture->scenes[i] = loom_store_add_scene (fixture->store, fixture->chapters[i < 3 ? 0 : 1],
                                                 LOOM_POSITION_END, outlines[i], &error);
      g_assert_no_error (error);
    }
  loom_scene_set_prose (fixture->scenes[0], "The horn sounded twice and the ferry was gone.",
                        &error);
  g_assert_no_error (error);

  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store, 1000, 700));
  test_spin_until (row_shown, fixture, "the sidebar's rows");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

/* ------------------------------------------------------------------------------------------ */

static GtkWidget *
focus_widget (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window));
}

static gboolean
focus_in_sidebar (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *focus = focus_widget (fixture);

  return focus != NULL &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (_loom_window_get_sidebar (fixture->window)));
}

/* Selects ITEM and puts the keyboard on its row, as clicking it would. */
static void
select_in_sidebar (Fixture  *fixture,
                   gpointer  item)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSidebarRow *row;

  loom_sidebar_select_item (sidebar, G_OBJECT (item));
  row = loom_sidebar_find_row (sidebar, G_OBJECT (item));
  g_assert_nonnull (row);
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
  test_spin_until (focus_in_sidebar, fixture, "the focus in the sidebar");
}

static gboolean
panel_hidden (gpointer data)
{
  Fixture *fixture = data;

  gboolean shown;

  g_object_get (fixture->window, "show-characters", &shown, NULL);
  return !shown;
}

static gboolean
panel_shown (gpointer data)
{
  return !panel_hidden (data);
}

/* Presses KEYS, then F9, and waits for F9's effect: what KEYS did has happened by then (the
 * X server delivers keys in order). */
static gboolean
press_and_settle (Fixture    *fixture,
                  const char *keys)
{
  g_autofree char *with_f9 = g_strconcat (keys, " F9", NULL);
  gboolean was_hidden = panel_hidden (fixture);

  if (!press_keys (fixture->window, with_f9))
    return FALSE;
  test_spin_until (was_hidden ? panel_shown : panel_hidden, fixture, "F9 after the keys");
  return TRUE;
}

static guint
scenes_in (LoomChapter *chapter)
{
  return g_list_model_get_n_items (loom_chapter_get_scenes (chapter));
}

static gboolean
first_chapter_has_four (gpointer data)
{
  Fixture *fixture = data;

  return scenes_in (fixture->chapters[0]) == 4;
}

static gboolean
three_chapters (gpointer data)
{
  Fixture *fixture = data;

  return loom_story_get_chapter_count (fixture->story) == 3;
}

/* (a) Adding is Ctrl+Shift+N (a scene) and Ctrl+Shift+M (a chapter); Ctrl+Return is Generate
 * and nothing else: in the sidebar it adds nothing and spends nothing. */
static void
test_add_keys_are_not_generate (Fixture       *fixture,
                                gconstpointer  data)
{
  select_in_sidebar (fixture, fixture->scenes[1]);
  if (!press_keys (fixture->window, "ctrl+shift+n"))
    return;
  test_spin_until (first_chapter_has_four, fixture, "Ctrl+Shift+N to add a scene");
  {
    g_autoptr(LoomScene) added = g_list_model_get_item (loom_chapter_get_scenes (fixture->chapters[0]),
                                                        2);
    g_assert_cmpstr (loom_scene_get_outline (added), ==, "");
  }

  select_in_sidebar (fixture, fixture->scenes[1]);
  press_and_settle (fixture, "ctrl+Return");
  g_assert_cmpuint (loom_story_get_scene_count (fixture->story), ==, 5);
  g_assert_cmpuint (loom_story_get_chapter_count (fixture->story), ==, 2);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (loom_scene_get_status (fixture->scenes[i]), ==, LOOM_SCENE_STATUS_DRAFT);
  g_assert_null (test_ui_find_message_dialog ());

  select_in_sidebar (fixture, fixture->chapters[1]);
  press_keys (fixture->window, "ctrl+shift+m");
  test_spin_until (three_chapters, fixture, "Ctrl+Shift+M to add a chapter");
  /* A new chapter asks for its title at once. */
  {
    AdwMessageDialog *dialog = test_ui_find_message_dialog ();

    g_assert_nonnull (dialog);
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
}

/* The shortcuts window says so. */
static void
test_shortcuts_window_lists_keys (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/storyloom/Storyloom/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  guint generate = 0, add_scene = 0, undo_structure = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *title = NULL;
      g_autofree char *accel = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "title", &title, "accelerator", &accel, NULL);
      if (g_str_has_prefix (title, "Generate the scene"))
        {
          g_assert_cmpstr (accel, ==, "<Control>Return");
          generate++;
        }
      if (g_str_equal (title, "Add a scene"))
        {
          g_assert_cmpstr (accel, ==, "<Control><Shift>n");
          add_scene++;
        }
      if (g_str_has_prefix (title, "Undo the last change, or typing"))
        {
          g_assert_cmpstr (accel, ==, "<Control>z");
          undo_structure++;
        }
      /* No key but Generate's is Ctrl+Return (Return alone goes to the next match). */
      if (!g_str_has_prefix (title, "Generate"))
        g_assert_true (accel == NULL || strstr (accel, "<Control>Return") == NULL);
    }
  g_assert_cmpuint (generate, ==, 1);
  g_assert_cmpuint (add_scene, ==, 1);
  g_assert_cmpuint (undo_structure, ==, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* (c) Undo and redo                                                                          */

typedef struct
{
  Fixture    *fixture;
  LoomScene  *scene;
  LoomChapter *chapter;
  guint       number;
} Place;

static gboolean
scene_at (gpointer data)
{
  Place *place = data;

  return loom_store_lookup_scene (place->fixture->store,
                                  loom_scene_get_id (place->scene)) != NULL &&
         loom_scene_get_chapter (place->scene) == place->chapter &&
         loom_scene_get_number (place->scene) == place->number;
}

static void
wait_scene_at (Fixture     *fixture,
               LoomScene   *scene,
               LoomChapter *chapter,
               guint        number,
               const char  *what)
{
  Place place = { fixture, scene, chapter, number };

  test_spin_until (scene_at, &place, what);
}

typedef struct
{
  Fixture    *fixture;
  gint64      id;
  gboolean    present;
} Presence;

static gboolean
scene_presence (gpointer data)
{
  Presence *presence = data;

  return (loom_store_lookup_scene (presence->fixture->store, presence->id) != NULL) ==
         presence->present;
}

static void
wait_scene_present (Fixture    *fixture,
                    gint64      id,
                    gboolean    present,
                    const char *what)
{
  Presence presence = { fixture, id, present };

  test_spin_until (scene_presence, &presence, what);
}

static gboolean
title_is (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (loom_chapter_get_title (fixture->chapters[1]),
                    g_object_get_data (G_OBJECT (fixture->chapters[1]), "expected")) == 0;
}

static void
wait_title (Fixture    *fixture,
            const char *title)
{
  g_object_set_data_full (G_OBJECT (fixture->chapters[1]), "expected", g_strdup (title), g_free);
  test_spin_until (title_is, fixture, title);
}

/* Structure edits of every kind, then Ctrl+Z back through all of them in the order they
 * happened, from the sidebar, and Ctrl+Shift+Z forward again. */
static void
test_undo_structure (Fixture       *fixture,
                     gconstpointer  data)
{
  LoomStore *store = fixture->store;
  gint64 added_id, deleted_id = loom_scene_get_id (fixture->scenes[3]);
  g_autoptr(LoomScene) added = NULL;
  AdwMessageDialog *dialog;

  /* 1. add a scene after 1.1 */
  select_in_sidebar (fixture, fixture->scenes[0]);
  if (!press_keys (fixture->window, "ctrl+shift+n"))
    return;
  test_spin_until (first_chapter_has_four, fixture, "the added scene");
  added = g_list_model_get_item (loom_chapter_get_scenes (fixture->chapters[0]), 1);
  added_id = loom_scene_get_id (added);

  /* 2. move 1.3 up, by the keyboard */
  select_in_sidebar (fixture, fixture->scenes[2]);
  press_keys (fixture->window, "alt+Up");
  wait_scene_at (fixture, fixture->scenes[2], fixture->chapters[0], 3, "the move up");

  /* 3. rename chapter 2 */
  select_in_sidebar (fixture, fixture->chapters[1]);
  press_keys (fixture->window, "F2");
  test_spin_until (test_ui_message_dialog_shown, NULL, "the rename dialog");
  dialog = test_ui_find_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Landfall");
  test_ui_click_response ("_Rename");
  wait_title (fixture, "Landfall");

  /* 4. delete 2.1 */
  select_in_sidebar (fixture, fixture->scenes[3]);
  press_keys (fixture->window, "Delete");
  wait_scene_present (fixture, deleted_id, FALSE, "the deletion");

  /* Back, one step at a time, the newest first. */
  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_scene_present (fixture, deleted_id, TRUE, "Ctrl+Z to bring the scene back");
  g_assert_cmpstr (loom_chapter_get_title (fixture->chapters[1]), ==, "Landfall");

  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_title (fixture, "Arrival");
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[2]), ==, 3);

  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_scene_at (fixture, fixture->scenes[2], fixture->chapters[0], 4, "Ctrl+Z to move it back");
  g_assert_nonnull (loom_store_lookup_scene (store, added_id));

  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_scene_present (fixture, added_id, FALSE, "Ctrl+Z to take the added scene away");
  g_assert_cmpuint (scenes_in (fixture->chapters[0]), ==, 3);
  g_assert_false (loom_undo_stack_get_can_undo (_loom_window_get_undo_stack (fixture->window)));

  /* And forward again. */
  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+shift+z");
  wait_scene_present (fixture, added_id, TRUE, "Ctrl+Shift+Z to add the scene again");
  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+shift+z");
  wait_scene_at (fixture, fixture->scenes[2], fixture->chapters[0], 3, "the move, redone");
  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+shift+z ctrl+shift+z");
  wait_scene_present (fixture, deleted_id, FALSE, "the deletion, redone");
  g_assert_cmpstr (loom_chapter_get_title (fixture->chapters[1]), ==, "Landfall");

  /* What the library holds, reopened as the next start would. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomStore) other = loom_store_open (fixture->path, &error);

    g_assert_no_error (error);
    g_assert_nonnull (loom_store_lookup_scene (other, added_id));
    g_assert_null (loom_store_lookup_scene (other, deleted_id));
    loom_store_close (other);
  }
}

static gboolean
prose_focused (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *view = GTK_WIDGET (loom_scene_editor_get_prose_view (
                                  _loom_window_get_editor (fixture->window)));

  gtk_widget_grab_focus (view);
  return focus_widget (fixture) == view;
}

/* The keyboard is on a widget of the window: GTK 4.8 left it on the row a move took out, where
 * the next key reached nothing. */
static void
assert_keyboard_in_window (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_get_root (focus) == GTK_ROOT (fixture->window));
  g_assert_true (gtk_widget_is_ancestor (focus,
                                         GTK_WIDGET (_loom_window_get_sidebar (fixture->window))));
}

/* Alt+Up and Alt+Down move the selected scene, across into the neighbouring chapter at the
 * chapter's edge, and the moved scene stays selected with the keyboard on it, so that the keys
 * can be pressed again at once. */
static void
test_keyboard_moves (Fixture       *fixture,
                     gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomScene *moved = fixture->scenes[3];

  select_in_sidebar (fixture, moved);
  if (!press_keys (fixture->window, "alt+Up"))
    return;
  wait_scene_at (fixture, moved, fixture->chapters[0], 4, "Alt+Up into the previous chapter");
  g_assert_true (loom_sidebar_get_selected_item (sidebar) == G_OBJECT (moved));
  assert_keyboard_in_window (fixture);

  press_keys (fixture->window, "alt+Up");
  wait_scene_at (fixture, moved, fixture->chapters[0], 3, "Alt+Up within the chapter");
  assert_keyboard_in_window (fixture);

  press_keys (fixture->window, "alt+Down alt+Down");
  wait_scene_at (fixture, moved, fixture->chapters[1], 1, "Alt+Down twice, back to chapter 2");
  g_assert_true (loom_sidebar_get_selected_item (sidebar) == G_OBJECT (moved));
  assert_keyboard_in_window (fixture);
}

/* As adding a scene does: the new scene's outline takes the keyboard. */
static gboolean
outline_focused (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *focus;

  gtk_widget_activate_action (GTK_WIDGET (_loom_window_get_editor (fixture->window)),
                              "editor.focus-outline", NULL);
  focus = focus_widget (fixture);
  return GTK_IS_TEXT_VIEW (focus) &&
         focus != GTK_WIDGET (loom_scene_editor_get_prose_view (
                                _loom_window_get_editor (fixture->window)));
}

static gboolean
outline_is (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (loom_scene_get_outline (fixture->scenes[1]),
                    g_object_get_data (G_OBJECT (fixture->scenes[1]), "expected")) == 0;
}

static void
wait_outline (Fixture    *fixture,
              const char *outline)
{
  g_object_set_data_full (G_OBJECT (fixture->scenes[1]), "expected", g_strdup (outline), g_free);
  test_spin_until (outline_is, fixture, outline);
}

/* An outline typed in the editor is one step to undo once the focus has left it; inside the
 * prose, Ctrl+Z is the prose's own undo and leaves the structure alone. */
static void
test_undo_outline_not_in_text (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 id = loom_scene_get_id (fixture->scenes[2]);

  select_in_sidebar (fixture, fixture->scenes[1]);
  test_spin_until (outline_focused, fixture, "the outline to take the focus");
  if (!press_keys (fixture->window, "End space A t space d u s k period"))
    return;
  /* Leaving the outline saves it. */
  select_in_sidebar (fixture, fixture->scenes[1]);
  wait_outline (fixture, "She walks the coast road. At dusk.");

  /* A deletion after it, undone from the prose: the prose's Ctrl+Z, not the window's. */
  select_in_sidebar (fixture, fixture->scenes[2]);
  press_keys (fixture->window, "Delete");
  wait_scene_present (fixture, id, FALSE, "the deletion");
  select_in_sidebar (fixture, fixture->scenes[1]);
  test_spin_until (prose_focused, fixture, "the prose to take the focus");
  press_and_settle (fixture, "ctrl+z");
  g_assert_null (loom_store_lookup_scene (fixture->store, id));
  g_assert_cmpstr (loom_scene_get_outline (fixture->scenes[1]), ==,
                   "She walks the coast road. At dusk.");

  /* From the sidebar: the deletion, then the outline. */
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_scene_present (fixture, id, TRUE, "Ctrl+Z to bring the scene back");
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_outline (fixture, "She walks the coast road.");
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+shift+z");
  wait_outline (fixture, "She walks the coast road. At dusk.");
}

static gboolean
character_count_is (gpointer data)
{
  Fixture *fixture = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->story), "expected"));

  return g_list_model_get_n_items (loom_story_get_characters (fixture->story)) == expected;
}

static void
wait_characters (Fixture *fixture,
                 guint    count)
{
  g_object_set_data (G_OBJECT (fixture->story), "expected", GUINT_TO_POINTER (count));
  test_spin_until (character_count_is, fixture, "the number of characters");
}

static gboolean
character_named (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(LoomCharacter) character = g_list_model_get_item (
                                         loom_story_get_characters (fixture->story), 0);

  return character != NULL &&
         g_strcmp0 (loom_character_get_name (character),
                    g_object_get_data (G_OBJECT (fixture->story), "name")) == 0;
}

static void
wait_character_named (Fixture    *fixture,
                      const char *name)
{
  g_object_set_data_full (G_OBJECT (fixture->story), "name", g_strdup (name), g_free);
  test_spin_until (character_named, fixture, name);
}

/* As clicking into the new character's name does. */
static gboolean
name_focused (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(LoomCharacter) character = g_list_model_get_item (
                                         loom_story_get_characters (fixture->story), 0);
  LoomCharacterRow *row = loom_character_panel_find_row (
                            _loom_window_get_character_panel (fixture->window), character);
  GtkWidget *focus = focus_widget (fixture);

  if (row == NULL)
    return FALSE;
  loom_character_row_focus_name (row);
  return focus != NULL && GTK_IS_TEXT (focus) &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (loom_character_row_get_name_editable (row)));
}

/* A character added with Ctrl+Shift+C, named by typing, then both undone. */
static void
test_undo_character (Fixture       *fixture,
                     gconstpointer  data)
{
  select_in_sidebar (fixture, fixture->scenes[0]);
  if (!press_keys (fixture->window, "ctrl+shift+c"))
    return;
  wait_characters (fixture, 1);
  test_spin_until (name_focused, fixture, "the new character's name to take the focus");
  press_keys (fixture->window, "ctrl+a M a r a");
  select_in_sidebar (fixture, fixture->scenes[0]);
  wait_character_named (fixture, "Mara");

  press_keys (fixture->window, "ctrl+z");
  wait_character_named (fixture, "New Character");
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_characters (fixture, 0);
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+shift+z ctrl+shift+z");
  wait_character_named (fixture, "Mara");
}

static LoomEntry *
first_entry (Fixture *fixture)
{
  GListModel *entries = loom_story_get_entries (fixture->story);
  g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, 0);

  /* the story holds it */
  return entry;
}

static gboolean
entry_count_is (gpointer data)
{
  Fixture *fixture = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->story), "entries"));

  return g_list_model_get_n_items (loom_story_get_entries (fixture->story)) == expected;
}

static void
wait_entries (Fixture *fixture,
              guint    count)
{
  g_object_set_data (G_OBJECT (fixture->story), "entries", GUINT_TO_POINTER (count));
  test_spin_until (entry_count_is, fixture, "the number of entries in the story bible");
}

static gboolean
entry_named (gpointer data)
{
  Fixture *fixture = data;
  LoomEntry *entry = first_entry (fixture);

  return entry != NULL && g_strcmp0 (loom_entry_get_name (entry),
                                     g_object_get_data (G_OBJECT (fixture->story),
                                                        "entry-name")) == 0;
}

static void
wait_entry_named (Fixture    *fixture,
                  const char *name)
{
  g_object_set_data_full (G_OBJECT (fixture->story), "entry-name", g_strdup (name), g_free);
  test_spin_until (entry_named, fixture, name);
}

/* The new entry's name has the keyboard, as the Add menu leaves it. */
static gboolean
entry_name_focused (gpointer data)
{
  Fixture *fixture = data;
  LoomEntry *entry = first_entry (fixture);
  LoomCharacterRow *row = entry ? loom_character_panel_find_row (
                                    _loom_window_get_character_panel (fixture->window), entry)
                                : NULL;
  GtkWidget *focus = focus_widget (fixture);

  return row != NULL && focus != NULL && GTK_IS_TEXT (focus) &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (loom_character_row_get_name_editable (row)));
}

static gboolean
entry_row_hidden (gpointer data)
{
  Fixture *fixture = data;

  return loom_character_panel_find_row (_loom_window_get_character_panel (fixture->window),
                                        first_entry (fixture)) == NULL;
}

static gboolean
entry_row_shown (gpointer data)
{
  return !entry_row_hidden (data);
}

/* On screen where a click finds it: allocated, and a few frames drawn since. */
static gboolean
laid_out (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_VIEWPORT);
  graphene_rect_t bounds;
  guint frames = GPOINTER_TO_UINT (g_object_get_data (data, "frames"));

  if (gtk_widget_get_width (widget) == 0 || viewport == NULL ||
      !gtk_widget_compute_bounds (widget, viewport, &bounds) ||
      bounds.origin.y + bounds.size.height > gtk_widget_get_height (viewport))
    {
      if (viewport != NULL)
        gtk_widget_grab_focus (widget);  /* scrolls it into view */
      return FALSE;
    }
  g_object_set_data (data, "frames", GUINT_TO_POINTER (frames + 1));
  g_usleep (10000);
  return frames > 10;
}

static gboolean
panel_mapped (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (GTK_WIDGET (_loom_window_get_character_panel (fixture->window)));
}

/* A place added from the story bible's Add menu with real clicks, named by typing, found by
 * the filter, deleted with its button, and brought back by Ctrl+Z. */
static void
test_bible_entry (Fixture       *fixture,
                  gconstpointer  data)
{
  LoomCharacterPanel *panel = _loom_window_get_character_panel (fixture->window);
  LoomCharacterRow *row;
  GtkWidget *delete_button;

  select_in_sidebar (fixture, fixture->scenes[0]);
  /* F9 shows the panel where the window is too narrow to show it beside the prose */
  if (!panel_mapped (fixture) && !press_keys (fixture->window, "F9"))
    return;
  test_spin_until (panel_mapped, fixture, "the story bible to show");
  g_assert_true (loom_character_panel_is_empty_shown (panel));

  g_assert_true (test_ui_click_menu_item (loom_character_panel_get_add_button (panel), "Place"));

  wait_entries (fixture, 1);
  g_assert_cmpint (loom_entry_get_kind (first_entry (fixture)), ==, LOOM_ENTRY_PLACE);
  g_assert_false (loom_character_panel_is_empty_shown (panel));
  test_spin_until (entry_name_focused, fixture, "the new place's name to take the focus");
  press_keys (fixture->window, "ctrl+a M i l l");
  select_in_sidebar (fixture, fixture->scenes[0]);
  wait_entry_named (fixture, "Mill");

  /* the filter finds it by name, in any case, and hides it when it does not match */
  test_ui_click (GTK_WIDGET (loom_character_panel_get_filter (panel)));
  press_keys (fixture->window, "x y z");
  test_spin_until (entry_row_hidden, fixture, "the filter to hide the place");
  press_keys (fixture->window, "ctrl+a m I L");
  test_spin_until (entry_row_shown, fixture, "the filter to show the place");

  /* deleted with its own button */
  row = loom_character_panel_find_row (panel, first_entry (fixture));
  loom_character_row_set_expanded (row, TRUE);
  delete_button = test_ui_find_button (GTK_WIDGET (row), "_Delete Entry");
  g_assert_nonnull (delete_button);
  test_spin_until (laid_out, delete_button, "the row's Delete button to be laid out");
  g_assert_true (test_ui_click (delete_button));
  wait_entries (fixture, 0);

  /* and back with Ctrl+Z, with its name */
  select_in_sidebar (fixture, fixture->scenes[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_entries (fixture, 1);
  wait_entry_named (fixture, "Mill");
  g_assert_nonnull (loom_character_panel_find_row (panel, first_entry (fixture)));
}

static gboolean
ferry_marked (gpointer data)
{
  Fixture *fixture = data;
  gpointer entry = g_object_get_data (G_OBJECT (fixture->window), "entry");
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  LoomMentionMarks *marks = loom_scene_editor_get_mention_marks (editor);
  /* "The horn sounded twice and the ferry was gone.": "ferry" is at 31 */

  return loom_mention_marks_lookup (marks, 31) == entry;
}

static gboolean
typed_name_marked (gpointer data)
{
  Fixture *fixture = data;
  LoomMentionMarks *marks = loom_scene_editor_get_mention_marks (
                              _loom_window_get_editor (fixture->window));
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (
                            _loom_window_get_editor (fixture->window));

  /* the last word typed, " Tom", ends the text */
  return loom_mention_marks_lookup (marks, gtk_text_buffer_get_char_count (buffer) - 2) ==
         g_object_get_data (G_OBJECT (fixture->window), "character");
}

/* The prose marks what the story bible names (by name or alias, in any case, whole words
 * only), with what the bible says of it for its tooltip, and follows typing. */
static void
test_bible_marks (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextView *view = loom_scene_editor_get_prose_view (editor);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  LoomMentionMarks *marks = loom_scene_editor_get_mention_marks (editor);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               "loom-mention");
  LoomEntry *ferry = loom_store_add_entry (fixture->store, fixture->story, LOOM_ENTRY_OBJECT,
                                           "The Ferry", "Ferry", "Leaves at dawn, never late.",
                                           LOOM_INCLUSION_MENTIONED, &error);
  LoomCharacter *tom = loom_store_add_character (fixture->store, fixture->story, "Tomas",
                                                 "the pilot", NULL, &error);
  g_autofree char *described = NULL;
  GtkTextIter iter;

  g_assert_no_error (error);
  g_assert_true (loom_character_set_aliases (tom, "Tom", &error));
  select_in_sidebar (fixture, fixture->scenes[0]);
  g_object_set_data (G_OBJECT (fixture->window), "entry", ferry);
  test_spin_until (ferry_marked, fixture, "the ferry marked in the prose");

  /* the tag covers the word and nothing else: "horn" and "Tomas" are not mentioned */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 31);
  g_assert_true (gtk_text_iter_has_tag (&iter, tag));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 5);
  g_assert_false (gtk_text_iter_has_tag (&iter, tag));
  g_assert_null (loom_mention_marks_lookup (marks, 5));

  /* what its tooltip says: what the bible says */
  described = loom_mention_marks_describe (G_OBJECT (ferry));
  g_assert_cmpstr (described, ==, "The Ferry: Leaves at dawn, never late.");
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (view)));

  /* typing an alias at the end marks it too */
  g_object_set_data (G_OBJECT (fixture->window), "character", tom);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  if (!press_keys (fixture->window, "space T o m"))
    return;
  test_spin_until (typed_name_marked, fixture, "the typed alias marked");
}

typedef struct
{
  Fixture *fixture;
  guint    tag_changes;
  guint    appends;
} MarksWatch;

static void
count_tag_change (MarksWatch *watch)
{
  watch->tag_changes++;
}

/* A draft streaming in: a few words every tenth of a second, until the test stops it. */
static gboolean
append_words (gpointer data)
{
  MarksWatch *watch = data;
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (
                            _loom_window_get_editor (watch->fixture->window));
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, watch->appends == 0 ? " The Ferry" : " and on", -1);
  watch->appends++;
  return G_SOURCE_CONTINUE;
}

static gboolean
appended_ferry_marked (gpointer data)
{
  MarksWatch *watch = data;
  LoomSceneEditor *editor = _loom_window_get_editor (watch->fixture->window);
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (editor);
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  const char *at;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  at = strstr (text, " The Ferry");
  return at != NULL &&
         loom_mention_marks_lookup (loom_scene_editor_get_mention_marks (editor),
                                    (int) g_utf8_pointer_to_offset (text, at) + 6) ==
         g_object_get_data (G_OBJECT (watch->fixture->window), "entry");
}

/* Marked in the buffer, not only known to the marks: the text may have been loaded since. */
static gboolean
ferry_tagged (gpointer data)
{
  Fixture *fixture = data;
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (
                            _loom_window_get_editor (fixture->window));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               "loom-mention");
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 31);
  return ferry_marked (fixture) && gtk_text_iter_has_tag (&iter, tag);
}

/* Reading the text again leaves the marks it finds unchanged alone (each change lays the
 * paragraph out again), and text that keeps changing, as a draft streaming in, still gets its
 * marks while it changes. */
static void
test_bible_marks_follow_streams (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextBuffer *buffer = loom_scene_editor_get_prose_buffer (editor);
  LoomMentionMarks *marks = loom_scene_editor_get_mention_marks (editor);
  LoomEntry *ferry = loom_store_add_entry (fixture->store, fixture->story, LOOM_ENTRY_OBJECT,
                                           "The Ferry", "Ferry", "Leaves at dawn, never late.",
                                           LOOM_INCLUSION_MENTIONED, &error);
  MarksWatch watch = { fixture, 0, 0 };
  guint source;

  g_assert_no_error (error);
  select_in_sidebar (fixture, fixture->scenes[0]);
  g_object_set_data (G_OBJECT (fixture->window), "entry", ferry);
  test_spin_until (ferry_tagged, fixture, "the ferry marked in the prose");

  g_signal_connect_swapped (buffer, "apply-tag", G_CALLBACK (count_tag_change), &watch);
  g_signal_connect_swapped (buffer, "remove-tag", G_CALLBACK (count_tag_change), &watch);
  loom_mention_marks_update (marks);
  g_assert_cmpuint (watch.tag_changes, ==, 0);
  g_assert_true (ferry_marked (fixture));

  /* The appends never pause for the 300 ms a writer's typing does. */
  source = g_timeout_add (100, append_words, &watch);
  test_spin_until (appended_ferry_marked, &watch, "the streamed-in ferry marked meanwhile");
  g_source_remove (source);
  g_assert_cmpuint (watch.appends, >, 4);
  g_signal_handlers_disconnect_by_data (buffer, &watch);
}

/* The toast's Undo and Ctrl+Z are one command: whichever comes first, the scene comes back
 * once, and the toast keeps GNOME's default timeout. */
static void
test_toast_undo_is_the_stack (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 id = loom_scene_get_id (fixture->scenes[1]);
  AdwToast *toast;

  select_in_sidebar (fixture, fixture->scenes[1]);
  if (!press_keys (fixture->window, "Delete"))
    return;
  wait_scene_present (fixture, id, FALSE, "the deletion");
  toast = _loom_window_get_undo_toast (fixture->window);
  g_assert_nonnull (toast);
  {
    g_autoptr(AdwToast) plain = adw_toast_new ("x");

    g_assert_cmpuint (adw_toast_get_timeout (toast), ==, adw_toast_get_timeout (plain));
  }
  if (!test_ui_click_toast_button (GTK_WINDOW (fixture->window), "_Undo"))
    return;
  wait_scene_present (fixture, id, TRUE, "the toast's Undo");

  /* Ctrl+Z now has nothing of that deletion left to undo. */
  g_assert_false (loom_undo_stack_get_can_undo (_loom_window_get_undo_stack (fixture->window)));
  g_assert_true (loom_undo_stack_get_can_redo (_loom_window_get_undo_stack (fixture->window)));
}

static gboolean
story_count_is (gpointer data)
{
  Fixture *fixture = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->window), "expected"));

  return g_list_model_get_n_items (loom_store_get_stories (fixture->store)) == expected;
}

static void
wait_stories (Fixture *fixture,
              guint    count)
{
  g_object_set_data (G_OBJECT (fixture->window), "expected", GUINT_TO_POINTER (count));
  test_spin_until (story_count_is, fixture, "the number of stories");
}

/* An import is undone (the story goes) and redone (read again from the file). */
static void
test_undo_import (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *manuscript = g_build_filename (fixture->dir, "tale.md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (manuscript);

  g_assert_true (g_file_set_contents (manuscript, "% Imported Tale\n\n# One\n\nFirst scene.\n\n"
                                      "***\n\nSecond scene.\n", -1, NULL));
  _loom_window_import_file (fixture->window, file);
  wait_stories (fixture, 2);
  g_assert_cmpstr (loom_story_get_title (loom_window_get_story (fixture->window)), ==,
                   "Imported Tale");

  gtk_widget_grab_focus (GTK_WIDGET (_loom_window_get_sidebar (fixture->window)));
  if (!press_keys (fixture->window, "ctrl+z"))
    return;
  wait_stories (fixture, 1);
  g_assert_true (loom_window_get_story (fixture->window) == fixture->story);

  gtk_widget_grab_focus (GTK_WIDGET (_loom_window_get_sidebar (fixture->window)));
  press_keys (fixture->window, "ctrl+shift+z");
  wait_stories (fixture, 2);
  g_assert_cmpuint (loom_story_get_scene_count (loom_window_get_story (fixture->window)), ==, 2);
  g_unlink (manuscript);
}


/* ------------------------------------------------------------------------------------------ */
/* Drag and drop by the mouse, then Ctrl+Z; a deletion restored from the Trash, then Ctrl+Z   */

typedef struct
{
  LoomChapter *chapter;
  LoomScene   *order[4];  /* NULL-terminated */
} Order;

static gboolean
order_is (gpointer data)
{
  Order *order = data;
  GListModel *scenes = loom_chapter_get_scenes (order->chapter);
  guint n = 0;

  while (order->order[n] != NULL)
    n++;
  if (g_list_model_get_n_items (scenes) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

      if (scene != order->order[i])
        return FALSE;
    }
  return TRUE;
}

static void
wait_order (LoomChapter *chapter,
            LoomScene   *first,
            LoomScene   *second,
            LoomScene   *third,
            const char  *what)
{
  Order order = { chapter, { first, second, third, NULL } };

  test_spin_until (order_is, &order, what);
}

static GtkWidget *
row_of (Fixture *fixture,
        gpointer item)
{
  LoomSidebarRow *row = loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                               G_OBJECT (item));

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

static gboolean
rows_laid_out (gpointer data)
{
  Fixture *fixture = data;

  for (guint i = 0; i < 3; i++)
    {
      LoomSidebarRow *row = loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                                                   G_OBJECT (fixture->scenes[i]));

      if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)) ||
          gtk_widget_get_height (GTK_WIDGET (row)) == 0)
        return FALSE;
    }
  return TRUE;
}

/* A scene dragged with the mouse below another moves there; Ctrl+Z, with the keyboard outside
 * every text view, puts it back; Ctrl+Shift+Z moves it again. Then across chapters. */
static void
test_drag_and_undo (Fixture       *fixture,
                    gconstpointer  data)
{
  LoomScene **s = fixture->scenes;
  LoomChapter **c = fixture->chapters;

  select_in_sidebar (fixture, c[0]);
  test_spin_until (rows_laid_out, fixture, "the rows on screen");

  /* 1.1 dropped on the lower half of 1.3: after it */
  if (!test_ui_drag_onto (row_of (fixture, s[0]), row_of (fixture, s[2]), 0.75))
    return;
  wait_order (c[0], s[1], s[2], s[0], "the drop after the third scene");
  g_assert_cmpuint (loom_scene_get_number (s[0]), ==, 3);

  select_in_sidebar (fixture, c[1]);
  press_keys (fixture->window, "ctrl+z");
  wait_order (c[0], s[0], s[1], s[2], "Ctrl+Z to put the dragged scene back");
  g_assert_true (loom_undo_stack_get_can_redo (_loom_window_get_undo_stack (fixture->window)));

  select_in_sidebar (fixture, c[1]);
  press_keys (fixture->window, "ctrl+shift+z");
  wait_order (c[0], s[1], s[2], s[0], "Ctrl+Shift+Z to move it again");

  /* 1.2 dropped on chapter 2's row: into that chapter, at its end */
  test_spin_until (rows_laid_out, fixture, "the rows on screen");
  test_ui_drag_onto (row_of (fixture, s[1]), row_of (fixture, c[1]), 0.5);
  wait_order (c[1], s[3], s[1], NULL, "the drop into the second chapter");
  wait_order (c[0], s[2], s[0], NULL, "the first chapter without it");

  select_in_sidebar (fixture, c[0]);
  press_keys (fixture->window, "ctrl+z");
  wait_order (c[0], s[1], s[2], s[0], "Ctrl+Z to bring it back to the first chapter");
  wait_order (c[1], s[3], NULL, NULL, "the second chapter as it was");

  /* what the library holds, as the next start reads it */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomStore) other = loom_store_open (fixture->path, &error);
    LoomScene *moved;

    g_assert_no_error (error);
    moved = loom_store_lookup_scene (other, loom_scene_get_id (s[0]));
    g_assert_cmpuint (loom_scene_get_number (moved), ==, 3);
    g_assert_cmpint (loom_chapter_get_id (loom_scene_get_chapter (moved)), ==,
                     loom_chapter_get_id (c[0]));
    loom_store_close (other);
  }
}

static gboolean
trash_dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
         gtk_widget_get_width (GTK_WIDGET (dialog)) > 0 &&
         test_ui_find_button (GTK_WIDGET (dialog), "_Restore") != NULL;
}

static gboolean
trash_dialog_gone (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG) == NULL;
}

static gboolean
toast_says_already_back (gpointer data)
{
  Fixture *fixture = data;
  AdwToast *toast = fixture->window->message_toast;

  return toast != NULL && strstr (adw_toast_get_title (toast), "already back") != NULL;
}

/* A deleted scene restored from the Trash dialog is back once: Ctrl+Z of its deletion then has
 * nothing to do and says so (no second copy, no error), and Ctrl+Shift+Z deletes it again. */
static void
test_undo_after_trash_restore (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 id = loom_scene_get_id (fixture->scenes[1]);
  LoomUndoStack *stack = _loom_window_get_undo_stack (fixture->window);
  GtkWindow *trash;

  select_in_sidebar (fixture, fixture->scenes[1]);
  if (!press_keys (fixture->window, "Delete"))
    return;
  wait_scene_present (fixture, id, FALSE, "the deletion");

  /* the story menu's Trash…, then Restore, clicked */
  test_ui_click_menu_item (fixture->window->story_button, "Trash…");
  test_spin_until (trash_dialog_shown, NULL, "the Trash dialog");
  trash = test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG);
  test_ui_click (test_ui_find_button (GTK_WIDGET (trash), "_Restore"));
  wait_scene_present (fixture, id, TRUE, "the restore from the Trash");
  test_ui_press (trash, "Escape");
  test_spin_until (trash_dialog_gone, NULL, "the Trash dialog to close");

  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+z");
  test_spin_until (toast_says_already_back, fixture, "the toast saying it is already back");
  g_assert_cmpstr (adw_toast_get_title (fixture->window->message_toast), ==,
                   "Nothing to undo: what was deleted is already back, restored from the Trash.");
  g_assert_cmpuint (scenes_in (fixture->chapters[0]), ==, 3);
  g_assert_cmpuint (loom_scene_get_number (loom_store_lookup_scene (fixture->store, id)), ==, 2);
  g_assert_null (fixture->window->last_error);
  g_assert_true (loom_undo_stack_get_can_redo (stack));

  select_in_sidebar (fixture, fixture->chapters[0]);
  press_keys (fixture->window, "ctrl+shift+z");
  wait_scene_present (fixture, id, FALSE, "Ctrl+Shift+Z to delete it again");
  g_assert_cmpuint (scenes_in (fixture->chapters[0]), ==, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* The editor's header follows the model; Rename; the last scene reopened                      */

static gboolean
heading_is (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (loom_scene_editor_get_heading (_loom_window_get_editor (fixture->window)),
                    g_object_get_data (G_OBJECT (fixture->window), "heading")) == 0;
}

static void
wait_heading (Fixture    *fixture,
              const char *heading)
{
  g_object_set_data_full (G_OBJECT (fixture->window), "heading", g_strdup (heading), g_free);
  test_spin_until (heading_is, fixture, heading);
}

static gboolean
dialog_gone (gpointer data)
{
  return test_ui_find_message_dialog () == NULL;
}

static gboolean
dialog_mapped (gpointer data)
{
  AdwMessageDialog *dialog = test_ui_find_message_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* F2, then KEYS typed into the dialog's entry; returns what the entry held first. */
static char *
rename_by_keys (Fixture    *fixture,
                const char *keys)
{
  AdwMessageDialog *dialog;
  char *shown;

  if (!press_keys (fixture->window, "F2"))
    return NULL;
  test_spin_until (dialog_mapped, NULL, "the rename dialog");
  dialog = test_ui_find_message_dialog ();
  shown = g_strdup (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))));
  g_assert_true (test_ui_press (GTK_WINDOW (dialog), "ctrl+a"));
  {
    g_auto(GStrv) names = g_strsplit (keys, " ", -1);

    for (guint i = 0; names[i] != NULL; i++)
      g_assert_true (test_ui_press (GTK_WINDOW (dialog), names[i]));
  }
  g_assert_true (test_ui_press (GTK_WINDOW (dialog), "Return"));
  return shown;
}

/* Renaming or moving a chapter or a scene changes what the editor says at once, whether the
 * change came from the keys or from elsewhere in the model. */
static void
test_header_follows_model (Fixture       *fixture,
                           gconstpointer  data)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  select_in_sidebar (fixture, fixture->chapters[1]);
  g_assert_cmpstr (loom_scene_editor_get_heading (editor), ==, "Chapter 2 · Arrival");
  shown = rename_by_keys (fixture, "L a n d f a l l");
  if (shown == NULL)
    return;
  g_assert_cmpstr (shown, ==, "Arrival");
  wait_heading (fixture, "Chapter 2 · Landfall");

  select_in_sidebar (fixture, fixture->chapters[1]);
  press_keys (fixture->window, "alt+Up");
  wait_heading (fixture, "Chapter 1 · Landfall");

  /* A scene: its own move, and its chapter's. */
  select_in_sidebar (fixture, fixture->scenes[2]);
  g_assert_cmpstr (loom_scene_editor_get_heading (editor), ==, "Chapter 2 · Scene 3");
  press_keys (fixture->window, "alt+Up");
  wait_heading (fixture, "Chapter 2 · Scene 2");
  g_assert_true (loom_store_move_chapter (fixture->store, fixture->chapters[0], 0, &error));
  g_assert_no_error (error);
  wait_heading (fixture, "Chapter 1 · Scene 2");
  g_assert_true (loom_store_move_scene (fixture->store, fixture->scenes[2], fixture->chapters[1],
                                        0, &error));
  g_assert_no_error (error);
  wait_heading (fixture, "Chapter 2 · Scene 1");

  /* Back to no selection: no chapter's title is left behind. */
  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window), NULL);
  wait_heading (fixture, "No Scene Selected");
}

/* Rename… on a scene renames it: the first line of its outline, the rest kept; Ctrl+Z puts
 * the old name back. */
static void
test_rename_scene (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  LoomSidebarRow *row;

  g_assert_true (loom_scene_set_outline (fixture->scenes[1],
                                         "  She walks the coast road.\nThe tide is out.", &error));
  g_assert_no_error (error);
  select_in_sidebar (fixture, fixture->scenes[1]);
  shown = rename_by_keys (fixture, "W e s t w a r d");
  if (shown == NULL)
    return;
  g_assert_cmpstr (shown, ==, "She walks the coast road.");
  wait_outline (fixture, "Westward\nThe tide is out.");
  row = loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                               G_OBJECT (fixture->scenes[1]));
  g_assert_cmpstr (loom_sidebar_row_get_title_text (row), ==, "Westward");

  select_in_sidebar (fixture, fixture->scenes[1]);
  press_keys (fixture->window, "ctrl+z");
  wait_outline (fixture, "  She walks the coast road.\nThe tide is out.");
}

static gboolean
editor_shows_third (gpointer data)
{
  Fixture *fixture = data;

  return loom_scene_editor_get_scene (_loom_window_get_editor (fixture->window)) ==
         fixture->scenes[2];
}

static void
reopen_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  fixture->window = LOOM_WINDOW (test_ui_present_window (fixture->store, 1000, 700));
}

/* The scene last open in a story is open again at the next start; one that has gone since
 * leaves nothing selected. */
static void
test_reopen_last_scene (Fixture       *fixture,
                        gconstpointer  data)
{
  LoomSidebarRow *row;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;

  row = loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window),
                               G_OBJECT (fixture->scenes[2]));
  g_assert_nonnull (row);
  if (!test_ui_click (GTK_WIDGET (row)))
    return;
  test_spin_until (editor_shows_third, fixture, "the click to open the scene");

  reopen_window (fixture);
  test_spin_until (editor_shows_third, fixture, "the last scene to open again");
  g_assert_true (loom_window_get_selected_item (fixture->window) == G_OBJECT (fixture->scenes[2]));

  deletion = loom_store_delete_scene (fixture->store, fixture->scenes[2], &error);
  g_assert_no_error (error);
  reopen_window (fixture);
  g_assert_null (loom_window_get_selected_item (fixture->window));
  g_assert_null (loom_scene_editor_get_scene (_loom_window_get_editor (fixture->window)));
}

/* ------------------------------------------------------------------------------------------ */
/* Long messages are never cut off                                                             */

/* A message too long for the toast's line gets Details, which a click opens whole; a short
 * one is the toast alone. */
static void
test_long_message_whole (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("The server at ai.example.com rejected the request: ");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) short_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                       "Not saved.");
  AdwMessageDialog *dialog;

  for (guint i = 0; i < 12; i++)
    g_string_append (text, "the model is resting until the tide turns, ");
  g_string_append (text, "and this is the end of the message.");
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, text->str);

  loom_window_show_error (fixture->window, short_error);
  g_assert_cmpstr (adw_toast_get_button_label (_loom_window_get_message_toast (fixture->window)),
                   ==, NULL);

  loom_window_show_error (fixture->window, error);
  g_assert_cmpstr (adw_toast_get_button_label (_loom_window_get_message_toast (fixture->window)),
                   ==, "_Details");
  if (!test_ui_click_toast_button (GTK_WINDOW (fixture->window), "_Details"))
    return;
  test_spin_until (dialog_mapped, NULL, "the message's dialog");
  dialog = test_ui_find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, text->str);
  g_assert_true (test_ui_press (GTK_WINDOW (dialog), "Escape"));
  test_spin_until (dialog_gone, NULL, "the dialog to close");
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/ui/keys"))
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/keys/add-is-not-generate", test_add_keys_are_not_generate);
  g_test_add_func ("/ui/keys/shortcuts-window", test_shortcuts_window_lists_keys);
  ADD ("/ui/keys/keyboard-moves", test_keyboard_moves);
  ADD ("/ui/keys/undo-structure", test_undo_structure);
  ADD ("/ui/keys/undo-outline-not-in-text", test_undo_outline_not_in_text);
  ADD ("/ui/keys/undo-character", test_undo_character);
  ADD ("/ui/keys/bible-entry", test_bible_entry);
  ADD ("/ui/keys/bible-marks", test_bible_marks);
  ADD ("/ui/keys/bible-marks-follow-streams", test_bible_marks_follow_streams);
  ADD ("/ui/keys/toast-undo-is-the-stack", test_toast_undo_is_the_stack);
  ADD ("/ui/keys/undo-import", test_undo_import);
  ADD ("/ui/keys/drag-and-undo", test_drag_and_undo);
  ADD ("/ui/keys/undo-after-trash-restore", test_undo_after_trash_restore);
  ADD ("/ui/keys/header-follows-model", test_header_follows_model);
  ADD ("/ui/keys/rename-scene", test_rename_scene);
  ADD ("/ui/keys/reopen-last-scene", test_reopen_last_scene);
  ADD ("/ui/keys/long-message-whole", test_long_message_whole);

#undef ADD

  return g_test_run ();
}
