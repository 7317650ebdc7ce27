/* loom-window-focus-mode.c: only the prose on the screen (issue 17)
 *
 * F11, or Focus Mode in the main menu, hides the header, the sidebar (or the search in its
 * place) and the story bible, fills the screen and leaves the prose in its readable column,
 * the line being written kept in the middle (loom-prose-column.c). Escape or F11 again brings back the layout as it was:
 * the same panes, the same sizes, the window as large as before.
 *
 * Whole containers are hidden, each once, so that nothing inside the prose is left without a
 * size; the panes keep their widths because nothing resizes them. Folded, the story bible lies
 * over the prose and would take the first click: it is closed for the while and opened again.
 * The generation bar stays, so that a draft running can still be seen and stopped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-focus-mode"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-window-private.h"

static void
set_panes_visible (LoomWindow *self,
                   gboolean    visible)
{
  GtkWidget *panes[] = {
    self->header_bar, GTK_WIDGET (self->left_stack), self->sidebar_separator,
    GTK_WIDGET (self->side_pane),
  };

  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    gtk_widget_set_visible (panes[i], visible);
}

static void
enter_focus_mode (LoomWindow *self)
{
  GtkWidget *prose = GTK_WIDGET (loom_scene_editor_get_prose_view (self->editor));
  AdwToast *toast;

  g_free (self->focus_page);
  self->focus_page = g_strdup (adw_leaflet_get_visible_child_name (self->leaflet));
  self->focus_flap_revealed = adw_flap_get_reveal_flap (self->character_flap);
  self->focus_fullscreened = !gtk_window_is_fullscreen (GTK_WINDOW (self));

  /* Without the story bible the flap would unfold, and open it by the writer's setting. */
  if (adw_flap_get_folded (self->character_flap))
    {
      adw_flap_set_fold_policy (self->character_flap, ADW_FLAP_FOLD_POLICY_ALWAYS);
      adw_flap_set_reveal_flap (self->character_flap, FALSE);
    }
  else
    adw_flap_set_fold_policy (self->character_flap, ADW_FLAP_FOLD_POLICY_NEVER);
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  set_panes_visible (self, FALSE);
  loom_scene_editor_set_focus_mode (self->editor, TRUE);
  if (self->focus_fullscreened)
    gtk_window_fullscreen (GTK_WINDOW (self));
  /* From the sidebar, say: its rows are gone, and the writer came to write. */
  if (gtk_widget_get_mapped (prose))
    gtk_widget_grab_focus (prose);

  /* The header with its menu is gone: the way back is said once. */
  toast = adw_toast_new (_("Focus mode: Escape or F11 leaves it"));
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
leave_focus_mode (LoomWindow *self)
{
  GtkWidget *focused = gtk_root_get_focus (GTK_ROOT (self));
  /* GTK would give the keyboard to the sidebar's row as it comes back: the writer goes on
   * where they were. */
  g_autoptr(GtkWidget) focus = focused != NULL ? g_object_ref (focused) : NULL;

  set_panes_visible (self, TRUE);
  loom_scene_editor_set_focus_mode (self->editor, FALSE);
  if (self->focus_page != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, self->focus_page);
  g_clear_pointer (&self->focus_page, g_free);
  if (self->focus_flap_revealed != adw_flap_get_reveal_flap (self->character_flap))
    adw_flap_set_reveal_flap (self->character_flap, self->focus_flap_revealed);
  adw_flap_set_fold_policy (self->character_flap, ADW_FLAP_FOLD_POLICY_AUTO);
  if (self->focus_fullscreened)
    gtk_window_unfullscreen (GTK_WINDOW (self));
  self->focus_fullscreened = FALSE;
  if (focus != NULL && gtk_widget_get_mapped (focus) &&
      gtk_root_get_focus (GTK_ROOT (self)) != focus)
    gtk_widget_grab_focus (focus);
}

/* For the window's "focus-mode", which notifies when this returns TRUE. Focus mode needs a
 * story: with none, it ends (the story was deleted, say). */
gboolean
_loom_window_change_focus_mode (LoomWindow *self,
                                gboolean    focus_mode)
{
  focus_mode = focus_mode && self->story != NULL;
  if (self->focus_mode == (guint) focus_mode)
    return FALSE;
  self->focus_mode = focus_mode;
  if (focus_mode)
    enter_focus_mode (self);
  else
    leave_focus_mode (self);
  return TRUE;
}

/* Escape leaves focus mode, and outside it goes on to whoever else wants it; in a search
 * entry (Find, Ctrl+F) it is the entry's, which closes it. The prose view would keep it. */
static gboolean
leave_focus_mode_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  LoomWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (!self->focus_mode || GTK_IS_EDITABLE (focus))
    return FALSE;
  g_object_set (self, "focus-mode", FALSE, NULL);
  return TRUE;
}

void
_loom_window_class_focus_mode_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.focus-mode", "focus-mode");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.focus-mode", NULL);
}

/* Escape is taken before the focused widget sees it, as the generation's Escape (Stop) is:
 * added after that one, it comes second, so that Escape stops a draft before anything else. */
void
_loom_window_focus_mode_init (LoomWindow *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkShortcutAction *action = gtk_callback_action_new (leave_focus_mode_cb, self, NULL);

  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                  0),
                                                          action));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
