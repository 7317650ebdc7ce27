/* loom-revisions-dialog.c: a scene's earlier prose, to read and to restore
 *
 * The list shows every prose that generation, a restore or a stopped generation replaced,
 * newest first: who wrote it (the writer, a model, both), how long, when it was written and
 * why it was kept. Restoring goes through the store, which
 * first keeps the current prose as a revision, so a restore can itself be undone from here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-revisions-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-generation-util.h"
#include "loom-revision.h"
#include "loom-revisions-dialog.h"
#include "loom-scene.h"
#include "loom-word-diff.h"

struct _LoomRevisionsDialog
{
  AdwWindow        parent_instance;

  /* template children */
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list_box;
  GtkTextView     *text_view;
  GtkLabel        *comparison_label;

  /* owned */
  LoomStore       *store;
  LoomScene       *scene;
  GListModel      *revisions;
  gboolean         compare;
};

G_DEFINE_FINAL_TYPE (LoomRevisionsDialog, loom_revisions_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_COMPARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void on_row_selected (LoomRevisionsDialog *self,
                             GtkListBoxRow       *row);

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* TRANSLATORS: a revision made today, e.g. "Today at 14:02:09" */
    return g_date_time_format (time, _("Today at %H:%M:%S"));
  /* TRANSLATORS: a revision's date and time; see g_date_time_format() */
  return g_date_time_format (time, _("%e %b %Y at %H:%M"));
}

/* Each row says who wrote the text and with which model, then its words, when it was written
 * (not when it was kept, unless the library did not record it) and why it was kept. */
static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LoomRevision *revision = item;
  LoomRevisionsDialog *self = user_data;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped = NULL;
  GtkWidget *row;

  title = loom_generation_describe_author (loom_revision_get_author (revision),
                                           loom_revision_get_model (revision));
  subtitle = loom_generation_describe_revision (revision, self->store, format_time);
  escaped_title = g_markup_escape_text (title, -1);
  escaped = g_markup_escape_text (subtitle, -1);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  return row;
}

/* The revision's words against the current prose, as restoring would change it: words only
 * the current prose has are struck through, words only this version has are marked. */
static void
show_comparison (LoomRevisionsDialog *self,
                 const char          *current,
                 const char          *prose)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GArray) spans = loom_word_diff (current, -1, prose, -1);
  g_autofree char *summary = NULL;
  guint removed = 0;
  guint added = 0;
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, "", -1);
  for (guint i = 0; i < spans->len; i++)
    {
      LoomDiffSpan *span = &g_array_index (spans, LoomDiffSpan, i);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (span->kind == LOOM_DIFF_SAME)
        gtk_text_buffer_insert (buffer, &end, prose + span->new_start,
                                span->new_end - span->new_start);
      else if (span->kind == LOOM_DIFF_REMOVED)
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, current + span->old_start,
                                                  span->old_end - span->old_start, "removed",
                                                  NULL);
      else
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, prose + span->new_start,
                                                  span->new_end - span->new_start, "added",
                                                  NULL);
    }

  loom_word_diff_count (spans, current, prose, &removed, &added);
  if (removed == 0 && added == 0)
    summary = g_strdup (_("This version is the same as the current prose."));
  else
    {
      g_autofree char *removed_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", removed), removed);
      g_autofree char *added_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", added), added);

      /* Translators: “Restoring it takes out 12 words (struck through) and brings back 30
       * (highlighted).” */
      summary = g_strdup_printf (_("Restoring it takes out %s (struck through) and brings back "
                                   "%s (highlighted)."), removed_text, added_text);
    }
  gtk_label_set_text (self->comparison_label, summary);
}

static void
show_revision (LoomRevisionsDialog *self,
               LoomRevision        *revision)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *prose = revision ? loom_revision_get_prose (revision) : "";
  const char *current = NULL;

  if (self->compare && revision != NULL && loom_scene_load_prose (self->scene, NULL))
    current = loom_scene_get_prose (self->scene);

  gtk_widget_set_visible (GTK_WIDGET (self->comparison_label), self->compare && revision != NULL);
  if (self->compare && revision != NULL)
    show_comparison (self, current ? current : "", prose);
  else
    gtk_text_buffer_set_text (buffer, prose, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "revisions.restore", revision != NULL);
}


static void
on_row_selected (LoomRevisionsDialog *self,
                 GtkListBoxRow       *row)
{
  g_autoptr(LoomRevision) revision = NULL;

  /* The list empties itself while the dialog is disposed. */
  if (self->text_view == NULL)
    return;
  if (row != NULL && self->revisions != NULL)
    revision = g_list_model_get_item (self->revisions, gtk_list_box_row_get_index (row));
  show_revision (self, revision);
}

static void
reload (LoomRevisionsDialog *self)
{
  g_autoptr(GError) error = NULL;
  guint n;

  g_clear_object (&self->revisions);
  self->revisions = loom_store_list_revisions (self->store, self->scene, &error);
  if (self->revisions == NULL)
    {
      g_autofree char *markup = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (markup));
      self->revisions = G_LIST_MODEL (g_list_store_new (LOOM_TYPE_REVISION));
    }

  gtk_list_box_bind_model (self->list_box, self->revisions, create_row, self, NULL);
  n = g_list_model_get_n_items (self->revisions);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  loom_revisions_dialog_select (self, n > 0 ? 0 : -1);
}

LoomRevisionsDialog *
loom_revisions_dialog_new (LoomStore *store,
                           LoomScene *scene)
{
  LoomRevisionsDialog *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  self = g_object_new (LOOM_TYPE_REVISIONS_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->scene = g_object_ref (scene);

  subtitle = g_strdup_printf (_("Chapter %u · Scene %u"),
                              loom_chapter_get_number (loom_scene_get_chapter (scene)),
                              loom_scene_get_number (scene));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  reload (self);
  return self;
}

LoomScene *
loom_revisions_dialog_get_scene (LoomRevisionsDialog *self)
{
  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), NULL);
  return self->scene;
}

GListModel *
loom_revisions_dialog_get_revisions (LoomRevisionsDialog *self)
{
  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), NULL);
  return self->revisions;
}

void
loom_revisions_dialog_select (LoomRevisionsDialog *self,
                              int                  index)
{
  GtkListBoxRow *row;

  g_return_if_fail (LOOM_IS_REVISIONS_DIALOG (self));

  row = index >= 0 ? gtk_list_box_get_row_at_index (self->list_box, index) : NULL;
  gtk_list_box_select_row (self->list_box, row);
  on_row_selected (self, row);
}

/**
 * loom_revisions_dialog_get_selected:
 *
 * Returns: (transfer none) (nullable): the revision shown
 */
LoomRevision *
loom_revisions_dialog_get_selected (LoomRevisionsDialog *self)
{
  GtkListBoxRow *row;
  g_autoptr(LoomRevision) revision = NULL;

  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), NULL);

  row = gtk_list_box_get_selected_row (self->list_box);
  if (row == NULL)
    return NULL;
  revision = g_list_model_get_item (self->revisions, gtk_list_box_row_get_index (row));
  return revision;  /* the model keeps it alive */
}

char *
loom_revisions_dialog_get_shown_text (LoomRevisionsDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
loom_revisions_dialog_get_marked_text (LoomRevisionsDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextTagTable *table;
  GtkTextTag *removed;
  GtkTextTag *added;
  GtkTextIter iter;
  GString *out = g_string_new (NULL);
  const char *open = NULL;

  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  table = gtk_text_buffer_get_tag_table (buffer);
  removed = gtk_text_tag_table_lookup (table, "removed");
  added = gtk_text_tag_table_lookup (table, "added");
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter);
       gtk_text_iter_forward_char (&iter))
    {
      const char *mark = gtk_text_iter_has_tag (&iter, removed) ? "-"
                         : gtk_text_iter_has_tag (&iter, added) ? "+" : NULL;

      if (g_strcmp0 (mark, open) != 0)
        {
          if (open != NULL)
            g_string_append_c (out, ']');
          if (mark != NULL)
            g_string_append_printf (out, "[%s", mark);
          open = mark;
        }
      g_string_append_unichar (out, gtk_text_iter_get_char (&iter));
    }
  if (open != NULL)
    g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

gboolean
loom_revisions_dialog_restore_selected (LoomRevisionsDialog  *self,
                                        GError              **error)
{
  g_autoptr(LoomRevision) revision = NULL;
  g_autoptr(LoomRevision) before = NULL;

  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), FALSE);

  /* held: reloading the list below drops the list's reference */
  revision = loom_revisions_dialog_get_selected (self);
  if (revision == NULL)
    return TRUE;
  g_object_ref (revision);
  if ((before = loom_store_snapshot_prose (self->store, self->scene, error)) == NULL ||
      !loom_store_restore_revision (self->store, self->scene, revision, error))
    return FALSE;
  reload (self);
  if (g_strcmp0 (loom_revision_get_prose (before), loom_revision_get_prose (revision)) != 0)
    g_signal_emit (self, signals[RESTORED], 0, before);
  return TRUE;
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LoomRevisionsDialog *self = LOOM_REVISIONS_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;
  AdwToast *toast;

  if (loom_revisions_dialog_restore_selected (self, &error))
    toast = adw_toast_new (_("Restored. The prose it replaced is kept in the history."));
  else
    {
      markup = g_markup_escape_text (error->message, -1);
      toast = adw_toast_new (markup);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
loom_revisions_dialog_dispose (GObject *object)
{
  LoomRevisionsDialog *self = (LoomRevisionsDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_REVISIONS_DIALOG);
  g_clear_object (&self->revisions);
  g_clear_object (&self->scene);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_revisions_dialog_parent_class)->dispose (object);
}

/* Whether the text shows the selected version against the current prose (the default) or
 * alone. */
gboolean
loom_revisions_dialog_get_compare (LoomRevisionsDialog *self)
{
  g_return_val_if_fail (LOOM_IS_REVISIONS_DIALOG (self), FALSE);
  return self->compare;
}

void
loom_revisions_dialog_set_compare (LoomRevisionsDialog *self,
                                   gboolean             compare)
{
  g_return_if_fail (LOOM_IS_REVISIONS_DIALOG (self));

  compare = !!compare;
  if (self->compare == compare)
    return;
  self->compare = compare;
  on_row_selected (self, gtk_list_box_get_selected_row (self->list_box));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
}

static void
loom_revisions_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LoomRevisionsDialog *self = LOOM_REVISIONS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_COMPARE:
      g_value_set_boolean (value, self->compare);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_revisions_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LoomRevisionsDialog *self = LOOM_REVISIONS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_COMPARE:
      loom_revisions_dialog_set_compare (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_revisions_dialog_class_init (LoomRevisionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_revisions_dialog_dispose;
  object_class->get_property = loom_revisions_dialog_get_property;
  object_class->set_property = loom_revisions_dialog_set_property;

  properties[PROP_COMPARE] =
    g_param_spec_boolean ("compare", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomRevisionsDialog::restored:
   * @before: a #LoomRevision with the prose the restore replaced
   *
   * A version was restored; restoring @before undoes it.
   */
  signals[RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, LOOM_TYPE_REVISION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-revisions-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, LoomRevisionsDialog, comparison_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);

  gtk_widget_class_install_action (widget_class, "revisions.restore", NULL, restore_action);
  gtk_widget_class_install_property_action (widget_class, "revisions.compare", "compare");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_revisions_dialog_init (LoomRevisionsDialog *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "removed", "strikethrough", TRUE,
                              "foreground", "#c01c28", NULL);
  gtk_text_buffer_create_tag (buffer, "added", "background", "#f6d32d80",
                              "underline", PANGO_UNDERLINE_SINGLE, NULL);
  self->compare = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "revisions.restore", FALSE);
}
