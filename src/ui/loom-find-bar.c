/* loom-find-bar.c: Ctrl+F over one text view, with GtkSourceView's search (issue 17)
 *
 * A search bar over the prose or the outline, whichever the writer pressed Ctrl+F in (the
 * editor tells it, loom_find_bar_set_view()); the query and the options stay when it changes
 * from one to the other. The matches are highlighted as the writer types, Enter and
 * Ctrl+G go to the next one, Shift+Enter and Ctrl+Shift+G to the previous one (wrapping
 * around), the bar says which match is selected of how many ("3 of 12"), and Escape closes it
 * and gives the keyboard back to the text, with the match selected there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-find-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-find-bar.h"

struct _LoomFindBar
{
  GtkWidget               parent_instance;

  /* template children */
  GtkSearchBar           *search_bar;
  GtkSearchEntry         *search_entry;
  GtkLabel               *count_label;
  GtkCheckButton         *whole_word_check;
  GtkCheckButton         *match_case_check;

  /* owned */
  GtkSourceSearchSettings *settings;   /* the query and options, for either view */
  GtkSourceView          *view;
  GtkSourceSearchContext *search;      /* over the view's buffer */
  guint                   count_source;
};

G_DEFINE_FINAL_TYPE (LoomFindBar, loom_find_bar, GTK_TYPE_WIDGET)

static GtkTextBuffer *
get_buffer (LoomFindBar *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
}

static void update_count (LoomFindBar *self);

static gboolean
update_count_later (gpointer data)
{
  LoomFindBar *self = data;

  self->count_source = 0;
  update_count (self);
  return G_SOURCE_REMOVE;
}

/* "3 of 12" while a match is selected, "12 matches" while none is. Until the buffer has been
 * searched through, the count is not known and nothing is said; the place of the selected
 * match may be known later than the count, and is asked again then. */
static void
update_count (LoomFindBar *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int count, position;

  if (self->search == NULL || gtk_source_search_settings_get_search_text (self->settings) == NULL)
    {
      gtk_label_set_label (self->count_label, "");
      return;
    }
  count = gtk_source_search_context_get_occurrences_count (self->search);
  gtk_text_buffer_get_selection_bounds (get_buffer (self), &start, &end);
  position = gtk_source_search_context_get_occurrence_position (self->search, &start, &end);
  if (position < 0 && self->count_source == 0)
    self->count_source = g_timeout_add (50, update_count_later, self);
  if (count < 0)
    text = g_strdup ("");
  else if (count == 0)
    text = g_strdup (_("No matches"));
  else if (position > 0)
    /* Translators: which match is selected, of how many: "3 of 12" */
    text = g_strdup_printf (_("%d of %d"), position, count);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d match", "%d matches", count),
                            count);
  gtk_label_set_label (self->count_label, text);
}

/* Selects the next match after the selection, or the one before it, and shows it. */
static void
select_match (LoomFindBar *self,
              gboolean     forward)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end, match_start, match_end;
  gboolean wrapped, found;

  if (self->search == NULL)
    return;
  buffer = get_buffer (self);
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (forward)
    found = gtk_source_search_context_forward (self->search, &end, &match_start, &match_end,
                                               &wrapped);
  else
    found = gtk_source_search_context_backward (self->search, &start, &match_start, &match_end,
                                                &wrapped);
  if (found)
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view), gtk_text_buffer_get_insert (buffer),
                                    0.2, FALSE, 0, 0);
    }
  update_count (self);
}

static void
on_search_changed (LoomFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkTextIter start;

  if (self->search == NULL)
    return;
  gtk_source_search_settings_set_search_text (self->settings, *text ? text : NULL);
  if (*text == '\0')
    {
      update_count (self);
      return;
    }
  /* As the query grows, the match found stays where it was if it still matches. */
  gtk_text_buffer_get_selection_bounds (get_buffer (self), &start, NULL);
  gtk_text_buffer_place_cursor (get_buffer (self), &start);
  select_match (self, TRUE);
}

static void
on_options_changed (LoomFindBar *self)
{
  if (self->search == NULL)
    return;
  gtk_source_search_settings_set_at_word_boundaries (self->settings,
    gtk_check_button_get_active (self->whole_word_check));
  gtk_source_search_settings_set_case_sensitive (self->settings,
    gtk_check_button_get_active (self->match_case_check));
  on_search_changed (self);
}

/* Enter pressed right after typing, before the entry's pause is over: what was typed is
 * searched first, so that Enter goes on from its first match as after a pause. (The late
 * search-changed then finds the selection already on a match, and keeps it.) */
static void
catch_up_query (LoomFindBar *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *searched = gtk_source_search_settings_get_search_text (self->settings);

  if (g_strcmp0 (searched != NULL ? searched : "", typed) != 0)
    on_search_changed (self);
}

static void
on_next (LoomFindBar *self)
{
  catch_up_query (self);
  select_match (self, TRUE);
}

static void
on_previous (LoomFindBar *self)
{
  catch_up_query (self);
  select_match (self, FALSE);
}

static void
on_stop (LoomFindBar *self)
{
  loom_find_bar_close (self);
}

/* Closed by Escape or by its close button: the keyboard goes back to the text, where the
 * match is selected, and the matches are no longer highlighted. */
static void
on_search_mode (LoomFindBar *self)
{
  gboolean open = gtk_search_bar_get_search_mode (self->search_bar);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self->search != NULL)
    gtk_source_search_context_set_highlight (self->search, open);
  if (!open && self->view != NULL && root != NULL &&
      (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self))))
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static gboolean
previous_shortcut (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  on_previous (user_data);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

/**
 * loom_find_bar_set_view:
 * @view: the view to search; its buffer is a GtkSourceBuffer
 *
 * Searches @view from now on, with the same query and options; the other view's matches are
 * no longer highlighted.
 */
void
loom_find_bar_set_view (LoomFindBar   *self,
                        GtkSourceView *view)
{
  g_return_if_fail (LOOM_IS_FIND_BAR (self));
  g_return_if_fail (GTK_SOURCE_IS_VIEW (view));

  if (self->view == view)
    return;
  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  g_clear_object (&self->search);
  g_set_object (&self->view, view);
  self->search = gtk_source_search_context_new (GTK_SOURCE_BUFFER (get_buffer (self)),
                                                self->settings);
  gtk_source_search_context_set_highlight (self->search,
                                           gtk_search_bar_get_search_mode (self->search_bar));
  g_signal_connect_object (self->search, "notify::occurrences-count",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  update_count (self);
}

GtkSourceView *
loom_find_bar_get_view (LoomFindBar *self)
{
  g_return_val_if_fail (LOOM_IS_FIND_BAR (self), NULL);
  return self->view;
}

/* Opens the bar with the keyboard in its query, all of it selected to be typed over. */
void
loom_find_bar_open (LoomFindBar *self)
{
  g_return_if_fail (LOOM_IS_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  update_count (self);
}

void
loom_find_bar_close (LoomFindBar *self)
{
  g_return_if_fail (LOOM_IS_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  if (self->view != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

gboolean
loom_find_bar_get_open (LoomFindBar *self)
{
  g_return_val_if_fail (LOOM_IS_FIND_BAR (self), FALSE);
  return gtk_search_bar_get_search_mode (self->search_bar);
}

const char *
loom_find_bar_get_count_text (LoomFindBar *self)
{
  g_return_val_if_fail (LOOM_IS_FIND_BAR (self), NULL);
  return gtk_label_get_label (self->count_label);
}

/* The first button under WIDGET, depth first, not looking inside SKIP. */
static GtkWidget *
find_button (GtkWidget *widget,
             GtkWidget *skip)
{
  if (widget == skip)
    return NULL;
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child, skip);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static void
loom_find_bar_dispose (GObject *object)
{
  LoomFindBar *self = (LoomFindBar *) object;

  g_clear_handle_id (&self->count_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_FIND_BAR);
  g_clear_object (&self->search);
  g_clear_object (&self->view);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (loom_find_bar_parent_class)->dispose (object);
}

static void
loom_find_bar_class_init (LoomFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_find_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomFindBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LoomFindBar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomFindBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, LoomFindBar, whole_word_check);
  gtk_widget_class_bind_template_child (widget_class, LoomFindBar, match_case_check);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_options_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode);

  gtk_widget_class_set_css_name (widget_class, "loomfindbar");
}

static void
loom_find_bar_init (LoomFindBar *self)
{
  GtkEventController *controller;
  GtkWidget *close_button;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  self->settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->settings, TRUE);

  /* GTK 4.8's entry takes Enter alone; Shift+Enter goes back, as in every browser. It is taken
   * before the entry's text sees it. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (
                        gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                        gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK)),
                      gtk_callback_action_new (previous_shortcut, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  /* GTK 4.8 gives the search bar's close button no accessible name. */
  close_button = find_button (GTK_WIDGET (self->search_bar),
                              gtk_search_bar_get_child (self->search_bar));
  if (close_button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (close_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Close Find"), -1);
}
