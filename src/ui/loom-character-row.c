/* loom-character-row.c: one character, expanded to edit it
 *
 * Name, traits and backstory are saved like the prose, by a LoomAutosave: a second after the
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
#include "loom-store-editor.h"
#include "loom-store.h"
#include "loom-story.h"

struct _LoomCharacterRow
{
  GtkListBoxRow   parent_instance;

  /* children */
  GtkLabel       *title_label;
  GtkWidget      *header;        /* the button that opens the editor */
  GtkLabel       *subtitle_label;
  GtkImage       *arrow;
  GtkWidget      *editors;

  /* made on first expansion, inside editors */
  GtkEntry       *name_row;
  GtkEntry       *traits_row;
  GtkTextView    *backstory_view;

  /* owned */
  LoomCharacter  *character;
  LoomAutosave   *autosave;
  char           *bases[3];      /* name, traits, backstory as the fields were loaded */

  guint           loading : 1;
  guint           dirty : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomCharacterRow, loom_character_row, GTK_TYPE_LIST_BOX_ROW,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

/* The texts a row edits, in the order of bases[]. */
static const char *const fields[] = { "name", "traits", "backstory" };

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

  gtk_label_set_label (self->title_label, name && *name ? name : _("Unnamed Character"));
  /* GTK 4.8 names neither the row nor its button by the label inside. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->title_label), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->header), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, traits ? traits : "", -1);
  gtk_label_set_label (self->subtitle_label, traits ? traits : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), traits && *traits);

  if (self->dirty || self->name_row == NULL)
    return;

  /* What the writer's next edits are made from. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (self->bases[i]);
  self->bases[0] = g_strdup (name);
  self->bases[1] = g_strdup (traits);
  self->bases[2] = g_strdup (backstory);

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
  g_autoptr(LoomCharacterRow) hold = NULL;
  g_auto(GStrv) texts = NULL;
  LoomStory *story;
  LoomStore *store;
  GtkTextIter start, end;
  gboolean ok = TRUE;

  g_return_val_if_fail (LOOM_IS_CHARACTER_ROW (self), FALSE);

  if (self->autosave != NULL)
    loom_autosave_clear (self->autosave);
  if (!self->dirty || self->character == NULL || self->name_row == NULL)
    return TRUE;

  /* Catch up with other programs first (one cheap statement when none wrote), so the row's
   * texts are compared with what the library holds now. A character deleted elsewhere leaves
   * the panel then, and this row with it. */
  hold = g_object_ref (self);
  story = loom_character_get_story (self->character);
  store = story ? loom_story_get_store (story) : NULL;
  if (store != NULL && !loom_store_refresh (store, NULL, &error))
    {
      g_debug ("Could not follow changes made elsewhere: %s", error->message);
      g_clear_error (&error);
    }
  if (!self->dirty || self->character == NULL)
    return TRUE;

  texts = g_new0 (char *, G_N_ELEMENTS (fields) + 1);
  texts[0] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  texts[1] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->traits_row)));
  gtk_text_buffer_get_bounds (backstory_buffer (self), &start, &end);
  texts[2] = gtk_text_buffer_get_text (backstory_buffer (self), &start, &end, FALSE);

  /* Still dirty while saving: the notifications of the first field must not reset the
   * others in the row. Each text is written only over the one it was edited from; another
   * program's change meanwhile is kept beside the writer's (see LoomStore::text-conflict). */
  for (guint i = 0; ok && i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (g_strcmp0 (texts[i], self->bases[i] ? self->bases[i] : "") == 0)
        continue;
      ok = loom_character_set_text_edited (self->character, fields[i], texts[i],
                                           self->bases[i], &before, &error);
      if (!ok)
        break;
      g_object_get (self->character, fields[i], &after, NULL);
      g_free (self->bases[i]);
      self->bases[i] = g_strdup (after);
      /* What was saved, even when a later field fails, is the writer's to undo. */
      if (g_strcmp0 (before, after) != 0)
        loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), G_OBJECT (self->character),
                                       fields[i], before);
    }

  if (!ok)
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

static void
on_delete_clicked (LoomCharacterRow *self)
{
  loom_character_row_save (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-character", "x",
                              loom_character_get_id (self->character));
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

static GtkEntry *
add_entry (LoomCharacterRow *self,
           const char       *label_text)
{
  GtkWidget *entry = gtk_entry_new ();

  g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_changed), self);
  return GTK_ENTRY (add_field (self, label_text, entry));
}

static void
ensure_editors (LoomCharacterRow *self)
{
  GtkWidget *frame;
  GtkWidget *button;

  if (self->editors != NULL)
    return;

  self->editors = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->editors, 12);
  gtk_widget_set_margin_end (self->editors, 12);
  gtk_widget_set_margin_bottom (self->editors, 12);
  gtk_widget_set_visible (self->editors, FALSE);
  gtk_box_append (GTK_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (self))), self->editors);

  self->name_row = add_entry (self, _("_Name"));
  self->traits_row = add_entry (self, _("_Traits"));

  self->backstory_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->backstory_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->backstory_view, FALSE);
  gtk_text_view_set_top_margin (self->backstory_view, 6);
  gtk_text_view_set_bottom_margin (self->backstory_view, 6);
  gtk_text_view_set_left_margin (self->backstory_view, 6);
  gtk_text_view_set_right_margin (self->backstory_view, 6);
  gtk_widget_set_size_request (GTK_WIDGET (self->backstory_view), -1, 72);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->backstory_view));
  add_field (self, _("_Backstory"), frame);
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_widget_get_prev_sibling (frame)),
                                 GTK_WIDGET (self->backstory_view));
  g_signal_connect_object (backstory_buffer (self), "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);

  button = gtk_button_new_with_mnemonic (_("_Delete Character"));
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

  loom_character_row_set_expanded (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

GtkEditable *
loom_character_row_get_name_editable (LoomCharacterRow *self)
{
  ensure_editors (self);
  return GTK_EDITABLE (self->name_row);
}

GtkEditable *
loom_character_row_get_traits_editable (LoomCharacterRow *self)
{
  ensure_editors (self);
  return GTK_EDITABLE (self->traits_row);
}

GtkTextBuffer *
loom_character_row_get_backstory_buffer (LoomCharacterRow *self)
{
  ensure_editors (self);
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
  g_clear_object (&self->autosave);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
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
