/* loom-revise-controller.c
 *
 * The actions open a LoomReviewDialog for the selected text of the scene shown; the dialog
 * sends nothing until the writer presses its button. What it applies comes back as the
 * "prose-replaced" signal, which the window records as one undo step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-revise-controller"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-revise-controller.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-selection-popover.h"

struct _LoomReviseController
{
  GObject                   parent_instance;

  /* borrowed: the window owns both and drops the generation controller after this */
  LoomGenerationController *generation;
  GtkWindow                *window;      /* weak */
  GtkTextView              *prose_view;  /* weak */
  GtkPopover               *popover;     /* weak: the prose view owns it */

  /* owned */
  GSimpleActionGroup       *actions;
  GMenu                    *menu;
};

G_DEFINE_FINAL_TYPE (LoomReviseController, loom_revise_controller, G_TYPE_OBJECT)

enum {
  SIGNAL_PROSE_REPLACED,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Distinct from every other key of the window (src/ui/gtk/help-overlay.ui), from GtkTextView's
 * own (Ctrl+Shift+A selects nothing) and from the input methods' (IBus takes Ctrl+Shift+E and
 * Ctrl+Shift+U). A key only opens the dialog: it never sends a request. */
static const struct
{
  LoomReviseAction  action;
  const char       *name;
  const char       *accel;
} action_table[] = {
  { LOOM_REVISE_CONTINUE, "continue", "<Control><Shift>t" },
  { LOOM_REVISE_REWRITE, "rewrite", "<Control><Shift>r" },
  { LOOM_REVISE_EXPAND, "expand", "<Control><Shift>l" },
  { LOOM_REVISE_SHORTEN, "shorten", "<Control><Shift>x" },
  { LOOM_REVISE_DESCRIBE, "describe", "<Control><Shift>d" },
  { LOOM_REVISE_ASK, "ask", "<Control><Shift>k" },
};

static const char *
menu_label (LoomReviseAction action)
{
  switch (action)
    {
    case LOOM_REVISE_CONTINUE:
      return _("C_ontinue from Here…");
    case LOOM_REVISE_REWRITE:
      return _("Re_write Selection…");
    case LOOM_REVISE_EXPAND:
      return _("E_xpand Selection…");
    case LOOM_REVISE_SHORTEN:
      return _("S_horten Selection…");
    case LOOM_REVISE_DESCRIBE:
      return _("_Describe with the Senses…");
    case LOOM_REVISE_ASK:
    default:
      return _("As_k About Selection…");
    }
}

static void
say (LoomReviseController *self,
     const char           *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
}

static void
on_applied (LoomReviseController *self,
            LoomScene            *scene,
            LoomRevision         *before,
            const char           *label)
{
  g_signal_emit (self, signals[SIGNAL_PROSE_REPLACED], 0, scene, before, label);
}

/* The selection (or the cursor) in bytes of @prose, which the buffer shows. */
static void
selection_bytes (GtkTextView *view,
                 const char  *prose,
                 gsize       *from,
                 gsize       *to)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  glong length = g_utf8_strlen (prose, -1);

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    gtk_text_buffer_get_iter_at_mark (buffer, &start, gtk_text_buffer_get_insert (buffer)),
      end = start;
  *from = g_utf8_offset_to_pointer (prose, MIN (gtk_text_iter_get_offset (&start), length))
          - prose;
  *to = g_utf8_offset_to_pointer (prose, MIN (gtk_text_iter_get_offset (&end), length)) - prose;
}

static void
send_again (GObject  *generation,
            gpointer  dialog)
{
  loom_review_dialog_send (dialog);
}

/* A spending limit refused the request: the limit can be raised over the review, and the
 * request sent again. */
static void
on_refused (LoomReviseController *self,
            const GError         *error,
            LoomReviewDialog     *dialog)
{
  loom_generation_controller_offer_raise (self->generation, GTK_WINDOW (dialog), error,
                                          send_again, g_object_ref (dialog), g_object_unref);
}

/* The popover offering the actions beside a selection that rests, for the tests; %NULL before
 * loom_revise_controller_attach(). */
GtkPopover *
loom_revise_controller_get_popover (LoomReviseController *self)
{
  g_return_val_if_fail (LOOM_IS_REVISE_CONTROLLER (self), NULL);
  return self->popover;
}

LoomReviewDialog *
loom_revise_controller_open (LoomReviseController *self,
                             LoomReviseAction      action)
{
  GObject *item = loom_generation_controller_get_item (self->generation);
  g_autoptr(GError) error = NULL;
  LoomReviewDialog *dialog;
  LoomScene *scene;
  const char *prose;
  gsize from, to;

  g_return_val_if_fail (LOOM_IS_REVISE_CONTROLLER (self), NULL);

  /* Its work is done: the dialog, or the sentence why not, takes over. */
  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);
  if (!LOOM_IS_SCENE (item) || self->prose_view == NULL)
    {
      say (self, _("Open a scene and select some of its prose first."));
      return NULL;
    }
  scene = LOOM_SCENE (item);
  if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
    {
      say (self, _("Wait for the scene’s generation to finish, or stop it, first."));
      return NULL;
    }
  /* The request is made from the stored prose: what was typed is stored first. */
  if (self->window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->window), "win.save", NULL);
  if (!loom_scene_load_prose (scene, &error))
    {
      say (self, error->message);
      return NULL;
    }
  prose = loom_scene_get_prose (scene) ? loom_scene_get_prose (scene) : "";
  selection_bytes (self->prose_view, prose, &from, &to);
  if (action != LOOM_REVISE_CONTINUE && from == to)
    {
      say (self, _("Select the words to change first."));
      return NULL;
    }

  dialog = loom_review_dialog_new (self->window, loom_generation_controller_get_generator (
                                                   self->generation),
                                   scene, action, from, to);
  loom_review_dialog_set_prose_view (dialog, self->prose_view);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_applied), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "refused", G_CALLBACK (on_refused), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
activate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LoomReviseController *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < G_N_ELEMENTS (action_table); i++)
    if (g_str_equal (name, action_table[i].name))
      loom_revise_controller_open (self, action_table[i].action);
}

GActionGroup *
loom_revise_controller_get_action_group (LoomReviseController *self)
{
  g_return_val_if_fail (LOOM_IS_REVISE_CONTROLLER (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

GMenuModel *
loom_revise_controller_get_menu (LoomReviseController *self)
{
  g_return_val_if_fail (LOOM_IS_REVISE_CONTROLLER (self), NULL);
  return G_MENU_MODEL (self->menu);
}

void
loom_revise_controller_attach (LoomReviseController *self,
                               GtkWindow            *window,
                               GtkTextView          *prose_view)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GMenuModel *generate_menu;

  g_return_if_fail (LOOM_IS_REVISE_CONTROLLER (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_TEXT_VIEW (prose_view));

  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->prose_view, prose_view);

  for (guint i = 0; i < G_N_ELEMENTS (action_table); i++)
    {
      g_autofree char *detailed = g_strconcat ("revise.", action_table[i].name, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                            gtk_shortcut_new (
                                              gtk_shortcut_trigger_parse_string (
                                                action_table[i].accel),
                                              gtk_named_action_new (detailed)));
    }
  /* Before the prose sees them: its own Ctrl+X (cut) would otherwise take Ctrl+Shift+X, as
   * a binding without Shift matches a key whose Shift only made the letter a capital, and
   * cut the selection away instead of opening Shorten. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (window), shortcuts);

  gtk_text_view_set_extra_menu (prose_view, G_MENU_MODEL (self->menu));
  g_set_weak_pointer (&self->popover, GTK_POPOVER (loom_selection_popover_new (prose_view)));
  generate_menu = loom_generation_controller_get_menu (self->generation);
  if (G_IS_MENU (generate_menu))
    g_menu_insert_section (G_MENU (generate_menu), 2, NULL, G_MENU_MODEL (self->menu));
}

LoomReviseController *
loom_revise_controller_new (LoomGenerationController *generation)
{
  LoomReviseController *self;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (generation), NULL);

  self = g_object_new (LOOM_TYPE_REVISE_CONTROLLER, NULL);
  self->generation = generation;
  return self;
}

static void
loom_revise_controller_dispose (GObject *object)
{
  LoomReviseController *self = LOOM_REVISE_CONTROLLER (object);

  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->prose_view);
  /* It is the window's child, and the window leaves its children to whoever added them: the
   * prose view's end is not enough, as a drag and drop from the prose keeps the view alive
   * past the window's (GTK's drag holds it). */
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  g_clear_weak_pointer (&self->popover);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (loom_revise_controller_parent_class)->dispose (object);
}

static void
loom_revise_controller_class_init (LoomReviseControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_revise_controller_dispose;

  /**
   * LoomReviseController::prose-replaced:
   * @before: the prose before the applied change, as a revision not in the library
   * @label: the action, for the undo step ("Rewrite")
   */
  signals[SIGNAL_PROSE_REPLACED] =
    g_signal_new ("prose-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  LOOM_TYPE_SCENE, LOOM_TYPE_REVISION, G_TYPE_STRING);
  /* A sentence for the writer: why an action cannot run now. */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
loom_revise_controller_init (LoomReviseController *self)
{
  self->actions = g_simple_action_group_new ();
  self->menu = g_menu_new ();
  for (guint i = 0; i < G_N_ELEMENTS (action_table); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (action_table[i].name, NULL);
      g_autofree char *detailed = g_strconcat ("revise.", action_table[i].name, NULL);
      g_autoptr(GMenuItem) item = g_menu_item_new (menu_label (action_table[i].action),
                                                   detailed);

      g_signal_connect (action, "activate", G_CALLBACK (activate_action), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      g_menu_item_set_attribute (item, "accel", "s", action_table[i].accel);
      g_menu_append_item (self->menu, item);
    }
}
