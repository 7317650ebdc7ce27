/* loom-provenance-tracker.c: keeps a scene's provenance in step with the prose buffer
 *
 * The writer's edits reach the buffer as inserts and deletes, and so does undo: GtkTextBuffer
 * replays the text it removed or added. The tracker follows both at that level, before the
 * buffer changes: a typed character is the writer's and splits the span it lands in; a deleted
 * stretch takes its spans with it, and they are kept on a short stack so that the same text put
 * back by undo (at the same place) gets its own origins back instead of being taken for typing.
 * Cutting into a word the model wrote leaves what remains of it "edited".
 *
 * Text that arrives whole is not typing, and is not claimed for the writer: a paste (any
 * clipboard, any way) is followed by the buffer's "paste-done", and what the paste's user
 * action inserted is then given its origins. Text copied or cut from the prose carries its
 * spans on the clipboard's own buffer (the content GTK keeps while this program owns the
 * clipboard), so it keeps them when pasted back, in any scene; anything else on the clipboard
 * (another program's text, or ours once another program took the clipboard) is unknown. So is
 * text dropped from elsewhere; text dragged within the prose keeps its spans.
 *
 * Text the editor loads (a scene shown, a stream arriving) is not an edit: the editor brackets
 * it with loom_provenance_tracker_set_loading (), and the spans are read again from the
 * library, for the prose it holds, when next needed. Optionally the model's text is tinted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-provenance-tracker"

#include "config.h"

#include <string.h>

#include "loom-chapter.h"
#include "loom-provenance-tracker.h"
#include "loom-scene.h"
#include "loom-store-provenance.h"
#include "loom-story.h"

/* How many deletions undo can give their origins back to. */
#define MAX_REMOVED 200

/* On a clipboard's text buffer: the spans of the prose it was copied from. */
#define COPIED_SPANS "loom-provenance-copied"

typedef struct
{
  guint           offset;
  char           *text;
  LoomProvenance *spans;
} Removed;

struct _LoomProvenanceTracker
{
  GObject         parent_instance;

  GtkTextView    *view;
  GtkTextBuffer  *buffer;
  GtkDropTarget  *drop_target; /* the view's own, for text */
  LoomScene      *scene;
  LoomProvenance *spans;     /* of the buffer's text; NULL until read from the library */
  GQueue          removed;   /* Removed, newest first */
  LoomProvenance *copying;   /* the selection's spans, while it is copied or cut */
  GtkTextTag     *tag;       /* in the buffer's tag table */
  guint           retint_idle;
  guint           action_start;  /* what the writer's last user action inserted */
  guint           action_length;
  guint           loading : 1;
  guint           in_undo : 1;
  guint           tint : 1;
  guint           inserted_generated : 1;
};

G_DEFINE_FINAL_TYPE (LoomProvenanceTracker, loom_provenance_tracker, G_TYPE_OBJECT)

static void
removed_free (gpointer data)
{
  Removed *removed = data;

  g_free (removed->text);
  g_clear_object (&removed->spans);
  g_free (removed);
}

static gboolean
is_generated (LoomSpanOrigin origin)
{
  return origin == LOOM_SPAN_AI || origin == LOOM_SPAN_EDITED;
}

/* The spans of the buffer's text, read from the library when the editor loaded new text. */
static gboolean
ensure_spans (LoomProvenanceTracker *self)
{
  g_autoptr(GError) error = NULL;
  LoomStore *store;
  guint chars;

  if (self->spans != NULL)
    return TRUE;
  if (self->scene == NULL)
    return FALSE;
  store = loom_story_get_store (loom_chapter_get_story (loom_scene_get_chapter (self->scene)));
  self->spans = loom_store_get_provenance (store, self->scene, &error);
  chars = gtk_text_buffer_get_char_count (self->buffer);
  /* A long stream is shown a little behind what has arrived: the buffer holds its start. */
  if (self->spans != NULL && loom_provenance_get_length (self->spans) > chars &&
      loom_scene_get_status (self->scene) == LOOM_SCENE_STATUS_GENERATING)
    {
      LoomProvenance *shown = loom_provenance_slice (self->spans, 0, chars);

      g_object_unref (self->spans);
      self->spans = shown;
    }
  /* A buffer that does not hold the stored prose (it could not be read) is not vouched for. */
  if (self->spans == NULL || loom_provenance_get_length (self->spans) != chars)
    {
      if (error != NULL)
        g_debug ("Could not read the provenance: %s", error->message);
      g_clear_object (&self->spans);
      self->spans = loom_provenance_new (chars, LOOM_SPAN_UNKNOWN, 0);
    }
  return TRUE;
}

static void
retint (LoomProvenanceTracker *self)
{
  GtkTextIter start, end;
  const LoomSpan *runs;
  guint n_runs;
  guint offset = 0;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->tag, &start, &end);
  if (!self->tint || !ensure_spans (self))
    return;
  runs = loom_provenance_get_spans (self->spans, &n_runs);
  for (guint i = 0; i < n_runs; i++)
    {
      if (is_generated (runs[i].origin))
        {
          gtk_text_buffer_get_iter_at_offset (self->buffer, &start, offset);
          gtk_text_buffer_get_iter_at_offset (self->buffer, &end, offset + runs[i].length);
          gtk_text_buffer_apply_tag (self->buffer, self->tag, &start, &end);
        }
      offset += runs[i].length;
    }
}

static gboolean
retint_idle (gpointer data)
{
  LoomProvenanceTracker *self = data;

  self->retint_idle = 0;
  retint (self);
  return G_SOURCE_REMOVE;
}

static void
queue_retint (LoomProvenanceTracker *self)
{
  if (self->retint_idle == 0)
    self->retint_idle = g_idle_add (retint_idle, self);
}

/* A deletion undo may be putting back the start of @text (at @offset, @at characters into
 * it): one at that place (backspaces walk back, their text is put back in order) or at the
 * start of the whole insert (Delete keys remove at one place). */
static GList *
find_removed (LoomProvenanceTracker *self,
              guint                  offset,
              guint                  at,
              const char            *text,
              gsize                  len)
{
  for (GList *l = self->removed.head; l != NULL; l = l->next)
    {
      Removed *removed = l->data;
      gsize n = strlen (removed->text);

      if ((removed->offset == offset + at || removed->offset == offset) && n > 0 && n <= len &&
          memcmp (removed->text, text, n) == 0)
        return l;
    }
  return NULL;
}

/* Undo puts text back: its origins are those the deletions took away, as far as they can be
 * matched; what cannot is not claimed for the writer. */
static void
insert_undone (LoomProvenanceTracker *self,
               guint                  offset,
               const char            *text,
               gsize                  len)
{
  guint at = 0;

  while (len > 0)
    {
      GList *link = find_removed (self, offset, at, text, len);
      Removed *removed;
      gsize n;

      if (link == NULL)
        {
          loom_provenance_insert (self->spans, offset + at, g_utf8_strlen (text, len),
                                  LOOM_SPAN_UNKNOWN, 0);
          return;
        }
      removed = link->data;
      g_queue_delete_link (&self->removed, link);
      n = strlen (removed->text);
      loom_provenance_insert_spans (self->spans, offset + at, removed->spans);
      at += loom_provenance_get_length (removed->spans);
      text += n;
      len -= n;
      removed_free (removed);
    }
}

/* The spans of the selection when its text is @text, else %NULL. */
static LoomProvenance *
selection_spans (LoomProvenanceTracker *self,
                 const char            *text,
                 gsize                  len)
{
  g_autofree char *selected = NULL;
  GtkTextIter start, end;
  guint from;

  if (!gtk_text_buffer_get_selection_bounds (self->buffer, &start, &end))
    return NULL;
  selected = gtk_text_buffer_get_slice (self->buffer, &start, &end, TRUE);
  if (strlen (selected) != len || memcmp (selected, text, len) != 0)
    return NULL;
  from = gtk_text_iter_get_offset (&start);
  return loom_provenance_slice (self->spans, from, gtk_text_iter_get_offset (&end) - from);
}

/* A drop is being inserted: the view's drop target holds its value only while it drops. Text
 * dragged from the prose's own selection keeps its spans; any other is unknown. */
static gboolean
insert_dropped (LoomProvenanceTracker *self,
                guint                  offset,
                const char            *text,
                gsize                  len)
{
  g_autoptr(LoomProvenance) dragged = NULL;
  GdkDrop *drop;

  if (self->drop_target == NULL || gtk_drop_target_get_value (self->drop_target) == NULL)
    return FALSE;
  drop = gtk_drop_target_get_current_drop (self->drop_target);
  if (drop != NULL && gdk_drop_get_drag (drop) != NULL)
    dragged = selection_spans (self, text, len);
  if (dragged != NULL)
    loom_provenance_insert_spans (self->spans, offset, dragged);
  else
    loom_provenance_insert (self->spans, offset, g_utf8_strlen (text, len), LOOM_SPAN_UNKNOWN,
                            0);
  self->inserted_generated = TRUE;
  return TRUE;
}

/* Keeps the stretch the current user action inserted, for a paste to claim when it is done. */
static void
note_inserted (LoomProvenanceTracker *self,
               guint                  offset,
               guint                  length)
{
  guint end = self->action_start + self->action_length;

  if (self->action_length == 0)
    self->action_start = end = offset;
  else if (offset < self->action_start || offset > end)
    {
      /* not next to the rest: the stretch covers both, which a paste never needs */
      self->action_start = MIN (self->action_start, offset);
      end = MAX (end, offset);
    }
  self->action_length = end + length - self->action_start;
}

static void
note_deleted (LoomProvenanceTracker *self,
              guint                  from,
              guint                  to)
{
  guint start = self->action_start;
  guint end = start + self->action_length;

  if (self->action_length == 0 || from >= end)
    return;
  if (to <= start)
    {
      self->action_start -= to - from;
      return;
    }
  self->action_start = MIN (start, from);
  end = end > to ? end - (to - from) : from;
  self->action_length = end > self->action_start ? end - self->action_start : 0;
}

static void
on_insert_text (GtkTextBuffer         *buffer,
                GtkTextIter           *location,
                const char            *text,
                int                    len,
                LoomProvenanceTracker *self)
{
  guint offset = gtk_text_iter_get_offset (location);
  guint length = g_utf8_strlen (text, len);

  if (self->loading || !ensure_spans (self))
    return;
  if (self->in_undo)
    {
      insert_undone (self, offset, text, len);
      self->inserted_generated = TRUE;
    }
  else if (!insert_dropped (self, offset, text, len))
    {
      loom_provenance_insert (self->spans, offset, length, LOOM_SPAN_WRITER, 0);
      note_inserted (self, offset, length);
    }
}

static void
on_begin_user_action (LoomProvenanceTracker *self)
{
  self->action_length = 0;
}

/* The origins of what a paste from @clipboard inserted (@length characters), or %NULL when
 * nothing was pasted after all (GTK put the selection back in its own place). */
static LoomProvenance *
pasted_spans (LoomProvenanceTracker *self,
              GdkClipboard          *clipboard,
              guint                  start,
              guint                  length)
{
  GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkTextBuffer *source = NULL;
  LoomProvenance *copied;

  /* Only while this program owns the clipboard is there content to look at. */
  g_value_init (&value, GTK_TYPE_TEXT_BUFFER);
  if (content != NULL && gdk_content_provider_get_value (content, &value, NULL))
    source = g_value_get_object (&value);
  if (source == NULL)
    return loom_provenance_new (length, LOOM_SPAN_UNKNOWN, 0);

  copied = g_object_get_data (G_OBJECT (source), COPIED_SPANS);
  if (copied != NULL && loom_provenance_get_length (copied) == length)
    return g_object_ref (copied);
  if (source == self->buffer)
    {
      /* the primary selection, pasted with the middle button: a copy of the selected text */
      GtkTextIter from, to;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &from, start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &to, start + length);
      text = gtk_text_buffer_get_slice (self->buffer, &from, &to, TRUE);
      return selection_spans (self, text, strlen (text));
    }
  return loom_provenance_new (length, LOOM_SPAN_UNKNOWN, 0);
}

static void
on_paste_done (GtkTextBuffer         *buffer,
               GdkClipboard          *clipboard,
               LoomProvenanceTracker *self)
{
  g_autoptr(LoomProvenance) pasted = NULL;
  guint start = self->action_start;
  guint length = self->action_length;

  self->action_length = 0;
  if (self->loading || self->spans == NULL || length == 0 ||
      start + length > loom_provenance_get_length (self->spans))
    return;
  pasted = pasted_spans (self, clipboard, start, length);
  if (pasted == NULL)
    return;
  loom_provenance_delete (self->spans, start, length);
  loom_provenance_insert_spans (self->spans, start, pasted);
  if (self->tint)
    queue_retint (self);
}

/* Before the view copies or cuts the selection: its spans, to go with it. */
static void
on_copy (GtkTextView           *view,
         LoomProvenanceTracker *self)
{
  GtkTextIter start, end;
  guint from;

  g_clear_object (&self->copying);
  if (self->loading || !ensure_spans (self) ||
      !gtk_text_buffer_get_selection_bounds (self->buffer, &start, &end))
    return;
  from = gtk_text_iter_get_offset (&start);
  self->copying = loom_provenance_slice (self->spans, from, gtk_text_iter_get_offset (&end) - from);
}

/* After it: the clipboard's buffer, which a paste in this program reads, carries the spans. */
static void
on_copy_after (GtkTextView           *view,
               LoomProvenanceTracker *self)
{
  g_autoptr(LoomProvenance) spans = g_steal_pointer (&self->copying);
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;
  GtkTextBuffer *copy;

  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (view)));
  g_value_init (&value, GTK_TYPE_TEXT_BUFFER);
  if (spans == NULL || content == NULL ||
      !gdk_content_provider_get_value (content, &value, NULL))
    return;
  copy = g_value_get_object (&value);
  if (copy != NULL && copy != self->buffer &&
      (guint) gtk_text_buffer_get_char_count (copy) == loom_provenance_get_length (spans))
    g_object_set_data_full (G_OBJECT (copy), COPIED_SPANS, g_steal_pointer (&spans),
                            g_object_unref);
}

/* After the insert, @location is the end of the text: the model's text put back by undo gets
 * its tint back (inserted text takes no tags). */
static void
on_insert_text_after (GtkTextBuffer         *buffer,
                      GtkTextIter           *location,
                      const char            *text,
                      int                    len,
                      LoomProvenanceTracker *self)
{
  if (self->inserted_generated && self->tint)
    queue_retint (self);
  self->inserted_generated = FALSE;
}

static gboolean
is_wordy (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static void
on_delete_range (GtkTextBuffer         *buffer,
                 GtkTextIter           *start,
                 GtkTextIter           *end,
                 LoomProvenanceTracker *self)
{
  guint from = gtk_text_iter_get_offset (start);
  guint to = gtk_text_iter_get_offset (end);
  GtkTextIter before = *start, last = *end;
  gboolean cut_before, cut_after;
  Removed *removed;

  if (self->loading || !ensure_spans (self) || to <= from)
    return;

  /* A deletion inside a word changes the word, whoever wrote the rest of it. */
  cut_before = gtk_text_iter_backward_char (&before) &&
               is_wordy (gtk_text_iter_get_char (&before)) &&
               is_wordy (gtk_text_iter_get_char (start));
  cut_after = gtk_text_iter_backward_char (&last) && is_wordy (gtk_text_iter_get_char (&last)) &&
              is_wordy (gtk_text_iter_get_char (end));

  note_deleted (self, from, to);
  removed = g_new0 (Removed, 1);
  removed->offset = from;
  removed->text = gtk_text_buffer_get_slice (buffer, start, end, TRUE);
  removed->spans = loom_provenance_slice (self->spans, from, to - from);
  g_queue_push_head (&self->removed, removed);
  if (self->removed.length > MAX_REMOVED)
    removed_free (g_queue_pop_tail (&self->removed));

  loom_provenance_delete (self->spans, from, to - from);
  if (cut_before)
    loom_provenance_mark_edited (self->spans, from - 1, 1);
  if (cut_after)
    loom_provenance_mark_edited (self->spans, from, 1);
}

static void
on_undo_begin (LoomProvenanceTracker *self)
{
  self->in_undo = TRUE;
}

static void
on_undo_end (LoomProvenanceTracker *self)
{
  self->in_undo = FALSE;
}

static void
loom_provenance_tracker_dispose (GObject *object)
{
  LoomProvenanceTracker *self = LOOM_PROVENANCE_TRACKER (object);

  g_clear_handle_id (&self->retint_idle, g_source_remove);
  if (self->buffer != NULL)
    g_signal_handlers_disconnect_by_data (self->buffer, self);
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_clear_object (&self->buffer);
  g_clear_object (&self->view);
  g_clear_object (&self->drop_target);
  g_clear_object (&self->scene);
  g_clear_object (&self->spans);
  g_clear_object (&self->copying);
  g_queue_clear_full (&self->removed, removed_free);
  G_OBJECT_CLASS (loom_provenance_tracker_parent_class)->dispose (object);
}

static void
loom_provenance_tracker_class_init (LoomProvenanceTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = loom_provenance_tracker_dispose;
}

static void
loom_provenance_tracker_init (LoomProvenanceTracker *self)
{
  g_queue_init (&self->removed);
}

/* The drop target through which the view takes dropped text. */
static GtkDropTarget *
find_text_drop_target (GtkWidget *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      const GType *types;
      gsize n_types = 0;

      if (!GTK_IS_DROP_TARGET (controller))
        continue;
      types = gtk_drop_target_get_gtypes (GTK_DROP_TARGET (controller), &n_types);
      for (gsize j = 0; j < n_types; j++)
        if (types[j] == G_TYPE_STRING)
          return GTK_DROP_TARGET (g_steal_pointer (&controller));
    }
  return NULL;
}

/* Follows @view's buffer, and what its clipboard and drops bring in. */
LoomProvenanceTracker *
loom_provenance_tracker_new (GtkTextView *view)
{
  LoomProvenanceTracker *self;
  GtkTextBuffer *buffer;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  buffer = gtk_text_view_get_buffer (view);
  self = g_object_new (LOOM_TYPE_PROVENANCE_TRACKER, NULL);
  self->view = g_object_ref (view);
  self->buffer = g_object_ref (buffer);
  self->drop_target = find_text_drop_target (GTK_WIDGET (view));
  /* A subtle wash that reads on the light and the dark style alike. */
  self->tag = gtk_text_buffer_create_tag (buffer, "provenance-tint",
                                          "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.16 },
                                          NULL);
  /* Before the buffer's own handlers, so that offsets are those before the change. */
  g_signal_connect (buffer, "insert-text", G_CALLBACK (on_insert_text), self);
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (on_insert_text_after), self);
  g_signal_connect (buffer, "delete-range", G_CALLBACK (on_delete_range), self);
  g_signal_connect_swapped (buffer, "undo", G_CALLBACK (on_undo_begin), self);
  g_signal_connect_swapped (buffer, "redo", G_CALLBACK (on_undo_begin), self);
  g_signal_connect_data (buffer, "undo", G_CALLBACK (on_undo_end), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_data (buffer, "redo", G_CALLBACK (on_undo_end), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_swapped (buffer, "begin-user-action", G_CALLBACK (on_begin_user_action),
                            self);
  g_signal_connect (buffer, "paste-done", G_CALLBACK (on_paste_done), self);
  g_signal_connect (view, "copy-clipboard", G_CALLBACK (on_copy), self);
  g_signal_connect (view, "cut-clipboard", G_CALLBACK (on_copy), self);
  g_signal_connect_after (view, "copy-clipboard", G_CALLBACK (on_copy_after), self);
  g_signal_connect_after (view, "cut-clipboard", G_CALLBACK (on_copy_after), self);
  return self;
}

/* The scene whose prose the buffer will show: nothing of the last one's applies. */
void
loom_provenance_tracker_set_scene (LoomProvenanceTracker *self,
                                   LoomScene             *scene)
{
  g_return_if_fail (LOOM_IS_PROVENANCE_TRACKER (self));
  g_return_if_fail (scene == NULL || LOOM_IS_SCENE (scene));

  g_set_object (&self->scene, scene);
  g_queue_clear_full (&self->removed, removed_free);
  g_clear_object (&self->spans);
  if (self->tint)
    queue_retint (self);
}

/* Around the editor's loading of text into the buffer: that is not the writer's editing, and
 * what the spans were no longer applies. */
void
loom_provenance_tracker_set_loading (LoomProvenanceTracker *self,
                                     gboolean               loading)
{
  g_return_if_fail (LOOM_IS_PROVENANCE_TRACKER (self));

  self->loading = !!loading;
  g_clear_object (&self->spans);
  if (!loading && self->tint)
    queue_retint (self);
}

/**
 * loom_provenance_tracker_get_spans:
 *
 * Returns: (transfer none) (nullable): who wrote each character of the buffer's text
 */
LoomProvenance *
loom_provenance_tracker_get_spans (LoomProvenanceTracker *self)
{
  g_return_val_if_fail (LOOM_IS_PROVENANCE_TRACKER (self), NULL);

  return ensure_spans (self) ? self->spans : NULL;
}

void
loom_provenance_tracker_set_tint (LoomProvenanceTracker *self,
                                  gboolean               tint)
{
  g_return_if_fail (LOOM_IS_PROVENANCE_TRACKER (self));

  self->tint = !!tint;
  queue_retint (self);
}
