/* loom-character-row.c: one character or story bible entry, expanded to edit it
 *
 * Its texts (a character's name, aliases, traits and backstory; an entry's name, aliases and
 * description) are saved like the prose, by a LoomAutosave: a second after the
 * last keystroke, two at most after the first unsaved one, and when focus leaves the row (the panel also saves every row when the window closes). The
 * fields are made the first time the row is expanded, so a long cast costs little at start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-character-row"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-autosave.h"
#include "loom-character-row.h"
#include "loom-entry.h"
#include "loom-store-editor.h"
#include "loom-store.h"
#include "loom-story.h"

/* The texts a row edits, by the item's property. */
typedef struct
{
  const char *property;
  const char *label;      /* with a mnemonic, translated when shown */
  gboolean    multiline;  /* a text view rather than an entry */
} Field;

#define MAX_FIELDS 4

static const Field character_fields[] = {
  { "name", N_("_Name"), FALSE },
  { "aliases", N_("_Aliases (separated by commas)"), FALSE },
  { "traits", N_("_Traits"), FALSE },
  { "backstory", N_("_Backstory"), TRUE },
};

static const Field entry_fields[] = {
  { "name", N_("_Name"), FALSE },
  { "aliases", N_("_Aliases (separated by commas)"), FALSE },
  { "description", N_("_Description"), TRUE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (character_fields) <= MAX_FIELDS);

struct _LoomCharacterRow
{
  GtkListBoxRow   parent_instance;

  /* children */
  GtkLabel       *title_label;
  GtkWidget      *header;        /* the button that opens the editor */
  GtkLabel       *subtitle_label;
  GtkImage       *arrow;
  GtkWidget      *editors;

  /* made on first expansion, inside editors: a GtkEntry or a GtkTextView per field */
  GtkWidget      *widgets[MAX_FIELDS];
  GtkDropDown    *inclusion_drop;

  /* owned */
  GObject        *item;          /* a LoomCharacter or a LoomEntry */
  LoomAutosave   *autosave;
  char           *bases[MAX_FIELDS]; /* the fields' texts as they were loaded */

  /* borrowed */
  const Field    *fields;
  guint           n_fields;

  guint           loading : 1;
  guint           dirty : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomCharacterRow, loom_character_row, GTK_TYPE_LIST_BOX_ROW,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

static char *
field_text (LoomCharacterRow *self,
            guint             i)
{
  GtkWidget *widget = self->widgets[i];
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (GTK_IS_EDITABLE (widget))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_field_text (LoomCharacterRow *self,
                guint             i,
                const char       *text)
{
  g_autofree char *current = field_text (self, i);

  if (g_strcmp0 (current, text ? text : "") == 0)
    return;
  if (GTK_IS_EDITABLE (self->widgets[i]))
    gtk_editable_set_text (GTK_EDITABLE (self->widgets[i]), text ? text : "");
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->widgets[i])),
                              text ? text : "", -1);
}

static char *
item_text (LoomCharacterRow *self,
           const char       *property)
{
  char *text = NULL;

  g_object_get (self->item, property, &text, NULL);
  return text;
}

static LoomInclusion
item_inclusion (LoomCharacterRow *self)
{
  return LOOM_IS_CHARACTER (self->item)
           ? loom_character_get_inclusion (LOOM_CHARACTER (self->item))
           : loom_entry_get_inclusion (LOOM_ENTRY (self->item));
}

static LoomStory *
item_story (LoomCharacterRow *self)
{
  return LOOM_IS_CHARACTER (self->item) ? loom_character_get_story (LOOM_CHARACTER (self->item))
                                        : loom_entry_get_story (LOOM_ENTRY (self->item));
}

static void
update (LoomCharacterRow *self)
{
  g_autofree char *name = item_text (self, "name");
  g_autofree char *subtitle = item_text (self, LOOM_IS_CHARACTER (self->item) ? "traits"
                                                                             : "description");
  const char *unnamed = LOOM_IS_CHARACTER (self->item) ? _("Unnamed Character")
                                                       : _("Unnamed Entry");

  gtk_label_set_label (self->title_label, name && *name ? name : unnamed);
  /* GTK 4.8 names neither the row nor its button by the label inside. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->title_label), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->header), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle ? subtitle : "",
                                  -1);
  gtk_label_set_label (self->subtitle_label, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle && *subtitle);

  if (self->widgets[0] == NULL)
    return;
  self->loading = TRUE;
  gtk_drop_down_set_selected (self->inclusion_drop, item_inclusion (self));
  self->loading = FALSE;
  if (self->dirty)
    return;

  /* What the writer's next edits are made from. */
  self->loading = TRUE;
  for (guint i = 0; i < self->n_fields; i++)
    {
      g_free (self->bases[i]);
      self->bases[i] = item_text (self, self->fields[i].property);
      set_field_text (self, i, self->bases[i]);
    }
  self->loading = FALSE;
}

static gboolean
set_text_edited (LoomCharacterRow  *self,
                 const char        *property,
                 const char        *text,
                 const char        *base,
                 char             **before,
                 GError           **error)
{
  if (LOOM_IS_CHARACTER (self->item))
    return loom_character_set_text_edited (LOOM_CHARACTER (self->item), property, text, base,
                                           before, error);
  return loom_entry_set_text_edited (LOOM_ENTRY (self->item), property, text, base, before,
                                     error);
}

/* Saves the fields that changed; FALSE with @error set at the first that could not be. */
static gboolean
save_fields (LoomCharacterRow  *self,
             GError           **error)
{
  g_auto(GStrv) texts = g_new0 (char *, self->n_fields + 1);

  for (guint i = 0; i < self->n_fields; i++)
    texts[i] = field_text (self, i);

  /* Still dirty while saving: the notifications of the first field must not reset the
   * others in the row. Each text is written only over the one it was edited from; another
   * program's change meanwhile is kept beside the writer's (see LoomStore::text-conflict). */
  for (guint i = 0; i < self->n_fields; i++)
    {
      const char *property = self->fields[i].property;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (g_strcmp0 (texts[i], self->bases[i] ? self->bases[i] : "") == 0)
        continue;
      if (!set_text_edited (self, property, texts[i], self->bases[i], &before, error))
        return FALSE;
      after = item_text (self, property);
      g_free (self->bases[i]);
      self->bases[i] = g_strdup (after);
      /* What was saved, even when a later field fails, is the writer's to undo. */
      if (g_strcmp0 (before, after) != 0)
        loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), self->item, property, before);
    }
  return TRUE;
}

gboolean
loom_character_row_save (LoomCharacterRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomCharacterRow) hold = NULL;
  LoomStory *story;
  LoomStore *store;

  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), FALSE);

  if (self->autosave != NULL)
    loom_autosave_clear (self->autosave);
  if (!self->dirty || self->item == NULL || self->widgets[0] == NULL)
    return TRUE;

  /* Catch up with other programs first (one cheap statement when none wrote), so the row's
   * texts are compared with what the library holds now. An item deleted elsewhere leaves
   * the panel then, and this row with it. */
  hold = g_object_ref (self);
  story = item_story (self);
  store = story ? loom_story_get_store (story) : NULL;
  if (store != NULL && !loom_store_refresh (store, NULL, &error))
    {
      g_debug ("Could not follow changes made elsewhere: %s", error->message);
      g_clear_error (&error);
    }
  if (!self->dirty || self->item == NULL)
    return TRUE;

  if (!save_fields (self, &error))
    {
      /* Deleted elsewhere: said once, not again when the row goes. */
      if (g_error_matches (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND))
        self->dirty = FALSE;
      loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
      return FALSE;
    }
  self->dirty = FALSE;
  /* The fields show what the library holds now: both versions after a conflict. */
  update (self);
  return TRUE;
}

static void
on_changed (LoomCharacterRow *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  loom_autosave_changed (self->autosave);
}

/**
 * loom_character_row_get_autosave:
 *
 * Returns: (transfer none): when the row saves by itself; tests shorten its intervals.
 */
LoomAutosave *
loom_character_row_get_autosave (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), NULL);
  return self->autosave;
}

static void
on_focus_leave (LoomCharacterRow *self)
{
  loom_character_row_save (self);
}

static gint64
item_id (LoomCharacterRow *self)
{
  return LOOM_IS_CHARACTER (self->item) ? loom_character_get_id (LOOM_CHARACTER (self->item))
                                        : loom_entry_get_id (LOOM_ENTRY (self->item));
}

static void
on_delete_clicked (LoomCharacterRow *self)
{
  loom_character_row_save (self);
  gtk_widget_activate_action (GTK_WIDGET (self), LOOM_IS_CHARACTER (self->item)
                                                   ? "win.delete-character"
                                                   : "win.delete-entry",
                              "x", item_id (self));
}

/* The rule takes effect at once, as one step the window can undo. */
static void
on_inclusion_selected (LoomCharacterRow *self)
{
  g_autoptr(GError) error = NULL;
  LoomInclusion before = item_inclusion (self);
  LoomInclusion after = gtk_drop_down_get_selected (self->inclusion_drop);
  gboolean ok;

  if (self->loading || after > LOOM_INCLUSION_NEVER || after == before)
    return;
  ok = LOOM_IS_CHARACTER (self->item)
         ? loom_character_set_inclusion (LOOM_CHARACTER (self->item), after, &error)
         : loom_entry_set_inclusion (LOOM_ENTRY (self->item), after, &error);
  if (!ok)
    {
      loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
      update (self);
      return;
    }
  loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), self->item, "inclusion",
                                 loom_inclusion_to_string (before));
}

static GtkWidget *
add_field (LoomCharacterRow *self,
           const char       *label_text,
           GtkWidget        *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (self->editors), label);
  gtk_box_append (GTK_BOX (self->editors), field);
  return field;
}

static GtkWidget *
add_text_field (LoomCharacterRow *self,
                const Field      *field)
{
  GtkTextView *view;
  GtkWidget *frame;
  GtkWidget *entry;

  if (!field->multiline)
    {
      entry = gtk_entry_new ();
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_changed), self);
      return add_field (self, _(field->label), entry);
    }

  view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (view, FALSE);
  gtk_text_view_set_top_margin (view, 6);
  gtk_text_view_set_bottom_margin (view, 6);
  gtk_text_view_set_left_margin (view, 6);
  gtk_text_view_set_right_margin (view, 6);
  gtk_widget_set_size_request (GTK_WIDGET (view), -1, 72);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (view));
  add_field (self, _(field->label), frame);
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_widget_get_prev_sibling (frame)),
                                 GTK_WIDGET (view));
  g_signal_connect_object (gtk_text_view_get_buffer (view), "changed", G_CALLBACK (on_changed),
                           self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (view);
}

static void
add_inclusion (LoomCharacterRow *self)
{
  const char *const choices[] = {
    /* Translators: when a character or a story bible entry goes into a scene's prompt */
    C_("inclusion", "Always"), C_("inclusion", "When Mentioned"), C_("inclusion", "Never"),
    NULL,
  };

  self->inclusion_drop = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (choices));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->inclusion_drop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Include in the AI’s Prompts"), -1);
  add_field (self, _("_Include in the AI’s prompts"), GTK_WIDGET (self->inclusion_drop));
  g_signal_connect_swapped (self->inclusion_drop, "notify::selected",
                            G_CALLBACK (on_inclusion_selected), self);
}

static void
ensure_editors (LoomCharacterRow *self)
{
  GtkWidget *button;

  if (self->editors != NULL)
    return;

  self->editors = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->editors, 12);
  gtk_widget_set_margin_end (self->editors, 12);
  gtk_widget_set_margin_bottom (self->editors, 12);
  gtk_widget_set_visible (self->editors, FALSE);
  gtk_box_append (GTK_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (self))), self->editors);

  for (guint i = 0; i < self->n_fields; i++)
    self->widgets[i] = add_text_field (self, &self->fields[i]);
  add_inclusion (self);

  button = gtk_button_new_with_mnemonic (LOOM_IS_CHARACTER (self->item)
                                           ? _("_Delete Character") : _("_Delete Entry"));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_add_css_class (button, "destructive-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_delete_clicked), self);
  gtk_box_append (GTK_BOX (self->editors), button);

  update (self);
}

gboolean
loom_character_row_get_expanded (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), FALSE);
  return self->editors != NULL && gtk_widget_get_visible (self->editors);
}

void
loom_character_row_set_expanded (LoomCharacterRow *self,
                                 gboolean          expanded)
{
  g_return_if_fail (LOOM_IS_CHARACTER_ROW (self));

  if (expanded)
    ensure_editors (self);
  else
    loom_character_row_save (self);
  if (self->editors != NULL)
    gtk_widget_set_visible (self->editors, expanded);
  gtk_image_set_from_icon_name (self->arrow, expanded ? "pan-down-symbolic" : "pan-end-symbolic");
}

static void
on_header_clicked (LoomCharacterRow *self)
{
  loom_character_row_set_expanded (self, !loom_character_row_get_expanded (self));
}

/**
 * loom_character_row_new:
 * @item: a #LoomCharacter or a #LoomEntry of the story bible
 */
GtkWidget *
loom_character_row_new (gpointer item)
{
  LoomCharacterRow *self;

  g_return_val_if_fail (LOOM_IS_CHARACTER (item) || LOOM_IS_ENTRY (item), NULL);

  self = g_object_new (LOOM_TYPE_CHARACTER_ROW, NULL);
  self->item = g_object_ref (item);
  if (LOOM_IS_CHARACTER (item))
    {
      self->fields = character_fields;
      self->n_fields = G_N_ELEMENTS (character_fields);
    }
  else
    {
      self->fields = entry_fields;
      self->n_fields = G_N_ELEMENTS (entry_fields);
    }
  g_signal_connect_object (item, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return GTK_WIDGET (self);
}

/**
 * loom_character_row_get_character:
 *
 * Returns: (transfer none) (nullable): the character, or %NULL for a row of another entry
 */
LoomCharacter *
loom_character_row_get_character (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), NULL);
  return LOOM_IS_CHARACTER (self->item) ? LOOM_CHARACTER (self->item) : NULL;
}

/**
 * loom_character_row_get_item:
 *
 * Returns: (transfer none): the #LoomCharacter or #LoomEntry the row edits
 */
GObject *
loom_character_row_get_item (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), NULL);
  return self->item;
}

void
loom_character_row_focus_name (LoomCharacterRow *self)
{
  g_return_if_fail (LOOM_IS_CHARACTER_ROW (self));

  loom_character_row_set_expanded (self, TRUE);
  gtk_widget_grab_focus (self->widgets[0]);
}

static GtkWidget *
field_widget (LoomCharacterRow *self,
              const char       *property)
{
  ensure_editors (self);
  for (guint i = 0; i < self->n_fields; i++)
    if (g_str_equal (self->fields[i].property, property))
      return self->widgets[i];
  g_return_val_if_reached (NULL);
}

GtkEditable *
loom_character_row_get_name_editable (LoomCharacterRow *self)
{
  return GTK_EDITABLE (field_widget (self, "name"));
}

GtkEditable *
loom_character_row_get_traits_editable (LoomCharacterRow *self)
{
  return GTK_EDITABLE (field_widget (self, "traits"));
}

GtkEditable *
loom_character_row_get_aliases_editable (LoomCharacterRow *self)
{
  return GTK_EDITABLE (field_widget (self, "aliases"));
}

GtkTextBuffer *
loom_character_row_get_backstory_buffer (LoomCharacterRow *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (field_widget (self, "backstory")));
}

GtkTextBuffer *
loom_character_row_get_description_buffer (LoomCharacterRow *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (field_widget (self, "description")));
}

GtkDropDown *
loom_character_row_get_inclusion_drop_down (LoomCharacterRow *self)
{
  ensure_editors (self);
  return self->inclusion_drop;
}

static void
loom_character_row_dispose (GObject *object)
{
  LoomCharacterRow *self = (LoomCharacterRow *) object;

  if (self->item != NULL)
    {
      loom_character_row_save (self);
      g_signal_handlers_disconnect_by_func (self->item, update, self);
      g_clear_object (&self->item);
    }
  g_clear_object (&self->autosave);
  for (guint i = 0; i < MAX_FIELDS; i++)
    g_clear_pointer (&self->bases[i], g_free);

  G_OBJECT_CLASS (loom_character_row_parent_class)->dispose (object);
}

static void
loom_character_row_class_init (LoomCharacterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_character_row_dispose;

}

static void
loom_character_row_init (LoomCharacterRow *self)
{
  GtkEventController *focus;

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = self->header = gtk_button_new ();
  GtkWidget *header_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);

  self->autosave = loom_autosave_new ();
  g_signal_connect_object (self->autosave, "save", G_CALLBACK (loom_character_row_save), self,
                           G_CONNECT_SWAPPED);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->title_label, 20);
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->title_label));

  self->subtitle_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle_label, 0);
  gtk_label_set_single_line_mode (self->subtitle_label, TRUE);
  gtk_label_set_max_width_chars (self->subtitle_label, 24);
  gtk_label_set_ellipsize (self->subtitle_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->subtitle_label));
  gtk_widget_set_hexpand (labels, TRUE);

  self->arrow = GTK_IMAGE (gtk_image_new_from_icon_name ("pan-end-symbolic"));
  gtk_box_append (GTK_BOX (header_box), labels);
  gtk_box_append (GTK_BOX (header_box), GTK_WIDGET (self->arrow));

  gtk_button_set_child (GTK_BUTTON (header), header_box);
  gtk_widget_add_css_class (header, "flat");
  gtk_widget_add_css_class (header, "character-header");
  g_signal_connect_swapped (header, "clicked", G_CALLBACK (on_header_clicked), self);
  gtk_box_append (GTK_BOX (box), header);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

const char *
loom_character_row_get_title (LoomCharacterRow *self)
{
  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), NULL);
  return gtk_label_get_label (self->title_label);
}
