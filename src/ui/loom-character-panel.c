/* loom-character-panel.c: the story's characters
 *
 * A GtkListBox bound to the story's character model: rows come and go with the model (an add,
 * a delete, an undo), and an empty story shows what characters are for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-character-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-character-panel.h"
#include "loom-store-editor.h"

struct _LoomCharacterPanel
{
  GtkWidget   parent_instance;

  /* template children */
  GtkStack   *stack;
  GtkListBox *list_box;

  /* owned */
  LoomStory  *story;
  GListModel *characters;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomCharacterPanel, loom_character_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

enum {
  PROP_0,
  PROP_STORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_row_store_error (LoomCharacterPanel *self,
                    const GError       *error)
{
  loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
}

static void
on_row_edited (LoomCharacterPanel *self,
               GObject            *item,
               const char         *property,
               const char         *before)
{
  loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), G_OBJECT (item), property, before);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LoomCharacterPanel *self = user_data;
  GtkWidget *row = loom_character_row_new (LOOM_CHARACTER (item));

  g_signal_connect_object (row, "store-error", G_CALLBACK (on_row_store_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "edited", G_CALLBACK (on_row_edited), self, G_CONNECT_SWAPPED);
  return row;
}

static void
update_page (LoomCharacterPanel *self)
{
  gboolean empty = self->characters == NULL || g_list_model_get_n_items (self->characters) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

LoomStory *
loom_character_panel_get_story (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);
  return self->story;
}

void
loom_character_panel_set_story (LoomCharacterPanel *self,
                                LoomStory          *story)
{
  g_return_if_fail (LOOM_IS_CHARACTER_PANEL (self));

  if (self->story == story)
    return;

  loom_character_panel_save (self);
  if (self->characters != NULL)
    g_signal_handlers_disconnect_by_func (self->characters, update_page, self);
  gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_clear_object (&self->characters);
  g_set_object (&self->story, story);

  if (story != NULL)
    {
      self->characters = g_object_ref (loom_story_get_characters (story));
      gtk_list_box_bind_model (self->list_box, self->characters, create_row, self, NULL);
      g_signal_connect_object (self->characters, "items-changed", G_CALLBACK (update_page), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }

  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORY]);
}

gboolean
loom_character_panel_save (LoomCharacterPanel *self)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (LOOM_IS_CHARACTER_ROW (child))
        ok &= loom_character_row_save (LOOM_CHARACTER_ROW (child));
    }
  return ok;
}

LoomCharacterRow *
loom_character_panel_find_row (LoomCharacterPanel *self,
                               LoomCharacter      *character)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (LOOM_IS_CHARACTER_ROW (child) &&
          loom_character_row_get_character (LOOM_CHARACTER_ROW (child)) == character)
        return LOOM_CHARACTER_ROW (child);
    }
  return NULL;
}

/* Opens the character's row and puts the cursor in its name. */
void
loom_character_panel_reveal (LoomCharacterPanel *self,
                             LoomCharacter      *character)
{
  LoomCharacterRow *row = loom_character_panel_find_row (self, character);

  if (row != NULL)
    loom_character_row_focus_name (row);
}

gboolean
loom_character_panel_is_empty_shown (LoomCharacterPanel *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_PANEL (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

static void
loom_character_panel_dispose (GObject *object)
{
  LoomCharacterPanel *self = (LoomCharacterPanel *) object;
  GtkWidget *child;

  loom_character_panel_set_story (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_CHARACTER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (loom_character_panel_parent_class)->dispose (object);
}

static void
loom_character_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LoomCharacterPanel *self = LOOM_CHARACTER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_character_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LoomCharacterPanel *self = LOOM_CHARACTER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORY:
      loom_character_panel_set_story (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_character_panel_class_init (LoomCharacterPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_character_panel_dispose;
  object_class->get_property = loom_character_panel_get_property;
  object_class->set_property = loom_character_panel_set_property;

  properties[PROP_STORY] =
    g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-character-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomCharacterPanel, list_box);
  gtk_widget_class_set_css_name (widget_class, "loomcharacterpanel");
}

static void
loom_character_panel_init (LoomCharacterPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_page (self);
}
