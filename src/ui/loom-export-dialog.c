/* loom-export-dialog.c
 *
 * The export itself runs in a thread (loom_export_story_async); the dialog stays open with a
 * progress bar until the file is written, so the writer knows when it is safe to send it on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-dialog-util.h"
#include "loom-export.h"
#include "loom-export-dialog.h"
#include "loom-story.h"

struct _LoomExportDialog
{
  AdwWindow             parent_instance;

  /* template children */
  AdwComboRow          *format_row;
  GtkSwitch            *title_page_switch;
  GtkSwitch            *chapter_titles_switch;
  GtkSwitch            *outlines_switch;
  GtkSwitch            *disclosure_switch;
  GtkSwitch            *summaries_switch;
  AdwEntryRow          *separator_row;
  GtkProgressBar       *progress_bar;

  /* owned */
  LoomStory            *story;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (LoomExportDialog, loom_export_dialog, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static LoomExportFormat
selected_format (LoomExportDialog *self)
{
  /* The combo's rows are in the order of LoomExportFormat. */
  return (LoomExportFormat) adw_combo_row_get_selected (self->format_row);
}

void
loom_export_dialog_set_format (LoomExportDialog *self,
                               LoomExportFormat  format)
{
  g_return_if_fail (LOOM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (format <= LOOM_EXPORT_FORMAT_DOCX);

  adw_combo_row_set_selected (self->format_row, format);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  LoomExportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LoomExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_object_get_data (G_OBJECT (self), "file");

  loom_export_story_finish (LOOM_STORY (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_signal_emit (self, signals[FINISHED], 0, file, error);
  if (error != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

void
loom_export_dialog_export_to (LoomExportDialog *self,
                              GFile            *file)
{
  LoomExportOptions options;
  const char *separator;

  g_return_if_fail (LOOM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  loom_export_options_init (&options);
  options.format = selected_format (self);
  options.title_page = gtk_switch_get_active (self->title_page_switch);
  options.chapter_titles = gtk_switch_get_active (self->chapter_titles_switch);
  options.outlines = gtk_switch_get_active (self->outlines_switch);
  options.disclosure = gtk_switch_get_active (self->disclosure_switch);
  options.summaries = gtk_switch_get_active (self->summaries_switch);
  separator = gtk_editable_get_text (GTK_EDITABLE (self->separator_row));
  options.scene_separator = *separator != '\0' ? separator : NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);

  /* Kept so that "finished" can name the file. */
  g_object_set_data_full (G_OBJECT (self), "file", g_object_ref (file), g_object_unref);
  loom_export_story_async (self->story, &options, file, self->cancellable, on_progress, self,
                           NULL, on_exported, g_object_ref (self));
}

static void
on_file_chosen (GtkWidget *self,
                GFile     *file)
{
  loom_export_dialog_export_to (LOOM_EXPORT_DIALOG (self), file);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomExportDialog *self = LOOM_EXPORT_DIALOG (widget);
  g_autofree char *name = loom_export_suggest_file_name (self->story, selected_format (self));

  loom_dialog_choose_file (widget, &self->chooser, GTK_FILE_CHOOSER_ACTION_SAVE,
                           _("Export Story"), _("_Export"), name, NULL, on_file_chosen);
}

static void
loom_export_dialog_dispose (GObject *object)
{
  LoomExportDialog *self = (LoomExportDialog *) object;

  g_cancellable_cancel (self->cancellable);
  loom_dialog_clear_chooser (&self->chooser);

  G_OBJECT_CLASS (loom_export_dialog_parent_class)->dispose (object);
}

static void
loom_export_dialog_finalize (GObject *object)
{
  LoomExportDialog *self = (LoomExportDialog *) object;

  g_clear_object (&self->story);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (loom_export_dialog_parent_class)->finalize (object);
}

static void
loom_export_dialog_class_init (LoomExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_export_dialog_dispose;
  object_class->finalize = loom_export_dialog_finalize;

  /**
   * LoomExportDialog::finished:
   * @file: the file written, or that could not be
   * @error: (nullable): why the export failed
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/storyloom/Storyloom/loom-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, title_page_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, chapter_titles_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, outlines_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, disclosure_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, summaries_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, separator_row);
  gtk_widget_class_bind_template_child (widget_class, LoomExportDialog, progress_bar);

  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_export_dialog_init (LoomExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

LoomExportDialog *
loom_export_dialog_new (GtkWindow *parent,
                        LoomStory *story)
{
  LoomExportDialog *self;

  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  self = g_object_new (LOOM_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->story = g_object_ref (story);
  return self;
}
