/* loom-scene-editor.c: the outline and the prose of one scene
 *
 * Edits are saved by themselves (LoomAutosave): a second after the last keystroke and at most
 * two seconds after the first unsaved one however fast the writer types, when focus leaves the
 * editor, when another scene is shown and when the window closes or the application quits
 * (the window calls loom_scene_editor_save()). Text that arrives from the model — a draft
 * streaming in — is shown live unless the writer has unsaved edits there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-scene-editor"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "loom-autosave.h"
#include "loom-chapter.h"
#include "loom-find-bar.h"
#include "loom-generation-util.h"
#include "loom-mention-marks.h"
#include "loom-prose-column.h"
#include "loom-provenance-tracker.h"
#include "loom-scene-editor.h"
#include "loom-spell-marks.h"
#include "loom-store-editor.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-summary-pane.h"

/* The text view lays a paragraph out again, whole, at each change — three times in GTK 4.8:
 * to measure it, to place the cursor as the view follows the end, and to draw it. While a long
 * one streams in, the editor adds to it less often as it grows — after a pause of
 * PARAGRAPH_US_PER_BYTE per byte, 0.8 s at 100 KB — so that its layouts cost a constant share
 * of the time, not one layout per delta (the cost of a stream would grow with the square of
 * its length). */
#define LONG_PARAGRAPH_BYTES 4096
#define PARAGRAPH_US_PER_BYTE 8

struct _LoomSceneEditor
{
  GtkWidget               parent_instance;

  /* template children */
  GtkStack               *stack;
  AdwStatusPage          *empty_page;
  GtkWidget              *heading_box;
  GtkWidget              *outline_label;
  GtkWidget              *outline_scroller;
  GtkWidget              *outline_separator;
  GtkLabel               *heading_label;
  GtkLabel               *words_label;
  GtkImage               *status_image;
  GtkSpinner             *status_spinner;
  GtkLabel               *status_label;
  GtkRevealer            *generating_revealer;
  GtkRevealer            *spell_notice;
  GtkWidget              *spell_notice_box;
  GtkLabel               *spell_notice_label;
  GtkTextView            *outline_view;
  LoomFindBar            *find_bar;
  LoomSummaryPane        *summary_pane;
  GtkScrolledWindow      *prose_scroller;
  GtkSourceView          *prose_view;

  /* owned */
  LoomScene              *scene;
  LoomChapter            *chapter;   /* the scene's, watched for its number */
  LoomStory              *story;     /* the scene's, watched for its word count */
  LoomChapter            *page_chapter; /* shown on the empty page, watched for all it shows */
  LoomAutosave           *autosave;
  LoomMentionMarks       *mentions;  /* the story bible's names, marked in the prose */
  LoomProseColumn        *column;
  LoomProvenanceTracker  *provenance; /* who wrote each character of the prose buffer */
  GSettings              *settings;
  LoomSpellChecker       *spell;     /* in the story's language, for both views */
  LoomSpellMarks         *prose_spell;
  LoomSpellMarks         *outline_spell;
  char                   *spell_notice_text;      /* what the notice says, NULL: nothing */
  char                   *spell_notice_dismissed; /* what the writer closed */
  LoomProseMark           prose_mark;  /* how much of the scene's prose the buffer shows */
  gsize                   tail_bytes;  /* the length of the buffer's last paragraph */
  guint                   follow_source;
  guint                   prose_base;  /* the scene's prose version the buffer shows */
  char                   *outline_base; /* the scene's outline the buffer was loaded with */
  LoomScene              *orphan_scene; /* left with edits that could not be saved */
  char                   *orphan_text;

  guint                   loading : 1;
  guint                   saving : 1;
  guint                   prose_dirty : 1;
  guint                   outline_dirty : 1;
  guint                   spell_checking : 1;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (LoomSceneEditor, loom_scene_editor, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (LOOM_TYPE_STORE_EDITOR, NULL))

enum {
  PROP_0,
  PROP_SCENE,
  PROP_SPELL_CHECKING,
  PROP_SPELL_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkTextBuffer *
prose_buffer (LoomSceneEditor *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->prose_view));
}

static GtkTextBuffer *
outline_buffer (LoomSceneEditor *self)
{
  return gtk_text_view_get_buffer (self->outline_view);
}

/* Replaces a buffer's text without the writer's undo history seeing it. */
static void
load_text (LoomSceneEditor *self,
           GtkTextBuffer   *buffer,
           const char      *text)
{
  g_autofree char *current = buffer_text (buffer);
  gsize current_len;

  if (text == NULL)
    text = "";
  if (g_strcmp0 (current, text) == 0)
    return;

  self->loading = TRUE;
  if (buffer == prose_buffer (self))
    loom_provenance_tracker_set_loading (self->provenance, TRUE);
  gtk_text_buffer_begin_irreversible_action (buffer);
  current_len = strlen (current);
  if (current_len > 0 && g_str_has_prefix (text, current))
    {
      /* Streaming: only the new end arrives. */
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, text + current_len, -1);
    }
  else
    {
      GtkTextIter start;

      gtk_text_buffer_set_text (buffer, text, -1);
      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_place_cursor (buffer, &start);
    }
  gtk_text_buffer_end_irreversible_action (buffer);
  if (buffer == prose_buffer (self))
    loom_provenance_tracker_set_loading (self->provenance, FALSE);
  self->loading = FALSE;
}

/* Adds @text at the end of the prose, as a stream does. */
static void
append_prose (LoomSceneEditor *self,
              const char      *text)
{
  GtkTextBuffer *buffer = prose_buffer (self);
  GtkTextIter end;

  const char *line_start;

  if (*text == '\0')
    return;
  self->loading = TRUE;
  loom_provenance_tracker_set_loading (self->provenance, TRUE);
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  loom_provenance_tracker_set_loading (self->provenance, FALSE);
  self->loading = FALSE;

  line_start = strrchr (text, '\n');
  if (line_start != NULL)
    self->tail_bytes = strlen (line_start + 1);
  else
    self->tail_bytes += strlen (text);
}

/* Shows the scene's prose. While it streams in, only what arrived since the last call is
 * added, so that a delta costs the same however long the scene already is. */
static void
show_prose (LoomSceneEditor *self)
{
  const char *since = loom_scene_get_prose_since (self->scene, &self->prose_mark);

  g_clear_handle_id (&self->follow_source, g_source_remove);
  if (since != NULL)
    append_prose (self, since);
  else
    {
      const char *prose = loom_scene_get_prose (self->scene);
      const char *line_start = prose ? strrchr (prose, '\n') : NULL;

      load_text (self, prose_buffer (self), prose);
      self->tail_bytes = line_start ? strlen (line_start + 1) : prose ? strlen (prose) : 0;
    }
  loom_scene_mark_prose (self->scene, &self->prose_mark);
  self->prose_base = loom_scene_get_prose_version (self->scene);
}

static gboolean
follow_timeout (gpointer data)
{
  LoomSceneEditor *self = data;

  self->follow_source = 0;
  if (self->scene != NULL && !self->prose_dirty)
    show_prose (self);
  return G_SOURCE_REMOVE;
}

/* The scene's prose changed: show it now, or soon when a long paragraph is streaming in. */
static void
follow_prose (LoomSceneEditor *self)
{
  guint delay_ms;

  if (self->prose_dirty || self->follow_source != 0)
    return;
  if (self->tail_bytes < LONG_PARAGRAPH_BYTES ||
      loom_scene_get_prose_since (self->scene, &self->prose_mark) == NULL)
    {
      show_prose (self);
      return;
    }
  delay_ms = (guint) MIN (self->tail_bytes * PARAGRAPH_US_PER_BYTE / 1000, 5000);
  self->follow_source = g_timeout_add (delay_ms, follow_timeout, self);
}

/* Shows the scene's outline, which later edits are made from. */
static void
show_outline (LoomSceneEditor *self)
{
  const char *outline = loom_scene_get_outline (self->scene);

  load_text (self, outline_buffer (self), outline);
  g_free (self->outline_base);
  self->outline_base = g_strdup (outline);
}

/* ------------------------------------------------------------------------------------------ */
/* Saving                                                                                     */

/* Brings the library's objects in step before a save (one cheap statement when no other
 * program wrote), so that what the save compares with and what the window shows is current.
 * FALSE when the catching up took the scene away (deleted elsewhere: the window has claimed
 * the unsaved text and shown another scene). */
static gboolean
catch_up (LoomSceneEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomScene) scene = g_object_ref (self->scene);
  LoomStore *store = self->story ? loom_story_get_store (self->story) : NULL;

  /* No store: the story is already known to be gone. */
  if (store != NULL && !loom_store_refresh (store, NULL, &error))
    g_debug ("Could not follow changes made elsewhere: %s", error->message);
  return self->scene == scene;
}

/**
 * loom_scene_editor_save:
 *
 * Writes pending edits of the outline and the prose now. A failure is reported through
 * #LoomSceneEditor::store-error and the edits stay pending, so a later save retries them.
 *
 * Returns: %TRUE when nothing is left unsaved
 */
gboolean
loom_scene_editor_save (LoomSceneEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), FALSE);

  if (self->autosave != NULL)
    loom_autosave_clear (self->autosave);

  if (self->scene == NULL)
    return TRUE;

  if (!loom_summary_pane_save (self->summary_pane))
    return FALSE;

  if ((self->outline_dirty || self->prose_dirty) && !catch_up (self))
    return TRUE;

  if (self->outline_dirty)
    {
      g_autofree char *text = buffer_text (outline_buffer (self));
      g_autofree char *before = NULL;

      /* Written only over the outline the writer started from: should another program have
       * changed it meanwhile, the store keeps both and the buffer shows them. */
      self->outline_dirty = FALSE;
      if (!loom_scene_set_outline_edited (self->scene, text, self->outline_base, &before,
                                          &error))
        {
          self->outline_dirty = TRUE;
          loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
          return FALSE;
        }
      show_outline (self);
      if (g_strcmp0 (before, loom_scene_get_outline (self->scene)) != 0)
        loom_store_editor_emit_edited (LOOM_STORE_EDITOR (self), G_OBJECT (self->scene), "outline",
                                       before);
    }

  if (self->prose_dirty)
    {
      g_autofree char *text = buffer_text (prose_buffer (self));
      gboolean ok;

      /* The text was edited from the prose at prose_base: should another program's text have
       * arrived since, the store keeps it as a revision rather than write over it unseen. Who
       * wrote each character goes with it, in the same transaction. */
      self->prose_dirty = FALSE;
      self->saving = TRUE;
      ok = loom_scene_set_prose_tracked (self->scene, text, self->prose_base,
                                         loom_provenance_tracker_get_spans (self->provenance),
                                         &error);
      self->saving = FALSE;
      if (!ok)
        {
          self->prose_dirty = TRUE;
          loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
          return FALSE;
        }
      /* The buffer shows the stored prose again: a stream may follow from here. */
      self->prose_base = loom_scene_get_prose_version (self->scene);
      loom_scene_mark_prose (self->scene, &self->prose_mark);
    }

  return TRUE;
}

/**
 * loom_scene_editor_take_unsaved_prose:
 *
 * Hands over the prose the writer typed into @scene and that is not saved yet, and forgets
 * it: the scene was deleted elsewhere and the window keeps the text somewhere else. The editor
 * may already have left the scene (the lists changed first) with the edits it could not save.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when nothing is unsaved
 */
char *
loom_scene_editor_take_unsaved_prose (LoomSceneEditor *self,
                                      LoomScene       *scene)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (scene == self->orphan_scene)
    {
      g_clear_object (&self->orphan_scene);
      return g_steal_pointer (&self->orphan_text);
    }
  if (scene != self->scene || !self->prose_dirty)
    return NULL;
  self->prose_dirty = self->outline_dirty = FALSE;
  loom_autosave_clear (self->autosave);
  return buffer_text (prose_buffer (self));
}

static void
on_prose_changed (LoomSceneEditor *self)
{
  if (self->loading || self->scene == NULL)
    return;
  /* The buffer no longer matches the scene's prose up to the mark. */
  self->prose_mark = (LoomProseMark) { 0 };
  self->prose_dirty = TRUE;
  loom_autosave_changed (self->autosave);
}

static void
on_outline_changed (LoomSceneEditor *self)
{
  if (self->loading || self->scene == NULL)
    return;
  self->outline_dirty = TRUE;
  loom_autosave_changed (self->autosave);
}

/**
 * loom_scene_editor_get_autosave:
 *
 * Returns: (transfer none): when the editor saves by itself; tests shorten its intervals.
 */
LoomAutosave *
loom_scene_editor_get_autosave (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->autosave;
}

static void
on_focus_leave (LoomSceneEditor *self)
{
  loom_scene_editor_save (self);
}

/* ------------------------------------------------------------------------------------------ */
/* What the editor shows                                                                      */

static void
update_heading (LoomSceneEditor *self)
{
  g_autofree char *heading = NULL;

  /* TRANSLATORS: the scene editor's heading, e.g. "Chapter 3 · Scene 2" */
  heading = g_strdup_printf (_("Chapter %u · Scene %u"),
                             self->chapter ? loom_chapter_get_number (self->chapter) : 0,
                             loom_scene_get_number (self->scene));
  loom_ui_set_label (self->heading_label, heading);
}

static void
update_words (LoomSceneEditor *self)
{
  guint scene_count = loom_scene_get_word_count (self->scene);
  guint story_count = self->story ? loom_story_get_word_count (self->story) : 0;
  g_autofree char *words = NULL;
  g_autofree char *scene_words = NULL;
  g_autofree char *story_words = NULL;

  scene_words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words",
                                              scene_count), scene_count);
  story_words = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in the story",
                                              "%u in the story", story_count), story_count);
  words = g_strdup_printf ("%s · %s", scene_words, story_words);
  loom_ui_set_label (self->words_label, words);
}

static void
update_status (LoomSceneEditor *self)
{
  static const char *const image_classes[] = { "error", "success", "warning", NULL };
  static const char *const label_classes[] = { "error", "warning", NULL };
  LoomScene *scene = self->scene;
  LoomSceneStatus status = loom_scene_get_status (scene);
  const char *message = loom_scene_get_error_message (scene);
  gboolean generating = status == LOOM_SCENE_STATUS_GENERATING;
  const char *icon = NULL;
  const char *css_class = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stale = NULL;

  switch (status)
    {
    case LOOM_SCENE_STATUS_GENERATING:
      text = g_strdup (_("Being drafted by the AI…"));
      break;
    case LOOM_SCENE_STATUS_COMPLETE:
      /* Its inputs changed since it was generated: the header says so, the tooltip what. */
      stale = loom_generation_describe_stale_inputs (loom_scene_get_stale_inputs (scene));
      icon = stale ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      text = g_strdup (stale ? C_("scene status", "Outdated") : _("Complete"));
      css_class = stale ? "warning" : "success";
      break;
    case LOOM_SCENE_STATUS_ERROR:
      icon = "dialog-error-symbolic";
      /* TRANSLATORS: the status line of a scene whose drafting failed; %s is why */
      text = g_strdup_printf (_("Drafting failed: %s"),
                              message && *message ? message : _("no reason was given."));
      css_class = "error";
      break;
    case LOOM_SCENE_STATUS_DRAFT:
    default:
      icon = "document-edit-symbolic";
      text = g_strdup (loom_scene_get_queued (scene) ? _("Draft, waiting to be drafted by the AI")
                                                     : _("Draft"));
      break;
    }

  loom_ui_set_label (self->status_label, text);
  /* Only a failure's reason is worth copying. A selectable label takes the keyboard and
   * selects itself whole, and a status word left selected looks like a mistake. */
  gtk_label_set_selectable (self->status_label, status == LOOM_SCENE_STATUS_ERROR);
  loom_ui_set_tooltip (GTK_WIDGET (self->status_label), stale);
  loom_ui_set_css_class_among (GTK_WIDGET (self->status_label), label_classes,
                               g_strcmp0 (css_class, "success") != 0 ? css_class : NULL);
  loom_ui_set_css_class_among (GTK_WIDGET (self->status_image), image_classes, css_class);
  gtk_widget_set_visible (GTK_WIDGET (self->status_image), icon != NULL);
  if (icon != NULL)
    loom_ui_set_icon_name (self->status_image, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), generating);
  gtk_spinner_set_spinning (self->status_spinner, generating);

  /* A scene being drafted is read-only; pending edits were saved when drafting began. */
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->prose_view), !generating);
  gtk_text_view_set_editable (self->outline_view, !generating);
  gtk_revealer_set_reveal_child (self->generating_revealer, generating);
}

static void
on_status_focus_leave (LoomSceneEditor *self)
{
  gtk_label_select_region (self->status_label, 0, 0);
}

static void
update_header (LoomSceneEditor *self)
{
  if (self->scene == NULL)
    return;
  update_heading (self);
  update_words (self);
  update_status (self);
}

static void unwatch (LoomSceneEditor *self);

static void
show_nothing_selected (LoomSceneEditor *self)
{
  adw_status_page_set_title (self->empty_page, _("No Scene Selected"));
  adw_status_page_set_description (self->empty_page,
                                   _("Choose a scene in the sidebar, or add one with "
                                     "Ctrl+Shift+N."));
}
static void unwatch_chapter_page (LoomSceneEditor *self);
static void watch (LoomSceneEditor *self);

/* Each property updates only what shows it: a scene being drafted notifies many times a
 * second. */
static void
on_scene_notify (LoomSceneEditor *self,
                 GParamSpec      *pspec,
                 LoomScene       *scene)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "prose"))
    {
      /* Our own save: the buffer already holds the text. With unsaved edits, the writer's text
       * stays (follow_prose () waits); the next save keeps the other one as a revision. */
      if (!self->saving)
        follow_prose (self);
    }
  else if (g_str_equal (name, "outline"))
    {
      if (!self->outline_dirty)
        show_outline (self);
    }
  else if (g_str_equal (name, "word-count"))
    update_words (self);
  else if (g_str_equal (name, "number"))
    update_heading (self);
  else if (g_str_equal (name, "chapter"))
    {
      unwatch (self);
      watch (self);
      update_header (self);
    }
  else if (g_str_equal (name, "stale-inputs"))
    update_status (self);
  else if (g_str_equal (name, "status") || g_str_equal (name, "queued") ||
           g_str_equal (name, "error-message"))
    {
      /* Drafting starts: keep what the writer typed, then follow the model. */
      if (g_str_equal (name, "status") &&
          loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
        loom_scene_editor_save (self);
      /* Drafting ended: show the last words now. */
      else if (self->follow_source != 0 && !self->prose_dirty)
        show_prose (self);
      update_status (self);
    }
}

static void
on_chapter_notify (LoomSceneEditor *self)
{
  update_heading (self);
}

static void
on_story_notify (LoomSceneEditor *self)
{
  update_words (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Spelling                                                                                   */

/* A missing dictionary is said in the heading, once: the story's language has none on this
 * computer (the words are checked in another), or no dictionary is installed at all (none
 * is). Closed, the same notice stays closed; another language's shows again. */
static void
update_spell_notice (LoomSceneEditor *self)
{
  const char *wanted = self->story ? loom_story_get_spell_language (self->story) : NULL;
  const char *used = loom_spell_checker_get_language (self->spell);
  g_autofree char *text = NULL;
  gboolean shown;

  if (self->spell_checking && self->story != NULL &&
      (used == NULL || (wanted != NULL && !g_str_equal (wanted, used))))
    text = loom_spell_missing_dictionary_text (wanted, used);
  if (g_strcmp0 (text, self->spell_notice_text) != 0)
    {
      g_free (self->spell_notice_text);
      self->spell_notice_text = g_steal_pointer (&text);
      gtk_label_set_text (self->spell_notice_label, self->spell_notice_text);
      /* the alert's name is what a screen reader says when it shows */
      if (self->spell_notice_text != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->spell_notice_box),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, self->spell_notice_text,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (self->spell_notice_box),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
  shown = self->spell_notice_text != NULL &&
          g_strcmp0 (self->spell_notice_text, self->spell_notice_dismissed) != 0;
  /* AT-SPI tells screen readers an alert is showing when it becomes visible: the revealer
   * alone leaves it visible, only unmapped, and a second notice would go unsaid */
  if (shown)
    gtk_widget_set_visible (self->spell_notice_box, TRUE);
  gtk_revealer_set_reveal_child (self->spell_notice, shown);
}

/* The closed notice is hidden once it has slid up, to be shown (and said) anew. */
static void
on_spell_notice_revealed (LoomSceneEditor *self)
{
  if (!gtk_revealer_get_reveal_child (self->spell_notice) &&
      !gtk_revealer_get_child_revealed (self->spell_notice))
    gtk_widget_set_visible (self->spell_notice_box, FALSE);
}

static void
dismiss_spell_notice_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  LoomSceneEditor *self = LOOM_SCENE_EDITOR (widget);
  GtkWidget *button = gtk_revealer_get_child (self->spell_notice);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  g_free (self->spell_notice_dismissed);
  self->spell_notice_dismissed = g_strdup (self->spell_notice_text);
  /* The keyboard was on the close button, which goes: the writer goes on writing. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, button))
    gtk_widget_grab_focus (GTK_WIDGET (self->prose_view));
  update_spell_notice (self);
}

/* The checker follows the story's language. One whose dictionary is not installed on this
 * computer (the library came from another) falls back to the locale's. */
static void
on_story_language (LoomSceneEditor *self)
{
  const char *language = self->story ? loom_story_get_spell_language (self->story) : NULL;
  g_autoptr(GError) error = NULL;

  if (!loom_spell_checker_set_language (self->spell, language, &error))
    {
      g_debug ("Checking in the default language: %s", error->message);
      loom_spell_checker_set_language (self->spell, NULL, NULL);
    }
  update_spell_notice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPELL_LANGUAGE]);
}

/* "": the locale's */
static const char *
get_spell_language (LoomSceneEditor *self)
{
  const char *language = self->story ? loom_story_get_spell_language (self->story) : NULL;

  return language ? language : "";
}

static void
set_spell_language (LoomSceneEditor *self,
                    const char      *language)
{
  g_autoptr(GError) error = NULL;

  if (self->story == NULL)
    return;
  if (!loom_story_set_spell_language (self->story, language && *language ? language : NULL,
                                      &error))
    loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);
}

/**
 * loom_scene_editor_set_spell_checking:
 *
 * Underlines misspelled words in the outline and the prose, or stops (the window binds it to
 * the spell-check setting).
 */
void
loom_scene_editor_set_spell_checking (LoomSceneEditor *self,
                                      gboolean         checking)
{
  g_return_if_fail (LOOM_IS_SCENE_EDITOR (self));

  checking = !!checking;
  if (self->spell_checking == checking)
    return;
  self->spell_checking = checking;
  loom_spell_marks_set_enabled (self->prose_spell, checking);
  loom_spell_marks_set_enabled (self->outline_spell, checking);
  update_spell_notice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPELL_CHECKING]);
}

/* The end of both views' context menus: the switch, and the story's language among the
 * installed dictionaries. */
static GMenuModel *
make_spell_menu (LoomSceneEditor *self)
{
  g_auto(GStrv) languages = loom_spell_checker_list_languages (self->spell);
  g_autofree char *fallback = loom_spell_checker_default_language (self->spell);
  g_autofree char *default_label = NULL;
  g_autofree char *fallback_label = NULL;
  g_autoptr(GMenu) languages_menu = g_menu_new ();
  GMenu *menu = g_menu_new ();

  g_menu_append (menu, _("Check _Spelling"), "editor.check-spelling");
  if (languages[0] == NULL)
    return G_MENU_MODEL (menu);
  /* TRANSLATORS: the spelling language that follows the computer's, e.g. "Default (en_US)" */
  fallback_label = loom_spell_menu_label (fallback ? fallback : "");
  default_label = g_strdup_printf (_("Default (%s)"), fallback_label);
  g_menu_append (languages_menu, default_label, "editor.spell-language::");
  loom_spell_menu_append_words (languages_menu, "editor.spell-language",
                                (const char *const *) languages);
  g_menu_append_submenu (menu, _("Spelling _Language"), G_MENU_MODEL (languages_menu));
  return G_MENU_MODEL (menu);
}

static void
init_spelling (LoomSceneEditor *self)
{
  g_autoptr(GMenuModel) menu = NULL;

  self->spell = loom_spell_checker_new ();
  menu = make_spell_menu (self);
  self->prose_spell = loom_spell_marks_new (GTK_TEXT_VIEW (self->prose_view), self->spell, menu);
  self->outline_spell = loom_spell_marks_new (self->outline_view, self->spell, menu);
}

/**
 * loom_scene_editor_get_spell_marks:
 * @outline: the outline's, else the prose's
 *
 * Returns: (transfer none): the misspelled words marked in a view, for the tests
 */
LoomSpellMarks *
loom_scene_editor_get_spell_marks (LoomSceneEditor *self,
                                   gboolean         outline)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return outline ? self->outline_spell : self->prose_spell;
}

static void
watch (LoomSceneEditor *self)
{
  LoomScene *scene = self->scene;

  g_signal_connect_object (scene, "notify", G_CALLBACK (on_scene_notify), self,
                           G_CONNECT_SWAPPED);
  self->chapter = g_object_ref (loom_scene_get_chapter (scene));
  g_signal_connect_object (self->chapter, "notify::number", G_CALLBACK (on_chapter_notify), self,
                           G_CONNECT_SWAPPED);
  self->story = g_object_ref (loom_scene_get_story (scene));
  g_signal_connect_object (self->story, "notify::word-count", G_CALLBACK (on_story_notify),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->story, "notify::spell-language", G_CALLBACK (on_story_language),
                           self, G_CONNECT_SWAPPED);
  on_story_language (self);
}

static void
unwatch (LoomSceneEditor *self)
{
  if (self->scene != NULL)
    g_signal_handlers_disconnect_by_func (self->scene, on_scene_notify, self);
  if (self->chapter != NULL)
    g_signal_handlers_disconnect_by_func (self->chapter, on_chapter_notify, self);
  if (self->story != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->story, on_story_notify, self);
      g_signal_handlers_disconnect_by_func (self->story, on_story_language, self);
    }
  g_clear_object (&self->chapter);
  g_clear_object (&self->story);
}

LoomScene *
loom_scene_editor_get_scene (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->scene;
}

void
loom_scene_editor_set_scene (LoomSceneEditor *self,
                             LoomScene       *scene)
{
  LoomScene *previous;
  gboolean saved;

  g_return_if_fail (LOOM_IS_SCENE_EDITOR (self));
  g_return_if_fail (scene == NULL || LOOM_IS_SCENE (scene));

  if (self->scene == scene)
    return;

  previous = self->scene;
  saved = loom_scene_editor_save (self);
  /* Catching up before the save found the scene deleted elsewhere, and the window has shown
   * another one since: that is the scene to show now. */
  if (self->scene != previous)
    return;
  if (!saved && self->prose_dirty)
    {
      /* Typed text that could not be saved (the scene was deleted elsewhere, say) is kept
       * until the window claims it with loom_scene_editor_take_unsaved_prose(). */
      g_set_object (&self->orphan_scene, self->scene);
      g_free (self->orphan_text);
      self->orphan_text = buffer_text (prose_buffer (self));
    }
  unwatch (self);
  unwatch_chapter_page (self);
  g_set_object (&self->scene, scene);
  loom_provenance_tracker_set_scene (self->provenance, scene);
  self->prose_dirty = self->outline_dirty = FALSE;
  self->prose_mark = (LoomProseMark) { 0 };
  g_clear_handle_id (&self->follow_source, g_source_remove);

  if (scene != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!loom_scene_load_prose (scene, &error))
        loom_store_editor_emit_error (LOOM_STORE_EDITOR (self), error);

      watch (self);
      show_outline (self);
      show_prose (self);
      loom_summary_pane_set_scene (self->summary_pane, scene);
      loom_mention_marks_set_story (self->mentions, loom_scene_get_story (scene));
      update_header (self);
      gtk_stack_set_visible_child_name (self->stack, "scene");
    }
  else
    {
      load_text (self, outline_buffer (self), "");
      load_text (self, prose_buffer (self), "");
      loom_summary_pane_set_scene (self->summary_pane, NULL);
      loom_mention_marks_set_story (self->mentions, NULL);
      show_nothing_selected (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE]);
}

static void
update_chapter_page (LoomSceneEditor *self)
{
  LoomChapter *chapter = self->page_chapter;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *scenes_text = NULL;
  g_autofree char *words_text = NULL;
  guint scenes;
  guint words;

  scenes = g_list_model_get_n_items (loom_chapter_get_scenes (chapter));
  words = loom_chapter_get_word_count (chapter);
  title = g_strdup_printf (_("Chapter %u · %s"), loom_chapter_get_number (chapter),
                           loom_chapter_get_title (chapter));
  scenes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u scene", "%u scenes", scenes),
                                 scenes);
  words_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", words),
                                words);
  /* TRANSLATORS: a chapter's size, e.g. "3 scenes, 1200 words. Choose a scene to write it." */
  description = g_strdup_printf (_("%s, %s. Choose a scene to write it."), scenes_text,
                                 words_text);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
}

static void
unwatch_chapter_page (LoomSceneEditor *self)
{
  if (self->page_chapter == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->page_chapter, update_chapter_page, self);
  g_signal_handlers_disconnect_by_func (loom_chapter_get_scenes (self->page_chapter),
                                        update_chapter_page, self);
  g_clear_object (&self->page_chapter);
}

/* A chapter is selected: no scene, and a word about the chapter, which follows a rename or a
 * move (its number) at once, as the sidebar does. */
void
loom_scene_editor_set_chapter (LoomSceneEditor *self,
                               LoomChapter     *chapter)
{
  g_return_if_fail (LOOM_IS_SCENE_EDITOR (self));
  g_return_if_fail (chapter == NULL || LOOM_IS_CHAPTER (chapter));

  loom_scene_editor_set_scene (self, NULL);
  unwatch_chapter_page (self);
  if (chapter == NULL)
    {
      show_nothing_selected (self);
      return;
    }

  self->page_chapter = g_object_ref (chapter);
  /* Title, number and word count; the scenes' list for their number. */
  g_signal_connect_object (chapter, "notify", G_CALLBACK (update_chapter_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (loom_chapter_get_scenes (chapter), "items-changed",
                           G_CALLBACK (update_chapter_page), self, G_CONNECT_SWAPPED);
  update_chapter_page (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Find                                                                                       */

/* Ctrl+F searches the text the keyboard is in: the outline when it has the keyboard, else the
 * prose. Pressed again in the bar, it keeps the text the bar searches. */
static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomSceneEditor *self = LOOM_SCENE_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self->scene == NULL)
    return;
  if (focus == GTK_WIDGET (self->outline_view))
    loom_find_bar_set_view (self->find_bar, GTK_SOURCE_VIEW (self->outline_view));
  else if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->find_bar)))
    loom_find_bar_set_view (self->find_bar, self->prose_view);
  loom_find_bar_open (self->find_bar);
}

/**
 * loom_scene_editor_select_text:
 * @in_outline: %TRUE for the outline, %FALSE for the prose
 * @start: where the text to select begins, in bytes, as the search found it
 * @length: its length in bytes
 *
 * Selects a match of the story's search in the scene shown, scrolls it into view and puts the
 * keyboard there. The editor saved before the search, so the offsets are the buffer's; should
 * the text have changed since, the selection stops at its end.
 */
void
loom_scene_editor_select_text (LoomSceneEditor *self,
                               gboolean         in_outline,
                               gsize            start,
                               gsize            length)
{
  GtkTextView *view;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  GtkTextIter from, to;
  gsize text_length;

  g_return_if_fail (LOOM_IS_SCENE_EDITOR (self));

  if (self->scene == NULL)
    return;
  view = in_outline ? self->outline_view : GTK_TEXT_VIEW (self->prose_view);
  buffer = gtk_text_view_get_buffer (view);
  text = buffer_text (buffer);
  text_length = strlen (text);
  start = MIN (start, text_length);
  length = MIN (length, text_length - start);
  gtk_text_buffer_get_iter_at_offset (buffer, &from, g_utf8_pointer_to_offset (text, text + start));
  gtk_text_buffer_get_iter_at_offset (buffer, &to,
                                      g_utf8_pointer_to_offset (text, text + start + length));
  gtk_text_buffer_select_range (buffer, &from, &to);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (buffer), 0.2, FALSE, 0, 0);
}

LoomFindBar *
loom_scene_editor_get_find_bar (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->find_bar;
}

static void
focus_outline_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LoomSceneEditor *self = LOOM_SCENE_EDITOR (widget);

  if (self->scene != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->outline_view));
}

/* ------------------------------------------------------------------------------------------ */

static void
update_style_scheme (LoomSceneEditor *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (prose_buffer (self)), scheme);
  /* the outline's too: the find bar highlights its matches with the scheme's colours */
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (outline_buffer (self)), scheme);
}

/**
 * loom_scene_editor_set_focus_mode:
 *
 * In focus mode only the prose shows, with the line being written kept in the middle of the
 * view; the heading and the outline come back as they were when it ends.
 */
void
loom_scene_editor_set_focus_mode (LoomSceneEditor *self,
                                  gboolean         focus_mode)
{
  GtkWidget *details[] = {
    self->heading_box, self->outline_label, self->outline_scroller,
    GTK_WIDGET (self->summary_pane), self->outline_separator,
  };

  g_return_if_fail (LOOM_IS_SCENE_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    gtk_widget_set_visible (details[i], !focus_mode);
  loom_prose_column_set_typewriter (self->column, focus_mode);
}

gboolean
loom_scene_editor_get_focus_mode (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), FALSE);
  return loom_prose_column_get_typewriter (self->column);
}

GtkTextBuffer *
loom_scene_editor_get_outline_buffer (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return outline_buffer (self);
}

GtkTextBuffer *
loom_scene_editor_get_prose_buffer (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return prose_buffer (self);
}

/**
 * loom_scene_editor_get_mention_marks:
 *
 * Returns: (transfer none): the story bible's names marked in the prose
 */
LoomMentionMarks *
loom_scene_editor_get_mention_marks (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->mentions;
}

/**
 * loom_scene_editor_get_summary_pane:
 *
 * Returns: (transfer none): the scene's summary and its facts
 */
LoomSummaryPane *
loom_scene_editor_get_summary_pane (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->summary_pane;
}

GtkTextView *
loom_scene_editor_get_outline_view (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return self->outline_view;
}

GtkTextView *
loom_scene_editor_get_prose_view (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return GTK_TEXT_VIEW (self->prose_view);
}

const char *
loom_scene_editor_get_heading (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  if (self->scene == NULL)
    return adw_status_page_get_title (self->empty_page);
  return gtk_label_get_label (self->heading_label);
}

const char *
loom_scene_editor_get_status_text (LoomSceneEditor *self)
{
  g_return_val_if_fail (LOOM_IS_SCENE_EDITOR (self), NULL);
  return gtk_label_get_label (self->status_label);
}

static void
on_tint_changed (LoomSceneEditor *self)
{
  loom_provenance_tracker_set_tint (self->provenance,
                                    g_settings_get_boolean (self->settings, "tint-ai-text"));
}

static void
loom_scene_editor_dispose (GObject *object)
{
  LoomSceneEditor *self = (LoomSceneEditor *) object;

  if (self->scene != NULL)
    {
      loom_scene_editor_save (self);
      unwatch (self);
      g_clear_object (&self->scene);
    }
  unwatch_chapter_page (self);
  g_clear_object (&self->autosave);
  g_clear_object (&self->mentions);
  g_clear_object (&self->column);
  g_clear_object (&self->provenance);
  g_clear_object (&self->settings);
  g_clear_object (&self->prose_spell);
  g_clear_object (&self->outline_spell);
  g_clear_object (&self->spell);
  g_clear_object (&self->orphan_scene);
  g_clear_pointer (&self->orphan_text, g_free);
  g_clear_pointer (&self->outline_base, g_free);
  g_clear_pointer (&self->spell_notice_text, g_free);
  g_clear_pointer (&self->spell_notice_dismissed, g_free);
  g_clear_handle_id (&self->follow_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SCENE_EDITOR);

  G_OBJECT_CLASS (loom_scene_editor_parent_class)->dispose (object);
}

static void
loom_scene_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LoomSceneEditor *self = LOOM_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;
    case PROP_SPELL_CHECKING:
      g_value_set_boolean (value, self->spell_checking);
      break;
    case PROP_SPELL_LANGUAGE:
      g_value_set_string (value, get_spell_language (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_scene_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LoomSceneEditor *self = LOOM_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      loom_scene_editor_set_scene (self, g_value_get_object (value));
      break;
    case PROP_SPELL_CHECKING:
      loom_scene_editor_set_spell_checking (self, g_value_get_boolean (value));
      break;
    case PROP_SPELL_LANGUAGE:
      set_spell_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_scene_editor_class_init (LoomSceneEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_scene_editor_dispose;
  object_class->get_property = loom_scene_editor_get_property;
  object_class->set_property = loom_scene_editor_set_property;

  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL, LOOM_TYPE_SCENE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPELL_CHECKING] =
    g_param_spec_boolean ("spell-checking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The scene's story's, "" for the locale's: what the context menu's choice shows. */
  properties[PROP_SPELL_LANGUAGE] =
    g_param_spec_string ("spell-language", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (LOOM_TYPE_FIND_BAR);
  g_type_ensure (LOOM_TYPE_SUMMARY_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-scene-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, heading_box);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, outline_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, outline_scroller);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, outline_separator);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, words_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, status_image);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, generating_revealer);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, spell_notice);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, spell_notice_box);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, spell_notice_label);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, outline_view);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, find_bar);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, summary_pane);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, prose_scroller);
  gtk_widget_class_bind_template_child (widget_class, LoomSceneEditor, prose_view);

  gtk_widget_class_install_action (widget_class, "editor.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "editor.focus-outline", NULL,
                                   focus_outline_action);
  gtk_widget_class_install_property_action (widget_class, "editor.check-spelling",
                                            "spell-checking");
  gtk_widget_class_install_property_action (widget_class, "editor.spell-language",
                                            "spell-language");
  gtk_widget_class_install_action (widget_class, "editor.dismiss-spell-notice", NULL,
                                   dismiss_spell_notice_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "editor.find",
                                       NULL);

  gtk_widget_class_set_css_name (widget_class, "loomsceneeditor");
}

static void
loom_scene_editor_init (LoomSceneEditor *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->autosave = loom_autosave_new ();
  g_signal_connect_object (self->autosave, "save", G_CALLBACK (loom_scene_editor_save), self,
                           G_CONNECT_SWAPPED);

  loom_find_bar_set_view (self->find_bar, self->prose_view);

  g_signal_connect_object (prose_buffer (self), "changed", G_CALLBACK (on_prose_changed), self,
                           G_CONNECT_SWAPPED);
  self->mentions = loom_mention_marks_new (GTK_TEXT_VIEW (self->prose_view));
  self->provenance = loom_provenance_tracker_new (GTK_TEXT_VIEW (self->prose_view));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::tint-ai-text", G_CALLBACK (on_tint_changed),
                           self, G_CONNECT_SWAPPED);
  on_tint_changed (self);
  init_spelling (self);
  g_signal_connect_object (self->spell_notice, "notify::child-revealed",
                           G_CALLBACK (on_spell_notice_revealed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (outline_buffer (self), "changed", G_CALLBACK (on_outline_changed), self,
                           G_CONNECT_SWAPPED);
  /* The window hears of the summary's failures where it hears of the outline's. */
  g_signal_connect_object (self->summary_pane, "store-error",
                           G_CALLBACK (loom_store_editor_emit_error), self, G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  /* The whole reason, selected when the keyboard came, is not left selected when it goes. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_status_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->status_label), focus);

  self->column = loom_prose_column_new (GTK_TEXT_VIEW (self->prose_view));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}
