/* loom-window.c: the writing window
 *
 * Sidebar | scene editor | character panel under one header bar. The window holds the open
 * story; the widgets below it are given the story or the scene and follow the model by
 * themselves. Actions live in loom-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-dialog-util.h"
#include "loom-generation-util.h"
#include "loom-scene.h"
#include "loom-window-private.h"

G_DEFINE_FINAL_TYPE (LoomWindow, loom_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STORY,
  PROP_STORY_ID,
  PROP_SELECTED_ITEM,
  PROP_SHOW_CHARACTERS,
  PROP_FOCUS_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_editor (LoomWindow *self);
static void set_focus_mode (LoomWindow *self,
                            gboolean    focus_mode);
static void sync_header (LoomWindow *self);

LoomWindow *
loom_window_new (GtkApplication *application,
                 LoomStore      *store)
{
  return g_object_new (LOOM_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

LoomStore *
loom_window_get_store (LoomWindow *self)
{
  g_return_val_if_fail (LOOM_IS_WINDOW (self), NULL);
  return self->store;
}

LoomStory *
loom_window_get_story (LoomWindow *self)
{
  g_return_val_if_fail (LOOM_IS_WINDOW (self), NULL);
  return self->story;
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

/* An error of the store, as a toast: the writer reads the error's sentence. */
void
loom_window_show_error (LoomWindow   *self,
                        const GError *error)
{
  AdwToast *toast;

  g_return_if_fail (LOOM_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_free (self->last_error);
  self->last_error = g_strdup (error->message);

  if (self->toast_overlay == NULL)
    {
      g_message ("%s", error->message);
      return;
    }

  toast = _loom_window_add_message_toast (self, error->message, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
}

/* A library that cannot be opened: a dialog with the error's sentence, and a page saying so.
 * For a damaged one the page only: the application offers the newest intact backup. */
void
loom_window_show_open_error (LoomWindow   *self,
                             const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (LOOM_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->main_stack, "error");

  /* A damaged library gets one dialog, the application's, which offers a backup. */
  if (g_error_matches (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Open the Library"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_store_error (LoomWindow   *self,
                const GError *error)
{
  loom_window_show_error (self, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The story menu                                                                             */

static void rebuild_story_menu (LoomWindow *self);

static void
unwatch_stories (LoomWindow *self)
{
  for (guint i = 0; i < self->watched_stories->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched_stories, i),
                                          rebuild_story_menu, self);
  g_ptr_array_set_size (self->watched_stories, 0);
}

static void
rebuild_story_menu (LoomWindow *self)
{
  GListModel *stories;
  guint n;

  unwatch_stories (self);
  g_menu_remove_all (self->story_list_section);
  if (self->store == NULL)
    return;

  stories = loom_store_get_stories (self->store);
  n = g_list_model_get_n_items (stories);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomStory) story = g_list_model_get_item (stories, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (loom_story_get_title (story), NULL);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (story));

      g_menu_item_set_action_and_target_value (item, "win.open-story", g_variant_new_string (id));
      g_menu_append_item (self->story_list_section, item);

      g_signal_connect_swapped (story, "notify::title", G_CALLBACK (rebuild_story_menu), self);
      g_ptr_array_add (self->watched_stories, g_object_ref (story));
    }
}

static void
on_stories_changed (LoomWindow *self,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *stories)
{
  rebuild_story_menu (self);

  /* The open story was deleted (here or by another view): open another one. */
  if (self->story != NULL)
    {
      guint n = g_list_model_get_n_items (stories);
      gboolean found = FALSE;

      for (guint i = 0; i < n && !found; i++)
        {
          g_autoptr(LoomStory) story = g_list_model_get_item (stories, i);
          found = story == self->story;
        }
      if (!found)
        {
          g_autoptr(LoomStory) first = n > 0 ? g_list_model_get_item (stories, 0) : NULL;
          loom_window_set_story (self, first);
        }
    }
  _loom_window_actions_update (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The open story                                                                             */

/* The window's title, for the window list and the task switcher: "Story — Storyloom". */
static void
update_title (LoomWindow *self)
{
  g_autofree char *title = NULL;

  if (self->story != NULL)
    /* TRANSLATORS: the window title; %s is the story's title */
    title = g_strdup_printf (_("%s — Storyloom"), loom_story_get_title (self->story));
  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("Storyloom"));
  /* The story menu is named by the open story, as it shows; GTK 4.8 does not name it by its
   * label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->story_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->story ? loom_story_get_title (self->story)
                                              : _("Storyloom"),
                                  -1);
}

/* The scene last open in each story is reopened with the story. It is kept in GSettings, not
 * in the library: where the writer was is this desktop's state, not the story's, and a write
 * to the library at each click would wake every other program that has it open. The key names
 * the library too (the writer may keep several, whose ids overlap); a scene that has gone
 * since is simply not reopened. */
#define MAX_LAST_SCENES 64

static char *
last_scene_key (LoomWindow *self,
                LoomStory  *story)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "@%s", loom_story_get_id (story),
                          loom_store_get_path (self->store));
}

static void
remember_scene (LoomWindow *self,
                LoomScene  *scene)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "last-scenes");
  g_autofree char *story_key = last_scene_key (self, loom_scene_get_story (scene));
  gint64 scene_id = loom_scene_get_id (scene);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sx}"));
  GVariantIter iter;
  const char *key;
  gint64 value;
  guint kept = 1;

  g_variant_builder_add (&builder, "{sx}", story_key, scene_id);
  g_variant_iter_init (&iter, old);
  /* The newest first; the oldest fall off. */
  while (g_variant_iter_next (&iter, "{&sx}", &key, &value))
    {
      if (g_str_equal (key, story_key))
        {
          if (value == scene_id)
            return;
          continue;
        }
      if (kept++ < MAX_LAST_SCENES)
        g_variant_builder_add (&builder, "{sx}", key, value);
    }
  g_settings_set_value (self->settings, "last-scenes", g_variant_builder_end (&builder));
}

static LoomScene *
remembered_scene (LoomWindow *self,
                  LoomStory  *story)
{
  g_autoptr(GVariant) scenes = g_settings_get_value (self->settings, "last-scenes");
  g_autofree char *story_key = last_scene_key (self, story);
  LoomScene *scene;
  gint64 scene_id;

  if (!g_variant_lookup (scenes, story_key, "x", &scene_id))
    return NULL;
  scene = loom_store_lookup_scene (self->store, scene_id);
  if (scene == NULL || loom_scene_get_story (scene) != story)
    return NULL;
  return scene;
}

static void
on_selected_item_changed (LoomWindow *self)
{
  GObject *item = loom_sidebar_get_selected_item (self->sidebar);

  if (LOOM_IS_SCENE (item))
    {
      loom_scene_editor_set_scene (self->editor, LOOM_SCENE (item));
      remember_scene (self, LOOM_SCENE (item));
      show_editor (self);
    }
  else
    loom_scene_editor_set_chapter (self->editor, LOOM_IS_CHAPTER (item) ? LOOM_CHAPTER (item)
                                                                        : NULL);
  _loom_window_actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

GObject *
loom_window_get_selected_item (LoomWindow *self)
{
  g_return_val_if_fail (LOOM_IS_WINDOW (self), NULL);
  return loom_sidebar_get_selected_item (self->sidebar);
}

LoomSceneEditor *
loom_window_get_editor (LoomWindow *self)
{
  g_return_val_if_fail (LOOM_IS_WINDOW (self), NULL);
  return self->editor;
}

void
loom_window_set_generation (LoomWindow   *self,
                            GActionGroup *actions,
                            GMenuModel   *menu,
                            GMenuModel   *row_section)
{
  g_return_if_fail (LOOM_IS_WINDOW (self));

  gtk_widget_insert_action_group (GTK_WIDGET (self), "gen", actions);
  if (menu != NULL)
    gtk_menu_button_set_menu_model (self->generate_button, menu);
  if (row_section != NULL)
    loom_sidebar_set_generation_section (self->sidebar, row_section);
}

static gboolean
focus_sidebar (gpointer data)
{
  LoomWindow *self = data;

  self->focus_source = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self->sidebar));
  return G_SOURCE_REMOVE;
}

void
loom_window_set_story (LoomWindow *self,
                       LoomStory  *story)
{
  g_return_if_fail (LOOM_IS_WINDOW (self));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  if (self->story == story && self->story_shown)
    return;

  self->story_shown = TRUE;
  loom_window_save (self);

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_func (self->story, update_title, self);
  g_set_object (&self->story, story);
  loom_sidebar_set_story (self->sidebar, story);
  loom_character_panel_set_story (self->character_panel, story);
  loom_goal_indicator_set_story (self->goal_indicator, story);
  loom_search_pane_set_story (self->search_pane, self->store, story);
  if (story != NULL)
    loom_sidebar_select_item (self->sidebar, G_OBJECT (remembered_scene (self, story)));

  if (story != NULL)
    {
      self->title_binding = g_object_bind_property (story, "title", self->story_label, "label",
                                                    G_BINDING_SYNC_CREATE);
      g_signal_connect_object (story, "notify::title", G_CALLBACK (update_title), self,
                               G_CONNECT_SWAPPED);
      g_settings_set_int64 (self->settings, "last-story", loom_story_get_id (story));
      gtk_stack_set_visible_child_name (self->main_stack, "story");
      /* The keyboard starts in the sidebar (once its rows exist): arrows pick a scene,
       * Alt+arrows move it. */
      if (self->focus_source == 0)
        self->focus_source = g_idle_add (focus_sidebar, self);
    }
  else
    {
      set_focus_mode (self, FALSE);
      gtk_label_set_label (self->story_label, _("Storyloom"));
      if (self->store != NULL)
        gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }

  update_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self->generate_button), story != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->generation_bar), story != NULL);
  sync_header (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->story_button), self->store != NULL);

  _loom_window_actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY_ID]);
}

/* ------------------------------------------------------------------------------------------ */
/* Adaptive layout: the leaflet folds the sidebar away below about 570 px, the flap lays the    */
/* character panel over the editor below about 790 px; down to 360 px everything is reachable. */

/* Below this width the leaflet is sure to fold: the sidebar and the editor need 521 px. */
#define FOLDED_WIDTH 500

/* Whether the leaflet shows one pane at a time. Before its first allocation it has not decided
 * yet, and the window takes its first width from the header's: a window asked to open narrow is
 * taken as folded, so that the wide header does not make it wider than asked. */
static gboolean
is_folded (LoomWindow *self)
{
  int width, height;

  if (gtk_widget_get_width (GTK_WIDGET (self->leaflet)) > 0)
    return adw_leaflet_get_folded (self->leaflet);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  return width > 0 && width < FOLDED_WIDTH;
}

/* The header follows the leaflet: folded, a back button leads from the editor to the sidebar
 * where Add Scene is (in the bar below the list), taking the place of the header's own Add
 * Scene, and Characters leaves the header for the main menu, so that the header fits 360 px
 * beside GTK's three title buttons. (The Generate button drops its label where the room runs
 * out: loom_window_size_allocate ().) */
static void
sync_header (LoomWindow *self)
{
  gboolean folded = is_folded (self);
  const char *page = adw_leaflet_get_visible_child_name (self->leaflet);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          folded && g_strcmp0 (page, "content") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->add_scene_button), !folded);
  gtk_widget_set_visible (GTK_WIDGET (self->characters_button),
                          !folded && self->story != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->goal_indicator), !folded && self->story != NULL);
}

/* Room the header keeps beyond its three parts' widths: the spacing between them and its
 * padding. */
#define HEADER_SLACK 24
/* Between Generate's icon and label, as loom-window.ui has it. */
#define GENERATE_SPACING 6

/* Whether the header has room for Generate's label beside the story's whole title. GTK 4.8
 * centres the title and gives the header's end only the room right of it, so a squeezer
 * there dropped the label at 800 px with room to spare left of the title. Shown, the label
 * counts in the header's minimum width, and the title moves over for it rather than Generate
 * losing its name; the label goes before the title has to shorten. */
static gboolean
generate_label_fits (LoomWindow *self)
{
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (self->story_button),
                                               ADW_TYPE_HEADER_BAR);
  GtkWidget *start = gtk_widget_get_parent (GTK_WIDGET (self->add_scene_button));
  GtkWidget *end = gtk_widget_get_parent (GTK_WIDGET (self->generate_button));
  GtkWidget *label = GTK_WIDGET (self->generate_label);
  int start_min, end_min, title_nat, label_nat;

  gtk_widget_measure (start, GTK_ORIENTATION_HORIZONTAL, -1, &start_min, NULL, NULL, NULL);
  gtk_widget_measure (end, GTK_ORIENTATION_HORIZONTAL, -1, &end_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->story_button), GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                      &title_nat, NULL, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &label_nat, NULL, NULL);
  if (!gtk_widget_get_visible (label))
    end_min += label_nat + GENERATE_SPACING;
  return gtk_widget_get_width (header) >= start_min + title_nat + end_min + HEADER_SLACK;
}

static gboolean
fit_generate_label (gpointer data)
{
  LoomWindow *self = data;

  self->generate_label_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->generate_label), generate_label_fits (self));
  return G_SOURCE_REMOVE;
}

/* The label is shown or hidden after the layout, not during it. */
static void
loom_window_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  GTK_WIDGET_CLASS (loom_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->generate_label_source == 0 &&
      generate_label_fits (self) != gtk_widget_get_visible (GTK_WIDGET (self->generate_label)))
    self->generate_label_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_generate_label,
                                                   self, NULL);
}

static gboolean
update_header (gpointer data)
{
  LoomWindow *self = data;

  self->header_source = 0;
  sync_header (self);
  return G_SOURCE_REMOVE;
}

/* The leaflet folds while it is being allocated, after the header was: resizing the header
 * then would leave it unallocated for this frame, so it changes before the next one. */
static void
on_layout_changed (LoomWindow *self)
{
  if (self->header_source == 0)
    self->header_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_header, self, NULL);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  set_focus_mode (self, FALSE);
  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  gtk_widget_grab_focus (_loom_window_get_left_pane (self));
}

/* Folded, Alt+Left goes back to the sidebar from the outline and the prose as from anywhere:
 * taken before the focused widget sees it, for GtkSourceView binds the key itself (to move
 * words). Side by side, the key goes to the focused widget first, as any other. */
static gboolean
back_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  if (!adw_leaflet_get_folded (self->leaflet) ||
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "content") != 0)
    return FALSE;
  gtk_widget_activate_action (widget, "win.show-sidebar", NULL);
  return TRUE;
}

static void
add_back_shortcut (LoomWindow *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, GDK_ALT_MASK),
                      gtk_callback_action_new (back_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* Folded, the leaflet shows the editor once a scene is chosen. */
static void
show_editor (LoomWindow *self)
{
  GtkWidget *focus;

  if (!adw_leaflet_get_folded (self->leaflet))
    return;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  /* The sidebar row that had the keyboard slides out of sight: the writer goes on in the prose,
   * not on whatever GTK finds next (the selectable status line, all of it selected). */
  if (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar)))
    gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (self->editor)));
}

/* Side by side, the character panel is where the writer left it (GSettings keeps that); laid
 * over the editor it opens only when asked, and closing it there is not remembered. */
static void
on_flap_folded (LoomWindow *self)
{
  adw_flap_set_reveal_flap (self->character_flap,
                            !adw_flap_get_folded (self->character_flap) &&
                            g_settings_get_boolean (self->settings, "show-characters"));
}

/* The flap also closes by itself when folded (Escape, a click on the editor). */
static void
on_flap_revealed (LoomWindow *self)
{
  gboolean revealed = adw_flap_get_reveal_flap (self->character_flap);

  if (!adw_flap_get_folded (self->character_flap) &&
      g_settings_get_boolean (self->settings, "show-characters") != revealed)
    g_settings_set_boolean (self->settings, "show-characters", revealed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CHARACTERS]);
}

static void
set_focus_mode (LoomWindow *self,
                gboolean    focus_mode)
{
  if (_loom_window_change_focus_mode (self, focus_mode))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS_MODE]);
}

/* Asked for in focus mode (F9), the story bible ends it: the writer wants the panes again. */
static void
set_show_characters (LoomWindow *self,
                     gboolean    show)
{
  if (show)
    {
      set_focus_mode (self, FALSE);
      show_editor (self);
    }
  adw_flap_set_reveal_flap (self->character_flap, show);
}

/* The story to open at start: the last one, else the first, else none (the welcome page). */
static LoomStory *
initial_story (LoomWindow *self)
{
  GListModel *stories = loom_store_get_stories (self->store);
  gint64 last = g_settings_get_int64 (self->settings, "last-story");
  LoomStory *story = last > 0 ? loom_store_lookup_story (self->store, last) : NULL;

  if (story != NULL)
    return g_object_ref (story);
  if (g_list_model_get_n_items (stories) > 0)
    return g_list_model_get_item (stories, 0);
  return NULL;
}

/* Saves what is being edited; called on close, on quit and before the story changes. */
void
loom_window_save (LoomWindow *self)
{
  g_return_if_fail (LOOM_IS_WINDOW (self));

  if (self->editor != NULL)
    loom_scene_editor_save (self->editor);
  if (self->character_panel != NULL)
    loom_character_panel_save (self->character_panel);
}

/* ------------------------------------------------------------------------------------------ */

/* The window measures its first size once realized: the header is made for that size first. */
static void
loom_window_realize (GtkWidget *widget)
{
  GtkShortcutsWindow *overlay =
    gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (widget));

  /* The application gave the window its shortcuts window (gtk/help-overlay.ui) with it. */
  if (overlay != NULL)
    _loom_window_fit_help_overlay (GTK_WINDOW (overlay));
  sync_header (LOOM_WINDOW (widget));
  GTK_WIDGET_CLASS (loom_window_parent_class)->realize (widget);
}

static gboolean
loom_window_close_request (GtkWindow *window)
{
  LoomWindow *self = LOOM_WINDOW (window);
  int width, height;

  loom_window_save (self);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_int (self->settings, "character-panel-width",
                      loom_side_pane_get_pane_width (self->side_pane));

  return GTK_WINDOW_CLASS (loom_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* Generation (issue 6): the controller follows the open story and the selection             */

static void
on_generation_message (LoomWindow *self,
                       const char *message)
{
  _loom_window_add_message_toast (self, message, 0);
}

static void
on_generation_status (LoomWindow *self)
{
  const char *hint = loom_generation_controller_get_hint (self->generation);

  loom_ui_set_tooltip (GTK_WIDGET (self->generate_button), hint ? hint : _("Draft with the AI"));
}

static void
setup_generation (LoomWindow *self)
{
  self->generation = loom_generation_controller_new (self->store);
  loom_generation_controller_set_window (self->generation, GTK_WINDOW (self));
  loom_window_set_generation (self,
                              loom_generation_controller_get_action_group (self->generation),
                              loom_generation_controller_get_menu (self->generation),
                              loom_generation_controller_get_row_section (self->generation));
  g_object_bind_property (self, "story", self->generation, "story", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "selected-item", self->generation, "item",
                          G_BINDING_SYNC_CREATE);
  loom_generation_controller_attach_editor (self->generation, GTK_WIDGET (self->editor),
                                            loom_scene_editor_get_prose_view (self->editor));
  loom_generation_bar_set_controller (self->generation_bar, self->generation);
  g_signal_connect_object (self->generation, "error", G_CALLBACK (loom_window_show_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "prose-replaced",
                           G_CALLBACK (_loom_window_record_prose_replaced), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "message", G_CALLBACK (on_generation_message), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->generation, "notify::hint",
                           G_CALLBACK (on_generation_status), self, G_CONNECT_SWAPPED);

  /* The AI on the selected prose (issue 15): reviewed in a dialog, applied as one undo step. */
  self->revise = loom_revise_controller_new (self->generation);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "revise",
                                  loom_revise_controller_get_action_group (self->revise));
  loom_revise_controller_attach (self->revise, GTK_WINDOW (self),
                                 loom_scene_editor_get_prose_view (self->editor));
  g_signal_connect_object (self->revise, "prose-replaced",
                           G_CALLBACK (_loom_window_record_prose_replaced), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->revise, "message", G_CALLBACK (on_generation_message), self,
                           G_CONNECT_SWAPPED);
}

static void
loom_window_constructed (GObject *object)
{
  LoomWindow *self = (LoomWindow *) object;
  int width;

  G_OBJECT_CLASS (loom_window_parent_class)->constructed (object);

  width = g_settings_get_int (self->settings, "window-width");
  gtk_window_set_default_size (GTK_WINDOW (self), width,
                               g_settings_get_int (self->settings, "window-height"));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  /* Saved on close, as the window's size is, not at every step of a drag. */
  loom_side_pane_set_pane_width (self->side_pane,
                                 g_settings_get_int (self->settings, "character-panel-width"));

  on_flap_folded (self);
  sync_header (self);

  if (self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      loom_window_set_story (self, NULL);
      return;
    }

  setup_generation (self);
  _loom_window_focus_mode_init (self);
  _loom_window_undo_init (self);
  _loom_window_search_init (self);
  _loom_window_sync_start (self);

  g_signal_connect_object (loom_store_get_stories (self->store), "items-changed",
                           G_CALLBACK (on_stories_changed), self, G_CONNECT_SWAPPED);
  rebuild_story_menu (self);

  {
    g_autoptr(LoomStory) story = initial_story (self);

    loom_window_set_story (self, story);
  }
}

static void
loom_window_dispose (GObject *object)
{
  LoomWindow *self = (LoomWindow *) object;

  loom_window_save (self);
  _loom_window_sync_stop (self);
  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_clear_handle_id (&self->header_source, g_source_remove);
  g_clear_handle_id (&self->generate_label_source, g_source_remove);
  loom_dialog_clear_chooser (&self->import_chooser);
  if (self->watched_stories != NULL)
    unwatch_stories (self);
  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_weak_pointer (&self->message_toast);
  /* Stops what is being generated; the library keeps what had arrived. */
  g_clear_object (&self->revise);
  g_clear_object (&self->generation);
  g_clear_object (&self->undo_stack);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_WINDOW);
  g_clear_object (&self->story);

  G_OBJECT_CLASS (loom_window_parent_class)->dispose (object);
}

static void
loom_window_finalize (GObject *object)
{
  LoomWindow *self = (LoomWindow *) object;

  g_clear_pointer (&self->watched_stories, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_pointer (&self->focus_page, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_window_parent_class)->finalize (object);
}

static void
loom_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LoomWindow *self = LOOM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, loom_sidebar_get_selected_item (self->sidebar));
      break;
    case PROP_SHOW_CHARACTERS:
      g_value_set_boolean (value, self->character_flap != NULL &&
                                  adw_flap_get_reveal_flap (self->character_flap));
      break;
    case PROP_FOCUS_MODE:
      g_value_set_boolean (value, self->focus_mode);
      break;
    case PROP_STORY_ID:
      g_value_take_string (value, self->story ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                 loom_story_get_id (self->story))
                                              : g_strdup (""));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LoomWindow *self = LOOM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_STORY:
      loom_window_set_story (self, g_value_get_object (value));
      break;
    case PROP_SHOW_CHARACTERS:
      set_show_characters (self, g_value_get_boolean (value));
      break;
    case PROP_FOCUS_MODE:
      set_focus_mode (self, g_value_get_boolean (value));
      break;
    case PROP_STORY_ID:
      {
        const char *text = g_value_get_string (value);
        gint64 id = text ? g_ascii_strtoll (text, NULL, 10) : 0;
        LoomStory *story = self->store && id > 0 ? loom_store_lookup_story (self->store, id)
                                                 : NULL;
        if (story != NULL)
          loom_window_set_story (self, story);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_window_class_init (LoomWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = loom_window_constructed;
  object_class->dispose = loom_window_dispose;
  object_class->finalize = loom_window_finalize;
  object_class->get_property = loom_window_get_property;
  object_class->set_property = loom_window_set_property;

  widget_class->realize = loom_window_realize;
  widget_class->size_allocate = loom_window_size_allocate;
  window_class->close_request = loom_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LOOM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORY] =
    g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The open story's id, in decimal: win.open-story is a property action on it (they take no
   * 64-bit integers), so the story menu marks the open story. */
  properties[PROP_STORY_ID] =
    g_param_spec_string ("story-id", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CHARACTERS] =
    g_param_spec_boolean ("show-characters", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Only the prose on the screen (loom-window-focus-mode.c). */
  properties[PROP_FOCUS_MODE] =
    g_param_spec_boolean ("focus-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LOOM_TYPE_SIDEBAR);
  g_type_ensure (LOOM_TYPE_GENERATION_BAR);
  g_type_ensure (LOOM_TYPE_SCENE_EDITOR);
  g_type_ensure (LOOM_TYPE_CHARACTER_PANEL);
  g_type_ensure (LOOM_TYPE_SIDE_PANE);
  g_type_ensure (LOOM_TYPE_GOAL_INDICATOR);
  g_type_ensure (LOOM_TYPE_SEARCH_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, story_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, generate_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, generation_bar);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, characters_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, add_scene_button);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, goal_indicator);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, story_label);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, generate_label);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, character_flap);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, left_stack);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, search_pane);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, side_pane);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, character_panel);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, story_list_section);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, LoomWindow, sidebar_separator);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_store_error);
  gtk_widget_class_bind_template_callback (widget_class, on_layout_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_flap_folded);
  gtk_widget_class_bind_template_callback (widget_class, on_flap_revealed);

  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  /* The leaflet's own Alt+Left works only while the focus is inside it, not from the header. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.show-sidebar", NULL);

  _loom_window_class_actions_init (widget_class);
  _loom_window_class_undo_init (widget_class);
  _loom_window_class_focus_init (widget_class);
  _loom_window_class_search_init (widget_class);
  _loom_window_class_focus_mode_init (widget_class);
}

static void
loom_window_init (LoomWindow *self)
{
  self->settings = g_settings_new (APP_ID);
  self->watched_stories = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  _loom_window_focus_init (self);
  add_back_shortcut (self);
  /* The editor's context menu turns it off too, and Preferences shows the same switch. */
  g_settings_bind (self->settings, "spell-check", self->editor, "spell-checking",
                   G_SETTINGS_BIND_DEFAULT);

  /* A toggle kept in GSettings, for every window and the next start alike. */
  {
    g_autoptr(GAction) tint = g_settings_create_action (self->settings, "tint-ai-text");

    g_action_map_add_action (G_ACTION_MAP (self), tint);
  }

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
