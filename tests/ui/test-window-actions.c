/* test-window-actions.c: every action has a key or a menu item (issue 14)
 *
 * The window of a real LoomApplication, on the sample story: each action of the application,
 * of the window and of the window's own widgets is reached from a menu the writer can open
 * (the header's menus, a scene row's menu opened with Shift+F10) or from a key (the
 * application's accelerators, the widgets' shortcuts). The shortcuts window opens with the
 * real Ctrl+? under fatal warnings and shows every shortcut on one page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-actions"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-application.h"
#include "loom-chapter.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-store-words-log.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char            *dir;
  LoomStore       *store;
  LoomWindow      *window;
} Fixture;

static LoomApplication *application;

/* Actions reached neither by a key nor from a menu, each for a reason. */
static const struct {
  const char *action;
  const char *why;
} internal[] = {
  /* Called with an id by the button beside what it acts on. */
  { "win.delete-character", "each character's Delete button, with its id" },
  { "win.delete-entry", "each story bible entry's Delete button, with its id" },
  { "win.add-fact", "each fact's Add to Story Bible button under a scene's summary, with it" },
  /* The button beside the summary it makes, in the editor; Tab reaches it there. */
  { "gen.summarize-scene", "Summarize, beside the scene's summary in the editor" },
  /* The window's own step, not the writer's: the key to the outline is its label's Alt+O. */
  { "editor.focus-outline", "the keyboard to a new scene's outline, after Add Scene" },
  /* The generation line's buttons, shown with what they answer and meaning nothing without
   * it; Tab reaches them there. */
  { "gen.keep-partial", "Keep, beside the words a stopped or failed draft left" },
  { "gen.discard-partial", "Discard, beside the words a stopped or failed draft left" },
  { "gen.setup", "Set Up, beside the sentence that says the key is missing" },
  { "gen.retry", "Retry, beside a failed draft's reason (Regenerate Scene is in the menus)" },
  /* Meaningful only with a query and a replacement typed beside it; Enter there asks too. */
  { "search.replace-all", "Replace All, beside the replacement in the search pane" },
  /* Shown only with the notice it closes; Tab reaches it there. */
  { "editor.dismiss-spell-notice", "Dismiss, beside the missing dictionary's notice" },
};

/* Keys that call back into the window rather than name an action (they decide by the focus),
 * and the action each one stands for. */
static const struct {
  const char *action;
  const char *accel;
} callback_keys[] = {
  { "win.undo", "<Control>z" },
  { "win.redo", "<Control><Shift>z" },
  { "gen.generate-scene", "<Control>Return" },
  { "gen.stop", "Escape" },
};

static gboolean
window_ready (gpointer data)
{
  LoomWindow *window = data;

  return gtk_widget_get_mapped (GTK_WIDGET (window)) && window->focus_source == 0 &&
         loom_scene_editor_get_scene (window->editor) != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  LoomStory *story;  /* the store's */

  /* No request may leave the machine, whatever the environment holds. */
  g_unsetenv ("OPENROUTER_API_KEY");
  g_setenv ("STORYLOOM_API_BASE", "http://127.0.0.1:9/v1", TRUE);

  fixture->store = test_library_open ("storyloom-actions-XXXXXX", &fixture->dir, &path);
  story = loom_sample_load (fixture->store, &error);
  g_assert_no_error (error);

  /* The application's accelerators and its shortcuts window are the writer's. */
  if (application == NULL)
    {
      application = loom_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
    }
  fixture->window = g_object_ref_sink (loom_window_new (GTK_APPLICATION (application),
                                                        fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  {
    g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
    g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);

    loom_sidebar_select_item (fixture->window->sidebar, G_OBJECT (scene));
  }
  test_spin_until (window_ready, fixture->window, "the window with a scene open");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

/* ------------------------------------------------------------------------------------------ */

/* Adds the actions MODEL's items name, its sections' and submenus' too, to REACHED. */
static void
add_menu_actions (GMenuModel *model,
                  GHashTable *reached)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_hash_table_add (reached, g_steal_pointer (&action));
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          add_menu_actions (linked, reached);
          g_object_unref (linked);
        }
    }
}

/* Adds the actions CONTROLLER's shortcuts name to REACHED, and the keys that call back
 * (GtkCallbackAction) to KEYS. */
static void
add_shortcut_actions (GtkShortcutController *controller,
                      GHashTable            *reached,
                      GPtrArray             *keys)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
      GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

      if (GTK_IS_NAMED_ACTION (action))
        g_hash_table_add (reached, g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))));
      else if (GTK_IS_CALLBACK_ACTION (action))
        g_ptr_array_add (keys, g_object_ref (gtk_shortcut_get_trigger (shortcut)));
    }
}

/* What WIDGET and all below it offer: menu buttons' and popover menus' items, shortcuts. */
static void
add_widget_reach (GtkWidget  *widget,
                  GHashTable *reached,
                  GPtrArray  *keys)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    add_menu_actions (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), reached);
  if (GTK_IS_POPOVER_MENU (widget) && gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (widget)))
    add_menu_actions (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (widget)), reached);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        add_shortcut_actions (GTK_SHORTCUT_CONTROLLER (controller), reached, keys);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_widget_reach (child, reached, keys);
}

/* The actions of WIDGET's class and its Storyloom parents, and of all below it: GTK's own
 * (text.undo, menu.popup…) are GTK's business. */
static void
add_widget_actions (GtkWidget  *widget,
                    GHashTable *actions)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (widget);
  GType owner;
  const char *name;
  const GVariantType *parameter_type;
  const char *property;

  /* GTK 4.8 fills every out argument: none may be NULL. */
  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &name, &parameter_type, &property);
       i++)
    {
      if (g_str_has_prefix (g_type_name (owner), "Loom"))
        g_hash_table_add (actions, g_strdup (name));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_widget_actions (child, actions);
}

static void
add_group_actions (GActionGroup *group,
                   const char   *prefix,
                   GHashTable   *actions)
{
  g_auto(GStrv) names = g_action_group_list_actions (group);

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_add (actions, g_strconcat (prefix, ".", names[i], NULL));
}

static gboolean
is_internal (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (internal); i++)
    if (g_str_equal (internal[i].action, action))
      return TRUE;
  return FALSE;
}

/* Whether one of KEYS is ACCEL. */
static gboolean
has_key (GPtrArray  *keys,
         const char *accel)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accel);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < keys->len; i++)
    if (gtk_shortcut_trigger_equal (g_ptr_array_index (keys, i), wanted))
      return TRUE;
  return FALSE;
}

static GtkPopoverMenu *
find_popover_menu (GtkWidget *widget)
{
  if (GTK_IS_POPOVER_MENU (widget) && gtk_widget_get_mapped (widget))
    return GTK_POPOVER_MENU (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkPopoverMenu *found = find_popover_menu (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popover_menu_open (gpointer data)
{
  return find_popover_menu (GTK_WIDGET (data)) != NULL;
}

static gboolean
focus_in_sidebar (gpointer data)
{
  LoomWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (window->sidebar));
}

static gboolean
focus_in_prose (gpointer data)
{
  LoomWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus == GTK_WIDGET (loom_scene_editor_get_prose_view (window->editor));
}

static void
test_every_action_reachable (Fixture       *fixture,
                             gconstpointer  data)
{
  LoomWindow *window = fixture->window;
  g_autoptr(GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) reached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  const char *action;

  add_group_actions (G_ACTION_GROUP (application), "app", actions);
  add_group_actions (G_ACTION_GROUP (window), "win", actions);
  add_group_actions (loom_generation_controller_get_action_group (window->generation), "gen",
                     actions);
  add_widget_actions (GTK_WIDGET (window), actions);
  /* Sanity: the enumeration sees the three kinds. */
  g_assert_true (g_hash_table_contains (actions, "app.preferences"));
  g_assert_true (g_hash_table_contains (actions, "win.show-help-overlay"));
  g_assert_true (g_hash_table_contains (actions, "win.add-scene"));
  g_assert_true (g_hash_table_contains (actions, "gen.generate-story"));
  g_assert_true (g_hash_table_contains (actions, "editor.find"));

  /* A scene row's menu, opened as a writer without a mouse does. */
  test_ui_press (GTK_WINDOW (window), "F6");
  test_ui_press (GTK_WINDOW (window), "shift+F6");
  test_spin_until (focus_in_sidebar, window, "the keyboard in the sidebar");
  if (!test_ui_press (GTK_WINDOW (window), "shift+F10"))
    return;
  test_spin_until (popover_menu_open, window, "the scene row's menu after Shift+F10");
  add_widget_reach (GTK_WIDGET (window), reached, keys);
  test_ui_press (GTK_WINDOW (window), "Escape");

  /* The prose's context menu (spelling, the selection actions), opened the same way. */
  gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (window->editor)));
  test_spin_until (focus_in_prose, window, "the keyboard in the prose");
  if (!test_ui_press (GTK_WINDOW (window), "shift+F10"))
    return;
  test_spin_until (popover_menu_open, window, "the prose's context menu after Shift+F10");
  add_widget_reach (GTK_WIDGET (window), reached, keys);
  test_ui_press (GTK_WINDOW (window), "Escape");

  g_hash_table_iter_init (&iter, actions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &action, NULL))
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                                    action);

      if (accels[0] != NULL || g_hash_table_contains (reached, action) || is_internal (action))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (callback_keys); i++)
        if (g_str_equal (callback_keys[i].action, action) && has_key (keys, callback_keys[i].accel))
          goto next;
      g_string_append_printf (missing, " %s", action);
    next:
      ;
    }
  if (missing->len > 0)
    g_error ("No key and no menu item for:%s", missing->str);

  /* The allow-list names only actions there are. */
  for (guint i = 0; i < G_N_ELEMENTS (internal); i++)
    g_assert_true (g_hash_table_contains (actions, internal[i].action));
}

/* ------------------------------------------------------------------------------------------ */

static GtkWindow *
shortcuts_window (void)
{
  GtkWindow *found = test_ui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);

  return found != NULL && gtk_widget_get_mapped (GTK_WIDGET (found)) ? found : NULL;
}

static gboolean
shortcuts_window_shown (gpointer data)
{
  return shortcuts_window () != NULL;
}

/* The shortcuts of WIDGET's sections, and how many of them are on screen. (The window keeps
 * copies of them for its search, outside the sections.) */
static void
count_shortcuts (GtkWidget *widget,
                 gboolean   in_section,
                 guint     *shown,
                 guint     *all)
{
  in_section = in_section || GTK_IS_SHORTCUTS_SECTION (widget);
  if (in_section && GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      *all += 1;
      *shown += gtk_widget_get_mapped (widget) ? 1 : 0;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_shortcuts (child, in_section, shown, all);
}

static gboolean
all_shortcuts_shown (gpointer data)
{
  guint shown = 0, all = 0;

  count_shortcuts (GTK_WIDGET (data), FALSE, &shown, &all);
  return shown == all;
}

/* Ctrl+? opens the shortcuts window, without a warning (they are fatal here): GTK 4.8 warns
 * about its page switcher once the shortcuts need a second page. They are all on the first. */
static void
test_shortcuts_window (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWindow *shortcuts;
  guint shown = 0, all = 0;

  g_assert_null (shortcuts_window ());
  if (!test_ui_press (GTK_WINDOW (fixture->window), "ctrl+question"))
    return;
  test_spin_until (shortcuts_window_shown, NULL, "the shortcuts window after Ctrl+?");
  shortcuts = shortcuts_window ();
  test_spin_until (all_shortcuts_shown, shortcuts, "every shortcut on the first page");
  count_shortcuts (GTK_WIDGET (shortcuts), FALSE, &shown, &all);
  g_assert_cmpuint (all, >=, 30);
  /* Inside the screen it opened on. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (shortcuts)), <=, 1024);
  gtk_window_close (shortcuts);
}

/* Opening the sample story is not writing: its scenes keep their prose and their states, and
 * today's word count (the header's, the Statistics') stays at nothing. */
static void
test_sample_not_written (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LoomStory) story = g_list_model_get_item (loom_store_get_stories (fixture->store), 0);
  g_autoptr(LoomChapter) first = g_list_model_get_item (loom_story_get_chapters (story), 0);
  g_autoptr(LoomChapter) second = g_list_model_get_item (loom_story_get_chapters (story), 1);
  g_autoptr(LoomScene) opening = g_list_model_get_item (loom_chapter_get_scenes (first), 0);
  g_autoptr(LoomScene) failed = g_list_model_get_item (loom_chapter_get_scenes (second), 1);
  g_autoptr(GArray) log = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (loom_scene_get_word_count (opening), ==, 190);
  g_assert_cmpint (loom_scene_get_status (opening), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpint (loom_scene_get_status (failed), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_nonnull (strstr (loom_scene_get_error_message (failed), "interrupted"));
  g_assert_cmpuint (loom_story_get_word_count (story), >, 190);

  log = loom_store_get_word_log (fixture->store, story, 30, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      LoomWordDay *day = &g_array_index (log, LoomWordDay, i);

      g_assert_cmpint (day->written, ==, 0);
      g_assert_cmpint (day->accepted, ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!test_ui_init (&argc, &argv, "/ui/actions"))
    return g_test_run ();

  g_test_add ("/ui/actions/every-action-reachable", Fixture, NULL, fixture_set_up,
              test_every_action_reachable, fixture_tear_down);
  g_test_add ("/ui/actions/shortcuts-window", Fixture, NULL, fixture_set_up,
              test_shortcuts_window, fixture_tear_down);
  g_test_add ("/ui/actions/sample-not-written", Fixture, NULL, fixture_set_up,
              test_sample_not_written, fixture_tear_down);
  status = g_test_run ();
  g_clear_object (&application);
  return status;
}
