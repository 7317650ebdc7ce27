/* loom-character-row.c: one character, expanded to edit it
 *
 * Name, traits and backstory are saved like the prose: a second after the last keystroke and
 * when focus leaves the row (the panel also saves every row when the window closes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "loom-character-row.h"

#define SAVE_DELAY_MS 1000

struct _LoomCharacterRow
{
  AdwExpanderRow  parent_instance;

  /* template children */
  AdwEntryRow    *name_row;
  AdwEntryRow    *traits_row;
  GtkTextView    *backstory_view;

  /* owned */
  LoomCharacter  *character;
  guint           save_source;

  guint           loading : 1;
  guint           dirty : 1;
};

G_DEFINE_FINAL_TYPE (LoomCharacterRow, loom_character_row, ADW_TYPE_EXPANDER_ROW)

enum {
  STORE_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkTextBuffer *
backstory_buffer (LoomCharacterRow *self)
{
  return gtk_text_view_get_buffer (self->backstory_view);
}

static void
set_editable_text (GtkEditable *editable,
                   const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text ? text : "") != 0)
    gtk_editable_set_text (editable, text ? text : "");
}

static void
update (LoomCharacterRow *self)
{
  const char *name = loom_character_get_name (self->character);
  const char *traits = loom_character_get_traits (self->character);
  const char *backstory = loom_character_get_backstory (self->character);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 name && *name ? name : _("Unnamed Character"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), traits ? traits : "");

  if (self->dirty)
    return;

  self->loading = TRUE;
  set_editable_text (GTK_EDITABLE (self->name_row), name);
  set_editable_text (GTK_EDITABLE (self->traits_row), traits);
  {
    GtkTextIter start, end;
    g_autofree char *current = NULL;

    gtk_text_buffer_get_bounds (backstory_buffer (self), &start, &end);
    current = gtk_text_buffer_get_text (backstory_buffer (self), &start, &end, FALSE);
    if (g_strcmp0 (current, backstory ? backstory : "") != 0)
      gtk_text_buffer_set_text (backstory_buffer (self), backstory ? backstory : "", -1);
  }
  self->loading = FALSE;
}

gboolean
loom_character_row_save (LoomCharacterRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backstory = NULL;
  g_autofree char *name = NULL;
  g_autofree char *traits = NULL;
  GtkTextIter start, end;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->dirty || self->character == NULL)
    return TRUE;

  name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  traits = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->traits_row)));
  gtk_text_buffer_get_bounds (backstory_buffer (self), &start, &end);
  backstory = gtk_text_buffer_get_text (backstory_buffer (self), &start, &end, FALSE);

  /* Still dirty while saving: the notifications of the first field must not reset the
   * others in the row. */
  ok = (g_strcmp0 (name, loom_character_get_name (self->character)) == 0 ||
        loom_character_set_name (self->character, name, &error)) &&
       (g_strcmp0 (traits, loom_character_get_traits (self->character)) == 0 ||
        loom_character_set_traits (self->character, traits, &error)) &&
       (g_strcmp0 (backstory, loom_character_get_backstory (self->character)) == 0 ||
        loom_character_set_backstory (self->character, backstory, &error));
  if (!ok)
    {
      g_signal_emit (self, signals[STORE_ERROR], 0, error);
      return FALSE;
    }
  self->dirty = FALSE;
  return TRUE;
}

static gboolean
save_timeout (gpointer data)
{
  LoomCharacterRow *self = data;

  self->save_source = 0;
  loom_character_row_save (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed (LoomCharacterRow *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout, self);
}

static void
on_focus_leave (LoomCharacterRow *self)
{
  loom_character_row_save (self);
}

static void
on_delete_clicked (LoomCharacterRow *self)
{
  loom_character_row_save (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-character", "x",
                              loom_character_get_id (self->character));
}

GtkWidget *
loom_character_row_new (LoomCharacter *character)
{
  LoomCharacterRow *self = g_object_new (LOOM_TYPE_CHARACTER_ROW, NULL);

  self->character = g_object_ref (character);
  g_signal_connect_object (character, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return GTK_WIDGET (self);
}

LoomCharacter *
loom_character_row_get_character (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), NULL);
  return self->character;
}

void
loom_character_row_focus_name (LoomCharacterRow *self)
{
  g_return_if_fail (LOOM_IS_CHARACTER_ROW (self));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

GtkEditable *
loom_character_row_get_name_editable (LoomCharacterRow *self)
{
  return GTK_EDITABLE (self->name_row);
}

GtkEditable *
loom_character_row_get_traits_editable (LoomCharacterRow *self)
{
  return GTK_EDITABLE (self->traits_row);
}

GtkTextBuffer *
loom_character_row_get_backstory_buffer (LoomCharacterRow *self)
{
  return backstory_buffer (self);
}

static void
loom_character_row_dispose (GObject *object)
{
  LoomCharacterRow *self = (LoomCharacterRow *) object;

  if (self->character != NULL)
    {
      loom_character_row_save (self);
      g_signal_handlers_disconnect_by_func (self->character, update, self);
      g_clear_object (&self->character);
    }
  g_clear_handle_id (&self->save_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_CHARACTER_ROW);

  G_OBJECT_CLASS (loom_character_row_parent_class)->dispose (object);
}

static void
loom_character_row_class_init (LoomCharacterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_character_row_dispose;

  /**
   * LoomCharacterRow::store-error:
   *
   * Saving failed; the error's message is for the writer.
   */
  signals[STORE_ERROR] = g_signal_new ("store-error", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-character-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterRow, name_row);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterRow, traits_row);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterRow, backstory_view);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
}

static void
loom_character_row_init (LoomCharacterRow *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->traits_row, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_object (backstory_buffer (self), "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
