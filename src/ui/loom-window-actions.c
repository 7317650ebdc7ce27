/* loom-window-actions.c: the window's actions and the one place that enables them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-dialog-util.h"
#include "loom-disclosure-dialog.h"
#include "loom-entry.h"
#include "loom-export-dialog.h"
#include "loom-generation-util.h"
#include "loom-import.h"
#include "loom-sample.h"
#include "loom-scene.h"
#include "loom-stats-dialog.h"
#include "loom-trash-dialog.h"
#include "loom-window-private.h"

static GObject *
selected_item (LoomWindow *self)
{
  return loom_sidebar_get_selected_item (self->sidebar);
}

/* What an add action made: recorded for Undo, or the error said. */
static gboolean
added (LoomWindow   *self,
       gpointer      object,
       const GError *error)
{
  if (object == NULL)
    {
      loom_window_show_error (self, error);
      return FALSE;
    }
  _loom_window_record_added (self, G_OBJECT (object));
  return TRUE;
}

/* What a delete action took: in the Trash with Undo in a toast, or the error said. */
static gboolean
deleted (LoomWindow   *self,
         LoomDeletion *deletion,
         const GError *error)
{
  if (deletion == NULL)
    {
      loom_window_show_error (self, error);
      return FALSE;
    }
  _loom_window_add_undo_toast (self, deletion, _loom_window_record_deleted (self, deletion));
  return TRUE;
}

void
_loom_window_actions_update (LoomWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_store = self->store != NULL;
  gboolean has_story = self->story != NULL;
  GObject *item = has_story ? selected_item (self) : NULL;

  gtk_widget_action_set_enabled (widget, "win.new-story", has_store);
  gtk_widget_action_set_enabled (widget, "win.open-sample", has_store);
  gtk_widget_action_set_enabled (widget, "win.open-story", has_store);
  gtk_widget_action_set_enabled (widget, "win.story-details", has_story);
  gtk_widget_action_set_enabled (widget, "win.show-statistics", has_story);
  gtk_widget_action_set_enabled (widget, "win.show-disclosure", has_story);
  gtk_widget_action_set_enabled (widget, "win.search", has_story);
  gtk_widget_action_set_enabled (widget, "win.focus-mode", has_story);
  gtk_widget_action_set_enabled (widget, "win.delete-story", has_story);
  gtk_widget_action_set_enabled (widget, "win.export-story", has_story);
  gtk_widget_action_set_enabled (widget, "win.import-story", has_store);
  gtk_widget_action_set_enabled (widget, "win.show-story-menu", has_store);
  gtk_widget_action_set_enabled (widget, "win.add-chapter", has_story);
  gtk_widget_action_set_enabled (widget, "win.add-scene", has_story);
  gtk_widget_action_set_enabled (widget, "win.add-character", has_story);
  gtk_widget_action_set_enabled (widget, "win.add-entry", has_story);
  gtk_widget_action_set_enabled (widget, "win.add-fact", has_story);
  gtk_widget_action_set_enabled (widget, "win.rename", item != NULL);
  gtk_widget_action_set_enabled (widget, "win.delete", item != NULL);
  gtk_widget_action_set_enabled (widget, "win.move-up",
                                 loom_sidebar_can_move (self->sidebar, item, -1));
  gtk_widget_action_set_enabled (widget, "win.move-down",
                                 loom_sidebar_can_move (self->sidebar, item, +1));
  gtk_widget_action_set_enabled (widget, "win.save", has_story);
  gtk_widget_action_set_enabled (widget, "win.delete-character", has_story);
  gtk_widget_action_set_enabled (widget, "win.delete-entry", has_story);
  gtk_widget_action_set_enabled (widget, "win.undo",
                                 self->undo_stack && loom_undo_stack_get_can_undo (self->undo_stack));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 self->undo_stack && loom_undo_stack_get_can_redo (self->undo_stack));
}

/* ------------------------------------------------------------------------------------------ */
/* Stories                                                                                    */

typedef struct
{
  LoomWindow  *window;
  LoomStory   *story;      /* NULL for a new story */
  GtkEditable *title;
  GtkTextView *premise;
  GtkEditable *style_notes;
} StoryDialog;

static void
story_dialog_free (gpointer  user_data,
                   GClosure *closure)
{
  StoryDialog *data = user_data;

  g_clear_object (&data->window);
  g_clear_object (&data->story);
  g_free (data);
}

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_story_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          StoryDialog      *data)
{
  LoomWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *premise = NULL;
  const char *style_notes;

  if (g_strcmp0 (response, "save") != 0 || self->store == NULL)
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (data->title)));
  premise = text_view_get_text (data->premise);
  style_notes = gtk_editable_get_text (data->style_notes);

  if (data->story == NULL)
    {
      LoomStory *story = loom_store_create_story (self->store, title, premise, style_notes, &error);

      if (story != NULL)
        loom_window_set_story (self, story);
    }
  else if (loom_story_set_title (data->story, title, &error) &&
           loom_story_set_premise (data->story, premise, &error))
    loom_story_set_style_notes (data->story, style_notes, &error);

  if (error != NULL)
    loom_window_show_error (self, error);
}

static void
on_story_title_changed (GtkEditable      *title,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (title)));

  adw_message_dialog_set_response_enabled (dialog, "save", *text != '\0');
}

static GtkWidget *
labelled (const char *label,
          GtkWidget  *child)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), child);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), child);
  return box;
}

/* New Story (story NULL) or Story Details: title, premise and style notes. */
static void
show_story_dialog (LoomWindow *self,
                   LoomStory  *story)
{
  StoryDialog *data = g_new0 (StoryDialog, 1);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *scroller;

  data->window = g_object_ref (self);
  data->story = story ? g_object_ref (story) : NULL;

  dialog = GTK_WIDGET (loom_ui_question_new (GTK_WINDOW (self),
                                             story ? _("Story Details") : _("New Story"),
                                             story ? NULL
                                                   : _("The premise and the style notes are "
                                                       "given to the AI with every scene it "
                                                       "drafts."),
                                             NULL, "save", story ? _("_Save") : _("_Create"),
                                             ADW_RESPONSE_SUGGESTED));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  data->title = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_activates_default (GTK_ENTRY (data->title), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (data->title), _("The story's title"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Title"), GTK_WIDGET (data->title)));

  data->premise = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (data->premise, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (data->premise, 6);
  gtk_text_view_set_bottom_margin (data->premise, 6);
  gtk_text_view_set_left_margin (data->premise, 6);
  gtk_text_view_set_right_margin (data->premise, 6);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (data->premise));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 100);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), labelled (_("_Premise"), scroller));
  gtk_label_set_mnemonic_widget (GTK_LABEL (gtk_widget_get_first_child (gtk_widget_get_last_child (box))),
                                 GTK_WIDGET (data->premise));

  data->style_notes = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (data->style_notes),
                                  _("Close third person, past tense, spare and concrete"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Style Notes"), GTK_WIDGET (data->style_notes)));

  if (story != NULL)
    {
      gtk_editable_set_text (data->title, loom_story_get_title (story));
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (data->premise),
                                loom_story_get_premise (story) ? loom_story_get_premise (story) : "",
                                -1);
      gtk_editable_set_text (data->style_notes,
                             loom_story_get_style_notes (story) ? loom_story_get_style_notes (story)
                                                                : "");
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  gtk_widget_set_size_request (dialog, 420, -1);
  g_signal_connect (data->title, "changed", G_CALLBACK (on_story_title_changed), dialog);
  on_story_title_changed (data->title, ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_story_dialog_response), data,
                         story_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->title));
}

static void
new_story_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_story_dialog (LOOM_WINDOW (widget), NULL);
}

static void
story_details_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  if (self->story != NULL)
    show_story_dialog (self, self->story);
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LoomStory *story;

  story = loom_sample_load (self->store, &error);
  if (story == NULL)
    {
      loom_window_show_error (self, error);
      return;
    }
  loom_window_set_story (self, story);

  /* Open on the first scene, so the writer sees prose at once. */
  {
    GListModel *chapters = loom_story_get_chapters (story);
    g_autoptr(LoomChapter) first = g_list_model_get_item (chapters, 0);
    g_autoptr(LoomScene) scene = first ? g_list_model_get_item (loom_chapter_get_scenes (first), 0)
                                       : NULL;

    if (scene != NULL)
      loom_sidebar_select_item (self->sidebar, G_OBJECT (scene));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Export and import                                                                          */

static void
show_toast (LoomWindow *self,
            const char *text)
{
  _loom_window_add_message_toast (self, text, 0);
}

static void
on_export_finished (LoomExportDialog *dialog,
                    GFile            *file,
                    const GError     *error,
                    LoomWindow       *self)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      loom_window_show_error (self, error);
      return;
    }
  name = g_file_get_basename (file);
  text = g_strdup_printf (_("Exported to “%s”"), name);
  show_toast (self, text);
}

/* Shows the export dialog; returned for tests, which export without a file chooser. */
LoomExportDialog *
_loom_window_export_story (LoomWindow *self)
{
  LoomExportDialog *dialog;

  if (self->story == NULL)
    return NULL;
  /* The export reads the library: the last seconds of typing must be in it. */
  loom_window_save (self);
  dialog = loom_export_dialog_new (GTK_WINDOW (self), self->story);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (on_export_finished), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
export_story_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _loom_window_export_story (LOOM_WINDOW (widget));
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LoomWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LoomStory *story;

  story = loom_import_file_finish (LOOM_STORE (source), result, &error);
  if (story == NULL)
    {
      loom_window_show_error (self, error);
      return;
    }
  if (self->undo_stack != NULL)
    _loom_window_record_imported (self, story);
  loom_window_set_story (self, story);
  text = g_strdup_printf (_("Imported “%s”"), loom_story_get_title (story));
  show_toast (self, text);
}

/* Reads a Markdown or text manuscript into a new story and opens it. */
void
_loom_window_import_file (LoomWindow *self,
                          GFile      *file)
{
  g_return_if_fail (self->store != NULL);

  loom_import_file_async (self->store, file, LOOM_IMPORT_FORMAT_AUTO, NULL, NULL, on_imported,
                          g_object_ref (self));
}

static void
on_import_file_chosen (GtkWidget *self,
                       GFile     *file)
{
  _loom_window_import_file (LOOM_WINDOW (self), file);
}

static void
import_story_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Manuscripts (Markdown or text)"));
  gtk_file_filter_add_suffix (filter, "md");
  gtk_file_filter_add_suffix (filter, "markdown");
  gtk_file_filter_add_suffix (filter, "txt");
  loom_dialog_choose_file (widget, &self->import_chooser, GTK_FILE_CHOOSER_ACTION_OPEN,
                           _("Import a Story"), _("_Import"), NULL, filter, on_import_file_chosen);
}

static void
on_delete_story_response (AdwMessageDialog *dialog,
                          const char       *response,
                          LoomWindow       *self)
{
  LoomStory *story = g_object_get_data (G_OBJECT (dialog), "story");
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || story == NULL)
    return;
  deletion = loom_store_delete_story (self->store, story, &error);
  deleted (self, deletion, error);
}

static void
delete_story_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  g_autofree char *consequence = NULL;
  AdwMessageDialog *dialog;

  if (self->story == NULL)
    return;

  loom_window_save (self);
  consequence = loom_trash_describe_consequence (G_OBJECT (self->story));
  dialog = loom_ui_question_new (GTK_WINDOW (self), NULL, consequence, NULL, "delete",
                                 _("_Delete"), ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"),
                                     loom_story_get_title (self->story));
  loom_ui_question_ask (dialog, "story", self->story, G_CALLBACK (on_delete_story_response),
                        self);
}

static void
show_story_menu_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_menu_button_popup (LOOM_WINDOW (widget)->story_button);
}

/* ------------------------------------------------------------------------------------------ */
/* Chapters and scenes                                                                        */

static LoomChapter *
selected_chapter (LoomWindow *self)
{
  GObject *item = selected_item (self);

  if (LOOM_IS_CHAPTER (item))
    return LOOM_CHAPTER (item);
  if (LOOM_IS_SCENE (item))
    return loom_scene_get_chapter (LOOM_SCENE (item));
  return NULL;
}

static void
add_chapter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  LoomChapter *after = selected_chapter (self);
  guint position = LOOM_POSITION_END;
  g_autoptr(GError) error = NULL;
  LoomChapter *chapter;

  if (self->story == NULL)
    return;
  if (after != NULL &&
      loom_ui_list_model_find (loom_story_get_chapters (self->story), after, &position))
    position++;

  chapter = loom_store_add_chapter (self->store, self->story, position, _("New Chapter"), &error);
  if (!added (self, chapter, error))
    return;
  loom_sidebar_select_item (self->sidebar, G_OBJECT (chapter));

  /* A new chapter asks for its title at once. */
  if (loom_sidebar_get_selected_item (self->sidebar) == G_OBJECT (chapter))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.rename", NULL);
}

static void
add_scene_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  GObject *item = selected_item (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomChapter) last = NULL;
  LoomChapter *chapter = NULL;
  guint position = LOOM_POSITION_END;
  LoomScene *scene;

  if (self->story == NULL)
    return;

  if (LOOM_IS_SCENE (item))
    {
      chapter = loom_scene_get_chapter (LOOM_SCENE (item));
      if (loom_ui_list_model_find (loom_chapter_get_scenes (chapter), item, &position))
        position++;
    }
  else if (LOOM_IS_CHAPTER (item))
    chapter = LOOM_CHAPTER (item);
  else
    {
      GListModel *chapters = loom_story_get_chapters (self->story);
      guint n = g_list_model_get_n_items (chapters);

      if (n > 0)
        chapter = last = g_list_model_get_item (chapters, n - 1);
      else
        {
          chapter = loom_store_add_chapter (self->store, self->story, LOOM_POSITION_END,
                                            _("Chapter One"), &error);
          if (!added (self, chapter, error))
            return;
        }
    }

  scene = loom_store_add_scene (self->store, chapter, position, "", &error);
  if (!added (self, scene, error))
    return;
  loom_sidebar_select_item (self->sidebar, G_OBJECT (scene));

  /* A new scene starts with its outline. */
  gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.focus-outline", NULL);
}

/* Restores trash entry @trash_id and shows what came back where it is. */
gboolean
_loom_window_restore_deletion (LoomWindow *self,
                               gint64      trash_id)
{
  g_autoptr(GError) error = NULL;
  GObject *back;

  if (self->store == NULL)
    return FALSE;
  back = loom_store_restore_from_trash (self->store, trash_id, &error);
  if (back == NULL)
    {
      loom_window_show_error (self, error);
      return FALSE;
    }

  if (LOOM_IS_STORY (back))
    loom_window_set_story (self, LOOM_STORY (back));
  else if (LOOM_IS_SCENE (back) || LOOM_IS_CHAPTER (back))
    {
      LoomChapter *chapter = LOOM_IS_SCENE (back) ? loom_scene_get_chapter (LOOM_SCENE (back))
                                                  : LOOM_CHAPTER (back);

      loom_window_set_story (self, loom_chapter_get_story (chapter));
      loom_sidebar_select_item (self->sidebar, back);
    }
  else if (LOOM_IS_CHARACTER (back))
    loom_window_set_story (self, loom_character_get_story (LOOM_CHARACTER (back)));
  return TRUE;
}

/* The toast's Undo is the same command as Ctrl+Z's: undone once, whichever comes first. */
static void
on_undo_clicked (AdwToast   *toast,
                 LoomWindow *self)
{
  guint serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "serial"));
  g_autoptr(GError) error = NULL;

  if (serial != 0 && self->undo_stack != NULL &&
      !loom_undo_stack_undo_command (self->undo_stack, serial, &error))
    loom_window_show_error (self, error);
  adw_toast_dismiss (toast);
}

/* A toast's own room beside its title: its margins and padding, the close button and the
 * spacing between them, in pixels at scale 1 (measured on libadwaita 1.2). */
#define TOAST_CHROME_PX 120

/* A toast shows one line, cut with "…" where the window is too narrow for it. */
static gboolean
toast_would_cut (LoomWindow *self,
                 const char *text)
{
  GtkWidget *overlay = GTK_WIDGET (self->toast_overlay);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (overlay, text);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  int width;

  /* Toast titles are headings: bold. */
  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attributes);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return strchr (text, '\n') != NULL ||
         width + TOAST_CHROME_PX > gtk_widget_get_width (overlay);
}

static void
on_details_clicked (AdwToast   *toast,
                    LoomWindow *self)
{
  const char *text = g_object_get_data (G_OBJECT (toast), "text");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Details"), text);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * _loom_window_add_message_toast:
 * @text: a sentence for the writer (plain text)
 * @timeout: seconds, 0 for GNOME's default
 *
 * Shows @text in a toast. No message is ever cut off: one that would not fit on the toast's
 * line gets a Details button that shows it whole.
 *
 * Returns: (transfer none): the toast
 */
AdwToast *
_loom_window_add_message_toast (LoomWindow *self,
                                const char *text,
                                guint       timeout)
{
  /* libadwaita 1.2 reads a toast's title as markup. */
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  if (timeout > 0)
    adw_toast_set_timeout (toast, timeout);
  if (toast_would_cut (self, text))
    {
      adw_toast_set_button_label (toast, _("_Details"));
      g_object_set_data_full (G_OBJECT (toast), "text", g_strdup (text), g_free);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_details_clicked), self,
                               0);
    }
  if (self->message_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->message_toast),
                                  (gpointer *) &self->message_toast);
  self->message_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->message_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return toast;
}

/* A deletion's toast, with Undo, for as long as GNOME keeps a toast (its default timeout). */
void
_loom_window_add_undo_toast (LoomWindow   *self,
                             LoomDeletion *deletion,
                             guint         serial)
{
  g_autofree char *text = loom_deletion_describe (deletion);
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast), "serial", GUINT_TO_POINTER (serial));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  if (self->undo_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->undo_toast), (gpointer *) &self->undo_toast);
  self->undo_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->undo_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
delete_item (LoomWindow *self,
             GObject    *item)
{
  guint position = loom_sidebar_get_selected_position (self->sidebar);
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;

  /* What was typed goes with it, and comes back with Undo. */
  loom_window_save (self);

  if (LOOM_IS_SCENE (item))
    deletion = loom_store_delete_scene (self->store, LOOM_SCENE (item), &error);
  else if (LOOM_IS_CHAPTER (item))
    deletion = loom_store_delete_chapter (self->store, LOOM_CHAPTER (item), &error);
  else
    return;

  if (!deleted (self, deletion, error))
    return;

  /* The selection moves to what took the deleted row's place. (The sidebar holds on to a
   * selected item whose row went until the model settles: it might have been moving.) */
  if (position != GTK_INVALID_LIST_POSITION &&
      (selected_item (self) == NULL || selected_item (self) == item))
    loom_sidebar_select_position (self->sidebar, position);
}

static void
on_delete_chapter_response (AdwMessageDialog *dialog,
                            const char       *response,
                            LoomWindow       *self)
{
  GObject *chapter = g_object_get_data (G_OBJECT (dialog), "chapter");

  if (g_strcmp0 (response, "delete") == 0 && chapter != NULL)
    delete_item (self, chapter);
}

/* A chapter that holds scenes says what goes with it before it goes; anything else goes at
 * once, with Undo in a toast. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  GObject *item = selected_item (self);
  g_autofree char *consequence = NULL;
  AdwMessageDialog *dialog;

  if (!LOOM_IS_CHAPTER (item) ||
      g_list_model_get_n_items (loom_chapter_get_scenes (LOOM_CHAPTER (item))) == 0)
    {
      delete_item (self, item);
      return;
    }

  loom_window_save (self);
  consequence = loom_trash_describe_consequence (item);
  dialog = loom_ui_question_new (GTK_WINDOW (self), NULL, consequence, NULL, "delete",
                                 _("_Delete"), ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_format_heading (dialog, _("Delete Chapter “%s”?"),
                                     loom_chapter_get_title (LOOM_CHAPTER (item)));
  loom_ui_question_ask (dialog, "chapter", item, G_CALLBACK (on_delete_chapter_response), self);
}

static void
show_trash_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);

  loom_window_save (self);
  gtk_window_present (GTK_WINDOW (loom_trash_dialog_new (self)));
}

/* Statistics and Goals, or the AI Disclosure: reports on the open story */
static void
show_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  GtkWindow *dialog;

  if (self->story == NULL)
    return;
  /* the figures include what was typed a moment ago */
  loom_window_save (self);
  if (g_str_equal (action_name, "win.show-disclosure"))
    dialog = GTK_WINDOW (loom_disclosure_dialog_new (GTK_WINDOW (self), self->story));
  else
    dialog = GTK_WINDOW (loom_stats_dialog_new (GTK_WINDOW (self), self->story));
  gtk_window_present (dialog);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    LoomWindow       *self)
{
  GObject *item = g_object_get_data (G_OBJECT (dialog), "item");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *property = LOOM_IS_SCENE (item) ? "outline" : "title";
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  gboolean renamed;

  if (g_strcmp0 (response, "rename") != 0 || item == NULL)
    return;
  g_object_get (item, property, &before, NULL);
  if (LOOM_IS_SCENE (item))
    renamed = loom_scene_set_title (LOOM_SCENE (item), title, &error);
  else
    renamed = loom_chapter_set_title (LOOM_CHAPTER (item), title, &error);
  if (!renamed)
    loom_window_show_error (self, error);
  else
    _loom_window_record_edit (self, item, property, before);
}

/* A chapter has a title; a scene is named by the first line of its outline, which the same
 * dialog changes (the rest of the outline stays). */
static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  GObject *item = selected_item (self);
  gboolean scene = LOOM_IS_SCENE (item);
  g_autofree char *title = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (!scene && !LOOM_IS_CHAPTER (item))
    return;

  /* The outline may hold unsaved typing: the dialog starts from it. */
  loom_window_save (self);
  if (scene)
    title = loom_scene_dup_title (LOOM_SCENE (item));
  else
    title = g_strdup (loom_chapter_get_title (LOOM_CHAPTER (item)));
  dialog = loom_ui_question_new (GTK_WINDOW (self),
                                 scene ? _("Rename Scene") : _("Rename Chapter"),
                                 scene ? _("A scene is named by the first line of its outline; "
                                           "the rest of the outline stays as it is.")
                                       : NULL,
                                 NULL, "rename", _("_Rename"), ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), title ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  scene ? _("Scene name") : _("Chapter title"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  loom_ui_question_ask (dialog, "item", item, G_CALLBACK (on_rename_response), self);
  gtk_widget_grab_focus (entry);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  int direction = g_str_equal (action_name, "win.move-up") ? -1 : +1;
  g_autoptr(GError) error = NULL;

  if (!loom_sidebar_move (self->sidebar, selected_item (self), direction, &error))
    loom_window_show_error (self, error);
  _loom_window_actions_update (self);
}

/* A new item of the story bible, shown in the panel to be filled in. */
static void
reveal_added (LoomWindow   *self,
              gpointer      item,
              const GError *error)
{
  if (!added (self, item, error))
    return;
  g_object_set (self, "show-characters", TRUE, NULL);
  loom_character_panel_reveal (self->character_panel, item);
}

static void
add_character_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LoomCharacter *character;

  if (self->story == NULL)
    return;

  character = loom_store_add_character (self->store, self->story, _("New Character"), "", NULL,
                                        &error);
  reveal_added (self, character, error);
}

/* A new entry of the story bible, of the kind the menu item names, opened to be filled in. */
static void
add_entry_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  const char *const names[LOOM_ENTRY_N_KINDS] = {
    _("New Place"), _("New Object"), _("New Group"), _("New Lore"),
  };
  g_autoptr(GError) error = NULL;
  LoomEntryKind kind;
  LoomEntry *entry;

  if (self->story == NULL ||
      !loom_entry_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    return;

  entry = loom_store_add_entry (self->store, self->story, kind, names[kind], NULL, NULL,
                                LOOM_INCLUSION_MENTIONED, &error);
  reveal_added (self, entry, error);
}

/* win.delete-character and win.delete-entry: the item of the story bible with the id given. */
static void
delete_bible_item_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (action_name, "win.delete-character"))
    {
      LoomCharacter *character = loom_store_lookup_character (self->store, id);

      if (character == NULL)
        return;
      deletion = loom_store_delete_character (self->store, character, &error);
    }
  else
    {
      LoomEntry *entry = loom_store_lookup_entry (self->store, id);

      if (entry == NULL)
        return;
      deletion = loom_store_delete_entry (self->store, entry, &error);
    }
  deleted (self, deletion, error);
}

/* A lore entry's name from a fact: its first words, whole. */
static char *
fact_name (const char *fact)
{
  const gsize max_chars = 48;
  const char *end;
  const char *space = NULL;
  g_autofree char *start = NULL;

  if (g_utf8_strlen (fact, -1) <= (glong) max_chars)
    return g_strdup (fact);
  end = g_utf8_offset_to_pointer (fact, max_chars);
  for (const char *p = fact; p < end; p = g_utf8_next_char (p))
    if (*p == ' ')
      space = p;
  start = g_strndup (fact, (space ? space : end) - fact);
  return g_strconcat (start, "…", NULL);
}

/* A fact of a scene's summary, put in the story bible as lore that every prompt includes: a
 * sentence is never "mentioned" by name. The writer may give it another kind or name there. */
static void
add_fact_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  const char *fact = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  LoomEntry *entry;

  if (self->story == NULL || *fact == '\0')
    return;

  name = fact_name (fact);
  entry = loom_store_add_entry (self->store, self->story, LOOM_ENTRY_LORE, name, NULL, fact,
                                LOOM_INCLUSION_ALWAYS, &error);
  if (!added (self, entry, error))
    return;
  _loom_window_add_message_toast (self, _("Added to the Story Bible as lore, which every "
                                          "prompt includes. Ctrl+Z takes it out again."), 0);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  loom_window_save (LOOM_WINDOW (widget));
}

void
_loom_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-story", NULL, new_story_action);
  gtk_widget_class_install_action (widget_class, "win.open-sample", NULL, open_sample_action);
  gtk_widget_class_install_property_action (widget_class, "win.open-story", "story-id");
  gtk_widget_class_install_action (widget_class, "win.story-details", NULL, story_details_action);
  gtk_widget_class_install_action (widget_class, "win.delete-story", NULL, delete_story_action);
  gtk_widget_class_install_action (widget_class, "win.show-trash", NULL, show_trash_action);
  gtk_widget_class_install_action (widget_class, "win.show-statistics", NULL,
                                   show_report_action);
  gtk_widget_class_install_action (widget_class, "win.show-disclosure", NULL,
                                   show_report_action);
  gtk_widget_class_install_action (widget_class, "win.export-story", NULL, export_story_action);
  gtk_widget_class_install_action (widget_class, "win.import-story", NULL, import_story_action);
  gtk_widget_class_install_action (widget_class, "win.show-story-menu", NULL,
                                   show_story_menu_action);
  gtk_widget_class_install_action (widget_class, "win.add-chapter", NULL, add_chapter_action);
  gtk_widget_class_install_action (widget_class, "win.add-scene", NULL, add_scene_action);
  gtk_widget_class_install_action (widget_class, "win.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.move-up", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "win.move-down", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-characters",
                                            "show-characters");
  gtk_widget_class_install_action (widget_class, "win.add-character", NULL, add_character_action);
  gtk_widget_class_install_action (widget_class, "win.delete-character", "x",
                                   delete_bible_item_action);
  gtk_widget_class_install_action (widget_class, "win.add-entry", "s", add_entry_action);
  gtk_widget_class_install_action (widget_class, "win.delete-entry", "x",
                                   delete_bible_item_action);
  gtk_widget_class_install_action (widget_class, "win.add-fact", "s", add_fact_action);

  /* The same keys work without an application (the tests) and in the sidebar. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.move-down",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-characters", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-scene", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-chapter", NULL);
}
