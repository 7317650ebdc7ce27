/* loom-undo-stack.c: what the window did, to be undone and redone in order
 *
 * One stack per window. A command is a label and two closures over core calls; the window
 * pushes one after each change it makes (add, delete, rename, move, an outline or character
 * saved, prose replaced, an import). Undo runs the newest command's undo and moves it to the
 * redo list; a new command empties that list, as every editor does.
 *
 * A command that fails — the library changed under it, from another window or the command
 * line — is dropped rather than kept: it would fail again and stand in front of the older
 * ones. The library is as the failed call left it: unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-undo-stack"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store.h"
#include "loom-undo-stack.h"

/* Enough for an afternoon's structure edits; prose keeps its own history. */
#define MAX_COMMANDS 200

typedef struct
{
  guint           serial;
  char           *label;
  LoomUndoFunc    undo;
  LoomUndoFunc    redo;
  gpointer        data;
  GDestroyNotify  destroy;
} Command;

struct _LoomUndoStack
{
  GObject  parent_instance;

  GQueue   undo;   /* of Command, newest first */
  GQueue   redo;   /* of Command, the last undone first */
  guint    last_serial;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (LoomUndoStack, loom_undo_stack, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
command_free (gpointer data)
{
  Command *command = data;

  if (command->destroy != NULL)
    command->destroy (command->data);
  g_free (command->label);
  g_free (command);
}

static void
notify_all (LoomUndoStack *self)
{
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

LoomUndoStack *
loom_undo_stack_new (void)
{
  return g_object_new (LOOM_TYPE_UNDO_STACK, NULL);
}

/**
 * loom_undo_stack_push:
 * @label: what the command did, for a person ("Delete Scene")
 * @undo: puts the library back as it was before the command
 * @redo: does the command again
 * @data: (transfer full): given to @undo and @redo
 * @destroy: frees @data
 *
 * Records a command that has just been done. While the stack runs an undo or a redo, what
 * that causes is not recorded again: @data is freed and 0 returned.
 *
 * Returns: the command's serial number, for loom_undo_stack_undo_command(); 0 if not recorded
 */
guint
loom_undo_stack_push (LoomUndoStack  *self,
                      const char     *label,
                      LoomUndoFunc    undo,
                      LoomUndoFunc    redo,
                      gpointer        data,
                      GDestroyNotify  destroy)
{
  Command *command;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), 0);
  g_return_val_if_fail (label != NULL, 0);
  g_return_val_if_fail (undo != NULL && redo != NULL, 0);

  if (self->busy)
    {
      if (destroy != NULL)
        destroy (data);
      return 0;
    }

  command = g_new0 (Command, 1);
  command->serial = ++self->last_serial;
  command->label = g_strdup (label);
  command->undo = undo;
  command->redo = redo;
  command->data = data;
  command->destroy = destroy;

  g_queue_clear_full (&self->redo, command_free);
  g_queue_push_head (&self->undo, command);
  while (self->undo.length > MAX_COMMANDS)
    command_free (g_queue_pop_tail (&self->undo));

  notify_all (self);
  return command->serial;
}

/**
 * loom_undo_stack_peek:
 * @undo: the undo function of the kind of command asked for
 *
 * For merging: a run of saves of one outline is one step to undo.
 *
 * Returns: (transfer none) (nullable): the newest command's data when its undo is @undo
 */
gpointer
loom_undo_stack_peek (LoomUndoStack *self,
                      LoomUndoFunc   undo)
{
  Command *top;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), NULL);

  top = g_queue_peek_head (&self->undo);
  return top != NULL && top->undo == undo ? top->data : NULL;
}

static gboolean
run (LoomUndoStack  *self,
     Command        *command,
     LoomUndoFunc    func,
     GError        **error)
{
  gboolean ok;

  self->busy = TRUE;
  ok = func (command->data, error);
  self->busy = FALSE;
  return ok;
}

/**
 * loom_undo_stack_undo:
 *
 * Undoes the newest command. A command that cannot be undone any more is dropped and its
 * error returned.
 *
 * Returns: %TRUE if a command was undone
 */
gboolean
loom_undo_stack_undo (LoomUndoStack  *self,
                      GError        **error)
{
  Command *command;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);

  if ((command = g_queue_pop_head (&self->undo)) == NULL)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("There is nothing to undo."));
      return FALSE;
    }

  ok = run (self, command, command->undo, error);
  if (ok)
    g_queue_push_head (&self->redo, command);
  else
    command_free (command);
  notify_all (self);
  return ok;
}

/**
 * loom_undo_stack_redo:
 *
 * Does the last undone command again.
 *
 * Returns: %TRUE if a command was redone
 */
gboolean
loom_undo_stack_redo (LoomUndoStack  *self,
                      GError        **error)
{
  Command *command;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);

  if ((command = g_queue_pop_head (&self->redo)) == NULL)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("There is nothing to redo."));
      return FALSE;
    }

  ok = run (self, command, command->redo, error);
  if (ok)
    g_queue_push_head (&self->undo, command);
  else
    command_free (command);
  notify_all (self);
  return ok;
}

static int
find_serial (gconstpointer a,
             gconstpointer b)
{
  const Command *command = a;

  return command->serial == GPOINTER_TO_UINT (b) ? 0 : 1;
}

/**
 * loom_undo_stack_undo_command:
 * @serial: what loom_undo_stack_push() returned
 *
 * Undoes one command out of order, as a toast's Undo button does. The newest command is
 * undone as loom_undo_stack_undo() would; an older one is undone and forgotten (redoing it
 * after what came later would not put things back as they were). The redo list is emptied
 * then, for the same reason.
 *
 * Returns: %TRUE if the command was undone, %FALSE if it was no longer there to undo
 */
gboolean
loom_undo_stack_undo_command (LoomUndoStack  *self,
                              guint           serial,
                              GError        **error)
{
  GList *link;
  Command *command;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);

  link = g_queue_find_custom (&self->undo, GUINT_TO_POINTER (serial), find_serial);
  if (link == NULL)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("This change has already been undone."));
      return FALSE;
    }
  if (link == self->undo.head)
    return loom_undo_stack_undo (self, error);

  command = link->data;
  g_queue_delete_link (&self->undo, link);
  ok = run (self, command, command->undo, error);
  command_free (command);
  g_queue_clear_full (&self->redo, command_free);
  notify_all (self);
  return ok;
}

gboolean
loom_undo_stack_get_can_undo (LoomUndoStack *self)
{
  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);
  return self->undo.length > 0;
}

gboolean
loom_undo_stack_get_can_redo (LoomUndoStack *self)
{
  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);
  return self->redo.length > 0;
}

const char *
loom_undo_stack_get_undo_label (LoomUndoStack *self)
{
  Command *top;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), NULL);
  top = g_queue_peek_head (&self->undo);
  return top ? top->label : NULL;
}

const char *
loom_undo_stack_get_redo_label (LoomUndoStack *self)
{
  Command *top;

  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), NULL);
  top = g_queue_peek_head (&self->redo);
  return top ? top->label : NULL;
}

/* TRUE while a command's undo or redo runs: what it changes is not a new command. */
gboolean
loom_undo_stack_get_busy (LoomUndoStack *self)
{
  g_return_val_if_fail (LOOM_IS_UNDO_STACK (self), FALSE);
  return self->busy;
}

/* Forgets every command: they name rows of a library or story no longer shown. */
void
loom_undo_stack_clear (LoomUndoStack *self)
{
  g_return_if_fail (LOOM_IS_UNDO_STACK (self));

  g_queue_clear_full (&self->undo, command_free);
  g_queue_clear_full (&self->redo, command_free);
  notify_all (self);
}

static void
loom_undo_stack_finalize (GObject *object)
{
  LoomUndoStack *self = (LoomUndoStack *) object;

  g_queue_clear_full (&self->undo, command_free);
  g_queue_clear_full (&self->redo, command_free);

  G_OBJECT_CLASS (loom_undo_stack_parent_class)->finalize (object);
}

static void
loom_undo_stack_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LoomUndoStack *self = LOOM_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, loom_undo_stack_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, loom_undo_stack_get_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, loom_undo_stack_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, loom_undo_stack_get_redo_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_undo_stack_class_init (LoomUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = loom_undo_stack_finalize;
  object_class->get_property = loom_undo_stack_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_undo_stack_init (LoomUndoStack *self)
{
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
}
