/* loom-generation-util.c: small helpers the generation widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-util"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-util.h"
#include "loom-revision.h"
#include "loom-store-revise.h"

/**
 * loom_generation_describe_stale_inputs:
 * @inputs: #LoomSceneInputs flags
 *
 * Returns: (transfer full) (nullable): e.g. "Outdated: since this prose was generated, these
 *   changed: the scene’s outline, a character it includes. Regenerate…"
 */
char *
loom_generation_describe_stale_inputs (guint inputs)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (inputs == LOOM_SCENE_INPUT_NONE)
    return NULL;

  if (inputs & LOOM_SCENE_INPUT_OUTLINE)
    g_ptr_array_add (parts, _("the scene’s outline"));
  if (inputs & LOOM_SCENE_INPUT_CHARACTER)
    g_ptr_array_add (parts, _("a character it includes"));
  if (inputs & LOOM_SCENE_INPUT_PREVIOUS)
    g_ptr_array_add (parts, _("the end of the scene before"));
  if (inputs & LOOM_SCENE_INPUT_CHAPTER)
    g_ptr_array_add (parts, _("the chapter’s other scenes"));
  if (inputs & LOOM_SCENE_INPUT_STORY)
    g_ptr_array_add (parts, _("the story’s premise or style"));
  if (parts->len == 0)
    g_ptr_array_add (parts, _("what the scene was written from"));
  g_ptr_array_add (parts, NULL);

  /* TRANSLATORS: separates the inputs in the staleness tooltip */
  list = g_strjoinv (_(", "), (char **) parts->pdata);
  /* TRANSLATORS: %s is a list such as "the scene’s outline, a character it includes" */
  return g_strdup_printf (_("Outdated: since this prose was generated, these changed: %s. "
                            "Regenerate the scene to follow them, or edit the prose to keep "
                            "it."), list);
}

/* Why a revision was kept, as the end of a sentence. */
static const char *
origin_reason (LoomRevisionOrigin origin)
{
  switch (origin)
    {
    case LOOM_REVISION_GENERATION:
      return C_("revision origin", "kept when a generation replaced it");
    case LOOM_REVISION_RESTORE:
      return C_("revision origin", "kept when an earlier version was restored");
    case LOOM_REVISION_PARTIAL:
      return C_("revision origin", "kept when the generation stopped or failed");
    case LOOM_REVISION_EDIT:
      return C_("revision origin", "kept before an AI edit");
    case LOOM_REVISION_ELSEWHERE:
      return C_("revision origin", "kept when another program changed the scene");
    case LOOM_REVISION_REPLACE:
      return C_("revision origin", "kept before Replace All");
    default:
      return C_("revision origin", "kept");
    }
}

/* Why the prose before an AI edit was kept, naming the action as its button does. Whole
 * phrases, not "kept before %s": the action's name may take another form in a sentence. */
static const char *
edit_reason (LoomReviseAction action)
{
  switch (action)
    {
    case LOOM_REVISE_CONTINUE:
      return C_("revision origin", "kept before Continue");
    case LOOM_REVISE_REWRITE:
      return C_("revision origin", "kept before Rewrite");
    case LOOM_REVISE_EXPAND:
      return C_("revision origin", "kept before Expand");
    case LOOM_REVISE_SHORTEN:
      return C_("revision origin", "kept before Shorten");
    case LOOM_REVISE_DESCRIBE:
      return C_("revision origin", "kept before Describe");
    case LOOM_REVISE_ASK:
    default:
      return C_("revision origin", "kept before Ask");
    }
}

static const char *
revision_reason (LoomRevision *revision,
                 LoomStore    *store)
{
  LoomReviseAction action;

  /* The revision only says "edit"; the request that replaced it knows its action. */
  if (store != NULL && loom_store_get_revise_action_of (store, revision, &action))
    return edit_reason (action);
  return origin_reason (loom_revision_get_origin (revision));
}

/**
 * loom_generation_describe_author:
 * @model: (nullable): the model of a generated text
 *
 * Returns: (transfer full): who wrote a text, e.g. "Generated with m/one, edited by you"
 */
char *
loom_generation_describe_author (LoomProseOrigin  author,
                                 const char      *model)
{
  gboolean has_model = model != NULL && *model != '\0';

  switch (author)
    {
    case LOOM_PROSE_WRITER:
      return g_strdup (_("Written by you"));
    case LOOM_PROSE_GENERATED:
      /* TRANSLATORS: %s is a model, e.g. "Generated with openai/gpt-4o" */
      return has_model ? g_strdup_printf (_("Generated with %s"), model)
                       : g_strdup (_("Generated"));
    case LOOM_PROSE_EDITED:
      return has_model ? g_strdup_printf (_("Generated with %s, edited by you"), model)
                       : g_strdup (_("Generated, edited by you"));
    case LOOM_PROSE_PARTIAL:
      return has_model ? g_strdup_printf (_("Partial generation with %s"), model)
                       : g_strdup (_("Partial generation"));
    case LOOM_PROSE_UNKNOWN:
    default:
      return g_strdup (_("Who wrote it was not recorded"));
    }
}

/**
 * loom_generation_describe_revision:
 * @store: (nullable): the revision's library, which knows the AI action an edit came from
 * @format_time: turns ms since the epoch into words such as "Today at 14:02:09"
 *
 * Returns: (transfer full): its words, when it was written and why it was kept, e.g.
 *   "312 words · written Today at 09:14:05 · kept when a generation replaced it"
 */
char *
loom_generation_describe_revision (LoomRevision *revision,
                                   LoomStore    *store,
                                   char *      (*format_time) (gint64 ms))
{
  const char *reason = revision_reason (revision, store);
  guint words = loom_revision_get_word_count (revision);
  gint64 written_at = loom_revision_get_written_at (revision);
  g_autofree char *count = NULL;
  g_autofree char *when = NULL;
  g_autofree char *kept = format_time (loom_revision_get_created_at (revision));

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", words), words);
  if (written_at > 0)
    {
      g_autofree char *time = format_time (written_at);

      /* TRANSLATORS: "312 words · written Today at 09:14:05 · kept when …" */
      return g_strdup_printf (_("%s · written %s · %s"), count, time, reason);
    }
  /* TRANSLATORS: "312 words · kept when … · Today at 09:14:05"; the library did not record
   * when the text was written, only when it was kept */
  return g_strdup_printf (_("%s · %s · %s"), count, reason, kept);
}

char *
loom_generation_format_cost (double cost)
{
  if (cost < 0)
    return NULL;
  if (cost == 0)
    return g_strdup ("$0");
  if (cost < 0.0001)
    return g_strdup (_("less than $0.0001"));
  if (cost < 1)
    return g_strdup_printf ("$%.4f", cost);
  return g_strdup_printf ("$%.2f", cost);
}

/* ------------------------------------------------------------------------------------------ */
/* Following the end of a growing text                                                        */

typedef struct
{
  GtkAdjustment *adjustment;     /* owns this state */
  guint          scroll_source;
  gboolean       at_end;
  gboolean       active;
} FollowState;

static void
follow_state_free (gpointer data)
{
  FollowState *state = data;

  g_clear_handle_id (&state->scroll_source, g_source_remove);
  g_free (state);
}

#define FOLLOW_SLACK 24.0
#define FOLLOW_KEY "loom-follow-end"

static gboolean
adjustment_at_end (GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  return value + page >= upper - FOLLOW_SLACK;
}

static void
on_value_changed (GtkAdjustment *adjustment,
                  FollowState   *state)
{
  state->at_end = adjustment_at_end (adjustment);
}

static gboolean
scroll_to_end (gpointer data)
{
  FollowState *state = data;
  GtkAdjustment *adjustment = state->adjustment;

  state->scroll_source = 0;
  if (state->active && state->at_end)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                            gtk_adjustment_get_page_size (adjustment));
      state->at_end = TRUE;
    }
  return G_SOURCE_REMOVE;
}

static void
on_upper_changed (GtkAdjustment *adjustment,
                  GParamSpec    *pspec,
                  FollowState   *state)
{
  if (!state->active || !state->at_end || state->scroll_source != 0)
    return;
  /* In a turn of the main loop of its own, before the next frame: a text view places its
   * cursor again when it scrolls, which in a long paragraph is a layout of all of it, and the
   * height changes while the view is laying that paragraph out to measure it. In one turn the
   * two held the window for 300 ms at 30,000 words; apart, keys and clicks come between. */
  state->scroll_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, scroll_to_end, state, NULL);
}

/**
 * loom_generation_follow_end:
 *
 * While active and showing the end of its content, the view stays at the end as the content
 * grows; once the reader scrolls up, it stays where they put it until they scroll back down.
 * The prose of a scene being generated is followed this way; other scenes open at their start.
 */
void
loom_generation_follow_end (GtkScrolledWindow *scroller)
{
  GtkAdjustment *adjustment;
  FollowState *state;

  g_return_if_fail (GTK_IS_SCROLLED_WINDOW (scroller));

  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  if (g_object_get_data (G_OBJECT (adjustment), FOLLOW_KEY) != NULL)
    return;

  state = g_new0 (FollowState, 1);
  state->adjustment = adjustment;
  state->at_end = adjustment_at_end (adjustment);
  g_object_set_data_full (G_OBJECT (adjustment), FOLLOW_KEY, state, follow_state_free);
  g_object_set_data (G_OBJECT (scroller), FOLLOW_KEY, adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_value_changed), state);
  g_signal_connect (adjustment, "notify::upper", G_CALLBACK (on_upper_changed), state);
}

/* Starts or stops following; starting from the top of an empty text counts as at the end. */
void
loom_generation_follow_end_set_active (GtkScrolledWindow *scroller,
                                       gboolean           active)
{
  GtkAdjustment *adjustment;
  FollowState *state;

  g_return_if_fail (GTK_IS_SCROLLED_WINDOW (scroller));

  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  state = g_object_get_data (G_OBJECT (adjustment), FOLLOW_KEY);
  if (state == NULL)
    return;
  if (active && !state->active)
    state->at_end = adjustment_at_end (adjustment);
  state->active = active;
}

void
loom_ui_set_label (GtkLabel   *label,
                   const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  if (g_strcmp0 (gtk_label_get_label (label), text ? text : "") != 0)
    gtk_label_set_label (label, text);
}

/* The first range @tag covers that ends after @iter, from @iter on; FALSE when none starts
 * before @limit. */
static gboolean
next_tagged (GtkTextTag        *tag,
             GtkTextIter       *iter,
             GtkTextIter       *end,
             const GtkTextIter *limit)
{
  if (!gtk_text_iter_has_tag (iter, tag) && !gtk_text_iter_forward_to_tag_toggle (iter, tag))
    return FALSE;
  if (gtk_text_iter_compare (iter, limit) >= 0)
    return FALSE;
  *end = *iter;
  gtk_text_iter_forward_to_tag_toggle (end, tag);
  if (gtk_text_iter_compare (end, limit) > 0)
    *end = *limit;
  return TRUE;
}

void
loom_ui_sync_tag (GtkTextBuffer      *buffer,
                  GtkTextTag         *tag,
                  const GtkTextIter  *start,
                  const GtkTextIter  *end,
                  const LoomTagRange *ranges,
                  guint               n_ranges,
                  LoomTagRangeFilter  may_apply,
                  gpointer            data)
{
  g_autofree gboolean *present = g_new0 (gboolean, MAX (n_ranges, 1));
  g_autofree LoomTagRange *runs = g_new (LoomTagRange, MAX (n_ranges, 1));
  guint n_runs = 0;
  int base;
  GtkTextIter iter, tagged_end;
  guint next = 0;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (GTK_IS_TEXT_TAG (tag));
  g_return_if_fail (start != NULL && end != NULL);
  g_return_if_fail (ranges != NULL || n_ranges == 0);

  /* The buffer knows a tag by its runs: ranges that overlap or touch make one. */
  for (guint i = 0; i < n_ranges; i++)
    {
      if (n_runs > 0 && ranges[i].start <= runs[n_runs - 1].end)
        runs[n_runs - 1].end = MAX (runs[n_runs - 1].end, ranges[i].end);
      else
        runs[n_runs++] = ranges[i];
    }
  ranges = runs;
  n_ranges = n_runs;

  base = gtk_text_iter_get_offset (start);
  iter = *start;
  /* What is tagged already stays when a range matches it exactly, else goes. */
  while (next_tagged (tag, &iter, &tagged_end, end))
    {
      int from = gtk_text_iter_get_offset (&iter) - base;
      int to = gtk_text_iter_get_offset (&tagged_end) - base;

      while (next < n_ranges && ranges[next].start < from)
        next++;
      if (next < n_ranges && ranges[next].start == from && ranges[next].end == to)
        present[next] = TRUE;
      else
        gtk_text_buffer_remove_tag (buffer, tag, &iter, &tagged_end);
      iter = tagged_end;
    }

  for (guint i = 0; i < n_ranges; i++)
    {
      GtkTextIter range_start, range_end;

      if (present[i])
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &range_start, base + ranges[i].start);
      gtk_text_buffer_get_iter_at_offset (buffer, &range_end, base + ranges[i].end);
      if (may_apply == NULL || may_apply (&range_start, &range_end, data))
        gtk_text_buffer_apply_tag (buffer, tag, &range_start, &range_end);
    }
}

void
loom_ui_set_tooltip (GtkWidget  *widget,
                     const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

void
loom_ui_set_icon_name (GtkImage   *image,
                       const char *icon_name)
{
  g_return_if_fail (GTK_IS_IMAGE (image));

  if (gtk_image_get_storage_type (image) != GTK_IMAGE_ICON_NAME ||
      g_strcmp0 (gtk_image_get_icon_name (image), icon_name) != 0)
    gtk_image_set_from_icon_name (image, icon_name);
}

void
loom_ui_set_css_class_among (GtkWidget         *widget,
                             const char *const *classes,
                             const char        *wanted)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Adding or removing a class the widget already has or lacks restyles nothing. */
  for (guint i = 0; classes[i] != NULL; i++)
    if (g_strcmp0 (classes[i], wanted) != 0)
      gtk_widget_remove_css_class (widget, classes[i]);
  if (wanted != NULL)
    gtk_widget_add_css_class (widget, wanted);
}

/**
 * loom_ui_question_new:
 * @cancel_label: (nullable): the label of "cancel", %NULL for Cancel
 * @response: the id of the answer, e.g. "delete"
 * @label: its label, e.g. "_Delete"
 *
 * Returns: (transfer none): the question, not yet presented (GTK owns its windows)
 */
AdwMessageDialog *
loom_ui_question_new (GtkWindow             *parent,
                      const char            *heading,
                      const char            *body,
                      const char            *cancel_label,
                      const char            *response,
                      const char            *label,
                      AdwResponseAppearance  appearance)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (response != NULL && label != NULL, NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", cancel_label ? cancel_label : _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

/**
 * loom_ui_question_ask:
 * @key: (nullable): the name @on_response reads @item by
 * @item: (type GObject) (nullable): what the question is about
 * @owner: (type GObject) (nullable): the object @on_response is given
 *
 * Returns: (transfer none): @question
 */
GtkWindow *
loom_ui_question_ask (AdwMessageDialog *question,
                      const char       *key,
                      gpointer          item,
                      GCallback         on_response,
                      gpointer          owner)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (question), NULL);
  g_return_val_if_fail (key == NULL || G_IS_OBJECT (item), NULL);
  g_return_val_if_fail (owner == NULL || G_IS_OBJECT (owner), NULL);

  if (key != NULL)
    g_object_set_data_full (G_OBJECT (question), key, g_object_ref (item), g_object_unref);
  if (owner != NULL)
    g_signal_connect_object (question, "response", on_response, owner, 0);
  else
    g_signal_connect (question, "response", on_response, NULL);
  gtk_window_present (GTK_WINDOW (question));
  return GTK_WINDOW (question);
}

void
loom_ui_connect_items (GListModel *model,
                       guint       position,
                       guint       n_items,
                       const char *detailed_signal,
                       GCallback   callback,
                       gpointer    owner)
{
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (G_IS_OBJECT (owner));

  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_signal_connect_object (item, detailed_signal, callback, owner, G_CONNECT_SWAPPED);
    }
}

gboolean
loom_ui_list_model_find (GListModel *model,
                         gpointer    item,
                         guint      *position)
{
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* What an icon says, where its button has no tooltip to say it. */
static const char *
icon_meaning (const char *icon_name)
{
  static const struct {
    const char *icon;
    const char *meaning;
  } icons[] = {
    { "go-previous-symbolic", N_("Back") },
    { "edit-find-symbolic", N_("Search") },
    { "window-close-symbolic", N_("Close") },
    { "view-reveal-symbolic", N_("Show Text") },
    { "edit-copy-symbolic", N_("Copy") },
  };

  for (guint i = 0; icon_name != NULL && i < G_N_ELEMENTS (icons); i++)
    if (g_str_equal (icons[i].icon, icon_name))
      return _(icons[i].meaning);
  return NULL;
}

static void
name_icon_button (GtkButton *button)
{
  GtkWidget *child = gtk_button_get_child (button);
  const char *name = gtk_widget_get_tooltip_text (GTK_WIDGET (button));

  /* A label set as the button's own names it; one set as its child does not in GTK 4.8. */
  if (GTK_IS_LABEL (child) && gtk_button_get_label (button) == NULL)
    name = gtk_label_get_text (GTK_LABEL (child));
  else if (child != NULL && !GTK_IS_IMAGE (child))
    return;
  if ((name == NULL || *name == '\0') && !GTK_IS_LABEL (child))
    name = icon_meaning (child != NULL ? gtk_image_get_icon_name (GTK_IMAGE (child))
                                       : gtk_button_get_icon_name (button));
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

static void
name_below (GtkWidget          *widget,
            const char         *search_name,
            const char *const **text_views)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child) || GTK_IS_SEARCH_ENTRY (child))
        {
          if (search_name != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            GTK_IS_SEARCH_ENTRY (child) ? search_name
                                                                       : _("Sections"),
                                            -1);
          continue;
        }
      if (GTK_IS_BUTTON (child))
        name_icon_button (GTK_BUTTON (child));
      else if (GTK_IS_TEXT_VIEW (child) && *text_views != NULL && **text_views != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        *(*text_views)++, -1);
      name_below (child, search_name, text_views);
    }
}

void
loom_ui_name_internal_controls (GtkWidget          *root,
                                const char         *search_name,
                                const char *const  *text_views)
{
  const char *const none[] = { NULL };

  g_return_if_fail (GTK_IS_WIDGET (root));

  text_views = text_views != NULL ? text_views : none;
  name_below (root, search_name, &text_views);
}
