/* loom-search-pane.c: search and replace across the open story (issue 17)
 *
 * The pane searches the outlines and the prose of the open story as the writer types (the
 * entry waits for a pause), lists the first LOOM_SEARCH_PANE_MAX_LISTED matches with their
 * context and says when there are more without counting them, so that "the" in a million
 * words stays quick to show. It only reads: opening a match and Replace All are the window's (loom-window-search.c),
 * which owns the editors and the undo history, through the signals below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-search-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-search-pane.h"
#include "loom-story.h"
#include "loom-story-watch.h"

struct _LoomSearchPane
{
  GtkWidget         parent_instance;

  /* template children */
  GtkSearchEntry   *search_entry;
  GtkCheckButton   *whole_word_check;
  GtkCheckButton   *match_case_check;
  GtkEntry         *replace_entry;
  GtkLabel         *status_label;
  GtkListBox       *results;

  /* owned */
  LoomStore        *store;
  LoomStory        *story;
  LoomStoryWatch   *watch;     /* the story's changes, to search again */
  GArray           *matches;   /* (element-type LoomSearchMatch): those listed */
};

G_DEFINE_FINAL_TYPE (LoomSearchPane, loom_search_pane, GTK_TYPE_WIDGET)

enum {
  PREPARE,
  MATCH_ACTIVATED,
  REPLACE_ALL,
  CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* The list                                                                                   */

/* The snippet as markup, the match in bold. Its offsets are in characters. */
static char *
snippet_markup (const LoomSearchMatch *match)
{
  const char *text = match->snippet;
  glong n_chars = g_utf8_strlen (text, -1);
  glong start = MIN ((glong) match->snippet_start, n_chars);
  glong end = MIN (start + (glong) match->snippet_length, n_chars);
  const char *from = g_utf8_offset_to_pointer (text, start);
  const char *to = g_utf8_offset_to_pointer (text, end);
  g_autofree char *before = g_markup_escape_text (text, from - text);
  g_autofree char *found = g_markup_escape_text (from, to - from);
  g_autofree char *after = g_markup_escape_text (to, -1);

  return g_strdup_printf ("%s<b>%s</b>%s", before, found, after);
}

static char *
place_text (const LoomSearchMatch *match)
{
  if (match->field == LOOM_SEARCH_FIELD_OUTLINE)
    /* Translators: where a match is; the outline, not the prose, of a scene */
    return g_strdup_printf (_("Chapter %u · Scene %u · Outline"), match->chapter_number,
                            match->scene_number);
  return g_strdup_printf (_("Chapter %u · Scene %u"), match->chapter_number,
                          match->scene_number);
}

static GtkWidget *
match_row_new (const LoomSearchMatch *match)
{
  g_autofree char *place = place_text (match);
  g_autofree char *markup = snippet_markup (match);
  g_autofree char *name = g_strdup_printf ("%s: %s", place, match->snippet);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *place_label = gtk_label_new (place);
  GtkWidget *snippet_label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (place_label), 0);
  gtk_widget_add_css_class (place_label, "caption");
  gtk_widget_add_css_class (place_label, "dim-label");
  gtk_label_set_markup (GTK_LABEL (snippet_label), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet_label), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), place_label);
  gtk_box_append (GTK_BOX (box), snippet_label);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

/* The last row, when the list stops short: the others are not counted, which would cost more
 * than the listing in a long story. */
static GtkWidget *
more_row_new (guint n_listed)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "Only the first %'u match is listed. "
                                                        "Make the search narrower to see the "
                                                        "others.",
                                                        "Only the first %'u matches are listed. "
                                                        "Make the search narrower to see the "
                                                        "others.", n_listed),
                                           n_listed);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
clear_list (LoomSearchPane *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, row);
  g_clear_pointer (&self->matches, g_array_unref);
}

/* The scenes the matches are in; they come in story order, a scene's together. */
static guint
count_scenes (GArray *matches)
{
  guint n_scenes = 0;

  for (guint i = 0; i < matches->len; i++)
    if (i == 0 || g_array_index (matches, LoomSearchMatch, i).scene_id !=
                  g_array_index (matches, LoomSearchMatch, i - 1).scene_id)
      n_scenes++;
  return n_scenes;
}

static char *
status_text (GArray   *matches,
             gboolean  more)
{
  g_autofree char *counted = NULL;
  guint n_scenes;

  if (more)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "More than %'u match — refine the search",
                                         "More than %'u matches — refine the search",
                                         matches->len), matches->len);
  if (matches->len == 0)
    return g_strdup (_("No matches in the outlines or the prose"));
  n_scenes = count_scenes (matches);
  counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u match", "%'u matches",
                                          matches->len), matches->len);
  /* Translators: the first %s is "%u match(es)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u scene", "%s in %u scenes",
                                       n_scenes), counted, n_scenes);
}

static void
show_matches (LoomSearchPane *self,
              GArray         *matches,
              gboolean        more)
{
  g_autofree char *status = status_text (matches, more);

  for (guint i = 0; i < matches->len; i++)
    gtk_list_box_append (self->results,
                         match_row_new (&g_array_index (matches, LoomSearchMatch, i)));
  if (more)
    gtk_list_box_append (self->results, more_row_new (matches->len));
  self->matches = g_array_ref (matches);
  gtk_label_set_label (self->status_label, status);
}

/* ------------------------------------------------------------------------------------------ */
/* The selected match, kept through a new search                                             */

typedef struct
{
  gint64          scene_id;
  LoomSearchField field;
  gsize           start;
  guint           nth;        /* of the matches in the same text */
} MatchPlace;

static gboolean
same_text (const LoomSearchMatch *a,
           const LoomSearchMatch *b)
{
  return a->scene_id == b->scene_id && a->field == b->field;
}

/* The matches come in story order, a text's together: how many of its text's come before. */
static guint
nth_in_text (GArray *matches,
             guint   index)
{
  const LoomSearchMatch *match = &g_array_index (matches, LoomSearchMatch, index);
  guint nth = 0;

  while (index > 0 && same_text (&g_array_index (matches, LoomSearchMatch, index - 1), match))
    {
      index--;
      nth++;
    }
  return nth;
}

static gboolean
get_selected_place (LoomSearchPane *self,
                    MatchPlace     *place)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results);
  const LoomSearchMatch *match;
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (self->matches == NULL || index < 0 || (guint) index >= self->matches->len)
    return FALSE;
  match = &g_array_index (self->matches, LoomSearchMatch, index);
  *place = (MatchPlace) { match->scene_id, match->field, match->start,
                          nth_in_text (self->matches, index) };
  return TRUE;
}

/* The match at the same place of the same text; else, should the text have changed before it,
 * the one that comes as many matches into that text; else -1. */
static int
find_place (GArray           *matches,
            const MatchPlace *place)
{
  int same_nth = -1;

  for (guint i = 0; i < matches->len; i++)
    {
      const LoomSearchMatch *match = &g_array_index (matches, LoomSearchMatch, i);

      if (match->scene_id != place->scene_id || match->field != place->field)
        continue;
      if (match->start == place->start)
        return (int) i;
      if (same_nth < 0 && nth_in_text (matches, i) == place->nth)
        same_nth = (int) i;
    }
  return same_nth;
}

/* Selects the match again after the list was built anew, and gives the keyboard back to it
 * when the list had it: a refresh behind the writer's back does not move their place. */
static void
select_place (LoomSearchPane   *self,
              const MatchPlace *place,
              gboolean          had_focus)
{
  int index = find_place (self->matches, place);
  GtkListBoxRow *row = index >= 0 ? gtk_list_box_get_row_at_index (self->results, index) : NULL;

  if (row != NULL)
    gtk_list_box_select_row (self->results, row);
  if (had_focus)
    gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : GTK_WIDGET (self->results));
}

static gboolean
list_has_focus (LoomSearchPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results));
}

/**
 * loom_search_pane_refresh:
 *
 * Searches again, now: after the library changed, or once the writer paused typing. The
 * selected match stays selected if it is still found.
 */
void
loom_search_pane_refresh (LoomSearchPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  gboolean more = FALSE;
  gboolean had_focus;
  MatchPlace place = { 0 };
  gboolean selected;
  const char *query;

  g_return_if_fail (LOOM_IS_SEARCH_PANE (self));

  selected = get_selected_place (self, &place);
  had_focus = list_has_focus (self);
  clear_list (self);
  query = loom_search_pane_get_query (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "search.replace-all",
                                 self->story != NULL && *query != '\0');
  if (self->story == NULL || *query == '\0')
    {
      gtk_label_set_label (self->status_label, "");
      return;
    }

  /* The editors' unsaved words are searched too. */
  g_signal_emit (self, signals[PREPARE], 0);
  matches = loom_store_search_first (self->store, self->story, query,
                                     loom_search_pane_get_flags (self),
                                     LOOM_SEARCH_PANE_MAX_LISTED, &more, &error);
  if (matches == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  show_matches (self, matches, more);
  if (selected)
    select_place (self, &place, had_focus);
}

/* ------------------------------------------------------------------------------------------ */

static void
on_query_changed (LoomSearchPane *self)
{
  loom_search_pane_refresh (self);
}

static void
on_options_changed (LoomSearchPane *self)
{
  loom_search_pane_refresh (self);
}

static void
activate_match (LoomSearchPane *self,
                guint           index)
{
  const LoomSearchMatch *match;

  if (self->matches == NULL || index >= self->matches->len)
    return;
  match = &g_array_index (self->matches, LoomSearchMatch, index);
  g_signal_emit (self, signals[MATCH_ACTIVATED], 0, match->scene_id, (guint) match->field,
                 (guint64) match->start, (guint64) match->length);
}

/* Enter in the query opens the first match, as in a browser's find. The entry searches at
 * once, not after its pause, so that a quick Enter finds what was typed. */
static void
on_entry_activate (LoomSearchPane *self)
{
  loom_search_pane_refresh (self);
  activate_match (self, 0);
}

static void
on_row_activated (LoomSearchPane *self,
                  GtkListBoxRow  *row)
{
  activate_match (self, (guint) gtk_list_box_row_get_index (row));
}

static void
on_stop_search (LoomSearchPane *self)
{
  g_signal_emit (self, signals[CLOSE], 0);
}

static void
on_replace_activate (LoomSearchPane *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "search.replace-all", NULL);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLOSE], 0);
}

static void
replace_all_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomSearchPane *self = LOOM_SEARCH_PANE (widget);

  if (self->story != NULL && *loom_search_pane_get_query (self) != '\0')
    g_signal_emit (self, signals[REPLACE_ALL], 0);
}

/* ------------------------------------------------------------------------------------------ */

/* The story changed, here or in another program: the matches shown are searched again, while
 * the pane is on screen (it searches anew each time it is shown). */
static void
on_story_changed (LoomSearchPane *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && *loom_search_pane_get_query (self) != '\0')
    loom_search_pane_refresh (self);
}

static void
watch_story (LoomSearchPane *self)
{
  g_clear_object (&self->watch);
  if (self->story == NULL)
    return;
  self->watch = loom_story_watch_new (self->story);
  g_signal_connect_object (self->watch, "changed", G_CALLBACK (on_story_changed), self,
                           G_CONNECT_SWAPPED);
}

void
loom_search_pane_set_story (LoomSearchPane *self,
                            LoomStore      *store,
                            LoomStory      *story)
{
  g_return_if_fail (LOOM_IS_SEARCH_PANE (self));
  g_return_if_fail (store == NULL || LOOM_IS_STORE (store));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  g_set_object (&self->store, store);
  if (g_set_object (&self->story, story))
    watch_story (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    loom_search_pane_refresh (self);
  else
    clear_list (self);
}

/**
 * loom_search_pane_focus_query:
 * @text: (nullable): what to search for, or %NULL to keep the query
 *
 * Puts the keyboard in the query, all of it selected, and searches.
 */
void
loom_search_pane_focus_query (LoomSearchPane *self,
                              const char     *text)
{
  g_return_if_fail (LOOM_IS_SEARCH_PANE (self));

  if (text != NULL && *text != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
  loom_search_pane_refresh (self);
}

const char *
loom_search_pane_get_query (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

const char *
loom_search_pane_get_replacement (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));
}

LoomSearchFlags
loom_search_pane_get_flags (LoomSearchPane *self)
{
  LoomSearchFlags flags = LOOM_SEARCH_DEFAULT;

  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), LOOM_SEARCH_DEFAULT);
  if (gtk_check_button_get_active (self->whole_word_check))
    flags |= LOOM_SEARCH_WHOLE_WORD;
  if (gtk_check_button_get_active (self->match_case_check))
    flags |= LOOM_SEARCH_MATCH_CASE;
  return flags;
}

GtkListBox *
loom_search_pane_get_results (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), NULL);
  return self->results;
}

GtkWidget *
loom_search_pane_get_replace_entry (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), NULL);
  return GTK_WIDGET (self->replace_entry);
}

const char *
loom_search_pane_get_status_text (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), NULL);
  return gtk_label_get_label (self->status_label);
}

guint
loom_search_pane_get_n_listed (LoomSearchPane *self)
{
  g_return_val_if_fail (LOOM_IS_SEARCH_PANE (self), 0);
  return self->matches != NULL ? self->matches->len : 0;
}

/* The keyboard goes to the query: the pane's first control and its reason to be. */
static gboolean
loom_search_pane_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (LOOM_SEARCH_PANE (widget)->search_entry));
}

static void
loom_search_pane_dispose (GObject *object)
{
  LoomSearchPane *self = (LoomSearchPane *) object;
  GtkWidget *child;

  g_clear_pointer (&self->matches, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SEARCH_PANE);
  /* The template's outer box has no name to be cleared by. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->watch);
  g_clear_object (&self->story);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_search_pane_parent_class)->dispose (object);
}

static void
loom_search_pane_class_init (LoomSearchPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_search_pane_dispose;
  widget_class->grab_focus = loom_search_pane_grab_focus;

  /**
   * LoomSearchPane::prepare:
   *
   * Before each search: the editors save what the writer typed, so that it is found.
   */
  signals[PREPARE] = g_signal_new ("prepare", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * LoomSearchPane::match-activated:
   * @scene_id: the scene the match is in
   * @field: a #LoomSearchField, outline or prose
   * @start: where the match begins in that text, in bytes
   * @length: its length in bytes
   */
  signals[MATCH_ACTIVATED] = g_signal_new ("match-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 4, G_TYPE_INT64, G_TYPE_UINT,
                                           G_TYPE_UINT64, G_TYPE_UINT64);
  /**
   * LoomSearchPane::replace-all:
   *
   * The writer asked to replace every match of the query in the prose: the handler asks
   * first, then replaces as one step of the undo history.
   */
  signals[REPLACE_ALL] = g_signal_new ("replace-all", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * LoomSearchPane::close:
   *
   * Escape, or the close button.
   */
  signals[CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-search-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, whole_word_check);
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, match_case_check);
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSearchPane, results);
  gtk_widget_class_bind_template_callback (widget_class, on_query_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_options_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_replace_activate);

  gtk_widget_class_install_action (widget_class, "search.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "search.replace-all", NULL, replace_all_action);
  /* From the replace field, the options and the list too, not only from the query. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "search.close", NULL);

  gtk_widget_class_set_css_name (widget_class, "loomsearchpane");
}

static void
loom_search_pane_init (LoomSearchPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "search.replace-all", FALSE);
}
