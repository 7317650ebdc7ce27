/* loom-mention-marks.c: the story bible's names marked in a text view
 *
 * Every name and alias of the story's characters and bible entries that the text mentions
 * (by the prompt's own rule, loom-mentions.h) is underlined faintly, and hovering it shows
 * what the bible says. The text is read again a moment after it stops changing — and every
 * two seconds while it keeps changing, as when a draft streams in — and when an entry or a
 * character changes, in one pass whatever the size of the bible. Only the marks that differ
 * are changed: each change makes the view lay the paragraph out again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-mention-marks"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-character.h"
#include "loom-generation-util.h"
#include "loom-entry.h"
#include "loom-mention-marks.h"
#include "loom-mentions.h"

#define RESCAN_DELAY_MS 300
#define RESCAN_MAX_MS 2000

typedef struct
{
  int      start;   /* in characters */
  int      end;
  GObject *item;    /* borrowed: the story holds it */
} Span;

struct _LoomMentionMarks
{
  GObject      parent_instance;

  /* borrowed */
  GtkTextView *view;       /* weak */
  GtkTextTag  *tag;

  /* owned */
  LoomStory   *story;
  GArray      *spans;      /* of Span, in the order of the text */
  guint        rescan_source;
  gint64       changed_at;     /* the last change not read yet */
  gint64       pending_since;  /* the first */
};

G_DEFINE_FINAL_TYPE (LoomMentionMarks, loom_mention_marks, G_TYPE_OBJECT)

typedef struct
{
  GArray     *spans;
  const char *text;
  const char *at;      /* where @offset counts from */
  int         offset;
} Collect;

static void
collect_span (gpointer item,
              gsize    start,
              gsize    end,
              gpointer user_data)
{
  Collect *collect = user_data;
  Span span;

  /* the mentions come in the order of the text: count characters on from the last one */
  collect->offset += g_utf8_pointer_to_offset (collect->at, collect->text + start);
  collect->at = collect->text + start;
  span.start = collect->offset;
  span.end = span.start + g_utf8_pointer_to_offset (collect->text + start, collect->text + end);
  span.item = item;
  g_array_append_val (collect->spans, span);
}

/**
 * loom_mention_marks_update:
 *
 * Reads the text again now and marks what it mentions.
 */
void
loom_mention_marks_update (LoomMentionMarks *self)
{
  g_autoptr(LoomMentions) mentions = NULL;
  g_autofree char *text = NULL;
  g_autofree LoomTagRange *ranges = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  Collect collect = { 0 };

  g_return_if_fail (LOOM_IS_MENTION_MARKS (self));

  g_clear_handle_id (&self->rescan_source, g_source_remove);
  self->pending_since = 0;
  g_array_set_size (self->spans, 0);
  if (self->view == NULL)
    return;
  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (self->story != NULL)
    {
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      mentions = loom_mentions_new_for_story (self->story);
      collect = (Collect) { self->spans, text, text, 0 };
      loom_mentions_scan (mentions, text, collect_span, &collect);
    }
  ranges = g_new (LoomTagRange, MAX (self->spans->len, 1));
  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);

      ranges[i] = (LoomTagRange) { span->start, span->end };
    }
  loom_ui_sync_tag (buffer, self->tag, &start, &end, ranges, self->spans->len, NULL, NULL);
}

static gboolean
rescan (gpointer data)
{
  LoomMentionMarks *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 quiet_at = self->changed_at + RESCAN_DELAY_MS * 1000;
  gint64 latest = self->pending_since + RESCAN_MAX_MS * 1000;

  self->rescan_source = 0;
  /* Still changing: wait for the pause, but not for ever. */
  if (now < quiet_at && now < latest)
    {
      self->rescan_source = g_timeout_add ((guint) ((MIN (quiet_at, latest) - now + 999) / 1000),
                                           rescan, self);
      return G_SOURCE_REMOVE;
    }
  loom_mention_marks_update (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rescan (LoomMentionMarks *self)
{
  self->changed_at = g_get_monotonic_time ();
  if (self->pending_since == 0)
    self->pending_since = self->changed_at;
  if (self->rescan_source == 0)
    self->rescan_source = g_timeout_add (RESCAN_DELAY_MS, rescan, self);
}

GObject *
loom_mention_marks_lookup (LoomMentionMarks *self,
                           int               offset)
{
  g_return_val_if_fail (LOOM_IS_MENTION_MARKS (self), NULL);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const Span *span = &g_array_index (self->spans, Span, i);

      if (offset >= span->start && offset < span->end)
        return span->item;
    }
  return NULL;
}

/**
 * loom_mention_marks_describe:
 *
 * Returns: (transfer full): what the story bible says of @item, for its tooltip
 */
char *
loom_mention_marks_describe (GObject *item)
{
  g_autofree char *name = NULL;
  g_autofree char *about = NULL;

  g_return_val_if_fail (LOOM_IS_CHARACTER (item) || LOOM_IS_ENTRY (item), NULL);

  g_object_get (item, "name", &name, LOOM_IS_CHARACTER (item) ? "traits" : "description",
                &about, NULL);
  if (about == NULL || *about == '\0')
    return g_strdup (name);
  /* Translators: a tooltip on a name in the prose: “The Mill: a ruined mill by the river” */
  return g_strdup_printf (_("%s: %s"), name, about);
}

static gboolean
on_query_tooltip (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  LoomMentionMarks *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (widget);
  g_autofree char *text = NULL;
  GtkTextIter iter;
  GObject *item;
  int bx, by;

  if (keyboard)
    gtk_text_buffer_get_iter_at_mark (gtk_text_view_get_buffer (view), &iter,
                                      gtk_text_buffer_get_insert (gtk_text_view_get_buffer (view)));
  else
    {
      gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
      if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
        return FALSE;
    }
  item = loom_mention_marks_lookup (self, gtk_text_iter_get_offset (&iter));
  if (item == NULL)
    return FALSE;
  text = loom_mention_marks_describe (item);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_bible_changed (LoomMentionMarks *self)
{
  schedule_rescan (self);
}

static void
watch_items (LoomMentionMarks *self,
             GListModel       *items,
             guint             position,
             guint             n_items)
{
  loom_ui_connect_items (items, position, n_items, "notify", G_CALLBACK (on_bible_changed),
                         self);
}

static void
on_items_changed (LoomMentionMarks *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *items)
{
  watch_items (self, items, position, added);
  schedule_rescan (self);
}

static void
unwatch_story (LoomMentionMarks *self)
{
  GListModel *lists[2];

  if (self->story == NULL)
    return;
  lists[0] = loom_story_get_characters (self->story);
  lists[1] = loom_story_get_entries (self->story);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_signal_handlers_disconnect_by_func (lists[l], on_items_changed, self);
      for (guint i = 0; i < g_list_model_get_n_items (lists[l]); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (lists[l], i);

          g_signal_handlers_disconnect_by_func (item, on_bible_changed, self);
        }
    }
  g_clear_object (&self->story);
}

void
loom_mention_marks_set_story (LoomMentionMarks *self,
                              LoomStory        *story)
{
  g_return_if_fail (LOOM_IS_MENTION_MARKS (self));

  if (self->story != story)
    {
      unwatch_story (self);
      if (story != NULL)
        {
          GListModel *lists[2] = { loom_story_get_characters (story),
                                   loom_story_get_entries (story) };

          self->story = g_object_ref (story);
          for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
            {
              watch_items (self, lists[l], 0, g_list_model_get_n_items (lists[l]));
              g_signal_connect_object (lists[l], "items-changed", G_CALLBACK (on_items_changed),
                                       self, G_CONNECT_SWAPPED);
            }
        }
    }
  loom_mention_marks_update (self);
}

static void
loom_mention_marks_dispose (GObject *object)
{
  LoomMentionMarks *self = (LoomMentionMarks *) object;

  g_clear_handle_id (&self->rescan_source, g_source_remove);
  unwatch_story (self);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_signal_handlers_disconnect_by_data (gtk_text_view_get_buffer (self->view), self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }

  G_OBJECT_CLASS (loom_mention_marks_parent_class)->dispose (object);
}

static void
loom_mention_marks_finalize (GObject *object)
{
  LoomMentionMarks *self = (LoomMentionMarks *) object;

  g_clear_pointer (&self->spans, g_array_unref);

  G_OBJECT_CLASS (loom_mention_marks_parent_class)->finalize (object);
}

static void
loom_mention_marks_class_init (LoomMentionMarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_mention_marks_dispose;
  object_class->finalize = loom_mention_marks_finalize;
}

static void
loom_mention_marks_init (LoomMentionMarks *self)
{
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));
}

/**
 * loom_mention_marks_new:
 *
 * Marks the mentions in @view's text from now on (the view is not held).
 */
LoomMentionMarks *
loom_mention_marks_new (GtkTextView *view)
{
  LoomMentionMarks *self = g_object_new (LOOM_TYPE_MENTION_MARKS, NULL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRGBA faint = { 0.5, 0.5, 0.5, 0.6 };

  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  /* subtle: a faint underline, no colour change, so that the prose still reads as prose */
  self->tag = gtk_text_buffer_create_tag (buffer, "loom-mention",
                                          "underline", PANGO_UNDERLINE_SINGLE,
                                          "underline-rgba", &faint, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (view), TRUE);
  g_signal_connect (view, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (schedule_rescan), self);
  return self;
}
