/* loom-window-undo.c: Ctrl+Z and Ctrl+Shift+Z for what the window does
 *
 * Every change the window makes to the library is pushed on the window's LoomUndoStack as a
 * command over core calls. Rows are named by id, not held: a deleted scene that comes back is
 * found again by its id, and a command whose row is gone (another window deleted it) fails
 * with the store's sentence instead of touching something else.
 *
 * Inside a text field the keys are the field's own (its typing history); everywhere else they
 * undo and redo the window's commands, in the order they happened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-undo"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-entry.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-window-private.h"

typedef struct
{
  LoomWindow   *window;        /* borrowed: the stack is the window's and goes before it */
  GType         type;          /* LOOM_TYPE_SCENE, _CHAPTER, _CHARACTER or _STORY */
  gint64        id;
  LoomDeletion *deletion;      /* a deleted row, until it comes back */

  /* moves */
  gint64        from_parent;   /* a scene's chapter */
  guint         from_position;
  gint64        to_parent;
  guint         to_position;

  /* edits of one text */
  char         *property;
  char         *before;
  char         *after;

  /* a generation's, a restore's or a kept partial text's replacement of prose */
  LoomRevision *prose_before;
  LoomRevision *prose_after;

  /* Replace All: (element-type LoomReplacement) every scene's prose before and after */
  GArray       *replacements;
} Command;

static void
command_free (gpointer data)
{
  Command *command = data;

  g_clear_object (&command->deletion);
  g_clear_object (&command->prose_before);
  g_clear_object (&command->prose_after);
  g_clear_pointer (&command->replacements, g_array_unref);
  g_free (command->property);
  g_free (command->before);
  g_free (command->after);
  g_free (command);
}

static Command *
command_new (LoomWindow *self,
             GType       type,
             gint64      id)
{
  Command *command = g_new0 (Command, 1);

  command->window = self;
  command->type = type;
  command->id = id;
  return command;
}

static GObject *
lookup (LoomWindow *self,
        GType       type,
        gint64      id,
        GError    **error)
{
  GObject *item = NULL;

  if (type == LOOM_TYPE_SCENE)
    item = G_OBJECT (loom_store_lookup_scene (self->store, id));
  else if (type == LOOM_TYPE_CHAPTER)
    item = G_OBJECT (loom_store_lookup_chapter (self->store, id));
  else if (type == LOOM_TYPE_CHARACTER)
    item = G_OBJECT (loom_store_lookup_character (self->store, id));
  else if (type == LOOM_TYPE_ENTRY)
    item = G_OBJECT (loom_store_lookup_entry (self->store, id));
  else if (type == LOOM_TYPE_STORY)
    item = G_OBJECT (loom_store_lookup_story (self->store, id));

  if (item == NULL)
    g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                         _("This can no longer be undone: what it changed has been deleted "
                           "since, perhaps in another window."));
  return item;
}

static gint64
item_id (GObject *item)
{
  if (LOOM_IS_SCENE (item))
    return loom_scene_get_id (LOOM_SCENE (item));
  if (LOOM_IS_CHAPTER (item))
    return loom_chapter_get_id (LOOM_CHAPTER (item));
  if (LOOM_IS_CHARACTER (item))
    return loom_character_get_id (LOOM_CHARACTER (item));
  if (LOOM_IS_ENTRY (item))
    return loom_entry_get_id (LOOM_ENTRY (item));
  if (LOOM_IS_STORY (item))
    return loom_story_get_id (LOOM_STORY (item));
  g_return_val_if_reached (0);
}

static LoomStory *
item_story (GObject *item)
{
  if (LOOM_IS_SCENE (item))
    return loom_scene_get_story (LOOM_SCENE (item));
  if (LOOM_IS_CHAPTER (item))
    return loom_chapter_get_story (LOOM_CHAPTER (item));
  if (LOOM_IS_CHARACTER (item))
    return loom_character_get_story (LOOM_CHARACTER (item));
  if (LOOM_IS_ENTRY (item))
    return loom_entry_get_story (LOOM_ENTRY (item));
  return LOOM_IS_STORY (item) ? LOOM_STORY (item) : NULL;
}

/* Shows what an undo or a redo changed, where it is: its story, its row, its character. */
static void
reveal (LoomWindow *self,
        GObject    *item)
{
  LoomStory *story = item ? item_story (item) : NULL;

  if (story != NULL && story != self->story)
    loom_window_set_story (self, story);
  if (LOOM_IS_SCENE (item) || LOOM_IS_CHAPTER (item))
    loom_sidebar_select_item (self->sidebar, item);
  else if (LOOM_IS_CHARACTER (item) || LOOM_IS_ENTRY (item))
    /* Shown, but the keyboard stays where it is: the next Ctrl+Z must not land in a field. */
    g_object_set (self, "show-characters", TRUE, NULL);
}

static LoomDeletion *
delete_item (LoomWindow *self,
             GObject    *item,
             GError    **error)
{
  /* Typing in the editor goes with the row, and comes back with it. */
  loom_window_save (self);

  if (LOOM_IS_SCENE (item))
    return loom_store_delete_scene (self->store, LOOM_SCENE (item), error);
  if (LOOM_IS_CHAPTER (item))
    return loom_store_delete_chapter (self->store, LOOM_CHAPTER (item), error);
  if (LOOM_IS_STORY (item))
    return loom_store_delete_story (self->store, LOOM_STORY (item), error);
  if (LOOM_IS_ENTRY (item))
    return loom_store_delete_entry (self->store, LOOM_ENTRY (item), error);
  return loom_store_delete_character (self->store, LOOM_CHARACTER (item), error);
}

/* Undoing a deletion whose item came back meanwhile, from the Trash dialog or the command
 * line, has nothing left to do: it must neither bring a second copy nor fail as if something
 * were wrong. It succeeds with a sentence saying so, and stays a step: redo deletes again. */
static gboolean
bring_back (Command  *command,
            GError  **error)
{
  LoomWindow *self = command->window;
  g_autoptr(GError) local_error = NULL;
  GObject *item;

  g_return_val_if_fail (command->deletion != NULL, FALSE);

  if (!loom_store_undo_deletion (self->store, command->deletion, &local_error))
    {
      if (!g_error_matches (local_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND) ||
          (item = lookup (self, command->type, command->id, NULL)) == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_object (&command->deletion);
      reveal (self, item);
      _loom_window_add_message_toast (self, _("Nothing to undo: what was deleted is already "
                                              "back, restored from the Trash."), 0);
      return TRUE;
    }
  g_clear_object (&command->deletion);
  reveal (self, lookup (self, command->type, command->id, NULL));
  return TRUE;
}

static gboolean
take_away (Command  *command,
           GError  **error)
{
  LoomWindow *self = command->window;
  GObject *item = lookup (self, command->type, command->id, error);

  if (item == NULL)
    return FALSE;
  g_clear_object (&command->deletion);
  command->deletion = delete_item (self, item, error);
  return command->deletion != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Added and deleted rows                                                                     */

static gboolean
undo_add (gpointer   data,
          GError   **error)
{
  return take_away (data, error);
}

static gboolean
redo_add (gpointer   data,
          GError   **error)
{
  return bring_back (data, error);
}

static gboolean
undo_delete (gpointer   data,
             GError   **error)
{
  return bring_back (data, error);
}

static gboolean
redo_delete (gpointer   data,
             GError   **error)
{
  return take_away (data, error);
}

void
_loom_window_record_added (LoomWindow *self,
                           GObject    *item)
{
  const char *label;

  if (LOOM_IS_SCENE (item))
    label = _("Add Scene");
  else if (LOOM_IS_CHAPTER (item))
    label = _("Add Chapter");
  else if (LOOM_IS_CHARACTER (item))
    label = _("Add Character");
  else if (LOOM_IS_ENTRY (item))
    /* Translators: an undo step: adding a place, an object, a group or lore */
    label = _("Add to the Story Bible");
  else
    g_return_if_reached ();

  loom_undo_stack_push (self->undo_stack, label, undo_add, redo_add,
                        command_new (self, G_OBJECT_TYPE (item), item_id (item)), command_free);
}

guint
_loom_window_record_deleted (LoomWindow   *self,
                             LoomDeletion *deletion)
{
  GObject *item = loom_deletion_get_item (deletion);
  Command *command = command_new (self, G_OBJECT_TYPE (item), item_id (item));
  const char *label;

  if (LOOM_IS_SCENE (item))
    label = _("Delete Scene");
  else if (LOOM_IS_CHAPTER (item))
    label = _("Delete Chapter");
  else if (LOOM_IS_STORY (item))
    label = _("Delete Story");
  else if (LOOM_IS_ENTRY (item))
    label = _("Delete Entry");
  else
    label = _("Delete Character");

  command->deletion = g_object_ref (deletion);
  return loom_undo_stack_push (self->undo_stack, label, undo_delete, redo_delete, command,
                               command_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Texts: a chapter's title, a scene's outline, a character's name, traits and backstory      */

/* A character's or an entry's inclusion rule, kept by undo as its word ("always"…). */
static gboolean
set_inclusion (GObject     *item,
               const char  *word,
               GError     **error)
{
  LoomInclusion inclusion;

  if (!loom_inclusion_from_string (word, &inclusion))
    g_return_val_if_reached (FALSE);
  if (LOOM_IS_CHARACTER (item))
    return loom_character_set_inclusion (LOOM_CHARACTER (item), inclusion, error);
  return loom_entry_set_inclusion (LOOM_ENTRY (item), inclusion, error);
}

static gboolean
set_text (LoomWindow  *self,
          Command     *command,
          const char  *text,
          GError     **error)
{
  GObject *item = lookup (self, command->type, command->id, error);
  const char *property = command->property;
  gboolean ok = FALSE;

  if (item == NULL)
    return FALSE;

  /* The editors show the library's text again, not what they had pending. */
  loom_window_save (self);

  if (LOOM_IS_CHAPTER (item) && g_str_equal (property, "title"))
    ok = loom_chapter_set_title (LOOM_CHAPTER (item), text, error);
  else if (LOOM_IS_SCENE (item) && g_str_equal (property, "outline"))
    ok = loom_scene_set_outline (LOOM_SCENE (item), text, error);
  else if (LOOM_IS_SCENE (item) && g_str_equal (property, "prose"))
    ok = loom_scene_set_prose (LOOM_SCENE (item), text, error);
  else if (LOOM_IS_CHARACTER (item) && g_str_equal (property, "name"))
    ok = loom_character_set_name (LOOM_CHARACTER (item), text, error);
  else if (LOOM_IS_CHARACTER (item) && g_str_equal (property, "traits"))
    ok = loom_character_set_traits (LOOM_CHARACTER (item), text, error);
  else if (LOOM_IS_CHARACTER (item) && g_str_equal (property, "backstory"))
    ok = loom_character_set_backstory (LOOM_CHARACTER (item), text, error);
  else if (LOOM_IS_CHARACTER (item) && g_str_equal (property, "aliases"))
    ok = loom_character_set_aliases (LOOM_CHARACTER (item), text, error);
  else if ((LOOM_IS_CHARACTER (item) || LOOM_IS_ENTRY (item)) &&
           g_str_equal (property, "inclusion"))
    ok = set_inclusion (item, text, error);
  else if (LOOM_IS_ENTRY (item) && g_str_equal (property, "name"))
    ok = loom_entry_set_name (LOOM_ENTRY (item), text, error);
  else if (LOOM_IS_ENTRY (item) && g_str_equal (property, "aliases"))
    ok = loom_entry_set_aliases (LOOM_ENTRY (item), text, error);
  else if (LOOM_IS_ENTRY (item) && g_str_equal (property, "description"))
    ok = loom_entry_set_description (LOOM_ENTRY (item), text, error);
  else
    g_return_val_if_reached (FALSE);

  if (ok)
    reveal (self, item);
  return ok;
}

static gboolean
undo_text (gpointer   data,
           GError   **error)
{
  Command *command = data;

  return set_text (command->window, command, command->before, error);
}

static gboolean
redo_text (gpointer   data,
           GError   **error)
{
  Command *command = data;

  return set_text (command->window, command, command->after, error);
}

static const char *
text_label (GObject    *item,
            const char *property)
{
  if (LOOM_IS_CHAPTER (item))
    return _("Rename Chapter");
  if (LOOM_IS_SCENE (item))
    return g_str_equal (property, "prose") ? _("Replace Prose") : _("Edit Outline");
  if (LOOM_IS_ENTRY (item))
    return _("Edit Entry");
  return _("Edit Character");
}

/**
 * _loom_window_record_edit:
 * @item: the chapter, scene or character whose text was saved
 * @property: "title", "outline", "prose", "name", "traits", "backstory", "aliases",
 *   "description", or "inclusion" (its text then the rule's word, such as "always")
 * @before: the text before the change
 *
 * The text now in @item is the one redo brings back. The saves of one text that follow each
 * other (the editor saves a second after each pause in typing) are one step.
 */
void
_loom_window_record_edit (LoomWindow *self,
                          GObject    *item,
                          const char *property,
                          const char *before)
{
  g_autofree char *after = NULL;
  Command *top;
  Command *command;

  if (g_str_equal (property, "inclusion"))
    after = g_strdup (loom_inclusion_to_string (LOOM_IS_CHARACTER (item)
                        ? loom_character_get_inclusion (LOOM_CHARACTER (item))
                        : loom_entry_get_inclusion (LOOM_ENTRY (item))));
  else
    g_object_get (item, property, &after, NULL);
  if (g_strcmp0 (before, after) == 0 || loom_undo_stack_get_busy (self->undo_stack))
    return;

  top = loom_undo_stack_peek (self->undo_stack, undo_text);
  if (top != NULL && top->type == G_OBJECT_TYPE (item) && top->id == item_id (item) &&
      g_str_equal (top->property, property) && !g_str_equal (property, "prose"))
    {
      g_free (top->after);
      top->after = g_steal_pointer (&after);
      return;
    }

  command = command_new (self, G_OBJECT_TYPE (item), item_id (item));
  command->property = g_strdup (property);
  command->before = g_strdup (before);
  command->after = g_steal_pointer (&after);
  loom_undo_stack_push (self->undo_stack, text_label (item, property), undo_text, redo_text,
                        command, command_free);
}

static void
on_edited (LoomWindow *self,
           GObject    *item,
           const char *property,
           const char *before)
{
  _loom_window_record_edit (self, item, property, before);
}

/* ------------------------------------------------------------------------------------------ */
/* Prose replaced by a generation, a restore or a kept partial text                           */

/* Both ways go through the store's restore, which keeps the prose it replaces in History and
 * brings the text back with who wrote it and when: undoing never loses the generated text, and
 * a generation undone is not taken for the writer's own words. */
static gboolean
put_prose (Command       *command,
           LoomRevision  *revision,
           GError       **error)
{
  LoomWindow *self = command->window;
  GObject *item = lookup (self, LOOM_TYPE_SCENE, command->id, error);

  if (item == NULL)
    return FALSE;
  loom_window_save (self);
  if (!loom_store_restore_revision (self->store, LOOM_SCENE (item), revision, error))
    return FALSE;
  reveal (self, item);
  return TRUE;
}

static gboolean
undo_prose (gpointer   data,
            GError   **error)
{
  Command *command = data;

  return put_prose (command, command->prose_before, error);
}

static gboolean
redo_prose (gpointer   data,
            GError   **error)
{
  Command *command = data;

  return put_prose (command, command->prose_after, error);
}

/**
 * _loom_window_record_prose_replaced:
 * @before: the prose that was replaced, as a revision
 * @label: what replaced it, e.g. "Generate Scene"
 *
 * The scene's prose now is what redo brings back.
 */
void
_loom_window_record_prose_replaced (LoomWindow   *self,
                                    LoomScene    *scene,
                                    LoomRevision *before,
                                    const char   *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) after = NULL;
  Command *command;

  if (loom_undo_stack_get_busy (self->undo_stack))
    return;
  if ((after = loom_store_snapshot_prose (self->store, scene, &error)) == NULL)
    {
      g_debug ("This change of prose cannot be undone: %s", error->message);
      return;
    }

  command = command_new (self, LOOM_TYPE_SCENE, loom_scene_get_id (scene));
  command->prose_before = g_object_ref (before);
  command->prose_after = g_steal_pointer (&after);
  loom_undo_stack_push (self->undo_stack, label, undo_prose, redo_prose, command, command_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Replace All across a story: every scene it changed, back and forth in one step             */

static gboolean
put_back (Command   *command,
          gboolean   redo,
          GError   **error)
{
  LoomWindow *self = command->window;
  gboolean ok;

  loom_window_save (self);
  ok = loom_store_put_back_replacements (self->store, command->replacements, redo, error);
  if (_loom_window_search_shown (self))
    loom_search_pane_refresh (self->search_pane);
  return ok;
}

static gboolean
undo_replace (gpointer   data,
              GError   **error)
{
  return put_back (data, FALSE, error);
}

static gboolean
redo_replace (gpointer   data,
              GError   **error)
{
  return put_back (data, TRUE, error);
}

/**
 * _loom_window_record_replaced:
 * @replacements: (element-type LoomReplacement): what loom_store_replace_all() changed
 */
void
_loom_window_record_replaced (LoomWindow *self,
                              GArray     *replacements)
{
  Command *command = command_new (self, LOOM_TYPE_STORY, loom_story_get_id (self->story));

  command->replacements = g_array_ref (replacements);
  loom_undo_stack_push (self->undo_stack, _("Replace All"), undo_replace, redo_replace, command,
                        command_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Moves, by the keyboard or a drop                                                           */

static gboolean
move (Command  *command,
      gint64    parent,
      guint     position,
      GError  **error)
{
  LoomWindow *self = command->window;
  GObject *item = lookup (self, command->type, command->id, error);
  GObject *into = NULL;

  if (item == NULL)
    return FALSE;
  if (LOOM_IS_SCENE (item) &&
      (into = lookup (self, LOOM_TYPE_CHAPTER, parent, error)) == NULL)
    return FALSE;

  reveal (self, item);
  return loom_sidebar_move_to (self->sidebar, item, into, position, error);
}

static gboolean
undo_move (gpointer   data,
           GError   **error)
{
  Command *command = data;

  return move (command, command->from_parent, command->from_position, error);
}

static gboolean
redo_move (gpointer   data,
           GError   **error)
{
  Command *command = data;

  return move (command, command->to_parent, command->to_position, error);
}

static void
on_moved (LoomWindow *self,
          GObject    *item,
          GObject    *from_parent,
          guint       from_position,
          LoomSidebar *sidebar)
{
  Command *command = command_new (self, G_OBJECT_TYPE (item), item_id (item));
  GListModel *list;

  command->from_parent = from_parent ? item_id (from_parent) : 0;
  command->from_position = from_position;
  if (LOOM_IS_SCENE (item))
    {
      LoomChapter *chapter = loom_scene_get_chapter (LOOM_SCENE (item));

      command->to_parent = loom_chapter_get_id (chapter);
      list = loom_chapter_get_scenes (chapter);
    }
  else
    list = loom_story_get_chapters (loom_chapter_get_story (LOOM_CHAPTER (item)));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (list, i);

      if (other == item)
        command->to_position = i;
    }

  loom_undo_stack_push (self->undo_stack,
                        LOOM_IS_SCENE (item) ? _("Move Scene") : _("Move Chapter"),
                        undo_move, redo_move, command, command_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Imports                                                                                    */

/* Undoing an import moves the story to the trash (nothing is lost, whatever was written in it
 * since); redoing brings it back from there. */
void
_loom_window_record_imported (LoomWindow *self,
                              LoomStory  *story)
{
  loom_undo_stack_push (self->undo_stack, _("Import Story"), undo_add, redo_add,
                        command_new (self, LOOM_TYPE_STORY, loom_story_get_id (story)),
                        command_free);
}

/* ------------------------------------------------------------------------------------------ */
/* The keys                                                                                   */

/* Inside a text field, Ctrl+Z is the field's own undo of its typing. */
static gboolean
focus_in_text (LoomWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    {
      if (GTK_IS_TEXT_VIEW (focus) || GTK_IS_TEXT (focus))
        return TRUE;
    }
  return FALSE;
}

gboolean
_loom_window_undo (LoomWindow *self,
                   gboolean    redo)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return FALSE;
  /* What is pending in the editors is a change too, and the newest one. */
  loom_window_save (self);
  if (redo ? !loom_undo_stack_redo (self->undo_stack, &error)
           : !loom_undo_stack_undo (self->undo_stack, &error))
    {
      loom_window_show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
undo_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  LoomWindow *self = LOOM_WINDOW (widget);
  gboolean redo = g_variant_get_boolean (args);

  if (focus_in_text (self))
    return FALSE;
  if (redo ? !loom_undo_stack_get_can_redo (self->undo_stack)
           : !loom_undo_stack_get_can_undo (self->undo_stack))
    return FALSE;
  _loom_window_undo (self, redo);
  return TRUE;
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _loom_window_undo (LOOM_WINDOW (widget), g_str_equal (action_name, "win.redo"));
}

static void
on_stack_changed (LoomWindow *self)
{
  _loom_window_actions_update (self);
}

void
_loom_window_undo_init (LoomWindow *self)
{
  self->undo_stack = loom_undo_stack_new ();
  g_signal_connect_object (self->undo_stack, "notify::can-undo",
                           G_CALLBACK (on_stack_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->undo_stack, "notify::can-redo",
                           G_CALLBACK (on_stack_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "moved", G_CALLBACK (on_moved), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "edited", G_CALLBACK (on_edited), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->character_panel, "edited", G_CALLBACK (on_edited), self,
                           G_CONNECT_SWAPPED);
}

void
_loom_window_class_undo_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);

  /* On the window, not the application: a text field sees the keys first (capture phase
   * accelerators would take them from it). */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, undo_shortcut,
                                "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                undo_shortcut, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, undo_shortcut,
                                "b", TRUE);
}
