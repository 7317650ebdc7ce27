/* loom-generation-controller-editor.c: the editor's shortcuts (Ctrl+Return, Escape) and the prose following its end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"
#include "loom-generation-util.h"

void
_loom_generation_controller_update_follow (LoomGenerationController *self)
{
  LoomScene *scene = _loom_generation_controller_get_scene (self);

  if (self->prose_scroller != NULL)
    loom_generation_follow_end_set_active (self->prose_scroller,
                                           scene != NULL &&
                                           loom_scene_get_status (scene) ==
                                           LOOM_SCENE_STATUS_GENERATING);
}

/* The shortcuts sit on the window, ahead of the application's accelerators (Ctrl+Return adds a
 * scene elsewhere), and act only while the writer is in the editor. */
static gboolean
focus_in_editor (LoomGenerationController *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  if (self->editor == NULL || (root = gtk_widget_get_root (self->editor)) == NULL)
    return FALSE;
  focus = gtk_root_get_focus (root);
  return focus != NULL && (focus == self->editor || gtk_widget_is_ancestor (focus, self->editor));
}

static gboolean
generate_shortcut (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  LoomGenerationController *self = user_data;
  const char *reason;
  gboolean fixable;
  g_autofree char *client = NULL;

  if (_loom_generation_controller_get_scene (self) == NULL || !focus_in_editor (self))
    return FALSE;

  reason = loom_generation_controller_get_disabled_reason (self, "generate-scene");
  if (reason == NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self->actions), "generate-scene", NULL);
      return TRUE;
    }

  client = _loom_generation_controller_client_reason (self, &fixable);
  if (fixable && g_strcmp0 (client, reason) == 0)
    loom_generation_controller_show_key_dialog (self, reason);
  else
    _loom_generation_controller_emit_message (self, reason);
  return TRUE;
}

static gboolean
stop_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  LoomGenerationController *self = user_data;

  if (!focus_in_editor (self) ||
      loom_generation_controller_get_disabled_reason (self, "stop") != NULL)
    return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "stop", NULL);
  return TRUE;
}

/* The shortcuts call back into the controller: they go when it does. */
void
_loom_generation_controller_remove_shortcuts (LoomGenerationController *self)
{
  if (self->shortcuts_holder == NULL)
    return;
  gtk_widget_remove_controller (self->shortcuts_holder, self->shortcuts);
  g_clear_weak_pointer (&self->shortcuts_holder);
  self->shortcuts = NULL;
}

static void
add_shortcut (GtkEventController  *shortcuts,
              guint                keyval,
              GdkModifierType      modifiers,
              GtkShortcutFunc      callback,
              gpointer             data)
{
  GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keyval, modifiers);
  GtkShortcutAction *action = gtk_callback_action_new (callback, data, NULL);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, action));
}

/**
 * loom_generation_controller_attach_editor:
 * @editor: the scene editor
 * @prose_view: its prose, inside a #GtkScrolledWindow
 *
 * Ctrl+Return generates the scene (or says why it can't), Escape stops it; the prose follows
 * its end while the scene is being generated, unless the writer scrolls away.
 */
void
loom_generation_controller_attach_editor (LoomGenerationController *self,
                                          GtkWidget                *editor,
                                          GtkTextView              *prose_view)
{
  GtkEventController *shortcuts;
  GtkWidget *scroller;
  GtkWidget *holder;

  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));
  g_return_if_fail (GTK_IS_WIDGET (editor));
  g_return_if_fail (GTK_IS_TEXT_VIEW (prose_view));

  g_set_weak_pointer (&self->editor, editor);

  /* On the window when there is one: a window's controllers run in the order they were added,
   * and the application's accelerators are added when the window gets its application, after
   * it is constructed; so, attached from a window's constructed(), these come first. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_shortcut (shortcuts, GDK_KEY_Return, GDK_CONTROL_MASK, generate_shortcut, self);
  add_shortcut (shortcuts, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, generate_shortcut, self);
  add_shortcut (shortcuts, GDK_KEY_Escape, 0, stop_shortcut, self);
  holder = gtk_widget_get_root (editor) ? GTK_WIDGET (gtk_widget_get_root (editor)) : editor;
  _loom_generation_controller_remove_shortcuts (self);
  self->shortcuts = shortcuts;
  g_set_weak_pointer (&self->shortcuts_holder, holder);
  gtk_widget_add_controller (holder, shortcuts);

  scroller = gtk_widget_get_ancestor (GTK_WIDGET (prose_view), GTK_TYPE_SCROLLED_WINDOW);
  if (scroller != NULL)
    {
      g_set_weak_pointer (&self->prose_scroller, GTK_SCROLLED_WINDOW (scroller));
      loom_generation_follow_end (self->prose_scroller);
      _loom_generation_controller_update_follow (self);
    }
}
