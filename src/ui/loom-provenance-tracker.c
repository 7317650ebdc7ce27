/* loom-provenance-tracker.c: keeps a scene's provenance in step with the prose buffer
 *
 * The writer's edits reach the buffer as inserts and deletes, and so does undo: GtkTextBuffer
 * replays the text it removed or added. The tracker follows both at that level, before the
 * buffer changes: a typed character is the writer's and splits the span it lands in; a deleted
 * stretch takes its spans with it, and they are kept on a short stack so that the same text put
 * back by undo (at the same place) gets its own origins back instead of being taken for typing.
 * Cutting into a word the model wrote leaves what remains of it "edited".
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

typedef struct
{
  guint           offset;
  char           *text;
  LoomProvenance *spans;
} Removed;

struct _LoomProvenanceTracker
{
  GObject         parent_instance;

  GtkTextBuffer  *buffer;
  LoomScene      *scene;
  LoomProvenance *spans;     /* of the buffer's text; NULL until read from the library */
  GQueue          removed;   /* Removed, newest first */
  GtkTextTag     *tag;       /* in the buffer's tag table */
  guint           retint_idle;
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

static void
on_insert_text (GtkTextBuffer         *buffer,
                GtkTextIter           *location,
                const char            *text,
                int                    len,
                LoomProvenanceTracker *self)
{
  guint offset = gtk_text_iter_get_offset (location);

  if (self->loading || !ensure_spans (self))
    return;
  if (self->in_undo)
    {
      insert_undone (self, offset, text, len);
      self->inserted_generated = TRUE;
    }
  else
    loom_provenance_insert (self->spans, offset, g_utf8_strlen (text, len), LOOM_SPAN_WRITER,
                            0);
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
  g_clear_object (&self->buffer);
  g_clear_object (&self->scene);
  g_clear_object (&self->spans);
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

LoomProvenanceTracker *
loom_provenance_tracker_new (GtkTextBuffer *buffer)
{
  LoomProvenanceTracker *self;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  self = g_object_new (LOOM_TYPE_PROVENANCE_TRACKER, NULL);
  self->buffer = g_object_ref (buffer);
  /* A subtle wash that reads on the light and the dark style alike. */
  self->tag = gtk_text_buffer_create_tag (buffer, NULL,
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
