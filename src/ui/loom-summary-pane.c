/* loom-summary-pane.c: a scene's summary under its outline, and the facts it established
 *
 * The summary is the AI's memory of the scene. The writer may write or correct it here; it is
 * saved by itself like the outline (LoomAutosave) and is then the writer's: Summarize Story and
 * the summary made after a draft leave it alone, and replacing it asks first. The line beside
 * the heading says who wrote it, and that it is outdated once the prose changed since.
 *
 * Under it, the facts the AI found in the scene, each with a button that puts it in the story
 * bible (win.add-fact, which the window's undo takes back).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-summary-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-entry.h"
#include "loom-generation-util.h"
#include "loom-store-editor.h"
#include "loom-store-summaries.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-summary-pane.h"

struct _LoomSummaryPane
{
  GtkWidget     parent_instance;

  /* template children */
  GtkLabel     *state_label;
  GtkButton    *summarize_button;
  GtkTextView  *summary_view;
  GtkWidget    *facts_box;
  GtkWidget    *facts_list;

  /* owned */
  LoomScene    *scene;
  LoomStore    *store;
  GListModel   *entries;   /* the story bible's other kinds, to know a fact already in it */
  LoomSummary  *summary;   /* as the library has it, or NULL */
  LoomAutosave *autosave;

  guint         loading : 1;
  guint         dirty : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomSummaryPane, loom_summary_pane, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

static GtkTextBuffer *
buffer (LoomSummaryPane *self)
{
  return gtk_text_view_get_buffer (self->summary_view);
}

static char *
buffer_text (LoomSummaryPane *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer (self), &start, &end);
  return gtk_text_buffer_get_text (buffer (self), &start, &end, FALSE);
}

static gboolean
in_bible (LoomSummaryPane *self,
          const char      *fact)
{
  guint n = self->entries ? g_list_model_get_n_items (self->entries) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (self->entries, i);

      if (g_strcmp0 (loom_entry_get_description (entry), fact) == 0)
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
fact_row (LoomSummaryPane *self,
          const char      *fact)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (fact);
  GtkWidget *button;
  gboolean known = in_bible (self, fact);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), label);

  button = gtk_button_new_with_mnemonic (known ? _("In the Story Bible")
                                               : _("Add to Story _Bible"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, !known);
  /* The same words on every row: the fact tells them apart. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, fact, -1);
  if (!known)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", fact);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), known ? NULL : "win.add-fact");
  gtk_box_append (GTK_BOX (row), button);
  return row;
}

static void
show_facts (LoomSummaryPane *self)
{
  g_auto(GStrv) facts = self->summary ? loom_summary_dup_facts (self->summary) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->facts_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->facts_list), child);
  for (guint i = 0; facts != NULL && facts[i] != NULL; i++)
    gtk_box_append (GTK_BOX (self->facts_list), fact_row (self, facts[i]));
  gtk_widget_set_visible (self->facts_box, facts != NULL && facts[0] != NULL);
}

static gboolean
has_prose (LoomScene *scene)
{
  return loom_scene_get_word_count (scene) > 0;
}

static void
update_state (LoomSummaryPane *self)
{
  const char *const classes[] = { "warning", "dim-label", NULL };
  gboolean outdated = FALSE;
  const char *state;
  const char *button;

  if (self->scene == NULL)
    return;

  if (loom_scene_get_status (self->scene) == LOOM_SCENE_STATUS_GENERATING)
    state = _("Summarized once the draft is done");
  else if (self->summary == NULL)
    state = has_prose (self->scene) ? _("No summary yet: write one, or have the AI summarize")
                                    : _("No prose to summarize yet");
  else if ((outdated = loom_summary_is_outdated (self->summary, self->scene)))
    state = _("Outdated: the prose changed since");
  else if (self->summary->origin == LOOM_SUMMARY_WRITER)
    state = _("Written by you");
  else
    state = _("Written by the AI");

  if (self->summary == NULL)
    button = _("Su_mmarize");
  else if (self->summary->origin == LOOM_SUMMARY_WRITER)
    button = _("Re_place…");
  else
    button = _("Regenerate Su_mmary");

  loom_ui_set_label (self->state_label, state);
  loom_ui_set_css_class_among (GTK_WIDGET (self->state_label), classes,
                               outdated ? "warning" : "dim-label");
  gtk_button_set_label (self->summarize_button, button);
}

static gboolean
shows (LoomSummaryPane *self,
       const char      *text)
{
  g_autofree char *shown = buffer_text (self);

  return g_str_equal (g_strstrip (shown), text);
}

/* Shows the library's summary of the scene, unless the writer is changing it. */
static void
load (LoomSummaryPane *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->summary, loom_summary_free);
  if (self->scene == NULL)
    return;
  self->summary = loom_store_get_summary (self->store, self->scene, &error);
  if (error != NULL)
    loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);

  /* Our own save comes back here: text the writer is still typing after stays as it is. */
  if (!self->dirty && !shows (self, self->summary ? self->summary->summary : ""))
    {
      self->loading = TRUE;
      gtk_text_buffer_begin_irreversible_action (buffer (self));
      gtk_text_buffer_set_text (buffer (self), self->summary ? self->summary->summary : "", -1);
      gtk_text_buffer_end_irreversible_action (buffer (self));
      self->loading = FALSE;
    }
  show_facts (self);
  update_state (self);
}

/**
 * loom_summary_pane_save:
 *
 * Writes the writer's pending edit of the summary now, as theirs; a blank summary removes it.
 * The facts the AI found stay with it. A failure is reported through
 * #LoomStoreEditor::store-error and the edit stays pending.
 *
 * Returns: %TRUE when nothing is left unsaved
 */
gboolean
loom_summary_pane_save (LoomSummaryPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), FALSE);

  loom_autosave_clear (self->autosave);
  if (self->scene == NULL || !self->dirty)
    return TRUE;

  text = g_strstrip (buffer_text (self));
  self->dirty = FALSE;
  if (g_strcmp0 (text, self->summary ? self->summary->summary : "") != 0 &&
      !loom_store_set_summary (self->store, self->scene, text,
                               self->summary ? self->summary->facts : NULL, LOOM_SUMMARY_WRITER,
                               NULL, NULL, &error))
    {
      self->dirty = TRUE;
      loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
      return FALSE;
    }
  return TRUE;
}

static void
on_changed (LoomSummaryPane *self)
{
  if (self->loading || self->scene == NULL)
    return;
  self->dirty = TRUE;
  loom_autosave_changed (self->autosave);
}

static void
on_summary_changed (LoomSummaryPane *self,
                    LoomScene       *scene)
{
  if (scene == self->scene)
    load (self);
}

static void
on_scene_notify (LoomSummaryPane *self,
                 GParamSpec      *pspec)
{
  /* A draft streaming in notifies many times a second: the state is looked at when it ends. */
  if (g_str_equal (pspec->name, "status") ||
      (g_str_equal (pspec->name, "prose") &&
       loom_scene_get_status (self->scene) != LOOM_SCENE_STATUS_GENERATING))
    update_state (self);
}

static void
unwatch (LoomSummaryPane *self)
{
  if (self->scene != NULL)
    g_signal_handlers_disconnect_by_func (self->scene, on_scene_notify, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_summary_changed, self);
  if (self->entries != NULL)
    g_signal_handlers_disconnect_by_func (self->entries, show_facts, self);
  g_clear_object (&self->scene);
  g_clear_object (&self->store);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->summary, loom_summary_free);
}

LoomScene *
loom_summary_pane_get_scene (LoomSummaryPane *self)
{
  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);
  return self->scene;
}

/* Shows @scene's summary, after saving what the writer typed for the previous scene. */
void
loom_summary_pane_set_scene (LoomSummaryPane *self,
                             LoomScene       *scene)
{
  LoomStory *story;

  g_return_if_fail (LOOM_IS_SUMMARY_PANE (self));
  g_return_if_fail (scene == NULL || LOOM_IS_SCENE (scene));

  if (scene == self->scene)
    return;
  loom_summary_pane_save (self);
  unwatch (self);
  self->dirty = FALSE;
  if (scene == NULL)
    {
      self->loading = TRUE;
      gtk_text_buffer_set_text (buffer (self), "", -1);
      self->loading = FALSE;
      show_facts (self);
      return;
    }

  story = loom_scene_get_story (scene);
  self->scene = g_object_ref (scene);
  self->store = g_object_ref (loom_story_get_store (story));
  self->entries = g_object_ref (loom_story_get_entries (story));
  g_signal_connect_object (scene, "notify", G_CALLBACK (on_scene_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "summary-changed", G_CALLBACK (on_summary_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entries, "items-changed", G_CALLBACK (show_facts), self,
                           G_CONNECT_SWAPPED);
  load (self);
}

LoomAutosave *
loom_summary_pane_get_autosave (LoomSummaryPane *self)
{
  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);
  return self->autosave;
}

GtkTextView *
loom_summary_pane_get_view (LoomSummaryPane *self)
{
  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);
  return self->summary_view;
}

const char *
loom_summary_pane_get_state (LoomSummaryPane *self)
{
  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);
  return gtk_label_get_label (self->state_label);
}

GtkButton *
loom_summary_pane_get_summarize_button (LoomSummaryPane *self)
{
  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);
  return self->summarize_button;
}

GtkButton *
loom_summary_pane_get_fact_button (LoomSummaryPane *self,
                                   guint            index)
{
  GtkWidget *row = gtk_widget_get_first_child (self->facts_list);

  g_return_val_if_fail (LOOM_IS_SUMMARY_PANE (self), NULL);

  for (; row != NULL && index > 0; index--)
    row = gtk_widget_get_next_sibling (row);
  return row ? GTK_BUTTON (gtk_widget_get_last_child (row)) : NULL;
}

static void
loom_summary_pane_dispose (GObject *object)
{
  LoomSummaryPane *self = LOOM_SUMMARY_PANE (object);
  GtkWidget *child;

  if (self->scene != NULL)
    loom_summary_pane_save (self);
  unwatch (self);
  g_clear_object (&self->autosave);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SUMMARY_PANE);
  /* the template's unnamed boxes too, which dispose_template () leaves */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (loom_summary_pane_parent_class)->dispose (object);
}

static void
loom_summary_pane_class_init (LoomSummaryPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_summary_pane_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-summary-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomSummaryPane, state_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSummaryPane, summarize_button);
  gtk_widget_class_bind_template_child (widget_class, LoomSummaryPane, summary_view);
  gtk_widget_class_bind_template_child (widget_class, LoomSummaryPane, facts_box);
  gtk_widget_class_bind_template_child (widget_class, LoomSummaryPane, facts_list);
  gtk_widget_class_set_css_name (widget_class, "loomsummarypane");
}

static void
loom_summary_pane_init (LoomSummaryPane *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->autosave = loom_autosave_new ();
  g_signal_connect_object (self->autosave, "save", G_CALLBACK (loom_summary_pane_save), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer (self), "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (loom_summary_pane_save), self);
  gtk_widget_add_controller (GTK_WIDGET (self->summary_view), focus);
}
