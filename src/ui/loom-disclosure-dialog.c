/* loom-disclosure-dialog.c: who wrote the story's words, in the window (issue 18)
 *
 * The disclosure report of loom_store_get_disclosure (): the words written by the writer,
 * generated and kept, generated then edited, and of unknown origin, as a chart and as
 * figures, per chapter and in total, with the models and the cost. "Export as Markdown…"
 * saves loom_disclosure_to_markdown ()'s text (whole or not at all), "Copy" puts it on the
 * clipboard.
 *
 * It follows the story while it is open: a change to any of its chapters or scenes (the
 * writer's saves, a generation ending, another program's writes, which the window picks up
 * every two seconds) reads the report again a moment later, through a #LoomStoryWatch: once
 * for a burst of changes, and at most every LOOM_STORY_WATCH_SETTLE_MS while they go on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-disclosure-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-dialog-util.h"
#include "loom-disclosure-dialog.h"
#include "loom-export.h"
#include "loom-file-writer.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-store-provenance.h"
#include "loom-story-watch.h"

struct _LoomDisclosureDialog
{
  AdwWindow             parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *error_label;
  GtkStack             *stack;
  GtkLabel             *no_ai_label;
  LoomDisclosureChart  *chart;
  GtkWidget            *legend;
  AdwActionRow         *writer_row;
  AdwActionRow         *kept_row;
  AdwActionRow         *edited_row;
  AdwActionRow         *unknown_row;
  AdwActionRow         *total_row;
  AdwPreferencesGroup  *chapters_group;
  AdwPreferencesGroup  *models_group;
  AdwActionRow         *cost_row;

  /* borrowed: the groups own them */
  GPtrArray            *chapter_rows;
  GPtrArray            *model_rows;

  /* owned */
  LoomStory            *story;
  LoomDisclosure       *report;
  LoomStoryWatch       *watch;        /* the story's changes, to read the report again */
  gboolean              read_failed;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (LoomDisclosureDialog, loom_disclosure_dialog, ADW_TYPE_WINDOW)

static char *
format_share (guint words,
              guint percent)
{
  /* TRANSLATORS: words of the story and their share of all its words */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word · %u %%", "%'u words · %u %%",
                                       words),
                          words, percent);
}

static char *
format_chapter (const LoomDisclosureChapter *chapter)
{
  const LoomWordTally *words = &chapter->words;
  guint total = loom_word_tally_total (words);
  g_autofree char *count = NULL;
  g_autofree char *cost = loom_disclosure_format_cost (chapter->cost, chapter->unpriced);

  if (total == 0)
    /* TRANSLATORS: a chapter without prose; %s is what its requests cost */
    return g_strdup_printf (_("No words · %s"), cost);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word", "%'u words", total), total);
  /* TRANSLATORS: a chapter's figures: "120 words", then the words by origin, then the cost */
  return g_strdup_printf (_("%s: %'u by you, %'u generated and kept, %'u edited, %'u unknown · %s"),
                          count, words->writer, words->kept, words->edited, words->unknown, cost);
}

static char *
format_model (const LoomDisclosureModel *model)
{
  g_autofree char *requests = NULL;
  g_autofree char *words = NULL;
  g_autofree char *cost = loom_disclosure_format_cost (model->cost, model->unpriced);

  requests = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u request", "%'u requests",
                                           model->requests), model->requests);
  words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u generated word in the text",
                                        "%'u generated words in the text", model->words),
                           model->words);
  return g_strjoin (" · ", requests, words, cost, NULL);
}

/* Makes @group hold @n rows of its own, reusing those it has, so that a refresh keeps the
 * rows (and the keyboard focus on one) where nothing was added or removed. */
static void
sync_rows (AdwPreferencesGroup *group,
           GPtrArray           *rows,
           guint                n)
{
  while (rows->len > n)
    {
      adw_preferences_group_remove (group, g_ptr_array_index (rows, rows->len - 1));
      g_ptr_array_set_size (rows, rows->len - 1);
    }
  while (rows->len < n)
    {
      GtkWidget *row = adw_action_row_new ();

      /* titles are the writer's and the servers' text, not markup */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "property");
      adw_preferences_group_add (group, row);
      g_ptr_array_add (rows, row);
    }
}

static void
set_row (GPtrArray  *rows,
         guint       index,
         const char *title,
         char       *subtitle)
{
  AdwActionRow *row = g_ptr_array_index (rows, index);

  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  loom_dialog_set_figure (row, subtitle);
}

static void
show_chapters (LoomDisclosureDialog *self)
{
  GArray *chapters = self->report->chapters;

  sync_rows (self->chapters_group, self->chapter_rows, chapters->len);
  for (guint i = 0; i < chapters->len; i++)
    {
      const LoomDisclosureChapter *chapter = &g_array_index (chapters, LoomDisclosureChapter, i);
      /* TRANSLATORS: a chapter's number and title */
      g_autofree char *title = g_strdup_printf (_("%u. %s"), chapter->number,
                                                chapter->title ? chapter->title : "");

      set_row (self->chapter_rows, i, title, format_chapter (chapter));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->chapters_group), chapters->len > 0);
}

static void
show_models (LoomDisclosureDialog *self)
{
  GArray *models = self->report->models;

  sync_rows (self->models_group, self->model_rows, MAX (1, models->len));
  if (models->len == 0)
    set_row (self->model_rows, 0, _("No AI model was used for this story."), g_strdup (""));
  for (guint i = 0; i < models->len; i++)
    {
      const LoomDisclosureModel *model = &g_array_index (models, LoomDisclosureModel, i);

      set_row (self->model_rows, i, model->model, format_model (model));
    }
}

static void
show_report (LoomDisclosureDialog *self)
{
  const LoomWordTally *words = &self->report->words;
  const LoomWordTally shares = loom_word_tally_shares (words);
  guint total = loom_word_tally_total (words);
  gboolean from_ai = words->kept + words->edited > 0;

  gtk_stack_set_visible_child_name (self->stack, total == 0 ? "empty" : "report");
  /* a chart of one colour says less than the sentence */
  gtk_widget_set_visible (GTK_WIDGET (self->no_ai_label), !from_ai);
  gtk_widget_set_visible (GTK_WIDGET (self->chart), from_ai);
  gtk_widget_set_visible (self->legend, from_ai);
  loom_disclosure_chart_set_report (self->chart, self->report);

  loom_dialog_set_figure (self->writer_row, format_share (words->writer, shares.writer));
  loom_dialog_set_figure (self->kept_row, format_share (words->kept, shares.kept));
  loom_dialog_set_figure (self->edited_row, format_share (words->edited, shares.edited));
  loom_dialog_set_figure (self->unknown_row, format_share (words->unknown, shares.unknown));
  loom_dialog_set_figure (self->total_row,
                          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word", "%'u words",
                                                        total), total));
  loom_dialog_set_figure (self->cost_row, loom_disclosure_format_cost (self->report->cost,
                                                                       self->report->unpriced));
  show_chapters (self);
  show_models (self);
}

static void
update (LoomDisclosureDialog *self)
{
  g_autoptr(GError) error = NULL;
  LoomDisclosure *report;

  report = loom_store_get_disclosure (loom_story_get_store (self->story), self->story, &error);
  if (report == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The report could not be read: %s. "
                                                    "The figures shown may be out of date."),
                                                  error->message);
      self->read_failed = TRUE;
      loom_dialog_show_error (self->error_label, message);
      return;
    }
  if (self->read_failed)
    loom_dialog_show_error (self->error_label, NULL);
  self->read_failed = FALSE;
  g_clear_pointer (&self->report, loom_disclosure_free);
  self->report = report;
  show_report (self);
}

static void
add_toast (LoomDisclosureDialog *self,
           const char           *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/**
 * loom_disclosure_dialog_export_to:
 *
 * Writes the report, read again now, into @file as Markdown; the file appears whole or not at
 * all. A failure is said in the dialog.
 */
void
loom_disclosure_dialog_export_to (LoomDisclosureDialog *self,
                                  GFile                *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  char *markdown;

  g_return_if_fail (LOOM_IS_DISCLOSURE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  update (self);
  if (self->read_failed || self->report == NULL)
    return;
  markdown = loom_disclosure_to_markdown (self->report);
  bytes = g_bytes_new_take (markdown, strlen (markdown));
  name = g_file_get_parse_name (file);
  if (!loom_file_write_whole (file, bytes, NULL, &error))
    {
      /* TRANSLATORS: %s is the file's path, then why it could not be written */
      message = g_strdup_printf (_("The report was not saved to “%s”: %s. Nothing was written; "
                                   "choose another folder."), name, error->message);
      loom_dialog_show_error (self->error_label, message);
      return;
    }
  loom_dialog_show_error (self->error_label, NULL);
  /* TRANSLATORS: %s is the file's path */
  message = g_strdup_printf (_("Saved the report to “%s”"), name);
  add_toast (self, message);
}

static void
on_file_chosen (GtkWidget *self,
                GFile     *file)
{
  loom_disclosure_dialog_export_to (LOOM_DISCLOSURE_DIALOG (self), file);
}

/* "Title (AI Disclosure).md", from the name an export of the story would get */
static char *
suggest_file_name (LoomDisclosureDialog *self)
{
  g_autofree char *name = loom_export_suggest_file_name (self->story, LOOM_EXPORT_FORMAT_MARKDOWN);
  char *dot = strrchr (name, '.');

  if (dot != NULL)
    *dot = '\0';
  /* TRANSLATORS: the file name offered for the exported report; %s is the story's title */
  return g_strdup_printf (_("%s (AI Disclosure).md"), name);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LoomDisclosureDialog *self = LOOM_DISCLOSURE_DIALOG (widget);
  g_autofree char *name = suggest_file_name (self);

  loom_dialog_choose_file (widget, &self->chooser, GTK_FILE_CHOOSER_ACTION_SAVE,
                           _("Export AI Disclosure"), _("_Export"), name, NULL, on_file_chosen);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomDisclosureDialog *self = LOOM_DISCLOSURE_DIALOG (widget);
  g_autofree char *markdown = NULL;

  update (self);
  if (self->read_failed || self->report == NULL)
    return;
  markdown = loom_disclosure_to_markdown (self->report);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), markdown);
  add_toast (self, _("Copied the report as Markdown"));
}

/* Whether a scene of @story is being drafted. */
static gboolean
story_is_drafting (LoomStory *story)
{
  GListModel *chapters = loom_story_get_chapters (story);

  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

          if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
            return TRUE;
        }
    }
  return FALSE;
}

/* A million-word report takes tens of milliseconds on the main thread: read again every
 * settle time while drafts stream in, it would stall the window's frames, and the figures of
 * a draft are not final until it ends. Its end (the scene's status) is a change too. */
static void
on_story_changed (LoomDisclosureDialog *self)
{
  if (!story_is_drafting (self->story))
    update (self);
}

LoomDisclosureDialog *
loom_disclosure_dialog_new (GtkWindow *parent,
                            LoomStory *story)
{
  LoomDisclosureDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  self = g_object_new (LOOM_TYPE_DISCLOSURE_DIALOG, "transient-for", parent, NULL);
  self->story = g_object_ref (story);
  self->watch = loom_story_watch_new (story);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (on_story_changed), self,
                           G_CONNECT_SWAPPED);
  update (self);
  return self;
}

LoomDisclosureChart *
loom_disclosure_dialog_get_chart (LoomDisclosureDialog *self)
{
  g_return_val_if_fail (LOOM_IS_DISCLOSURE_DIALOG (self), NULL);
  return self->chart;
}

static AdwActionRow *
numbered_row (GPtrArray  *rows,
              const char *number)
{
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (number, 10, 1, rows->len, &n, NULL))
    return NULL;
  return g_ptr_array_index (rows, n - 1);
}

const char *
loom_disclosure_dialog_get_figure (LoomDisclosureDialog *self,
                                   const char           *name)
{
  AdwActionRow *row = NULL;

  g_return_val_if_fail (LOOM_IS_DISCLOSURE_DIALOG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "writer"))
    row = self->writer_row;
  else if (g_str_equal (name, "kept"))
    row = self->kept_row;
  else if (g_str_equal (name, "edited"))
    row = self->edited_row;
  else if (g_str_equal (name, "unknown"))
    row = self->unknown_row;
  else if (g_str_equal (name, "total"))
    row = self->total_row;
  else if (g_str_equal (name, "cost"))
    row = self->cost_row;
  else if (g_str_has_prefix (name, "chapter "))
    row = numbered_row (self->chapter_rows, name + strlen ("chapter "));
  else if (g_str_has_prefix (name, "model "))
    row = numbered_row (self->model_rows, name + strlen ("model "));
  g_return_val_if_fail (row != NULL, NULL);
  return adw_action_row_get_subtitle (row);
}

const char *
loom_disclosure_dialog_get_error (LoomDisclosureDialog *self)
{
  g_return_val_if_fail (LOOM_IS_DISCLOSURE_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

static void
loom_disclosure_dialog_dispose (GObject *object)
{
  LoomDisclosureDialog *self = LOOM_DISCLOSURE_DIALOG (object);

  loom_dialog_clear_chooser (&self->chooser);
  g_clear_object (&self->watch);
  g_clear_object (&self->story);
  g_clear_pointer (&self->report, loom_disclosure_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_DISCLOSURE_DIALOG);

  G_OBJECT_CLASS (loom_disclosure_dialog_parent_class)->dispose (object);
}

static void
loom_disclosure_dialog_finalize (GObject *object)
{
  LoomDisclosureDialog *self = LOOM_DISCLOSURE_DIALOG (object);

  g_clear_pointer (&self->chapter_rows, g_ptr_array_unref);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (loom_disclosure_dialog_parent_class)->finalize (object);
}

static void
loom_disclosure_dialog_class_init (LoomDisclosureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_disclosure_dialog_dispose;
  object_class->finalize = loom_disclosure_dialog_finalize;

  g_type_ensure (LOOM_TYPE_DISCLOSURE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/"
                                               "loom-disclosure-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, no_ai_label);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, chart);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, legend);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, writer_row);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, kept_row);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, edited_row);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, unknown_row);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, total_row);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, chapters_group);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, models_group);
  gtk_widget_class_bind_template_child (widget_class, LoomDisclosureDialog, cost_row);

  gtk_widget_class_install_action (widget_class, "disclosure.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "disclosure.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "disclosure.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "disclosure.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_disclosure_dialog_init (LoomDisclosureDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->chapter_rows = g_ptr_array_new ();
  self->model_rows = g_ptr_array_new ();
}
