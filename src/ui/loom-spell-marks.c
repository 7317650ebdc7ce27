/* loom-spell-marks.c: misspelled words underlined in a text view, and their context menu
 *
 * Typing must stay as fast with checking on as off, in a scene of 30,000 words too. So the
 * keystroke path only notes which text changed (a GtkSourceRegion, kept by marks); nothing is
 * checked and no tag is touched until the writer pauses (CHECK_DELAY_MS). The checking then
 * runs at low priority in slices of SLICE_US, a chunk of about CHUNK_CHARS characters at a
 * time, so that drawing and keys always come first; a text loaded whole (another scene, a
 * draft arriving) is checked the same way, without the pause. Tags change only where the
 * verdict changed: each change of a tag lays its paragraph out again.
 *
 * The word the writer is typing is not flagged while the cursor is in it: it is checked once
 * the cursor leaves it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-spell-marks"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "loom-generation-util.h"
#include "loom-spell-marks.h"

#define CHECK_DELAY_MS 300
#define SLICE_US 4000
#define CHUNK_CHARS 2048

struct _LoomSpellMarks
{
  GObject              parent_instance;

  /* borrowed */
  GtkTextView         *view;        /* weak */
  GtkTextBuffer       *buffer;      /* the view's, for as long as the view lives */
  GtkTextTag          *tag;

  /* owned */
  LoomSpellChecker    *checker;
  GtkSourceRegion     *unchecked;
  GMenu               *menu;        /* the view's extra menu */
  GMenuModel          *settings_menu;
  GMenuModel          *other_menu;  /* what others put in the view's menu */
  GSimpleActionGroup  *actions;
  GtkTextMark         *word_start;  /* the word the menu is about */
  GtkTextMark         *word_end;
  char                *word;
  GtkTextMark         *typed_start; /* the word left unflagged under the cursor */
  GtkTextMark         *typed_end;
  guint                delay_source;
  guint                check_source;
  guint                user_actions; /* depth of the buffer's user actions */
  int                  edited_start; /* typed since the pause began, in characters; -1: none */
  int                  edited_end;
  gint64               edited_at;    /* the last keystroke, monotonic µs */

  guint                enabled : 1;
  guint                typing : 1;   /* the writer edited since the last check */
  guint                typed_word : 1; /* typed_start..typed_end holds a word left alone */
};

G_DEFINE_FINAL_TYPE (LoomSpellMarks, loom_spell_marks, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------- */
/* Words in the buffer                                                                      */

static gboolean
is_word_char (GtkTextIter *iter)
{
  return loom_spell_is_word_char (gtk_text_iter_get_char (iter));
}

/* Moves @iter back to the start of the word it is in or at the end of. */
static void
back_to_word_start (GtkTextIter *iter)
{
  GtkTextIter prev = *iter;

  while (gtk_text_iter_backward_char (&prev) && is_word_char (&prev))
    *iter = prev;
}

static void
on_to_word_end (GtkTextIter *iter)
{
  while (!gtk_text_iter_is_end (iter) && is_word_char (iter))
    gtk_text_iter_forward_char (iter);
}

/* ---------------------------------------------------------------------------------------- */
/* Checking                                                                                 */

static gboolean check_slice (gpointer data);

static void
start_checking (LoomSpellMarks *self)
{
  if (self->check_source == 0 && self->delay_source == 0)
    self->check_source = g_idle_add_full (G_PRIORITY_LOW, check_slice, self, NULL);
}

/* The text edited since the pause began joins what waits to be checked. */
static void
flush_edited (LoomSpellMarks *self)
{
  GtkTextIter start, end;

  if (self->edited_start < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (self->buffer, &start, MAX (self->edited_start, 0));
  gtk_text_buffer_get_iter_at_offset (self->buffer, &end, self->edited_end);
  self->edited_start = self->edited_end = -1;
  gtk_source_region_add_subregion (self->unchecked, &start, &end);
}

static gboolean
delay_done (gpointer data)
{
  LoomSpellMarks *self = data;
  gint64 wait_us = self->edited_at + CHECK_DELAY_MS * 1000 - g_get_monotonic_time ();

  self->delay_source = 0;
  /* The writer typed on: wait what is left of the pause. */
  if (wait_us > 1000)
    {
      self->delay_source = g_timeout_add ((guint) (wait_us / 1000), delay_done, self);
      return G_SOURCE_REMOVE;
    }
  flush_edited (self);
  start_checking (self);
  return G_SOURCE_REMOVE;
}

/* Notes that @start to @end (in characters, after the edit) changed. Nothing else happens
 * on a keystroke: no mark is made and no timer is made again, as both cost time in a long
 * text. A change not typed by the writer (a scene loaded, a draft arriving) is checked at
 * once. */
static void
note_edited (LoomSpellMarks *self,
             int             start,
             int             end)
{
  if (self->edited_start < 0)
    {
      self->edited_start = start;
      self->edited_end = end;
    }
  else
    {
      self->edited_start = MIN (self->edited_start, start);
      self->edited_end = MAX (self->edited_end, end);
    }
  /* The text is not changed yet: the idle check takes the edit in. */
  if (self->user_actions == 0)
    {
      start_checking (self);
      return;
    }
  self->typing = TRUE;
  self->edited_at = g_get_monotonic_time ();
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->delay_source == 0)
    self->delay_source = g_timeout_add (CHECK_DELAY_MS, delay_done, self);
}

/* Checks @start to @end now. */
static void
queue_check (LoomSpellMarks    *self,
             const GtkTextIter *start,
             const GtkTextIter *end)
{
  gtk_source_region_add_subregion (self->unchecked, start, end);
  start_checking (self);
}

static void
queue_all (LoomSpellMarks *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  queue_check (self, &start, &end);
}

/* The word under the cursor, while the writer is typing it, waits until the cursor leaves. */
static gboolean
is_being_typed (LoomSpellMarks    *self,
                const GtkTextIter *start,
                const GtkTextIter *end)
{
  GtkTextIter cursor;

  if (!self->typing)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (self->buffer, &cursor, gtk_text_buffer_get_insert (self->buffer));
  if (gtk_text_iter_compare (&cursor, start) < 0 || gtk_text_iter_compare (&cursor, end) > 0)
    return FALSE;
  gtk_text_buffer_move_mark (self->buffer, self->typed_start, start);
  gtk_text_buffer_move_mark (self->buffer, self->typed_end, end);
  self->typed_word = TRUE;
  return TRUE;
}

static gboolean
may_mark (const GtkTextIter *start,
          const GtkTextIter *end,
          gpointer           data)
{
  return !is_being_typed (data, start, end);
}

/* Makes the tag cover exactly @spans within @start..@end, touching only what differs. */
static void
apply_spans (LoomSpellMarks    *self,
             const GtkTextIter *start,
             const GtkTextIter *end,
             GArray            *spans)
{
  g_autofree LoomTagRange *ranges = g_new (LoomTagRange, MAX (spans->len, 1));

  for (guint i = 0; i < spans->len; i++)
    {
      const LoomSpellSpan *span = &g_array_index (spans, LoomSpellSpan, i);

      ranges[i] = (LoomTagRange) { (int) span->start_char, (int) span->end_char };
    }
  loom_ui_sync_tag (self->buffer, self->tag, start, end, ranges, spans->len, may_mark, self);
}

/* Checks the first chunk of what is waiting; FALSE when nothing is. */
static gboolean
check_chunk (LoomSpellMarks *self)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *text = NULL;
  GtkSourceRegionIter region_iter;
  GtkTextIter start, end, limit;

  gtk_source_region_get_start_region_iter (self->unchecked, &region_iter);
  if (!gtk_source_region_iter_get_subregion (&region_iter, &start, &limit))
    return FALSE;

  /* Whole words only: an edit inside a word changes all of it. */
  back_to_word_start (&start);
  end = start;
  if (gtk_text_iter_get_offset (&limit) - gtk_text_iter_get_offset (&start) > CHUNK_CHARS)
    gtk_text_iter_forward_chars (&end, CHUNK_CHARS);
  else
    end = limit;
  on_to_word_end (&end);

  text = gtk_text_iter_get_slice (&start, &end);
  spans = loom_spell_checker_find_misspelled (self->checker, text, -1);
  apply_spans (self, &start, &end, spans);
  gtk_source_region_subtract_subregion (self->unchecked, &start, &end);
  return TRUE;
}

static gboolean
check_slice (gpointer data)
{
  LoomSpellMarks *self = data;
  gint64 until = g_get_monotonic_time () + SLICE_US;

  flush_edited (self);
  while (g_get_monotonic_time () < until)
    if (!check_chunk (self))
      {
        self->check_source = 0;
        self->typing = FALSE;
        return G_SOURCE_REMOVE;
      }
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Following the buffer (the keystroke path: cheap)                                         */

static void
on_insert_text (LoomSpellMarks *self,
                GtkTextIter    *location,
                const char     *text,
                int             length)
{
  int start = gtk_text_iter_get_offset (location);
  int chars = g_utf8_strlen (text, length);

  if (!self->enabled)
    return;
  /* What was noted after the insertion moves on with the text. */
  if (self->edited_start >= start)
    self->edited_start += chars;
  if (self->edited_end >= start)
    self->edited_end += chars;
  note_edited (self, start, start + chars);
}

static int
offset_after_delete (int offset,
                     int from,
                     int to)
{
  if (offset < from)
    return offset;
  return offset < to ? from : offset - (to - from);
}

static void
on_delete_range (LoomSpellMarks *self,
                 GtkTextIter    *start,
                 GtkTextIter    *end)
{
  int from = gtk_text_iter_get_offset (start);
  int to = gtk_text_iter_get_offset (end);

  if (!self->enabled)
    return;
  if (self->edited_start >= 0)
    {
      self->edited_start = offset_after_delete (self->edited_start, from, to);
      self->edited_end = offset_after_delete (self->edited_end, from, to);
    }
  /* The words on both sides may have become one. */
  note_edited (self, MAX (from - 1, 0), from + 1);
}

static void
on_begin_user_action (LoomSpellMarks *self)
{
  self->user_actions++;
}

static void
on_end_user_action (LoomSpellMarks *self)
{
  if (self->user_actions > 0)
    self->user_actions--;
}

/* The cursor left the word it was typing: that word is checked now. */
static void
on_cursor_moved (LoomSpellMarks *self)
{
  GtkTextIter cursor, start, end;

  if (!self->enabled || !self->typed_word)
    return;
  gtk_text_buffer_get_iter_at_mark (self->buffer, &start, self->typed_start);
  gtk_text_buffer_get_iter_at_mark (self->buffer, &end, self->typed_end);
  gtk_text_buffer_get_iter_at_mark (self->buffer, &cursor, gtk_text_buffer_get_insert (self->buffer));
  if (gtk_text_iter_in_range (&cursor, &start, &end) || gtk_text_iter_equal (&cursor, &end))
    return;
  self->typed_word = FALSE;
  gtk_source_region_add_subregion (self->unchecked, &start, &end);
  if (self->delay_source == 0)
    {
      self->typing = FALSE;
      start_checking (self);
    }
}

/* Added or ignored words: only the flagged ones can change. */
static void
on_dictionary_changed (LoomSpellMarks *self)
{
  GtkTextIter iter;

  if (!self->enabled)
    return;
  gtk_text_buffer_get_start_iter (self->buffer, &iter);
  if (!gtk_text_iter_has_tag (&iter, self->tag) &&
      !gtk_text_iter_forward_to_tag_toggle (&iter, self->tag))
    return;
  do
    {
      GtkTextIter end = iter;

      gtk_text_iter_forward_to_tag_toggle (&end, self->tag);
      gtk_source_region_add_subregion (self->unchecked, &iter, &end);
      iter = end;
    }
  while (gtk_text_iter_forward_to_tag_toggle (&iter, self->tag));
  start_checking (self);
}

static void
on_language_changed (LoomSpellMarks *self)
{
  if (self->enabled)
    queue_all (self);
}

/* ---------------------------------------------------------------------------------------- */
/* The context menu                                                                         */

/**
 * loom_spell_menu_label:
 *
 * A menu item's label showing @text as it is: menus take "_" for a mnemonic, so "en_US" is
 * written "en__US".
 */
char *
loom_spell_menu_label (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

void
loom_spell_menu_append_words (GMenu             *menu,
                              const char        *action,
                              const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *label = loom_spell_menu_label (words[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (words[i]));
      g_menu_append_item (menu, item);
    }
}

static void
append_section (GMenu      *menu,
                GMenuModel *section)
{
  g_menu_append_section (menu, NULL, section);
}

/* Fills the view's extra menu for the word at @iter: suggestions, Add to Dictionary and
 * Ignore when it is flagged; the settings always. */
static void
update_menu (LoomSpellMarks    *self,
             const GtkTextIter *iter)
{
  g_autoptr(GMenu) suggestions_section = NULL;
  g_autoptr(GMenu) word_section = NULL;
  g_auto(GStrv) suggestions = NULL;
  GtkTextIter start = *iter;
  GtkTextIter end = *iter;

  g_menu_remove_all (self->menu);
  g_clear_pointer (&self->word, g_free);
  if (self->enabled && gtk_text_iter_has_tag (iter, self->tag))
    {
      if (!gtk_text_iter_starts_tag (&start, self->tag))
        gtk_text_iter_backward_to_tag_toggle (&start, self->tag);
      gtk_text_iter_forward_to_tag_toggle (&end, self->tag);
      self->word = gtk_text_iter_get_slice (&start, &end);
      gtk_text_buffer_move_mark (self->buffer, self->word_start, &start);
      gtk_text_buffer_move_mark (self->buffer, self->word_end, &end);

      suggestions_section = g_menu_new ();
      suggestions = loom_spell_checker_get_suggestions (self->checker, self->word, -1);
      loom_spell_menu_append_words (suggestions_section, "spell.replace",
                                    (const char *const *) suggestions);
      if (suggestions[0] == NULL)
        g_menu_append (suggestions_section, _("No Suggestions"), "spell.none");
      append_section (self->menu, G_MENU_MODEL (suggestions_section));

      word_section = g_menu_new ();
      g_menu_append (word_section, _("_Add to Dictionary"), "spell.add");
      g_menu_append (word_section, _("_Ignore"), "spell.ignore");
      append_section (self->menu, G_MENU_MODEL (word_section));
    }
  if (self->other_menu != NULL)
    append_section (self->menu, self->other_menu);
  if (self->settings_menu != NULL)
    append_section (self->menu, self->settings_menu);
}

/* The view has one extra menu: what others set there (the AI's selection actions) becomes a
 * section of ours, after the word's. */
static void
on_extra_menu_set (LoomSpellMarks *self)
{
  GMenuModel *menu = gtk_text_view_get_extra_menu (self->view);
  GtkTextIter start;

  if (menu == G_MENU_MODEL (self->menu))
    return;
  g_set_object (&self->other_menu, menu);
  gtk_text_view_set_extra_menu (self->view, G_MENU_MODEL (self->menu));
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  update_menu (self, &start);
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      LoomSpellMarks  *self)
{
  GtkTextIter iter;
  int bx, by;

  if (self->view == NULL)
    return;
  gtk_text_view_window_to_buffer_coords (self->view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y,
                                         &bx, &by);
  gtk_text_view_get_iter_at_location (self->view, &iter, bx, by);
  update_menu (self, &iter);
}

/* Shift+F10 and the Menu key open the menu for the word at the cursor. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LoomSpellMarks        *self)
{
  GtkTextIter iter;

  if (keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK)))
    {
      gtk_text_buffer_get_iter_at_mark (self->buffer, &iter,
                                        gtk_text_buffer_get_insert (self->buffer));
      update_menu (self, &iter);
    }
  return GDK_EVENT_PROPAGATE;
}

/* The word the menu was opened on, if it is still there as it was. */
static gboolean
menu_word_bounds (LoomSpellMarks *self,
                  GtkTextIter    *start,
                  GtkTextIter    *end)
{
  g_autofree char *now = NULL;

  if (self->word == NULL)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (self->buffer, start, self->word_start);
  gtk_text_buffer_get_iter_at_mark (self->buffer, end, self->word_end);
  now = gtk_text_iter_get_slice (start, end);
  return g_str_equal (now, self->word);
}

/* A suggestion replaces the word as typing would: one step the writer can undo. */
static void
replace_activated (GSimpleAction  *action,
                   GVariant       *parameter,
                   gpointer        data)
{
  LoomSpellMarks *self = data;
  GtkTextIter start, end;

  if (!menu_word_bounds (self, &start, &end) ||
      !gtk_text_view_get_editable (self->view))
    return;
  gtk_text_buffer_begin_user_action (self->buffer);
  gtk_text_buffer_delete (self->buffer, &start, &end);
  gtk_text_buffer_insert (self->buffer, &start, g_variant_get_string (parameter, NULL), -1);
  gtk_text_buffer_end_user_action (self->buffer);
}

static void
add_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  LoomSpellMarks *self = data;
  GtkTextIter start, end;

  if (menu_word_bounds (self, &start, &end))
    loom_spell_checker_add_word (self->checker, self->word, -1);
}

static void
ignore_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  LoomSpellMarks *self = data;
  GtkTextIter start, end;

  if (menu_word_bounds (self, &start, &end))
    loom_spell_checker_ignore_word (self->checker, self->word, -1);
}

/* ---------------------------------------------------------------------------------------- */

static void
clear_marks (LoomSpellMarks *self)
{
  GtkTextIter start, end;

  g_clear_handle_id (&self->delay_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_source_region_subtract_subregion (self->unchecked, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->tag, &start, &end);
  self->edited_start = self->edited_end = -1;
  self->typed_word = FALSE;
}

/**
 * loom_spell_marks_set_enabled:
 *
 * Turns checking on (the whole text is checked again, in the background) or off (every mark
 * goes at once).
 */
void
loom_spell_marks_set_enabled (LoomSpellMarks *self,
                              gboolean        enabled)
{
  g_return_if_fail (LOOM_IS_SPELL_MARKS (self));

  enabled = !!enabled;
  if (self->enabled == enabled || self->view == NULL)
    return;
  self->enabled = enabled;
  if (enabled)
    queue_all (self);
  else
    clear_marks (self);
}

gboolean
loom_spell_marks_get_enabled (LoomSpellMarks *self)
{
  g_return_val_if_fail (LOOM_IS_SPELL_MARKS (self), FALSE);
  return self->enabled;
}

gboolean
loom_spell_marks_is_pending (LoomSpellMarks *self)
{
  g_return_val_if_fail (LOOM_IS_SPELL_MARKS (self), FALSE);
  return self->delay_source != 0 || self->check_source != 0;
}

GtkTextTag *
loom_spell_marks_get_tag (LoomSpellMarks *self)
{
  g_return_val_if_fail (LOOM_IS_SPELL_MARKS (self), NULL);
  return self->tag;
}

static void
loom_spell_marks_dispose (GObject *object)
{
  LoomSpellMarks *self = (LoomSpellMarks *) object;

  g_clear_handle_id (&self->delay_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->checker != NULL)
    g_signal_handlers_disconnect_by_data (self->checker, self);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->buffer, self);
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  g_clear_object (&self->unchecked);
  g_clear_object (&self->checker);
  g_clear_object (&self->menu);
  g_clear_object (&self->settings_menu);
  g_clear_object (&self->other_menu);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (loom_spell_marks_parent_class)->dispose (object);
}

static void
loom_spell_marks_finalize (GObject *object)
{
  LoomSpellMarks *self = (LoomSpellMarks *) object;

  g_clear_pointer (&self->word, g_free);

  G_OBJECT_CLASS (loom_spell_marks_parent_class)->finalize (object);
}

static void
loom_spell_marks_class_init (LoomSpellMarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_spell_marks_dispose;
  object_class->finalize = loom_spell_marks_finalize;
}

static void
loom_spell_marks_init (LoomSpellMarks *self)
{
  self->edited_start = self->edited_end = -1;
}

static void
install_actions (LoomSpellMarks *self)
{
  static const GActionEntry entries[] = {
    { "replace", replace_activated, "s" },
    { "add", add_activated },
    { "ignore", ignore_activated },
    { "none" },
  };

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  /* "No Suggestions" is there to be read, not chosen. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
                                 G_ACTION_MAP (self->actions), "none")), FALSE);
  gtk_widget_insert_action_group (GTK_WIDGET (self->view), "spell", G_ACTION_GROUP (self->actions));
}

static void
install_controllers (LoomSpellMarks *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* Before the view's own press, which opens the menu. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_secondary_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (click));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->view), keys);
}

/**
 * loom_spell_marks_new:
 * @settings_menu: (nullable): a section shown at the end of the context menu (the on/off
 *   switch and the language, which belong to whoever owns the view)
 *
 * Underlines the misspelled words of @view's text from now on, once enabled (the view is not
 * held). @checker may be shared by several views.
 */
LoomSpellMarks *
loom_spell_marks_new (GtkTextView      *view,
                      LoomSpellChecker *checker,
                      GMenuModel       *settings_menu)
{
  LoomSpellMarks *self = g_object_new (LOOM_TYPE_SPELL_MARKS, NULL);
  GtkTextIter start;

  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  self->buffer = gtk_text_view_get_buffer (view);
  self->checker = g_object_ref (checker);
  self->settings_menu = settings_menu ? g_object_ref (settings_menu) : NULL;
  self->unchecked = gtk_source_region_new (self->buffer);
  self->tag = gtk_text_buffer_create_tag (self->buffer, "loom-misspelled",
                                          "underline", PANGO_UNDERLINE_ERROR, NULL);
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  self->word_start = gtk_text_buffer_create_mark (self->buffer, NULL, &start, TRUE);
  self->word_end = gtk_text_buffer_create_mark (self->buffer, NULL, &start, FALSE);
  self->typed_start = gtk_text_buffer_create_mark (self->buffer, NULL, &start, TRUE);
  self->typed_end = gtk_text_buffer_create_mark (self->buffer, NULL, &start, TRUE);

  self->menu = g_menu_new ();
  on_extra_menu_set (self);
  g_signal_connect_object (view, "notify::extra-menu", G_CALLBACK (on_extra_menu_set), self,
                           G_CONNECT_SWAPPED);
  install_actions (self);
  install_controllers (self);

  /* Both before the change, at the offsets it is made at. */
  g_signal_connect_object (self->buffer, "insert-text", G_CALLBACK (on_insert_text), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "delete-range", G_CALLBACK (on_delete_range), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "begin-user-action", G_CALLBACK (on_begin_user_action),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "end-user-action", G_CALLBACK (on_end_user_action),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "notify::cursor-position", G_CALLBACK (on_cursor_moved),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (checker, "dictionary-changed", G_CALLBACK (on_dictionary_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (checker, "notify::language", G_CALLBACK (on_language_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}
